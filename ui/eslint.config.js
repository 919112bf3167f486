// Lint gate for the UI: `npm run lint` (no warnings allowed). Formatting is Prettier's job
// (`npm run format:check`); the svelte/prettier set turns off the rules that would fight it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'src/lib/backend/generated/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,
  {
    languageOptions: {
      parserOptions: { extraFileExtensions: ['.svelte'] },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { projectService: true, parser: ts.parser, svelteConfig },
    },
  },
  {
    rules: {
      // A parameter a signature needs but the body does not is spelled `_name`; `{ [key]: _, ...rest }`
      // drops a key.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Node scripts: tests, configs.
    files: ['tests/**', '*.config.js', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);

// Guards for the project's hard rules, checked on the source text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(SRC)
  .filter((f) => /\.(ts|svelte)$/.test(f))
  .map((f) => ({ path: relative(SRC, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));

describe('source rules', () => {
  it('imports @tauri-apps/api only in lib/backend/tauri.ts', () => {
    const offenders = files.filter((f) => f.text.includes('@tauri-apps/api') && f.path !== 'lib/backend/tauri.ts');
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('calls fetch only in lib/backend/', () => {
    const offenders = files.filter((f) => /\bfetch\s*\(/.test(f.text) && !f.path.startsWith('lib/backend/'));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('never renders HTML from strings', () => {
    const offenders = files.filter((f) => /\{@html|innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(f.text));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('does not use eval-like constructs or inline style attributes (strict CSP)', () => {
    expect(files.filter((f) => /\beval\s*\(|new Function\s*\(/.test(f.text)).map((f) => f.path)).toEqual([]);
    const svelte = files.filter((f) => f.path.endsWith('.svelte'));
    expect(svelte.filter((f) => /\sstyle=["{]/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('ships no mock backend in src', () => {
    expect(files.filter((f) => /mock|fake/i.test(f.path)).map((f) => f.path)).toEqual([]);
  });
});

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

const all = walk(SRC).map((f) => ({ path: relative(SRC, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));
const files = all.filter((f) => /\.(ts|svelte)$/.test(f.path));

/** The one file that may spell colours out: the design tokens. */
const TOKENS = 'theme.css';

// Every CSS named colour (CSS Color 4); `transparent`, `currentColor` and `inherit` are not colours here.
const NAMED_COLOURS =
  'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
  'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
  'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
  'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
  'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
  'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
  'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue ' +
  'lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine ' +
  'mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise ' +
  'mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange ' +
  'orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum ' +
  'powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna ' +
  'silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet ' +
  'wheat white whitesmoke yellow yellowgreen';
const NAMED = new RegExp(`(?<![\\w-])(?:${NAMED_COLOURS.split(' ').join('|')})(?![\\w-])`, 'i');
const HEX = /(?<![\w&])#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})(?![\w-])/i;
const FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i;

/**
 * The literal colours in a stylesheet or a component, as found: hex values and colour functions
 * anywhere, named colours as CSS property values (in a stylesheet or a `<style>` block) or as SVG
 * paint attributes (`fill="white"`).
 */
function literalColours(path: string, text: string): string[] {
  const found: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const line of code.split('\n')) {
    const hex = HEX.exec(line) ?? FUNCTION.exec(line);
    if (hex) found.push(line.trim());
  }
  const css = path.endsWith('.css')
    ? code
    : [...code.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
  for (const m of css.matchAll(/[\w-]+\s*:\s*([^;{}]+)[;}]/g)) {
    if (NAMED.test(m[1])) found.push(m[0].trim());
  }
  for (const m of code.matchAll(/\b(?:fill|stroke|color|stop-color|flood-color)\s*=\s*["']([^"']+)["']/g)) {
    if (NAMED.test(m[1]) || HEX.test(m[1]) || FUNCTION.test(m[1])) found.push(m[0].trim());
  }
  return found;
}

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
    const offenders = files.filter((f) =>
      /\{@html|innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(f.text),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('does not use eval-like constructs or inline style attributes (strict CSP)', () => {
    expect(files.filter((f) => /\beval\s*\(|new Function\s*\(/.test(f.text)).map((f) => f.path)).toEqual([]);
    const svelte = files.filter((f) => f.path.endsWith('.svelte'));
    expect(svelte.filter((f) => /\sstyle=["{]/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('spells colours out only in the design tokens (theme.css); components use var(--...)', () => {
    const offenders = all
      .filter((f) => /\.(css|svelte)$/.test(f.path) && f.path !== TOKENS)
      .flatMap((f) => literalColours(f.path, f.text).map((c) => `${f.path}: ${c}`));
    expect(offenders).toEqual([]);
  });

  it('finds literal colours of every form', () => {
    const style = (css: string) => `<div></div>\n<style>\n  .a {\n    ${css}\n  }\n</style>\n`;
    for (const css of [
      'color: #fff;',
      'color: #FFFA;',
      'border: 1px solid #a1b2c3;',
      'background: #a1b2c3d4;',
      'box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06);',
      'color: rgb(0 0 0);',
      'color: hsl(210, 40%, 50%);',
      'color: hsla(210, 40%, 50%, 0.5);',
      'color: white;',
      'border: 1px solid Black;',
      'background: linear-gradient(red, var(--color-surface));',
    ]) {
      expect(literalColours('x.svelte', style(css)), css).toHaveLength(1);
      expect(literalColours('x.css', `.a { ${css} }`), css).toHaveLength(1);
    }
    expect(literalColours('x.svelte', '<path fill="white" />')).toHaveLength(1);
    expect(literalColours('x.svelte', "<script>const c = '#2f5bd3';</script>")).toHaveLength(1);
    for (const css of [
      'color: var(--color-text);',
      'background: transparent;',
      'stroke: currentColor;',
      'color: inherit;',
      'white-space: nowrap;',
      'background: var(--color-red, var(--color-surface));',
      '/* not #fff */ color: var(--color-text);',
    ]) {
      expect(literalColours('x.svelte', style(css)), css).toEqual([]);
      expect(literalColours('x.css', `.a { ${css} }`), css).toEqual([]);
    }
    expect(literalColours('x.svelte', '{#each items as item}{#if item}<a href="#top">x</a>{/if}{/each}')).toEqual([]);
  });

  it('ships no mock backend in src', () => {
    expect(files.filter((f) => /mock|fake/i.test(f.path)).map((f) => f.path)).toEqual([]);
  });
});

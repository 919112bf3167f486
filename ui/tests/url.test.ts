import { describe, expect, it } from 'vitest';
import { fileNameFromUrl, guessKind, linkify, safeHttpUrl } from '../src/lib/url';

describe('safeHttpUrl', () => {
  it('accepts http and https', () => {
    expect(safeHttpUrl('https://cdn.example.com/a.jpg')).toBe('https://cdn.example.com/a.jpg');
    expect(safeHttpUrl('  HTTP://example.com ')).toBe('http://example.com/');
  });

  it('rejects other schemes and junk', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'blob:https://x/1',
      'vbscript:x',
      '//example.com/x.png',
      '/relative.png',
      'https://',
      'http:/example.com',
      '',
      null,
      undefined,
    ]) {
      expect(safeHttpUrl(bad), String(bad)).toBeNull();
    }
  });
});

describe('linkify', () => {
  it('turns only http(s) URLs into links', () => {
    expect(linkify('see https://example.com/a?b=1, or javascript:alert(1)')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ', or javascript:alert(1)' },
    ]);
  });

  it('keeps text unchanged when there is no link', () => {
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>' }]);
    expect(linkify('')).toEqual([]);
  });

  it('trims trailing punctuation but keeps balanced parentheses', () => {
    expect(linkify('(https://x.com/a).')[1]).toEqual({ text: 'https://x.com/a', href: 'https://x.com/a' });
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0].text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('round-trips the text exactly', () => {
    const s = 'a https://a.b/c b http://d.e/ f';
    expect(
      linkify(s)
        .map((x) => x.text)
        .join(''),
    ).toBe(s);
  });
});

describe('file helpers', () => {
  it('derives a file name from a URL', () => {
    expect(fileNameFromUrl('https://x.com/files/Nota%20Fiscal.pdf?sig=1')).toBe('Nota Fiscal.pdf');
    expect(fileNameFromUrl('https://x.com/')).toBe('');
    expect(fileNameFromUrl('nonsense')).toBe('');
  });

  it('guesses the kind from the extension', () => {
    expect(guessKind('https://x.com/a.JPG')).toBe('image');
    expect(guessKind('https://x.com/a.mp4')).toBe('video');
    expect(guessKind('https://x.com/a.ogg')).toBe('audio');
    expect(guessKind('https://x.com/a.pdf')).toBe('file');
    expect(guessKind('https://x.com/download')).toBe('file');
  });
});

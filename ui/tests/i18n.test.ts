import { describe, expect, it } from 'vitest';
import { dictionaries, detectLocale, translate, type MessageKey } from '../src/lib/i18n';
import { relativeTime } from '../src/lib/format';

describe('i18n', () => {
  it('has the same, non-empty keys in every language', () => {
    const en = Object.keys(dictionaries.en).sort();
    const pt = Object.keys(dictionaries['pt-BR']).sort();
    expect(pt).toEqual(en);
    for (const [loc, dict] of Object.entries(dictionaries)) {
      for (const [k, v] of Object.entries(dict)) expect(v.trim(), `${loc} ${k}`).not.toBe('');
    }
  });

  it('uses the same placeholders in every language', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(dictionaries.en) as MessageKey[]) {
      expect(ph(dictionaries['pt-BR'][key]), key).toEqual(ph(dictionaries.en[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translate('en', 'view.typing', { who: 'Ana' })).toBe('Ana is typing…');
    expect(translate('pt-BR', 'view.typing', { who: 'Ana' })).toBe('Ana está digitando…');
    expect(translate('en', 'list.unread', {})).toBe('{n} unread');
  });

  it('detects the language', () => {
    expect(detectLocale(null, ['pt-BR', 'en'])).toBe('pt-BR');
    expect(detectLocale(null, ['pt'])).toBe('pt-BR');
    expect(detectLocale(null, ['pt-PT'])).toBe('pt-BR');
    expect(detectLocale(null, ['en-US', 'pt-BR'])).toBe('en');
    expect(detectLocale(null, ['de-DE', 'pt-BR'])).toBe('pt-BR');
    expect(detectLocale(null, ['fr'])).toBe('en');
    expect(detectLocale('en', ['pt-BR'])).toBe('en');
    expect(detectLocale('xx', ['pt-BR'])).toBe('pt-BR');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  it('formats compact relative times', () => {
    expect(relativeTime('2025-06-10T11:59:30Z', now, 'en')).toBe('now');
    expect(relativeTime('2025-06-10T11:55:00Z', now, 'en')).toBe('5 min');
    expect(relativeTime('2025-06-10T09:00:00Z', now, 'pt-BR')).toBe('3 h');
    expect(relativeTime('2025-06-08T12:00:00Z', now, 'pt-BR')).toBe('2 d');
    expect(relativeTime('2025-06-10T12:05:00Z', now, 'pt-BR')).toBe('agora'); // clock skew
    expect(relativeTime('not a date', now, 'en')).toBe('');
    expect(relativeTime('2025-05-01T12:00:00Z', now, 'en')).not.toBe('');
  });
});

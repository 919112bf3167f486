import { describe, expect, it } from 'vitest';
import type { CannedResponse } from '../src/lib/backend/types';
import {
  countChars,
  counterState,
  matchCanned,
  replaceRange,
  shortcodeQuery,
  slashQuery,
} from '../src/lib/canned/logic';

function canned(shortcut: string, body: string): CannedResponse {
  const at = '2026-12-01T10:00:00Z';
  return { id: shortcut, shortcut, body, created_at: at, updated_at: at };
}

const LIST = [
  canned('greeting', 'Hi {{first_name}}! This is {{agent}}. How can I help you today?'),
  canned('order', 'Could you send me your order number?'),
  canned('pedido', 'Pode me passar o número do seu pedido?'),
  canned('ausente', 'No momento estamos fora do horário de atendimento.'),
  canned('closing', 'Thank you for getting in touch, have a great day!'),
];

describe('the / trigger', () => {
  it('opens only at the start of a one-line message', () => {
    expect(slashQuery('/gre')).toBe('gre');
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('hello /gre')).toBeNull();
    expect(slashQuery('/gre\nmore')).toBeNull();
    expect(slashQuery('')).toBeNull();
  });

  it('matches shortcuts fuzzily, then the text', () => {
    expect(matchCanned(LIST, 'gre')[0].shortcut).toBe('greeting');
    expect(matchCanned(LIST, 'grteing')[0].shortcut).toBe('greeting');
    expect(matchCanned(LIST, 'pedid')[0].shortcut).toBe('pedido');
    // By text, accents ignored.
    expect(matchCanned(LIST, 'horario').map((c) => c.shortcut)).toContain('ausente');
    expect(matchCanned(LIST, 'zzzzqqq')).toEqual([]);
  });

  it('lists everything by shortcut for an empty query', () => {
    expect(matchCanned(LIST, '').map((c) => c.shortcut)).toEqual(['ausente', 'closing', 'greeting', 'order', 'pedido']);
    expect(matchCanned(LIST, '', 2)).toHaveLength(2);
  });
});

describe('the :shortcode trigger', () => {
  it('takes the word before the caret after a space or at the start', () => {
    expect(shortcodeQuery(':smi', 4)).toEqual({ query: 'smi', start: 0 });
    expect(shortcodeQuery('Oi :Smi', 7)).toEqual({ query: 'smi', start: 3 });
    expect(shortcodeQuery('Oi :smi later', 7)).toEqual({ query: 'smi', start: 3 });
    expect(shortcodeQuery('Oi :s', 5)).toBeNull();
    expect(shortcodeQuery('10:30', 5)).toBeNull();
    expect(shortcodeQuery('see http://x', 12)).toBeNull();
  });

  it('replaces the shortcode with the emoji and puts the caret after it', () => {
    expect(replaceRange('Oi :smi!', 3, 7, '😄')).toEqual({ text: 'Oi 😄!', caret: 5 });
  });
});

describe('the character counter', () => {
  it('counts code points of what is sent', () => {
    expect(countChars('  \nolá 😄  ')).toBe(5);
  });

  it('shows from 90% of the limit and says when it is over', () => {
    expect(counterState(3685, 4096)).toBe('hidden');
    expect(counterState(3686, 4096)).toBe('near');
    expect(counterState(4096, 4096)).toBe('near');
    expect(counterState(4097, 4096)).toBe('over');
  });
});

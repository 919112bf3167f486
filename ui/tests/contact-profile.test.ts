import { describe, expect, it } from 'vitest';
import {
  formatPhone,
  loadPanelOpen,
  phoneCountry,
  putAttribute,
  removeAttribute,
  savePanelOpen,
} from '../src/lib/contacts/profile';

describe('contact panel logic', () => {
  it('formats numbers for their country and leaves other ids alone', () => {
    expect(formatPhone('5511987654321')).toBe('+55 11 98765 4321');
    expect(phoneCountry('5511987654321')).toBe('BR');
    expect(formatPhone('14155552671')).toBe('+1 415 555 2671');
    expect(formatPhone('5511976543210-1617181920')).toBe('5511976543210-1617181920');
    expect(formatPhone('abc')).toBe('abc');
  });

  it('remembers whether the panel is open', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    };
    expect(loadPanelOpen(storage)).toBe(true);
    savePanelOpen(false, storage);
    expect(loadPanelOpen(storage)).toBe(false);
    savePanelOpen(true, storage);
    expect(loadPanelOpen(storage)).toBe(true);
  });

  it('adds, edits in place and removes attributes', () => {
    let list = putAttribute([], { key: ' plan ', value: 'Gold ' });
    list = putAttribute(list, { key: 'city', value: 'Recife' });
    expect(list).toEqual([
      { key: 'plan', value: 'Gold' },
      { key: 'city', value: 'Recife' },
    ]);
    list = putAttribute(list, { key: 'Plano', value: 'Prata' }, 'plan');
    expect(list).toEqual([
      { key: 'Plano', value: 'Prata' },
      { key: 'city', value: 'Recife' },
    ]);
    list = putAttribute(list, { key: 'CITY', value: 'Olinda' });
    expect(list).toEqual([
      { key: 'Plano', value: 'Prata' },
      { key: 'CITY', value: 'Olinda' },
    ]);
    expect(removeAttribute(list, 'Plano')).toEqual([{ key: 'CITY', value: 'Olinda' }]);
  });
});

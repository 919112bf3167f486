import { describe, expect, it } from 'vitest';
import { DEFAULT_MCONNECT_URL, validateConnect, type ConnectValues } from '../src/lib/validate';

const good: ConnectValues = {
  name: 'Suporte SP',
  base_url: DEFAULT_MCONNECT_URL,
  number: '5511987654321',
  company: 'ACME',
  username: 'ana',
};

describe('validateConnect', () => {
  it('accepts a complete form', () => {
    expect(validateConnect(good)).toEqual({});
  });

  it('requires every field', () => {
    expect(validateConnect({ name: ' ', base_url: '', number: '', company: '', username: '' })).toEqual({
      name: 'validation.required',
      base_url: 'validation.required',
      number: 'validation.required',
      company: 'validation.required',
      username: 'validation.required',
    });
  });

  it('requires an http(s) URL', () => {
    expect(validateConnect({ ...good, base_url: 'ftp://x.com' }).base_url).toBe('validation.url');
    expect(validateConnect({ ...good, base_url: 'javascript:alert(1)' }).base_url).toBe('validation.url');
    expect(validateConnect({ ...good, base_url: 'omni.mconnectapps.com' }).base_url).toBe('validation.url');
    expect(validateConnect({ ...good, base_url: 'http://localhost:9000/api/' }).base_url).toBeUndefined();
  });

  it('requires 8 to 15 digits for the number', () => {
    expect(validateConnect({ ...good, number: '1234567' }).number).toBe('validation.number');
    expect(validateConnect({ ...good, number: '12345678' }).number).toBeUndefined();
    expect(validateConnect({ ...good, number: '123456789012345' }).number).toBeUndefined();
    expect(validateConnect({ ...good, number: '1234567890123456' }).number).toBe('validation.number');
    expect(validateConnect({ ...good, number: '+5511987654321' }).number).toBe('validation.number');
    expect(validateConnect({ ...good, number: '55 11 98765-4321' }).number).toBe('validation.number');
  });
});

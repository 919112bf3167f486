import { describe, expect, it } from 'vitest';
import type { ProviderInfo, SettingField } from '../src/lib/backend/types';
import {
  buildDraft,
  buildNewAccount,
  buildPatch,
  connectionChanged,
  fieldOfEngineMessage,
  initialValues,
  isHttpUrl,
  settingText,
  validateField,
  validateForm,
} from '../src/lib/validate';
import { account } from './fixtures';

const field = (
  key: string,
  type: SettingField['type'],
  required: boolean,
  extra: Partial<SettingField> = {},
): SettingField => ({
  key,
  label: key,
  type,
  required,
  options: [],
  default: null,
  help: null,
  ...extra,
});

function provider(id: ProviderInfo['id'], fields: SettingField[]): ProviderInfo {
  return {
    id,
    label: id,
    capabilities: [],
    unavailable: [],
    fields,
    webhook_setup: 'manual',
    notes: [],
    max_text_chars: 4096,
  };
}

const MCONNECT_URL = 'https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/';
const mconnect = provider('mconnect', [
  field('base_url', 'url', true, {
    options: [{ value: MCONNECT_URL, label: 'mConnect production' }],
    default: MCONNECT_URL,
  }),
  field('number', 'phone', true),
  field('company', 'text', true),
  field('username', 'text', true),
]);
const zchat = provider('zchat', [
  field('flavour', 'select', true, {
    options: [
      { value: 'interactions', label: 'Interactions' },
      { value: 'whatsapp', label: 'WhatsApp' },
    ],
    default: 'interactions',
  }),
  field('base_url', 'url', true, { default: 'https://zchat.zenvia.io' }),
  field('department_id', 'number', true),
  field('token', 'secret', true),
]);
const cirrus = provider('cirrus', [
  field('base_url', 'url', true),
  field('channel_id', 'text', true),
  field('routes', 'json', false),
  field('token', 'secret', false),
]);
const wegly = provider('wegly', [
  field('base_url', 'url', true),
  field('token', 'secret', true),
  field('signing_secret', 'secret', true),
]);

describe('field validation mirrors the engine', () => {
  it('requires required fields and ignores empty optional ones', () => {
    expect(validateField(field('x', 'text', true), '  ')).toBe('validation.required');
    expect(validateField(field('x', 'text', false), '')).toBeNull();
    expect(validateField(field('x', 'json', false), '')).toBeNull();
  });

  it('takes http(s) URLs with a host only', () => {
    const f = field('u', 'url', true);
    expect(validateField(f, 'ftp://x.com')).toBe('validation.url');
    expect(validateField(f, 'javascript:alert(1)')).toBe('validation.url');
    expect(validateField(f, 'omni.mconnectapps.com')).toBe('validation.url');
    expect(validateField(f, 'http://localhost:9000/api/')).toBeNull();
    expect(isHttpUrl('https://')).toBe(false);
  });

  it('takes 8 to 15 digits for a phone, with an optional leading +', () => {
    const f = field('n', 'phone', true);
    expect(validateField(f, '1234567')).toBe('validation.phone');
    expect(validateField(f, '12345678')).toBeNull();
    expect(validateField(f, '123456789012345')).toBeNull();
    expect(validateField(f, '1234567890123456')).toBe('validation.phone');
    expect(validateField(f, '+5511987654321')).toBeNull();
    expect(validateField(f, '55 11 98765-4321')).toBe('validation.phone');
  });

  it('takes whole numbers for number fields', () => {
    const f = field('d', 'number', true);
    expect(validateField(f, '42')).toBeNull();
    expect(validateField(f, '4.2')).toBe('validation.integer');
    expect(validateField(f, 'sete')).toBe('validation.integer');
  });

  it('takes only a listed option for selects', () => {
    expect(validateField(zchat.fields[0], 'whatsapp')).toBeNull();
    expect(validateField(zchat.fields[0], 'telegram')).toBe('validation.option');
  });

  it('takes only a JSON object for json fields', () => {
    const f = field('routes', 'json', false);
    expect(validateField(f, '{"send_text": "POST /v2/messages"}')).toBeNull();
    expect(validateField(f, '[1, 2]')).toBe('validation.json');
    expect(validateField(f, '"text"')).toBe('validation.json');
    expect(validateField(f, '{broken')).toBe('validation.json');
  });

  it('validates the name and every field of the form', () => {
    const errors = validateForm(mconnect, '', { base_url: 'x', number: '12', company: '', username: 'ana' });
    expect(errors).toEqual({
      name: 'validation.required',
      base_url: 'validation.url',
      number: 'validation.phone',
      company: 'validation.required',
    });
  });
});

describe('secrets', () => {
  const saved = account('a1', {
    provider: 'wegly',
    settings: { base_url: 'https://api.x' },
    secrets_set: ['token', 'signing_secret'],
  });

  it('are required on a new account, and never pre-filled', () => {
    const values = initialValues(wegly);
    expect(values.token).toBe('');
    expect(validateForm(wegly, 'W', { ...values, base_url: 'https://api.x' })).toEqual({
      token: 'validation.required',
      signing_secret: 'validation.required',
    });
  });

  it('saved in the keychain need not be typed again when editing', () => {
    const values = initialValues(wegly, saved);
    expect(values).toEqual({ base_url: 'https://api.x', token: '', signing_secret: '' });
    expect(validateForm(wegly, 'W', values, { account: saved })).toEqual({});
    const missingOne = { ...saved, secrets_set: ['token'] };
    expect(validateForm(wegly, 'W', values, { account: missingOne })).toEqual({
      signing_secret: 'validation.required',
    });
  });

  it('must be typed again to test unsaved settings', () => {
    const values = { ...initialValues(wegly, saved), base_url: 'https://other.x' };
    expect(validateForm(wegly, 'W', values, { account: saved, draftTest: true })).toEqual({
      token: 'validation.secretForTest',
      signing_secret: 'validation.secretForTest',
    });
  });

  it('are sent on edit only when typed', () => {
    const values = initialValues(wegly, saved);
    expect(buildPatch(wegly, saved, saved.name, values)).toEqual({});
    expect(buildPatch(wegly, saved, saved.name, { ...values, token: '  new-token ' })).toEqual({
      secrets: { token: 'new-token' },
    });
    expect(connectionChanged(wegly, saved, values)).toBe(false);
    expect(connectionChanged(wegly, saved, { ...values, signing_secret: 's' })).toBe(true);
  });
});

describe('what the form sends', () => {
  it('builds a new account with typed settings and only the typed secrets', () => {
    const values = { ...initialValues(zchat), department_id: ' 7 ', token: ' tok ' };
    expect(buildNewAccount(zchat, ' Suporte ', values)).toEqual({
      provider: 'zchat',
      name: 'Suporte',
      settings: { flavour: 'interactions', base_url: 'https://zchat.zenvia.io', department_id: 7 },
      secrets: { token: 'tok' },
    });
  });

  it('parses JSON settings and leaves out empty optional ones', () => {
    const values = { base_url: 'https://c.x', channel_id: '42', routes: '{"send_text": "POST /m"}', token: '' };
    expect(buildNewAccount(cirrus, 'C', values)).toEqual({
      provider: 'cirrus',
      name: 'C',
      settings: { base_url: 'https://c.x', channel_id: '42', routes: { send_text: 'POST /m' } },
      secrets: {},
    });
    expect(buildNewAccount(cirrus, 'C', { ...values, routes: '' }).settings).not.toHaveProperty('routes');
  });

  it('patches the name and the settings that changed, keeping unknown saved keys', () => {
    const a = account('c1', {
      provider: 'cirrus',
      name: 'Cirrus',
      settings: { base_url: 'https://c.x', channel_id: '42', routes: { a: 'GET /a' }, legacy: 'kept' },
      secrets_set: [],
    });
    const values = initialValues(cirrus, a);
    expect(values.routes).toBe(JSON.stringify({ a: 'GET /a' }, null, 2));
    expect(buildPatch(cirrus, a, 'Cirrus', values)).toEqual({});
    expect(buildPatch(cirrus, a, 'Vendas', { ...values, channel_id: '43', routes: '' })).toEqual({
      name: 'Vendas',
      settings: { base_url: 'https://c.x', channel_id: '43', legacy: 'kept' },
    });
  });

  it('builds the draft of an edited account for a connection test', () => {
    const a = account('z1', {
      provider: 'zchat',
      name: 'Z',
      settings: { flavour: 'whatsapp', base_url: 'https://z', department_id: 3 },
    });
    const values = { ...initialValues(zchat, a), department_id: '4', token: 't' };
    expect(values.department_id).toBe('4');
    expect(initialValues(zchat, a).department_id).toBe('3');
    expect(buildDraft(zchat, a, '', values)).toEqual({
      provider: 'zchat',
      name: 'Z',
      settings: { flavour: 'whatsapp', base_url: 'https://z', department_id: 4 },
      secrets: { token: 't' },
    });
  });

  it('shows saved settings as text', () => {
    expect(settingText(undefined)).toBe('');
    expect(settingText(null)).toBe('');
    expect(settingText(12)).toBe('12');
    expect(settingText('x')).toBe('x');
  });

  it('finds the field an engine invalid_input message is about', () => {
    expect(
      fieldOfEngineMessage(mconnect, '`number` must be the WhatsApp number with country code: 8 to 15 digits'),
    ).toBe('number');
    expect(fieldOfEngineMessage(mconnect, '`name` is required')).toBe('name');
    expect(fieldOfEngineMessage(mconnect, '`token` is required')).toBeNull();
    expect(fieldOfEngineMessage(mconnect, 'mConnect refused the number')).toBeNull();
  });
});

// The account form, generated from a provider's field specs: initial values, client-side
// validation mirroring the engine's checks, and the NewAccount / AccountPatch it sends.

import type {
  Account,
  AccountPatch,
  JsonObject,
  JsonValue,
  NewAccount,
  ProviderInfo,
  SettingField,
} from './backend/types';
import type { MessageKey } from './i18n';

/** The form's text for every field, by key (secrets included; they start empty). */
export type FormValues = Record<string, string>;

/** Errors by field key; `name` is the account name. */
export type FormErrors = Record<string, MessageKey>;

export interface FormContext {
  /** The account being edited; absent when adding one. */
  account?: Account | null;
  /**
   * Testing settings that are not saved: every required secret must be typed, even one the
   * keychain holds (the engine never reads a saved secret back into a draft).
   */
  draftTest?: boolean;
}

export function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A phone number as the engine takes it: 8 to 15 digits, an optional leading "+". */
export function isPhone(s: string): boolean {
  return /^\+?\d{8,15}$/.test(s);
}

export function isInteger(s: string): boolean {
  return /^-?\d{1,15}$/.test(s);
}

/** The parsed object, or null when `s` is not a JSON object. */
export function parseJsonObject(s: string): JsonObject | null {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : null;
  } catch {
    return null;
  }
}

/** A saved setting as form text: strings as they are, numbers as digits, objects as JSON. */
export function settingText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, null, 2);
}

/** Whether the keychain holds this account's secret `key`. */
export function secretSaved(account: Account | null | undefined, key: string): boolean {
  return !!account && account.secrets_set.includes(key);
}

/** The form's starting values: the account's settings when editing, the defaults otherwise. */
export function initialValues(info: ProviderInfo, account?: Account | null): FormValues {
  const values: FormValues = {};
  for (const f of info.fields) {
    if (f.type === 'secret') values[f.key] = '';
    else if (account) values[f.key] = settingText(account.settings[f.key]);
    else values[f.key] = f.default ?? (f.type === 'select' ? (f.options[0]?.value ?? '') : '');
  }
  return values;
}

/** The error for one field's text, or null. */
export function validateField(f: SettingField, raw: string, ctx: FormContext = {}): MessageKey | null {
  const v = raw.trim();
  if (!v) {
    if (!f.required) return null;
    if (f.type === 'secret' && !ctx.draftTest && secretSaved(ctx.account, f.key)) return null;
    if (f.type === 'secret' && ctx.draftTest && secretSaved(ctx.account, f.key)) return 'validation.secretForTest';
    return 'validation.required';
  }
  switch (f.type) {
    case 'url':
      return isHttpUrl(v) ? null : 'validation.url';
    case 'phone':
      return isPhone(v) ? null : 'validation.phone';
    case 'number':
      return isInteger(v) ? null : 'validation.integer';
    case 'select':
      return f.options.length === 0 || f.options.some((o) => o.value === v) ? null : 'validation.option';
    case 'json':
      return parseJsonObject(v) ? null : 'validation.json';
    default:
      return null;
  }
}

/** Every error of the form; empty when it can be sent. */
export function validateForm(info: ProviderInfo, name: string, values: FormValues, ctx: FormContext = {}): FormErrors {
  const errors: FormErrors = {};
  if (!name.trim()) errors.name = 'validation.required';
  for (const f of info.fields) {
    const err = validateField(f, values[f.key] ?? '', ctx);
    if (err) errors[f.key] = err;
  }
  return errors;
}

/** One field's text as the engine takes it; undefined leaves it out. */
function settingValue(f: SettingField, raw: string): JsonValue | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  if (f.type === 'number' && isInteger(v)) return Number(v);
  if (f.type === 'json') return parseJsonObject(v) ?? undefined;
  return v;
}

/** Settings from the form; `base` keeps values of keys the form does not know. */
export function buildSettings(info: ProviderInfo, values: FormValues, base: JsonObject = {}): JsonObject {
  const settings: JsonObject = { ...base };
  for (const f of info.fields) {
    if (f.type === 'secret') continue;
    const v = settingValue(f, values[f.key] ?? '');
    if (v === undefined) delete settings[f.key];
    else settings[f.key] = v;
  }
  return settings;
}

/** Only the secrets the user typed: an empty box never replaces (or clears) a saved one. */
export function typedSecrets(info: ProviderInfo, values: FormValues): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const f of info.fields) {
    if (f.type !== 'secret') continue;
    const v = (values[f.key] ?? '').trim();
    if (v) secrets[f.key] = v;
  }
  return secrets;
}

export function buildNewAccount(info: ProviderInfo, name: string, values: FormValues): NewAccount {
  return {
    provider: info.id,
    name: name.trim(),
    settings: buildSettings(info, values),
    secrets: typedSecrets(info, values),
  };
}

/** The draft of an account being edited, for "test connection" before saving. */
export function buildDraft(info: ProviderInfo, account: Account, name: string, values: FormValues): NewAccount {
  return {
    provider: info.id,
    name: name.trim() || account.name,
    settings: buildSettings(info, values, account.settings),
    secrets: typedSecrets(info, values),
  };
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What changed: the name if edited, the settings if any differ, the secrets the user typed. */
export function buildPatch(info: ProviderInfo, account: Account, name: string, values: FormValues): AccountPatch {
  const patch: AccountPatch = {};
  const trimmed = name.trim();
  if (trimmed !== account.name) patch.name = trimmed;
  const settings = buildSettings(info, values, account.settings);
  const keys = new Set([...Object.keys(settings), ...Object.keys(account.settings)]);
  if ([...keys].some((k) => !sameJson(settings[k], account.settings[k]))) patch.settings = settings;
  const secrets = typedSecrets(info, values);
  if (Object.keys(secrets).length) patch.secrets = secrets;
  return patch;
}

/** Whether the settings in the form differ from the saved ones, or a new secret was typed. */
export function connectionChanged(info: ProviderInfo, account: Account, values: FormValues): boolean {
  const patch = buildPatch(info, account, account.name, values);
  return patch.settings !== undefined || patch.secrets !== undefined;
}

/**
 * The field an engine `invalid_input` message is about ("`number` must be ..."), so the message
 * can be shown next to it; null when it names no field of the form.
 */
export function fieldOfEngineMessage(info: ProviderInfo, message: string): string | null {
  const m = /`([a-z0-9_]+)`/i.exec(message);
  if (!m) return null;
  if (m[1] === 'name') return 'name';
  return info.fields.some((f) => f.key === m[1]) ? m[1] : null;
}

// Client-side validation of the "Connect mConnect" form.

import type { MessageKey } from './i18n';

export const DEFAULT_MCONNECT_URL = 'https://omni.mconnectapps.com/api/v1.0/whatsapp-omni/';

export interface ConnectValues {
  name: string;
  base_url: string;
  number: string;
  company: string;
  username: string;
}

export type ConnectErrors = Partial<Record<keyof ConnectValues, MessageKey>>;

export function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export function validateConnect(v: ConnectValues): ConnectErrors {
  const errors: ConnectErrors = {};
  const name = v.name.trim();
  const url = v.base_url.trim();
  const number = v.number.trim();
  if (!name) errors.name = 'validation.required';
  if (!url) errors.base_url = 'validation.required';
  else if (!isHttpUrl(url)) errors.base_url = 'validation.url';
  if (!number) errors.number = 'validation.required';
  else if (!/^\d{8,15}$/.test(number)) errors.number = 'validation.number';
  if (!v.company.trim()) errors.company = 'validation.required';
  if (!v.username.trim()) errors.username = 'validation.required';
  return errors;
}

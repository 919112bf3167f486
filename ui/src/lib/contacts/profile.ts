// The contact panel's pure logic: phone numbers shown for their country, the panel's remembered
// open/closed state, attribute list edits, and saving a CSV file.

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ContactAttribute, ContactIdentity } from '../backend/types';

/**
 * A number as people of its country write it (+55 11 98765-4321 → "+55 11 98765-4321"), from
 * the digits a provider gives (country code first). Anything that is not a phone number (a group
 * or chat id) is shown as it is.
 */
export function formatPhone(raw: string): string {
  const digits = raw.replace(/[^\d+]/g, '');
  if (!/^\+?\d{8,15}$/.test(digits)) return raw;
  const parsed = parsePhoneNumberFromString(digits.startsWith('+') ? digits : `+${digits}`);
  return parsed && parsed.isPossible() ? parsed.formatInternational() : raw;
}

/** The country a number belongs to (ISO code), when it is a phone number. */
export function phoneCountry(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 8) return undefined;
  return parsePhoneNumberFromString(`+${digits}`)?.country;
}

/** The identity's number for starting a conversation: digits only. */
export function identityDigits(identity: ContactIdentity): string {
  return identity.external_id.replace(/\D/g, '');
}

const PANEL_KEY = 'inbox.contactPanel';

/** Whether the contact panel is open (open unless the agent closed it). */
export function loadPanelOpen(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return storage?.getItem(PANEL_KEY) !== 'closed';
  } catch {
    return true;
  }
}

export function savePanelOpen(
  open: boolean,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(PANEL_KEY, open ? 'open' : 'closed');
  } catch {
    // private mode or full storage: the state lasts until the reload
  }
}

/** Adds or replaces (by key, ignoring case) one attribute; an edited key keeps its place. */
export function putAttribute(
  list: readonly ContactAttribute[],
  attribute: ContactAttribute,
  replacing?: string,
): ContactAttribute[] {
  const key = attribute.key.trim();
  const value = attribute.value.trim();
  const target = (replacing ?? key).toLowerCase();
  const index = list.findIndex((a) => a.key.toLowerCase() === target);
  const next = list.filter((a, i) => i === index || a.key.toLowerCase() !== key.toLowerCase());
  const at = next.findIndex((a) => a.key.toLowerCase() === target);
  if (at >= 0) next[at] = { key, value };
  else next.push({ key, value });
  return next;
}

export function removeAttribute(list: readonly ContactAttribute[], key: string): ContactAttribute[] {
  return list.filter((a) => a.key !== key);
}

/** Saves text as a file the browser downloads (the CSV export). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

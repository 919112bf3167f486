// The 24-hour customer-service window of the official WhatsApp API: free text only within 24
// hours of the customer's last message; after that only an approved template.

import type { ConversationSummary } from '../backend/types';
import { translate, type Locale } from '../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Under this, the timer is shown as urgent. */
export const WINDOW_WARN_MS = HOUR;

export type WindowState =
  /** The provider has no window. */
  | { kind: 'none' }
  /** The provider has one but the inbox does not know when it ends (free text is tried). */
  | { kind: 'unknown' }
  | { kind: 'open'; msLeft: number; urgent: boolean }
  | { kind: 'closed' };

export function windowState(
  c: Pick<ConversationSummary, 'capabilities' | 'window_expires_at'>,
  now: number,
): WindowState {
  if (!c.capabilities.includes('window_24h')) return { kind: 'none' };
  if (!c.window_expires_at) return { kind: 'unknown' };
  const end = Date.parse(c.window_expires_at);
  if (Number.isNaN(end)) return { kind: 'unknown' };
  const msLeft = end - now;
  if (msLeft <= 0) return { kind: 'closed' };
  return { kind: 'open', msLeft, urgent: msLeft < WINDOW_WARN_MS };
}

/** True when only templates may be sent. */
export function templateOnly(w: WindowState): boolean {
  return w.kind === 'closed';
}

/** "23 h 05 min", "45 min", "< 1 min". */
export function formatLeft(ms: number, loc: Locale): string {
  if (ms < MINUTE) return translate(loc, 'window.underMinute');
  const totalMin = Math.floor(ms / MINUTE);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return translate(loc, 'time.minutes', { n: m });
  return translate(loc, 'window.hoursMinutes', { h, m: String(m).padStart(2, '0') });
}

/** Milliseconds until the shown time changes (to re-render the timer just in time). */
export function nextTick(w: WindowState): number | null {
  if (w.kind !== 'open') return null;
  const rest = w.msLeft % MINUTE;
  return Math.max(1000, rest === 0 ? MINUTE : rest + 50);
}

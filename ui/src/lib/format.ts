// Date/time formatting for the list and the message view.

import { translate, type Locale } from './i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole calendar days between two instants in local time (b - a). */
function calendarDaysBetween(a: number, b: number): number {
  return Math.round((startOfDay(b) - startOfDay(a)) / DAY);
}

/** Compact "time ago" for the conversation list: now, 5 min, 3 h, 2 d, then a short date. */
export function relativeTime(iso: string, now: number, loc: Locale): string {
  const ts = parseTime(iso);
  if (!ts) return '';
  const diff = Math.max(0, now - ts);
  if (diff < MINUTE) return translate(loc, 'time.now');
  if (diff < HOUR) return translate(loc, 'time.minutes', { n: Math.floor(diff / MINUTE) });
  if (diff < DAY) return translate(loc, 'time.hours', { n: Math.floor(diff / HOUR) });
  if (diff < 7 * DAY) return translate(loc, 'time.days', { n: Math.floor(diff / DAY) });
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(loc, sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'short' }).format(
    ts,
  );
}

/** "14:05" (or "2:05 PM" in en) for a message bubble. */
export function clockTime(iso: string, loc: Locale): string {
  const ts = parseTime(iso);
  if (!ts) return '';
  return new Intl.DateTimeFormat(loc, { hour: 'numeric', minute: '2-digit' }).format(ts);
}

/** Full date and time, for tooltips. */
export function fullDateTime(iso: string, loc: Locale): string {
  const ts = parseTime(iso);
  if (!ts) return iso;
  return new Intl.DateTimeFormat(loc, { dateStyle: 'full', timeStyle: 'short' }).format(ts);
}

/** Day separator label: Today, Yesterday, or a date. */
export function dayLabel(iso: string, now: number, loc: Locale): string {
  const ts = parseTime(iso);
  if (!ts) return '';
  const days = calendarDaysBetween(ts, now);
  if (days === 0) return translate(loc, 'day.today');
  if (days === 1) return translate(loc, 'day.yesterday');
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(
    loc,
    sameYear ? { weekday: 'long', day: 'numeric', month: 'long' } : { day: 'numeric', month: 'long', year: 'numeric' },
  ).format(ts);
}

/** Local calendar day key, to group messages under day separators. */
export function dayKey(iso: string): string {
  const d = new Date(parseTime(iso));
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** Up to two initials for an avatar placeholder. */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return '#';
  const first = Array.from(words[0].replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1].replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '') : '';
  return (first + last).toUpperCase() || '#';
}

/** Stable small palette index for a string (avatar colours). */
export function paletteIndex(key: string, size = 8): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(h) % size;
}

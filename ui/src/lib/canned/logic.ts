// The composer's helpers that need no component: the `/` and `:shortcode` triggers, the fuzzy
// match of canned responses (fuse.js), and the character counter.

import Fuse from 'fuse.js';
import type { CannedResponse } from '../backend/types';

/** `/query` at the very start of the composer (one line): the query, else null. */
export function slashQuery(text: string): string | null {
  if (!text.startsWith('/') || text.includes('\n')) return null;
  return text.slice(1);
}

/**
 * Canned responses matching a query, best first: fuzzy over the shortcut (first) and the text.
 * An empty query lists them all by shortcut.
 */
export function matchCanned(list: readonly CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = query.trim();
  if (!q) return [...list].sort((a, b) => a.shortcut.localeCompare(b.shortcut)).slice(0, limit);
  const fuse = new Fuse(list, {
    keys: [
      { name: 'shortcut', weight: 3 },
      { name: 'body', weight: 1 },
    ],
    threshold: 0.4,
    ignoreLocation: true,
    ignoreDiacritics: true,
  });
  return fuse
    .search(q)
    .slice(0, limit)
    .map((r) => r.item);
}

/** `:sho` just before the caret (after a space or at the start): the shortcode typed so far. */
export function shortcodeQuery(text: string, caret: number): { query: string; start: number } | null {
  const before = text.slice(0, caret);
  const m = /(?:^|\s):([a-z0-9_+-]{2,30})$/i.exec(before);
  if (!m) return null;
  return { query: m[1].toLowerCase(), start: caret - m[1].length - 1 };
}

/** `text` with `[start, end)` replaced by `insert`, and where the caret goes after it. */
export function replaceRange(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/** Characters as the engine counts them (Unicode code points) in what the composer would send. */
export function countChars(text: string): number {
  return [...text.replace(/^\s*\n|\s+$/g, '')].length;
}

/** The counter shows from this share of the limit on. */
export const COUNTER_FROM = 0.9;

export type CounterState = 'hidden' | 'near' | 'over';

export function counterState(count: number, max: number): CounterState {
  if (count > max) return 'over';
  if (count >= Math.floor(max * COUNTER_FROM)) return 'near';
  return 'hidden';
}

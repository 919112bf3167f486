// Emoji data, bundled with the app (the web view loads no remote URL): the picker's data per
// language, and `:shortcode` completion from the same English data (emojibase shortcodes, the
// ones chat apps use in every language: `:smile:` → 😄).

import Database from 'emoji-picker-element/database';
import enI18n from 'emoji-picker-element/i18n/en';
import ptI18n from 'emoji-picker-element/i18n/pt_BR';
import type { I18n, NativeEmoji } from 'emoji-picker-element/shared';
import enData from 'emoji-picker-element-data/en/emojibase/data.json?url';
import ptData from 'emoji-picker-element-data/pt/cldr/data.json?url';
import type { Locale } from '../i18n';

export interface PickerSetup {
  dataSource: string;
  locale: string;
  i18n: I18n;
}

/** The picker's data, labels and search language for the UI's language. */
export function pickerSetup(locale: Locale): PickerSetup {
  return locale === 'pt-BR'
    ? { dataSource: ptData, locale: 'pt', i18n: ptI18n }
    : { dataSource: enData, locale: 'en', i18n: enI18n };
}

let shortcodes: Database | null = null;

export interface ShortcodeMatch {
  emoji: string;
  shortcode: string;
}

/** Emoji whose shortcode starts with `query` (then those whose shortcode contains it). */
export async function searchShortcodes(query: string, limit = 8): Promise<ShortcodeMatch[]> {
  const q = query.toLowerCase();
  if (!q) return [];
  shortcodes ??= new Database({ dataSource: enData, locale: 'en' });
  const found = await shortcodes.getEmojiBySearchQuery(q);
  const out: (ShortcodeMatch & { rank: number; order: number })[] = [];
  for (const e of found) {
    if (!('unicode' in e)) continue;
    const native = e as NativeEmoji;
    const codes = native.shortcodes ?? [];
    const starts = codes.find((c) => c.startsWith(q));
    const has = starts ?? codes.find((c) => c.includes(q));
    if (!has) continue;
    out.push({ emoji: native.unicode, shortcode: has, rank: starts ? 0 : 1, order: native.order });
  }
  out.sort((a, b) => a.rank - b.rank || a.shortcode.length - b.shortcode.length || a.order - b.order);
  return out.slice(0, limit).map(({ emoji, shortcode }) => ({ emoji, shortcode }));
}

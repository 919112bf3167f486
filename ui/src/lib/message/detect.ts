// Links and phone numbers in untrusted message text, found by libraries (linkifyjs for links,
// libphonenumber-js with its full metadata for phone numbers) rather than by hand-written
// patterns. The result is a list of plain-text segments; a component renders each as a text node,
// a link or a phone-number action. Nothing here produces HTML.

import { find } from 'linkifyjs';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { safeHttpUrl } from '../url';

/**
 * The region a number written without its country code is read in. The providers this inbox
 * connects are Brazilian WhatsApp providers, so "(11) 98765-4321" is a Brazilian number; a number
 * written with "+" and its country code is recognised whatever its country.
 */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'BR';

export type TextPart =
  | { type: 'text'; text: string }
  /** An http(s) link; `href` is the normalised, safe URL ("www.x.com" → "http://www.x.com/"). */
  | { type: 'link'; text: string; href: string }
  /** A phone number: `e164` "+5511987654321", `international` "+55 11 98765 4321". */
  | { type: 'phone'; text: string; e164: string; international: string; country: string | null };

interface Found {
  start: number;
  end: number;
  part: TextPart;
}

function links(text: string): Found[] {
  const out: Found[] = [];
  for (const m of find(text, 'url')) {
    const href = safeHttpUrl(m.href);
    if (!href) continue;
    out.push({ start: m.start, end: m.end, part: { type: 'link', text: m.value, href } });
  }
  return out;
}

function phones(text: string, defaultCountry: CountryCode | null): Found[] {
  const out: Found[] = [];
  for (const m of findPhoneNumbersInText(text, { defaultCountry: defaultCountry ?? undefined })) {
    const n = m.number;
    out.push({
      start: m.startsAt,
      end: m.endsAt,
      part: {
        type: 'phone',
        text: text.slice(m.startsAt, m.endsAt),
        e164: n.number,
        international: n.formatInternational(),
        country: n.country ?? null,
      },
    });
  }
  return out;
}

/**
 * Splits `text` into text, link and phone segments; joining every segment's `text` gives `text`
 * back exactly. Links win over phone numbers that overlap them (digits inside a URL stay part of
 * the link).
 */
export function detect(text: string, defaultCountry: CountryCode | null = DEFAULT_PHONE_COUNTRY): TextPart[] {
  if (!text) return [];
  const found = links(text);
  for (const p of phones(text, defaultCountry)) {
    if (!found.some((l) => p.start < l.end && l.start < p.end)) found.push(p);
  }
  found.sort((a, b) => a.start - b.start);
  const out: TextPart[] = [];
  let last = 0;
  for (const f of found) {
    if (f.start < last) continue;
    if (f.start > last) out.push({ type: 'text', text: text.slice(last, f.start) });
    out.push(f.part);
    last = f.end;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

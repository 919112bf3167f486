// The template library in the UI: the live preview of a library template with the agent's values,
// the fields a send carries, search, and the editor's draft. Pure functions, tested in
// tests/templates.test.ts. The engine checks and renders again when the template is sent.

import type {
  LibraryTemplate,
  LibraryTemplateInput,
  RenderedTemplate,
  TemplateButton,
  TemplateButtonKind,
  TemplateCategory,
  TemplateSlot,
} from '../backend/types';
import type { TemplateFieldDraft } from '../conversation/compose';

/** A piece of a previewed text: plain words, or a placeholder with its value (or none yet). */
export type Segment = { text: string } | { slot: string; number: number; value: string | null };

/** The key of a placeholder's value: `BODY:1`, `HEADER:1`, `BUTTON:0:1`. */
export function slotKey(s: Pick<TemplateSlot, 'component' | 'index' | 'button_index'>): string {
  return s.button_index === null || s.button_index === undefined
    ? `${s.component}:${s.index}`
    : `${s.component}:${s.button_index}:${s.index}`;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** A text cut into words and placeholders, each placeholder with its value from `values`. */
export function segments(
  text: string,
  component: string,
  values: Record<string, string>,
  buttonIndex: number | null = null,
): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const start = m.index ?? 0;
    const inner = m[1].trim();
    if (!/^\d{1,4}$/.test(inner)) continue;
    if (start > last) out.push({ text: text.slice(last, start) });
    const number = Number(inner);
    const slot = slotKey({ component, index: number, button_index: buttonIndex });
    const v = values[slot];
    out.push({ slot, number, value: v && v.trim() ? v : null });
    last = start + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export interface Preview {
  header: Segment[] | null;
  body: Segment[];
  footer: string | null;
  buttons: { kind: TemplateButtonKind; text: string; url: Segment[] | null }[];
}

/** What the customer will see, with the values typed so far. */
export function preview(
  t: Pick<LibraryTemplate, 'header' | 'body' | 'footer' | 'buttons'>,
  values: Record<string, string>,
): Preview {
  return {
    header: t.header ? segments(t.header, 'HEADER', values) : null,
    body: segments(t.body, 'BODY', values),
    footer: t.footer ?? null,
    buttons: t.buttons.map((b, i) => ({
      kind: b.type,
      text: b.text,
      url: b.url ? segments(b.url, 'BUTTON', values, i) : null,
    })),
  };
}

/** A preview as plain text, unfilled placeholders as `{{n}}`. */
export function plain(segs: Segment[]): string {
  return segs.map((s) => ('text' in s ? s.text : (s.value ?? `{{${s.number}}}`))).join('');
}

/** The composer's template fields for a library template's placeholders, in slot order. */
export function fieldsFor(t: LibraryTemplate, values: Record<string, string>): TemplateFieldDraft[] {
  return t.slots.map((s) => ({
    component: s.component,
    type: 'TEXT',
    index: String(s.index),
    value: values[slotKey(s)] ?? '',
    button_index: s.button_index === null ? '' : String(s.button_index),
    card_index: '',
  }));
}

/** Lower case without accents, for search. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Templates whose name, language, category or text contain every word of the query. */
export function search(list: readonly LibraryTemplate[], query: string): LibraryTemplate[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...list];
  return list.filter((t) => {
    const hay = fold([t.name, t.name.replace(/_/g, ' '), t.language, t.category, t.header ?? '', t.body].join(' '));
    return words.every((w) => hay.includes(w));
  });
}

// ---- the editor's draft ----------------------------------------------------------------

export interface ButtonDraft {
  type: TemplateButtonKind;
  text: string;
  url: string;
  phone_number: string;
}

export interface TemplateEditorDraft {
  name: string;
  language: string;
  category: TemplateCategory;
  header: string;
  body: string;
  footer: string;
  buttons: ButtonDraft[];
}

export const CATEGORIES: readonly TemplateCategory[] = ['utility', 'marketing', 'authentication'];
export const BUTTON_KINDS: readonly TemplateButtonKind[] = ['quick_reply', 'url', 'phone_number', 'copy_code'];

export function emptyDraft(language = 'pt_BR'): TemplateEditorDraft {
  return { name: '', language, category: 'utility', header: '', body: '', footer: '', buttons: [] };
}

export function draftOf(t: LibraryTemplate): TemplateEditorDraft {
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    header: t.header ?? '',
    body: t.body,
    footer: t.footer ?? '',
    buttons: t.buttons.map((b) => ({
      type: b.type,
      text: b.text,
      url: b.url ?? '',
      phone_number: b.phone_number ?? '',
    })),
  };
}

/** The draft as the engine takes it (the engine trims and checks it). */
export function inputOf(d: TemplateEditorDraft): LibraryTemplateInput {
  const opt = (s: string) => (s.trim() ? s : null);
  return {
    name: d.name,
    language: d.language,
    category: d.category,
    header: opt(d.header),
    body: d.body,
    footer: opt(d.footer),
    buttons: d.buttons.map((b): TemplateButton => {
      const out: TemplateButton = { type: b.type, text: b.text };
      if (b.type === 'url') out.url = b.url;
      if (b.type === 'phone_number') out.phone_number = b.phone_number;
      return out;
    }),
  };
}

/** The template's text in one line, for lists. */
export function oneLine(t: Pick<LibraryTemplate, 'body'>, max = 120): string {
  const s = t.body.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A stored message's rendering, read defensively (payloads are checked, not trusted). */
export function renderedOf(v: unknown): RenderedTemplate | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x : undefined);
  const body = text(r.body);
  if (!body) return null;
  const out: RenderedTemplate = { body };
  const header = text(r.header);
  const footer = text(r.footer);
  if (header) out.header = header;
  if (footer) out.footer = footer;
  if (Array.isArray(r.buttons)) {
    const buttons = r.buttons
      .filter(
        (b): b is Record<string, unknown> =>
          !!b && typeof b === 'object' && typeof (b as Record<string, unknown>).text === 'string',
      )
      .map((b) => {
        const kind = BUTTON_KINDS.includes(b.type as TemplateButtonKind)
          ? (b.type as TemplateButtonKind)
          : 'quick_reply';
        const button: TemplateButton = { type: kind, text: b.text as string };
        if (text(b.url)) button.url = b.url as string;
        if (text(b.phone_number)) button.phone_number = b.phone_number as string;
        return button;
      });
    if (buttons.length) out.buttons = buttons;
  }
  return out;
}

// Drafts of the composer's structured messages (template, buttons or list, location) and their
// validation into the engine's SendMessage. Errors are i18n keys by field path
// ("name", "fields.0.value", "buttons.1.title"...), so the form can show each next to its input.

import type { Interactive, InteractiveSection, Location, SendMessage, Template, TemplateField } from '../backend/types';
import type { MessageKey } from '../i18n';

export type Errors = Record<string, MessageKey>;
export type Built<T> = { ok: true; value: T } | { ok: false; errors: Errors };

/** WhatsApp's limits for interactive messages. */
export const LIMITS = {
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  listButton: 20,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rows: 10,
  sections: 10,
} as const;

const len = (s: string) => Array.from(s).length;

function intOrNull(s: string): number | null | 'bad' {
  const v = s.trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v)) return 'bad';
  return Number(v);
}

// ---- template ----------------------------------------------------------------------

export interface TemplateFieldDraft {
  component: string;
  type: string;
  index: string;
  value: string;
  button_index: string;
  card_index: string;
}

export interface TemplateDraft {
  name: string;
  language: string;
  fields: TemplateFieldDraft[];
}

export const TEMPLATE_COMPONENTS = ['BODY', 'HEADER', 'BUTTON', 'CAROUSEL'] as const;
export const TEMPLATE_FIELD_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'PAYLOAD', 'URL'] as const;

export function emptyTemplate(language = 'pt_BR'): TemplateDraft {
  return { name: '', language, fields: [] };
}

export function newTemplateField(prev: readonly TemplateFieldDraft[]): TemplateFieldDraft {
  const body = prev.filter((f) => f.component === 'BODY').length;
  return { component: 'BODY', type: 'TEXT', index: String(body + 1), value: '', button_index: '', card_index: '' };
}

export function buildTemplate(d: TemplateDraft): Built<Template> {
  const errors: Errors = {};
  const name = d.name.trim();
  const language = d.language.trim();
  if (!name) errors.name = 'validation.required';
  else if (!/^[a-z0-9_]+$/.test(name)) errors.name = 'compose.templateName';
  if (!language) errors.language = 'validation.required';
  else if (!/^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/.test(language)) errors.language = 'compose.language';
  const fields: TemplateField[] = [];
  const seen = new Set<string>();
  d.fields.forEach((f, i) => {
    const component = f.component.trim().toUpperCase();
    const type = f.type.trim().toUpperCase();
    if (!component) errors[`fields.${i}.component`] = 'validation.required';
    if (!type) errors[`fields.${i}.type`] = 'validation.required';
    const index = intOrNull(f.index);
    if (index === null) errors[`fields.${i}.index`] = 'validation.required';
    else if (index === 'bad') errors[`fields.${i}.index`] = 'compose.wholeNumber';
    if (!f.value.trim()) errors[`fields.${i}.value`] = 'validation.required';
    const button = intOrNull(f.button_index);
    if (button === 'bad') errors[`fields.${i}.button_index`] = 'compose.wholeNumber';
    else if (component === 'BUTTON' && button === null) errors[`fields.${i}.button_index`] = 'compose.buttonIndex';
    const card = intOrNull(f.card_index);
    if (card === 'bad') errors[`fields.${i}.card_index`] = 'compose.wholeNumber';
    if (typeof index === 'number') {
      const key = `${component}/${typeof button === 'number' ? button : ''}/${typeof card === 'number' ? card : ''}/${index}`;
      if (seen.has(key)) errors[`fields.${i}.index`] = 'compose.duplicateField';
      seen.add(key);
    }
    if (typeof index !== 'number') return;
    const field: TemplateField = { component, type, index, value: f.value.trim() };
    if (typeof button === 'number') field.button_index = button;
    if (typeof card === 'number') field.card_index = card;
    fields.push(field);
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { name, language, fields } };
}

// ---- interactive ------------------------------------------------------------------------

export interface ButtonDraft {
  id: string;
  title: string;
}

export interface RowDraft {
  id: string;
  title: string;
  description: string;
}

export interface SectionDraft {
  title: string;
  rows: RowDraft[];
}

export interface InteractiveDraft {
  body: string;
  header: string;
  footer: string;
  mode: 'buttons' | 'list';
  buttons: ButtonDraft[];
  listButton: string;
  sections: SectionDraft[];
}

export function emptyInteractive(): InteractiveDraft {
  return {
    body: '',
    header: '',
    footer: '',
    mode: 'buttons',
    buttons: [{ id: '', title: '' }],
    listButton: '',
    sections: [{ title: '', rows: [{ id: '', title: '', description: '' }] }],
  };
}

function tooLong(errors: Errors, path: string, value: string, max: number): void {
  if (len(value) > max) errors[path] = 'compose.tooLong';
}

/** Ids the customer's answer will carry; generated from the position when left empty. */
function idOr(id: string, fallback: string): string {
  return id.trim() || fallback;
}

export function buildInteractive(d: InteractiveDraft): Built<Interactive> {
  const errors: Errors = {};
  const body = d.body.trim();
  if (!body) errors.body = 'validation.required';
  tooLong(errors, 'body', body, LIMITS.body);
  const header = d.header.trim();
  const footer = d.footer.trim();
  tooLong(errors, 'header', header, LIMITS.header);
  tooLong(errors, 'footer', footer, LIMITS.footer);
  const out: Interactive = { body };
  if (header) out.header = header;
  if (footer) out.footer = footer;

  if (d.mode === 'buttons') {
    if (d.buttons.length === 0) errors.buttons = 'compose.needButton';
    if (d.buttons.length > LIMITS.buttons) errors.buttons = 'compose.tooManyButtons';
    const titles = new Set<string>();
    const ids = new Set<string>();
    out.buttons = d.buttons.map((b, i) => {
      const title = b.title.trim();
      const id = idOr(b.id, `button-${i + 1}`);
      if (!title) errors[`buttons.${i}.title`] = 'validation.required';
      tooLong(errors, `buttons.${i}.title`, title, LIMITS.buttonTitle);
      if (title && titles.has(title.toLowerCase())) errors[`buttons.${i}.title`] = 'compose.duplicate';
      if (ids.has(id)) errors[`buttons.${i}.id`] = 'compose.duplicate';
      titles.add(title.toLowerCase());
      ids.add(id);
      return { id, title };
    });
  } else {
    const listButton = d.listButton.trim();
    if (!listButton) errors.listButton = 'validation.required';
    tooLong(errors, 'listButton', listButton, LIMITS.listButton);
    out.list_button = listButton;
    if (d.sections.length === 0) errors.sections = 'compose.needRow';
    if (d.sections.length > LIMITS.sections) errors.sections = 'compose.tooManySections';
    let rows = 0;
    const ids = new Set<string>();
    out.sections = d.sections.map((s, si): InteractiveSection => {
      const title = s.title.trim();
      // WhatsApp requires section titles once there is more than one section.
      if (!title && d.sections.length > 1) errors[`sections.${si}.title`] = 'validation.required';
      tooLong(errors, `sections.${si}.title`, title, LIMITS.sectionTitle);
      if (s.rows.length === 0) errors[`sections.${si}.rows`] = 'compose.needRow';
      return {
        title,
        rows: s.rows.map((r, ri) => {
          rows++;
          const rtitle = r.title.trim();
          const id = idOr(r.id, `row-${si + 1}-${ri + 1}`);
          const description = r.description.trim();
          const at = `sections.${si}.rows.${ri}`;
          if (!rtitle) errors[`${at}.title`] = 'validation.required';
          tooLong(errors, `${at}.title`, rtitle, LIMITS.rowTitle);
          tooLong(errors, `${at}.description`, description, LIMITS.rowDescription);
          if (ids.has(id)) errors[`${at}.id`] = 'compose.duplicate';
          ids.add(id);
          return description ? { id, title: rtitle, description } : { id, title: rtitle };
        }),
      };
    });
    if (rows > LIMITS.rows) errors.sections = 'compose.tooManyRows';
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: out };
}

// ---- location ---------------------------------------------------------------------------

export interface LocationDraft {
  latitude: string;
  longitude: string;
  name: string;
  address: string;
}

export function emptyLocation(): LocationDraft {
  return { latitude: '', longitude: '', name: '', address: '' };
}

/** A decimal degree as typed by people: "-23.5505", "-23,5505", " 46.63 ". */
export function parseDegrees(s: string): number | null {
  const v = s.trim().replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * "lat, long" pasted from a map into the latitude box: the two numbers, or null.
 * Accepts "-23.55, -46.63" and "-23.55 -46.63".
 */
export function splitPair(s: string): [string, string] | null {
  const m = s.trim().match(/^([+-]?\d+(?:\.\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?)$/);
  return m ? [m[1], m[2]] : null;
}

export function buildLocation(d: LocationDraft): Built<Location> {
  const errors: Errors = {};
  const lat = parseDegrees(d.latitude);
  const lon = parseDegrees(d.longitude);
  if (!d.latitude.trim()) errors.latitude = 'validation.required';
  else if (lat === null || lat < -90 || lat > 90) errors.latitude = 'compose.latitude';
  if (!d.longitude.trim()) errors.longitude = 'validation.required';
  else if (lon === null || lon < -180 || lon > 180) errors.longitude = 'compose.longitude';
  if (Object.keys(errors).length || lat === null || lon === null) return { ok: false, errors };
  const out: Location = { latitude: lat, longitude: lon };
  const name = d.name.trim();
  const address = d.address.trim();
  if (name) out.name = name;
  if (address) out.address = address;
  return { ok: true, value: out };
}

// ---- whole messages -----------------------------------------------------------------------

export function templateMessage(t: Template, replyTo?: string): SendMessage {
  return withReply({ kind: 'template', template: t }, replyTo);
}

export function interactiveMessage(i: Interactive, replyTo?: string): SendMessage {
  return withReply({ kind: 'interactive', body: i.body, interactive: i }, replyTo);
}

export function locationMessage(l: Location, replyTo?: string): SendMessage {
  return withReply({ kind: 'location', location: l }, replyTo);
}

export function withReply(m: SendMessage, replyTo?: string | null): SendMessage {
  return replyTo ? { ...m, reply_to: replyTo } : m;
}

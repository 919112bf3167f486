// Reading messages for display: the structured payload by kind, the hand-off event lines, quoted
// message previews and map links. Payloads come from providers, so every accessor checks shapes.

import { renderedOf } from '../templates/logic';
import type {
  ConversationEvent,
  Handoff,
  HandoffState,
  Interactive,
  JsonValue,
  Location,
  Message,
  Template,
} from '../backend/types';
import type { MessageKey, Translate } from '../i18n';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function part(m: Message, key: string): Obj | null {
  return obj(obj(m.payload)?.[key]);
}

export function templateOf(m: Message): Template | null {
  const t = part(m, 'template');
  if (!t) return null;
  const fields = Array.isArray(t.fields) ? t.fields.map(obj).filter((f): f is Obj => !!f) : [];
  return {
    name: str(t.name) ?? '',
    language: str(t.language) ?? '',
    fields: fields.map((f) => ({
      component: String(f.component ?? ''),
      type: String(f.type ?? ''),
      index: num(f.index) ?? 0,
      value: String(f.value ?? ''),
      ...(num(f.button_index) !== null ? { button_index: num(f.button_index)! } : {}),
      ...(num(f.card_index) !== null ? { card_index: num(f.card_index)! } : {}),
    })),
    // Template library: the text the customer saw, when the engine rendered it.
    ...(renderedOf(t.rendered) ? { rendered: renderedOf(t.rendered)! } : {}),
  };
}

export function interactiveOf(m: Message): Interactive | null {
  const i = part(m, 'interactive');
  if (!i) return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => !!x) : []);
  return {
    body: str(i.body) ?? m.body ?? '',
    header: str(i.header),
    footer: str(i.footer),
    buttons: list(i.buttons).map((b) => ({ id: String(b.id ?? ''), title: String(b.title ?? '') })),
    list_button: str(i.list_button),
    sections: list(i.sections).map((s) => ({
      title: String(s.title ?? ''),
      rows: list(s.rows).map((r) => ({
        id: String(r.id ?? ''),
        title: String(r.title ?? ''),
        description: str(r.description),
      })),
    })),
  };
}

export function locationOf(m: Message): Location | null {
  const l = part(m, 'location');
  if (!l) return null;
  const latitude = num(l.latitude);
  const longitude = num(l.longitude);
  if (latitude === null || longitude === null) return null;
  return { latitude, longitude, name: str(l.name), address: str(l.address) };
}

const STATES: readonly HandoffState[] = ['started', 'queued', 'accepted', 'unavailable', 'transferred', 'finished'];

export function eventOf(m: Message): ConversationEvent | null {
  const e = part(m, 'event');
  if (!e) return null;
  const state = STATES.find((s) => s === e.state);
  if (!state) return null;
  return {
    state,
    position: num(e.position),
    agent_name: str(e.agent_name),
    department_id: e.department_id === null || e.department_id === undefined ? null : String(e.department_id),
  };
}

/** The raw provider event of an `unrecognised` message, if it was kept. */
export function rawOf(m: Message): JsonValue | undefined {
  const p = obj(m.payload);
  if (!p || !('raw' in p)) return undefined;
  return p.raw as JsonValue;
}

/** Pretty JSON for a <pre>: rendered as text, never as markup. */
export function prettyJson(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  try {
    return JSON.stringify(v, null, 2) ?? '';
  } catch {
    return String(v);
  }
}

/** Department names by id, where the account's departments were listed. */
export type DepartmentNames = ReadonlyMap<string, string>;

function department(id: string | null | undefined, names?: DepartmentNames): string | null {
  if (id === null || id === undefined || id === '') return null;
  return names?.get(id) ?? id;
}

/** One sentence for a hand-off state (event lines and the banner). */
export function handoffSentence(
  t: Translate,
  h: Pick<ConversationEvent, 'state' | 'position' | 'agent_name' | 'department_id'>,
  names?: DepartmentNames,
): string {
  switch (h.state) {
    case 'started':
      return t('handoff.started');
    case 'queued':
      return typeof h.position === 'number' ? t('handoff.queuedAt', { position: h.position }) : t('handoff.queued');
    case 'accepted':
      return h.agent_name ? t('handoff.acceptedBy', { agent: h.agent_name }) : t('handoff.accepted');
    case 'unavailable':
      return t('handoff.unavailable');
    case 'transferred': {
      const d = department(h.department_id, names);
      return d ? t('handoff.transferredTo', { department: d }) : t('handoff.transferred');
    }
    case 'finished':
      return t('handoff.finished');
  }
}

/** The centred line an `event` message shows; the stored English body when the payload is unknown. */
export function eventLine(t: Translate, m: Message, names?: DepartmentNames): string {
  const e = eventOf(m);
  if (e) return handoffSentence(t, e, names);
  return m.body?.trim() || t('event.unknown');
}

export const HANDOFF_LABEL: Record<HandoffState, MessageKey> = {
  started: 'handoff.state.started',
  queued: 'handoff.state.queued',
  accepted: 'handoff.state.accepted',
  unavailable: 'handoff.state.unavailable',
  transferred: 'handoff.state.transferred',
  finished: 'handoff.state.finished',
};

/** The banner shows the hand-off while there is one to show. */
export function showsHandoff(c: { capabilities: readonly string[]; handoff: Handoff | null }): boolean {
  return c.handoff !== null || c.capabilities.includes('handoff');
}

/** A one-line summary of a message for quotes and reply previews. */
export function summaryOf(t: Translate, m: Message): string {
  if (m.deleted_at) return t('msg.deleted');
  let s: string | null;
  switch (m.kind) {
    case 'text':
      s = m.body;
      break;
    case 'template': {
      const tpl = templateOf(m);
      // Template library: the text the customer saw, when the engine rendered it.
      s = tpl?.rendered?.body ?? (tpl?.name ? `${t('kind.template')}: ${tpl.name}` : m.body);
      break;
    }
    case 'interactive':
      s = interactiveOf(m)?.body ?? m.body;
      break;
    case 'location': {
      const l = locationOf(m);
      s = l?.name ?? l?.address ?? (l ? `${l.latitude}, ${l.longitude}` : m.body);
      if (s) s = `${t('kind.location')}: ${s}`;
      break;
    }
    case 'event':
      s = eventLine(t, m);
      break;
    default:
      s = m.caption ?? (m.kind === 'file' ? (m.file_name ?? m.body) : null);
      s = s ? `${t(`kind.${m.kind}`)}: ${s}` : null;
  }
  const text = (s ?? t(`kind.${m.kind}`)).replace(/\s+/g, ' ').trim();
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

/** OpenStreetMap at the point, for the "open map" link (only numbers go into the URL). */
export function mapUrl(l: Pick<Location, 'latitude' | 'longitude'>): string {
  const lat = Number(l.latitude).toFixed(6);
  const lon = Number(l.longitude).toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

/** "-23.550520, -46.633308" */
export function coordinates(l: Pick<Location, 'latitude' | 'longitude'>): string {
  return `${l.latitude.toFixed(6)}, ${l.longitude.toFixed(6)}`;
}

/** The remote agent's name shown on inbound messages of hand-off conversations. */
export function remoteAgentName(m: Message, handoff: boolean): string | null {
  if (!handoff || m.direction !== 'inbound' || m.kind === 'event') return null;
  return m.sender_name?.trim() || null;
}

/** Own sent messages that the provider confirmed can be deleted (the engine needs its id). */
export function canDeleteMessage(m: Message): boolean {
  return (
    m.direction === 'outbound' && !m.deleted_at && m.status !== 'failed' && m.status !== 'pending' && m.kind !== 'event'
  );
}

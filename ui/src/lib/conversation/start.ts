// What the "New conversation" form asks for, by account: the fields each provider needs to open
// a conversation, and their validation into the engine's StartConversation.

import type { Account, StartConversation } from '../backend/types';
import type { MessageKey } from '../i18n';
import { buildTemplate, templateMessage, type Errors, type TemplateDraft } from './compose';

export interface StartForm {
  /** A group id is accepted as `to`. */
  groups: boolean;
  /** Hand-off providers (ZChat/Omnize): department, e-mail and CPF. */
  departments: boolean;
  customerFields: boolean;
  /** Cirrus: whatsappweb or d360. */
  service: boolean;
  /** The first message must be an approved template (official API with its 24-hour window). */
  template: boolean;
  /** A first text message is required (mConnect, and the Omnize/ZChat WhatsApp flavour). */
  messageRequired: boolean;
  /** A first text message can be given. */
  message: boolean;
  defaultDepartment: string;
  defaultService: string;
}

function setting(a: Account, key: string): string {
  const v = a.settings[key];
  return v === null || v === undefined ? '' : String(v);
}

export function canStart(a: Account): boolean {
  return a.capabilities.includes('start_conversation');
}

export function startForm(a: Account): StartForm {
  const caps = a.capabilities;
  const handoff = caps.includes('handoff');
  const flavour = setting(a, 'flavour') || (a.provider === 'omnize' ? 'whatsapp' : 'interactions');
  const template = caps.includes('templates') && caps.includes('window_24h');
  const messageRequired = a.provider === 'mconnect' || (handoff && flavour === 'whatsapp');
  return {
    groups: caps.includes('groups'),
    departments: caps.includes('departments'),
    customerFields: handoff,
    service: a.provider === 'cirrus',
    template,
    messageRequired: !template && messageRequired,
    message: !template && caps.includes('send_text'),
    defaultDepartment: setting(a, 'department_id'),
    defaultService: setting(a, 'service') || 'whatsappweb',
  };
}

export interface StartDraft {
  to: string;
  name: string;
  email: string;
  cpf: string;
  department: string;
  service: string;
  message: string;
  template: TemplateDraft;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function buildStart(
  a: Account,
  d: StartDraft,
): { ok: true; value: StartConversation } | { ok: false; errors: Errors } {
  const f = startForm(a);
  const errors: Errors = {};
  const to = d.to.trim();
  // A phone number as people write it ("+55 (11) 98765-4321") goes as digits; contact and group
  // ids go as typed.
  const group = f.groups && /[-@]/.test(to) && !/^\+?[\d\s()]+-\d{4}$/.test(to);
  const phone = !group && /^[+\d\s().-]+$/.test(to);
  if (!to) errors.to = 'validation.required';
  else if (phone && !/^\d{8,15}$/.test(to.replace(/[\s().+-]/g, ''))) errors.to = 'start.invalidTo';
  const out: StartConversation = { account_id: a.id, to: phone ? to.replace(/[\s().+-]/g, '') : to };
  const name = d.name.trim();
  if (name) out.name = name;
  if (f.customerFields) {
    const email = d.email.trim();
    if (email && !EMAIL.test(email)) errors.email = 'start.invalidEmail';
    else if (email) out.email = email;
    const cpf = d.cpf.replace(/[.\s-]/g, '');
    if (cpf && !/^\d{11}$/.test(cpf)) errors.cpf = 'start.invalidCpf';
    else if (cpf) out.cpf = cpf;
  }
  if (f.departments && d.department.trim() && d.department.trim() !== f.defaultDepartment) {
    out.department_id = d.department.trim();
  }
  if (f.service && d.service) out.service = d.service;
  if (f.template) {
    const b = buildTemplate(d.template);
    if (!b.ok) {
      for (const [k, v] of Object.entries(b.errors)) errors[`template.${k}`] = v;
    } else {
      out.message = templateMessage(b.value);
    }
  } else if (f.message) {
    const body = d.message.trim();
    if (body) out.message = { kind: 'text', body };
    else if (f.messageRequired) errors.message = 'validation.required' satisfies MessageKey;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: out };
}

/** The template form's errors, without the "template." prefix. */
export function templateErrors(errors: Errors): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) if (k.startsWith('template.')) out[k.slice(9)] = v;
  return out;
}

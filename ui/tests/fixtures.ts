import { BackendError } from '../src/lib/backend/errors';
import type { Account, Backend, Contact, ConversationSummary, Message, Tag } from '../src/lib/backend/types';

export function conv(id: string, at: string, extra: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    account_id: 'acc1',
    provider: 'mconnect',
    kind: 'individual',
    title: `Customer ${id}`,
    avatar_url: null,
    status: 'open',
    priority: 1,
    unread_count: 0,
    last_activity_at: at,
    last_message: null,
    tags: [],
    capabilities: ['send_text', 'send_file'],
    handoff: null,
    window_expires_at: null,
    assignee: null,
    contact_id: null,
    draft: null,
    ...extra,
  };
}

export function msg(id: string, at: string, extra: Partial<Message> = {}): Message {
  return {
    id,
    conversation_id: 'c1',
    direction: 'inbound',
    sender_name: null,
    kind: 'text',
    body: `body ${id}`,
    media_url: null,
    caption: null,
    file_name: null,
    provider_message_id: null,
    status: 'delivered',
    error: null,
    quoted_message_id: null,
    payload: null,
    deleted_at: null,
    created_at: at,
    reactions: [],
    note: false,
    ...extra,
  };
}

export function account(id: string, extra: Partial<Account> = {}): Account {
  return {
    id,
    provider: 'mconnect',
    name: `Account ${id}`,
    settings: {},
    capabilities: [],
    webhook_url: null,
    history_url_scheme: null,
    secrets_set: [],
    demo: false,
    created_at: '2025-01-01T00:00:00Z',
    ...extra,
  };
}

/** For fake backends: a command the test does not expect to be called. */
export function unexpected(name: string): Promise<never> {
  return Promise.reject(new BackendError('unsupported', `${name} is not part of this test`));
}

export function tag(id: string, name: string, extra: Partial<Tag> = {}): Tag {
  return { id, name, color: null, sync_state: 'local', sync_error: null, ...extra };
}

export function contact(id: string, extra: Partial<Contact> = {}): Contact {
  return {
    id,
    display_name: null,
    custom_name: null,
    avatar_url: null,
    identities: [],
    tags: [],
    sync_state: 'local',
    sync_error: null,
    synced_at: null,
    ...extra,
  };
}

/**
 * A Backend whose commands are the given functions; any other command rejects, and the event
 * subscriptions record their listeners so a test can emit.
 */
export function fakeBackend(commands: Partial<Backend>): Backend & {
  emit: (e: Parameters<Parameters<Backend['onEvent']>[0]>[0]) => void;
  resync: () => void;
} {
  const events = new Set<Parameters<Backend['onEvent']>[0]>();
  const resyncs = new Set<() => void>();
  const base: Partial<Backend> & { emit: (e: never) => void; resync: () => void } = {
    onEvent: (cb) => {
      events.add(cb);
      return () => events.delete(cb);
    },
    onResync: (cb) => {
      resyncs.add(cb);
      return () => resyncs.delete(cb);
    },
    onOpenConversation: () => () => {},
    emit: (e) => {
      for (const cb of events) cb(e);
    },
    resync: () => {
      for (const cb of resyncs) cb();
    },
    ...commands,
  };
  return new Proxy(base, {
    get(target, prop: string) {
      if (prop in target) return target[prop as keyof typeof target];
      return () => unexpected(prop);
    },
  }) as never;
}

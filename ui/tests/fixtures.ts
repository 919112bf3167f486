import { BackendError } from '../src/lib/backend/errors';
import type { Account, ConversationSummary, Message } from '../src/lib/backend/types';

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

import type { ConversationSummary, Message } from '../src/lib/backend/types';

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
    provider_message_id: null,
    status: 'delivered',
    error: null,
    quoted_message_id: null,
    created_at: at,
    reactions: [],
    ...extra,
  };
}

// Tauri IPC implementation of Backend (desktop shell). The only module that
// imports '@tauri-apps/api'.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { openUrl } from '@tauri-apps/plugin-opener';
import { toBackendError } from './errors';
import type {
  Account,
  AppStatus,
  Backend,
  ConversationFilter,
  ConversationPatch,
  ConversationSummary,
  InboxEvent,
  Message,
  NewAccount,
  Page,
  SendMessage,
  Unsubscribe,
} from './types';

export const EVENT_INBOX = 'inbox://event';
export const EVENT_OPEN_CONVERSATION = 'inbox://open-conversation';

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toBackendError(err);
  }
}

/** Wrap Tauri's async listen() in a synchronous subscribe/unsubscribe. */
function subscribe<T>(event: string, handler: (payload: T) => void): Unsubscribe {
  let active = true;
  let unlisten: (() => void) | null = null;
  listen<T>(event, (e) => {
    if (active) handler(e.payload);
  })
    .then((fn) => {
      if (active) unlisten = fn;
      else fn();
    })
    .catch((err: unknown) => {
      console.error(`[inbox] cannot listen to ${event}:`, toBackendError(err).message);
    });
  return () => {
    active = false;
    unlisten?.();
    unlisten = null;
  };
}

export class TauriBackend implements Backend {
  status(): Promise<AppStatus> {
    return call('app_status');
  }

  listAccounts(): Promise<Account[]> {
    return call('list_accounts');
  }

  createAccount(account: NewAccount): Promise<Account> {
    return call('create_account', { account });
  }

  listConversations(filter: ConversationFilter): Promise<Page<ConversationSummary>> {
    return call('list_conversations', { filter });
  }

  getConversation(id: string): Promise<ConversationSummary> {
    return call('get_conversation', { id });
  }

  listMessages(conversationId: string, cursor?: string, limit?: number): Promise<Page<Message>> {
    return call('list_messages', { conversationId, cursor: cursor ?? null, limit: limit ?? null });
  }

  sendMessage(conversationId: string, message: SendMessage): Promise<Message> {
    return call('send_message', { conversationId, message });
  }

  updateConversation(id: string, patch: ConversationPatch): Promise<ConversationSummary> {
    return call('update_conversation', { id, patch });
  }

  markRead(id: string): Promise<ConversationSummary> {
    return call('mark_read', { id });
  }

  startDemo(): Promise<Account> {
    return call('start_demo');
  }

  async simulateInbound(): Promise<void> {
    await call<unknown>('simulate_inbound');
  }

  onEvent(cb: (e: InboxEvent) => void): Unsubscribe {
    return subscribe<InboxEvent>(EVENT_INBOX, cb);
  }

  onOpenConversation(cb: (conversationId: string) => void): Unsubscribe {
    return subscribe<{ conversation_id: string }>(EVENT_OPEN_CONVERSATION, (p) => {
      if (p && typeof p.conversation_id === 'string') cb(p.conversation_id);
    });
  }

  async openExternal(url: string): Promise<void> {
    try {
      await openUrl(url);
    } catch (err) {
      throw toBackendError(err);
    }
  }

  onResync(_cb: () => void): Unsubscribe {
    // IPC events are delivered in-process and are never dropped.
    return () => {};
  }
}

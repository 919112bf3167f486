// Wire types shared by both backend implementations. JSON field names are
// snake_case exactly as the engine sends them; timestamps are RFC 3339 strings.

export type Provider = 'mconnect';

export type Capability =
  | 'send_text'
  | 'send_file'
  | 'groups'
  | 'reactions'
  | 'typing'
  | 'templates'
  | 'delete';

export interface Account {
  id: string;
  provider: Provider;
  name: string;
  settings: Record<string, string>;
  capabilities: Capability[];
  webhook_url: string | null;
  demo: boolean;
  created_at: string;
}

export interface NewAccount {
  provider: Provider;
  name: string;
  settings: { base_url: string; number: string; company: string; username: string };
}

export type ConversationStatus = 'open' | 'snoozed' | 'resolved';
export type Priority = 0 | 1 | 2 | 3;
export type Direction = 'inbound' | 'outbound';
export type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'file';
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface LastMessage {
  preview: string;
  direction: Direction;
  kind: MessageKind;
}

export interface ConversationSummary {
  id: string;
  account_id: string;
  provider: Provider;
  kind: 'individual' | 'group';
  title: string;
  avatar_url: string | null;
  status: ConversationStatus;
  priority: Priority;
  unread_count: number;
  last_activity_at: string;
  last_message: LastMessage | null;
  tags: string[];
  capabilities: Capability[];
}

export interface Reaction {
  reactor: string;
  emoji: string;
}

export interface Message {
  id: string;
  conversation_id: string;
  direction: Direction;
  sender_name: string | null;
  kind: MessageKind;
  body: string | null;
  media_url: string | null;
  caption: string | null;
  provider_message_id: string | null;
  status: DeliveryStatus;
  error: string | null;
  quoted_message_id: string | null;
  created_at: string;
  reactions: Reaction[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  account_id?: string;
  priority?: number;
  tag?: string;
  cursor?: string;
  limit?: number;
}

export interface SendMessage {
  kind: MessageKind;
  body?: string;
  media_url?: string;
  caption?: string;
  file_name?: string;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  priority?: Priority;
}

export interface AppStatus {
  version: string;
  demo: boolean;
  accounts: number;
}

export type InboxEvent =
  | { type: 'message_added'; conversation_id: string; message: Message }
  | {
      type: 'message_status_changed';
      conversation_id: string;
      message_id: string;
      status: DeliveryStatus;
      provider_message_id: string | null;
      error: string | null;
    }
  | { type: 'conversation_updated'; conversation: ConversationSummary }
  | { type: 'typing'; conversation_id: string; who: string | null; active: boolean };

/** Shape of every error the engine reports (IPC rejection or HTTP error body). */
export interface ApiError {
  code: string;
  message: string;
}

export type Unsubscribe = () => void;

export interface Backend {
  status(): Promise<AppStatus>;
  listAccounts(): Promise<Account[]>;
  createAccount(a: NewAccount): Promise<Account>;
  listConversations(f: ConversationFilter): Promise<Page<ConversationSummary>>;
  getConversation(id: string): Promise<ConversationSummary>;
  /** Newest first. */
  listMessages(conversationId: string, cursor?: string, limit?: number): Promise<Page<Message>>;
  /** Returns the stored 'pending' message; status updates arrive as events. */
  sendMessage(conversationId: string, m: SendMessage): Promise<Message>;
  updateConversation(id: string, p: ConversationPatch): Promise<ConversationSummary>;
  markRead(id: string): Promise<ConversationSummary>;
  /** Creates/starts the demo account on the in-process simulator. */
  startDemo(): Promise<Account>;
  /** Demo only: a simulated customer writes in. */
  simulateInbound(): Promise<void>;
  onEvent(cb: (e: InboxEvent) => void): Unsubscribe;
  /** Desktop: the user came back to the app from a notification. HTTP: never fires. */
  onOpenConversation(cb: (conversationId: string) => void): Unsubscribe;
  /**
   * Fires after the live event stream was interrupted and re-established:
   * events may have been missed, so subscribers should re-fetch what they show.
   * Tauri: never fires (IPC events cannot be dropped).
   */
  onResync(cb: () => void): Unsubscribe;
  /**
   * Opens an http(s) link from a message in the system browser. Desktop: the opener plugin
   * (a web view does not open new windows); browser: a new tab without access to this page.
   */
  openExternal(url: string): Promise<void>;
}

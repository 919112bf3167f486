// The backend's types. The JSON types are generated from the engine's Rust types
// (crates/inbox-core/src/model.rs, events.rs, error.rs) into ./generated/ and re-exported here,
// so both backend implementations and the rest of the UI import them from this file. Only what
// is not on the wire is written here: the `Backend` interface and UI helpers. JSON field names
// are snake_case exactly as the engine sends them; timestamps are RFC 3339 strings.

import type {
  Account,
  AccountPatch,
  AppStatus,
  Capability,
  ConnectionTest,
  Contact,
  ContactFilter,
  ContactPatch,
  ConversationFilter,
  ConversationPatch,
  ConversationSummary,
  Department,
  ErrorBody,
  Event,
  HandoffUpdate,
  HistoryProgress,
  JsonValue,
  Message,
  NewAccount,
  Page,
  Provider,
  ProviderInfo,
  SendMessage,
  StartConversation,
  StoredMedia,
  SyncReport,
  Tag,
  TagInput,
} from './generated';

export type * from './generated';

export type JsonObject = { [key: string]: JsonValue };

export const PROVIDERS: readonly Provider[] = ['mconnect', 'zchat', 'omnize', 'cirrus', 'wegly'];

/** Each provider's short name, for places too small for the catalogue's label. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  mconnect: 'mConnect',
  zchat: 'ZChat',
  omnize: 'Omnize',
  cirrus: 'Cirrus',
  wegly: 'Wegly',
};

/** Every capability, in the order the accounts screen lists them. */
export const CAPABILITIES: readonly Capability[] = [
  'start_conversation',
  'send_text',
  'send_file',
  'caption',
  'groups',
  'reply',
  'reactions',
  'remove_reaction',
  'typing',
  'templates',
  'window_24h',
  'interactive',
  'location',
  'delete',
  'departments',
  'handoff',
  'handoff_update',
  'history_url',
  'history_import',
  'reassign',
  'refresh',
  'contact_sync',
  'tag_sync',
];

/** An engine event, as either transport delivers it (TypeScript's DOM has its own `Event`). */
export type InboxEvent = Event;

/** Shape of every error the engine reports (IPC rejection or HTTP error body). */
export type ApiError = ErrorBody;

export type Unsubscribe = () => void;

export interface Backend {
  status(): Promise<AppStatus>;

  // accounts
  listProviders(): Promise<ProviderInfo[]>;
  listAccounts(): Promise<Account[]>;
  createAccount(a: NewAccount): Promise<Account>;
  getAccount(id: string): Promise<Account>;
  updateAccount(id: string, patch: AccountPatch): Promise<Account>;
  deleteAccount(id: string): Promise<void>;
  /** Calls the provider with the saved account's settings and secrets. */
  testAccount(id: string): Promise<ConnectionTest>;
  /** Calls the provider with settings and secrets that are not saved yet. */
  testNewAccount(a: NewAccount): Promise<ConnectionTest>;
  listDepartments(accountId: string): Promise<Department[]>;
  /** Pulls and pushes the account's contacts and tags. */
  syncAccount(accountId: string): Promise<SyncReport>;

  // conversations
  listConversations(f: ConversationFilter): Promise<Page<ConversationSummary>>;
  getConversation(id: string): Promise<ConversationSummary>;
  startConversation(s: StartConversation): Promise<ConversationSummary>;
  updateConversation(id: string, p: ConversationPatch): Promise<ConversationSummary>;
  markRead(id: string): Promise<ConversationSummary>;
  /** Newest first. */
  listMessages(conversationId: string, cursor?: string, limit?: number): Promise<Page<Message>>;
  /** Returns the stored 'pending' message; status updates arrive as events. */
  sendMessage(conversationId: string, m: SendMessage): Promise<Message>;
  setTyping(conversationId: string, active: boolean): Promise<void>;
  updateHandoff(conversationId: string, u: HandoffUpdate): Promise<void>;
  reassign(conversationId: string, userId: string): Promise<ConversationSummary>;
  refreshConversation(conversationId: string): Promise<ConversationSummary>;
  /** Starts importing; progress arrives as `history_progress` events. */
  importHistory(conversationId: string): Promise<HistoryProgress>;
  deleteMessage(messageId: string): Promise<Message>;
  removeReaction(messageId: string): Promise<Message>;

  // contacts and tags
  listContacts(f: ContactFilter): Promise<Page<Contact>>;
  getContact(id: string): Promise<Contact>;
  updateContact(id: string, p: ContactPatch): Promise<Contact>;
  listTags(): Promise<Tag[]>;
  createTag(t: TagInput): Promise<Tag>;
  updateTag(id: string, t: TagInput): Promise<Tag>;
  deleteTag(id: string): Promise<void>;

  // demo
  /** Creates/starts the demo account on the in-process simulator. */
  startDemo(): Promise<Account>;
  /** Demo only: a simulated customer writes in. */
  simulateInbound(): Promise<void>;

  // files from disk
  /**
   * Keeps a file in the engine's media store. With a conversation, its provider's limits are
   * checked first (a file it would refuse is not stored). Send it with `media_id`.
   */
  uploadMedia(file: Blob, name: string, conversationId?: string): Promise<StoredMedia>;
  /** A stored file's bytes (for showing the agent's own files without loading a remote URL). */
  mediaContent(id: string, mimeType: string): Promise<Blob>;
  // live events
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

/**
 * Desktop only: why the engine did not open (`startup_failure`), shown instead of the inbox.
 * `kind` picks what the screen says and offers; `path` is the database file it concerns.
 */

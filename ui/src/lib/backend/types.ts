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
  ContactExport,
  ContactFilter,
  ContactImport,
  ContactImportReport,
  ContactMerge,
  ContactPatch,
  ContactProfile,
  ContactProfilePatch,
  ConversationFilter,
  ConversationPatch,
  ConversationSummary,
  Department,
  Draft,
  DraftInput,
  ErrorBody,
  Event,
  HandoffUpdate,
  HistoryProgress,
  JsonValue,
  MergeContacts,
  Message,
  NewAccount,
  NewNote,
  Page,
  Provider,
  ProviderInfo,
  SendMessage,
  StartConversation,
  StoredMedia,
  SyncReport,
  Tag,
  TagInput,
  // search
  MessageWindow,
  SearchQuery,
  SearchResults,
  // template library
  LibraryTemplate,
  LibraryTemplateInput,
  TemplateImportPreview,
} from './generated';
// canned responses, settings, long texts split into several messages
import type {
  AppSettings,
  AppSettingsPatch,
  CannedResponse,
  CannedResponseInput,
  FilledCannedResponse,
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
  // search
  /** Conversations, messages (snippets with the matching words marked) and contacts. */
  search(q: SearchQuery): Promise<SearchResults>;
  /** The page of messages around a message, with cursors toward older and newer ones. */
  messagesAround(messageId: string, limit?: number): Promise<MessageWindow>;
  /** Messages just newer than `cursor`, newest first; `next_cursor` goes on toward the newest. */
  listNewerMessages(conversationId: string, cursor: string, limit?: number): Promise<Page<Message>>;
  removeReaction(messageId: string): Promise<Message>;

  // drafts and internal notes
  /** The conversation's draft, or null. */
  getDraft(conversationId: string): Promise<Draft | null>;
  /** Keeps the composer's draft; an empty one is deleted (answers null). */
  saveDraft(conversationId: string, d: DraftInput): Promise<Draft | null>;
  clearDraft(conversationId: string): Promise<void>;
  /** Stores an internal note (never sent); answers it as a message with `note: true`. */
  addNote(conversationId: string, n: NewNote): Promise<Message>;

  // contacts and tags
  listContacts(f: ContactFilter): Promise<Page<Contact>>;
  getContact(id: string): Promise<Contact>;
  updateContact(id: string, p: ContactPatch): Promise<Contact>;
  listTags(): Promise<Tag[]>;
  createTag(t: TagInput): Promise<Tag>;
  updateTag(id: string, t: TagInput): Promise<Tag>;
  deleteTag(id: string): Promise<void>;

  // template library (accounts whose provider has templates)
  listTemplates(accountId: string): Promise<LibraryTemplate[]>;
  createTemplate(accountId: string, t: LibraryTemplateInput): Promise<LibraryTemplate>;
  updateTemplate(id: string, t: LibraryTemplateInput): Promise<LibraryTemplate>;
  deleteTemplate(id: string): Promise<void>;
  /** What importing a file would do, with each item's errors; saves nothing. */
  previewTemplateImport(accountId: string, content: string): Promise<TemplateImportPreview>;
  /** Saves every template of the file, or none; answers the library. */
  importTemplates(accountId: string, content: string): Promise<LibraryTemplate[]>;
  // the contact panel, merges and CSV
  /** The contact with notes, attributes, notification block and conversations on every account. */
  getContactProfile(id: string): Promise<ContactProfile>;
  updateContactProfile(id: string, p: ContactProfilePatch): Promise<ContactProfile>;
  mergeContacts(m: MergeContacts): Promise<ContactMerge>;
  undoContactMerge(mergeId: string): Promise<ContactMerge>;
  /** `commit: false` only checks; `commit: true` imports every row or none. */
  importContactsCsv(i: ContactImport): Promise<ContactImportReport>;
  /** Every contact the filter matches (cursor and limit ignored) as a CSV file. */
  exportContactsCsv(f: ContactFilter): Promise<ContactExport>;
  // canned responses, settings, long texts split into several messages
  listCannedResponses(): Promise<CannedResponse[]>;
  createCannedResponse(c: CannedResponseInput): Promise<CannedResponse>;
  updateCannedResponse(id: string, c: CannedResponseInput): Promise<CannedResponse>;
  deleteCannedResponse(id: string): Promise<void>;
  /** The text with its placeholders filled from the conversation (unfilled ones left as written). */
  fillCannedResponse(id: string, conversationId: string): Promise<FilledCannedResponse>;
  getSettings(): Promise<AppSettings>;
  updateSettings(p: AppSettingsPatch): Promise<AppSettings>;
  /** A text longer than the provider takes, stored as several 'pending' messages sent in order. */
  sendSplit(conversationId: string, m: SendMessage): Promise<Message[]>;

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
  // ---- media viewer: saving a message's media, and its size
  /**
   * Saves a message's media (an http(s) URL) on the agent's disk as `fileName` where this
   * transport can read it ('saved'); otherwise opens it in the system browser, where the agent
   * can save it ('opened'). Browser: downloads it when its server allows cross-origin reads.
   * Desktop: the web view reaches only the shell (CSP), so it opens in the system browser.
   */
  saveMedia(url: string, fileName: string): Promise<SaveOutcome>;
  /** The size in bytes the media's server announces, where this transport can ask; else null. */
  mediaSize(url: string): Promise<number | null>;
}

/** What saving a message's media did: saved it, or opened it in the system browser. */
export type SaveOutcome = 'saved' | 'opened';

/**
 * Desktop only: why the engine did not open (`startup_failure`), shown instead of the inbox.
 * `kind` picks what the screen says and offers; `path` is the database file it concerns.
 */

// Wire types shared by both backend implementations. JSON field names are
// snake_case exactly as the engine sends them (crates/inbox-core/src/model.rs);
// timestamps are RFC 3339 strings.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type Provider = 'mconnect' | 'zchat' | 'omnize' | 'cirrus' | 'wegly';

export const PROVIDERS: readonly Provider[] = ['mconnect', 'zchat', 'omnize', 'cirrus', 'wegly'];

/** Each provider's short name, for places too small for the catalogue's label. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  mconnect: 'mConnect',
  zchat: 'ZChat',
  omnize: 'Omnize',
  cirrus: 'Cirrus',
  wegly: 'Wegly',
};

export type Capability =
  | 'start_conversation'
  | 'send_text'
  | 'send_file'
  | 'caption'
  | 'groups'
  | 'reply'
  | 'reactions'
  | 'remove_reaction'
  | 'typing'
  | 'templates'
  | 'window_24h'
  | 'interactive'
  | 'location'
  | 'delete'
  | 'departments'
  | 'handoff'
  | 'handoff_update'
  | 'history_url'
  | 'history_import'
  | 'reassign'
  | 'contact_sync'
  | 'tag_sync';

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
  'contact_sync',
  'tag_sync',
];

// ---- providers and accounts ---------------------------------------------------

/** Why a provider lacks a capability. */
export interface CapabilityNote {
  capability: Capability;
  reason: string;
}

export type FieldKind = 'text' | 'url' | 'phone' | 'number' | 'select' | 'json' | 'secret';

export interface FieldOption {
  value: string;
  label: string;
}

/** One field of a provider's account settings. */
export interface SettingField {
  key: string;
  label: string;
  type: FieldKind;
  required: boolean;
  /** Preset choices; `url` fields still accept any other URL. */
  options: FieldOption[];
  default: string | null;
  help: string | null;
}

export type WebhookSetup = 'registered' | 'manual';

export interface ProviderInfo {
  id: Provider;
  label: string;
  /** Capabilities with default settings (accounts carry their own list). */
  capabilities: Capability[];
  unavailable: CapabilityNote[];
  fields: SettingField[];
  webhook_setup: WebhookSetup;
  notes: string[];
}

export interface Account {
  id: string;
  provider: Provider;
  name: string;
  /** Provider settings; never holds a secret. */
  settings: JsonObject;
  capabilities: Capability[];
  /** Where the provider posts its webhooks (it carries the account's secret). */
  webhook_url: string | null;
  /** ZChat/Omnize: the scheme of the history links the inbox serves. */
  history_url_scheme: string | null;
  /** Keys of the secret fields the keychain holds for this account. */
  secrets_set: string[];
  demo: boolean;
  created_at: string;
}

export interface NewAccount {
  provider: Provider;
  name: string;
  settings: JsonObject;
  /** Values of the provider's `secret` fields, by field key. Never sent back. */
  secrets?: Record<string, string>;
}

/** Absent fields stay as they are; a secret given replaces the keychain's. */
export interface AccountPatch {
  name?: string;
  settings?: JsonObject;
  secrets?: Record<string, string>;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
}

export interface Department {
  id: string;
  name: string;
  active: boolean;
  queue: number | null;
  agents: string[];
}

// ---- conversations and messages -------------------------------------------------

export type ConversationStatus = 'open' | 'snoozed' | 'resolved';
export type Priority = 0 | 1 | 2 | 3;
export type Direction = 'inbound' | 'outbound';
export type MessageKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'sticker'
  | 'location'
  | 'template'
  | 'interactive'
  | 'event'
  | 'unrecognised';
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface LastMessage {
  preview: string;
  direction: Direction;
  kind: MessageKind;
}

export type HandoffState = 'started' | 'queued' | 'accepted' | 'unavailable' | 'transferred' | 'finished';

/** A conversation handed off to a provider's agents (ZChat/Omnize). */
export interface Handoff {
  state: HandoffState;
  position: number | null;
  agent_name: string | null;
  department_id: string | null;
  interaction_hash: string | null;
  updated_at: string | null;
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
  /** Hand-off conversations: where the customer is in the provider's queue. */
  handoff: Handoff | null;
  /** End of the 24-hour window; past it only templates can be sent. */
  window_expires_at: string | null;
  /** Who the provider says is responsible for the chat. */
  assignee: string | null;
  contact_id: string | null;
}

export interface Reaction {
  reactor: string;
  emoji: string;
  /** The agent's own reaction (it can be removed where the provider allows). */
  from_me: boolean;
}

export interface TemplateField {
  /** BODY, HEADER, BUTTON... */
  component: string;
  /** TEXT, IMAGE... */
  type: string;
  index: number;
  value: string;
  button_index?: number;
  card_index?: number;
}

export interface Template {
  name: string;
  language: string;
  fields: TemplateField[];
}

export interface InteractiveButton {
  id: string;
  title: string;
}

export interface InteractiveRow {
  id: string;
  title: string;
  description?: string | null;
}

export interface InteractiveSection {
  title: string;
  rows: InteractiveRow[];
}

export interface Interactive {
  body: string;
  header?: string | null;
  footer?: string | null;
  /** Reply buttons (up to 3). */
  buttons?: InteractiveButton[];
  list_button?: string | null;
  sections?: InteractiveSection[];
}

export interface Location {
  latitude: number;
  longitude: number;
  name?: string | null;
  address?: string | null;
}

/** What happened in a hand-off conversation (`event` messages). */
export interface ConversationEvent {
  state: HandoffState;
  position?: number | null;
  agent_name?: string | null;
  department_id?: string | null;
}

/** Structured content of a message, by kind. */
export type MessagePayload =
  | { template: Template }
  | { interactive: Interactive }
  | { location: Location }
  | { event: ConversationEvent }
  | { raw: JsonValue };

export interface Message {
  id: string;
  conversation_id: string;
  direction: Direction;
  sender_name: string | null;
  kind: MessageKind;
  body: string | null;
  media_url: string | null;
  caption: string | null;
  file_name: string | null;
  provider_message_id: string | null;
  status: DeliveryStatus;
  error: string | null;
  quoted_message_id: string | null;
  payload: MessagePayload | null;
  deleted_at: string | null;
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
  /** The message this one answers (quoted reply), by the inbox's id. */
  reply_to?: string;
  template?: Template;
  interactive?: Interactive;
  location?: Location;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  priority?: Priority;
  /** Replaces the conversation's tags (by tag id). */
  tag_ids?: string[];
}

export interface StartConversation {
  account_id: string;
  /** The customer's number or the provider's contact id. */
  to: string;
  name?: string;
  email?: string;
  /** Brazilian CPF (ZChat/Omnize). */
  cpf?: string;
  /** ZChat/Omnize: the hand-off's department (the account's default when absent). */
  department_id?: string;
  /** ZChat/Omnize: values the provider returns on its webhooks. */
  extra?: JsonObject;
  /** Cirrus: `whatsappweb` or `d360`. */
  service?: string;
  /** The first message (a template where the provider requires one). */
  message?: SendMessage;
}

/** ZChat interactions flavour: the "update interaction" fields. */
export interface HandoffUpdate {
  /** POSITIVE or NEGATIVE. */
  mood?: string | null;
  tag_ids?: string[];
  customer_key?: string | null;
  note?: string | null;
}

export interface HistoryProgress {
  conversation_id: string;
  imported: number;
  total: number | null;
  done: boolean;
  error: string | null;
}

// ---- contacts and tags ------------------------------------------------------------

export type SyncState = 'local' | 'synced' | 'pending' | 'failed' | 'replaced';

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  sync_state: SyncState;
  sync_error: string | null;
}

export interface TagInput {
  name?: string;
  color?: string;
}

export interface ContactIdentity {
  account_id: string;
  provider: Provider;
  external_id: string;
  /** The provider's own id for the contact, once synced. */
  remote_id: string | null;
}

export interface Contact {
  id: string;
  /** The name the customer gave themselves. */
  display_name: string | null;
  /** The name the agents gave the contact; shown first. */
  custom_name: string | null;
  avatar_url: string | null;
  identities: ContactIdentity[];
  tags: Tag[];
  sync_state: SyncState;
  sync_error: string | null;
  synced_at: string | null;
}

export interface ContactFilter {
  account_id?: string;
  /** Matches names and identifiers. */
  query?: string;
  tag_id?: string;
  cursor?: string;
  limit?: number;
}

export interface ContactPatch {
  /** An empty string clears it. */
  custom_name?: string;
  /** Replaces the contact's tags. */
  tag_ids?: string[];
}

export interface SyncReport {
  pulled_contacts: number;
  pulled_tags: number;
  pushed: number;
  /** Local edits the provider's newer version replaced. */
  replaced: number;
  failed: number;
}

// ---- status and events ------------------------------------------------------------

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
  | { type: 'message_updated'; conversation_id: string; message: Message }
  | { type: 'typing'; conversation_id: string; who: string | null; active: boolean }
  | { type: 'history_progress'; progress: HistoryProgress }
  | { type: 'contact_updated'; contact: Contact }
  | { type: 'tags_changed'; tags: Tag[] }
  | { type: 'accounts_changed' };

/** Shape of every error the engine reports (IPC rejection or HTTP error body). */
export interface ApiError {
  code: string;
  message: string;
}

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
export interface StartupFailure {
  kind:
    | 'sqlite_too_old'
    | 'newer_database'
    | 'migration_failed'
    | 'corrupt_database'
    | 'database_locked'
    | 'data_folder'
    | 'webhook_address'
    | 'other';
  path: string | null;
  detail: string;
}

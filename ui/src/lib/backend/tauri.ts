// Tauri IPC implementation of Backend (desktop shell). The only module that
// imports '@tauri-apps/api'.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { openUrl } from '@tauri-apps/plugin-opener';
import { toBackendError } from './errors';
// media viewer
import type { SaveOutcome } from './types';
import type {
  Account,
  AccountPatch,
  AppStatus,
  Backend,
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
  HandoffUpdate,
  HistoryProgress,
  InboxEvent,
  MergeContacts,
  Message,
  NewAccount,
  NewNote,
  Page,
  ProviderInfo,
  SendMessage,
  StartConversation,
  StartupFailure,
  StoredMedia,
  SyncReport,
  Tag,
  TagInput,
  Unsubscribe,
  // search
  MessageWindow,
  SearchQuery,
  SearchResults,
  // template library
  LibraryTemplate,
  LibraryTemplateInput,
  TemplateImportPreview,
} from './types';
// canned responses, settings, long texts split into several messages
import type { AppSettings, AppSettingsPatch, CannedResponse, CannedResponseInput, FilledCannedResponse } from './types';

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

  // ---- accounts -------------------------------------------------------------

  listProviders(): Promise<ProviderInfo[]> {
    return call('list_providers');
  }

  listAccounts(): Promise<Account[]> {
    return call('list_accounts');
  }

  createAccount(account: NewAccount): Promise<Account> {
    return call('create_account', { account });
  }

  getAccount(id: string): Promise<Account> {
    return call('get_account', { id });
  }

  updateAccount(id: string, patch: AccountPatch): Promise<Account> {
    return call('update_account', { id, patch });
  }

  async deleteAccount(id: string): Promise<void> {
    await call<unknown>('delete_account', { id });
  }

  testAccount(id: string): Promise<ConnectionTest> {
    return call('test_account', { id });
  }

  testNewAccount(account: NewAccount): Promise<ConnectionTest> {
    return call('test_new_account', { account });
  }

  listDepartments(accountId: string): Promise<Department[]> {
    return call('list_departments', { accountId });
  }

  syncAccount(accountId: string): Promise<SyncReport> {
    return call('sync_account', { accountId });
  }

  // ---- conversations ----------------------------------------------------------

  listConversations(filter: ConversationFilter): Promise<Page<ConversationSummary>> {
    return call('list_conversations', { filter });
  }

  getConversation(id: string): Promise<ConversationSummary> {
    return call('get_conversation', { id });
  }

  startConversation(input: StartConversation): Promise<ConversationSummary> {
    return call('start_conversation', { input });
  }

  updateConversation(id: string, patch: ConversationPatch): Promise<ConversationSummary> {
    return call('update_conversation', { id, patch });
  }

  markRead(id: string): Promise<ConversationSummary> {
    return call('mark_read', { id });
  }

  listMessages(conversationId: string, cursor?: string, limit?: number): Promise<Page<Message>> {
    return call('list_messages', { conversationId, cursor: cursor ?? null, limit: limit ?? null });
  }

  sendMessage(conversationId: string, message: SendMessage): Promise<Message> {
    return call('send_message', { conversationId, message });
  }

  // ---- files from disk: the file is the raw IPC body; name, type and conversation are headers.

  async uploadMedia(file: Blob, name: string, conversationId?: string): Promise<StoredMedia> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const headers: Record<string, string> = { 'x-media-name': encodeURIComponent(name), 'x-media-type': file.type };
    if (conversationId) headers['x-conversation-id'] = conversationId;
    try {
      return await invoke<StoredMedia>('upload_media', bytes, { headers });
    } catch (err) {
      throw toBackendError(err);
    }
  }

  async mediaContent(id: string, mimeType: string): Promise<Blob> {
    const bytes = await call<ArrayBuffer>('media_content', { id });
    return new Blob([bytes], { type: mimeType });
  }

  async setTyping(conversationId: string, active: boolean): Promise<void> {
    await call<unknown>('set_typing', { conversationId, active });
  }

  async updateHandoff(conversationId: string, update: HandoffUpdate): Promise<void> {
    await call<unknown>('update_handoff', { conversationId, update });
  }

  reassign(conversationId: string, userId: string): Promise<ConversationSummary> {
    return call('reassign', { conversationId, userId });
  }

  refreshConversation(conversationId: string): Promise<ConversationSummary> {
    return call('refresh_conversation', { conversationId });
  }

  importHistory(conversationId: string): Promise<HistoryProgress> {
    return call('import_history', { conversationId });
  }

  deleteMessage(messageId: string): Promise<Message> {
    return call('delete_message', { messageId });
  }

  removeReaction(messageId: string): Promise<Message> {
    return call('remove_reaction', { messageId });
  }

  // ---- drafts and internal notes ----------------------------------------------------

  getDraft(conversationId: string): Promise<Draft | null> {
    return call('get_draft', { conversationId });
  }

  saveDraft(conversationId: string, draft: DraftInput): Promise<Draft | null> {
    return call('save_draft', { conversationId, draft });
  }

  async clearDraft(conversationId: string): Promise<void> {
    await call('clear_draft', { conversationId });
  }

  addNote(conversationId: string, note: NewNote): Promise<Message> {
    return call('add_note', { conversationId, note });
  }

  // ---- contacts and tags --------------------------------------------------------

  // search
  search(query: SearchQuery): Promise<SearchResults> {
    return call('search', { query });
  }

  messagesAround(messageId: string, limit?: number): Promise<MessageWindow> {
    return call('messages_around', { messageId, limit: limit ?? null });
  }

  listNewerMessages(conversationId: string, cursor: string, limit?: number): Promise<Page<Message>> {
    return call('list_newer_messages', { conversationId, cursor, limit: limit ?? null });
  }

  listContacts(filter: ContactFilter): Promise<Page<Contact>> {
    return call('list_contacts', { filter });
  }

  getContact(id: string): Promise<Contact> {
    return call('get_contact', { id });
  }

  updateContact(id: string, patch: ContactPatch): Promise<Contact> {
    return call('update_contact', { id, patch });
  }

  // ---- the contact panel, merges and CSV

  getContactProfile(id: string): Promise<ContactProfile> {
    return call('get_contact_profile', { id });
  }

  updateContactProfile(id: string, patch: ContactProfilePatch): Promise<ContactProfile> {
    return call('update_contact_profile', { id, patch });
  }

  mergeContacts(merge: MergeContacts): Promise<ContactMerge> {
    return call('merge_contacts', { merge });
  }

  undoContactMerge(mergeId: string): Promise<ContactMerge> {
    return call('undo_contact_merge', { mergeId });
  }

  importContactsCsv(i: ContactImport): Promise<ContactImportReport> {
    return call('import_contacts_csv', { import: i });
  }

  exportContactsCsv(filter: ContactFilter): Promise<ContactExport> {
    return call('export_contacts_csv', { filter });
  }

  listTags(): Promise<Tag[]> {
    return call('list_tags');
  }

  createTag(tag: TagInput): Promise<Tag> {
    return call('create_tag', { tag });
  }

  updateTag(id: string, tag: TagInput): Promise<Tag> {
    return call('update_tag', { id, tag });
  }

  async deleteTag(id: string): Promise<void> {
    await call<unknown>('delete_tag', { id });
  }

  // ---- template library ----------------------------------------------------------

  listTemplates(accountId: string): Promise<LibraryTemplate[]> {
    return call('list_templates', { accountId });
  }

  createTemplate(accountId: string, template: LibraryTemplateInput): Promise<LibraryTemplate> {
    return call('create_template', { accountId, template });
  }

  updateTemplate(id: string, template: LibraryTemplateInput): Promise<LibraryTemplate> {
    return call('update_template', { id, template });
  }

  async deleteTemplate(id: string): Promise<void> {
    await call<unknown>('delete_template', { id });
  }

  previewTemplateImport(accountId: string, content: string): Promise<TemplateImportPreview> {
    return call('preview_template_import', { accountId, file: { content } });
  }

  importTemplates(accountId: string, content: string): Promise<LibraryTemplate[]> {
    return call('import_templates', { accountId, file: { content } });
  }

  // ---- canned responses, settings, long texts split into several messages -------
  listCannedResponses(): Promise<CannedResponse[]> {
    return call('list_canned_responses');
  }

  createCannedResponse(canned: CannedResponseInput): Promise<CannedResponse> {
    return call('create_canned_response', { canned });
  }

  updateCannedResponse(id: string, canned: CannedResponseInput): Promise<CannedResponse> {
    return call('update_canned_response', { id, canned });
  }

  async deleteCannedResponse(id: string): Promise<void> {
    await call<unknown>('delete_canned_response', { id });
  }

  fillCannedResponse(id: string, conversationId: string): Promise<FilledCannedResponse> {
    return call('fill_canned_response', { id, conversationId });
  }

  getSettings(): Promise<AppSettings> {
    return call('get_settings');
  }

  updateSettings(patch: AppSettingsPatch): Promise<AppSettings> {
    return call('update_settings', { patch });
  }

  sendSplit(conversationId: string, message: SendMessage): Promise<Message[]> {
    return call('send_split', { conversationId, message });
  }

  // ---- demo ----------------------------------------------------------------------

  startDemo(): Promise<Account> {
    return call('start_demo');
  }

  async simulateInbound(): Promise<void> {
    await call<unknown>('simulate_inbound');
  }

  // ---- live events -----------------------------------------------------------------

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

  // ---- media viewer: the web view may not read other origins (CSP); the system browser saves it.
  async saveMedia(url: string, _fileName: string): Promise<SaveOutcome> {
    await this.openExternal(url);
    return 'opened';
  }

  async mediaSize(_url: string): Promise<number | null> {
    return null;
  }

  onResync(_cb: () => void): Unsubscribe {
    // IPC events are delivered in-process and are never dropped.
    return () => {};
  }
}

/**
 * The start-up screen's calls, for when the desktop shell could not open the engine: why, and
 * what can be done about it. Each action other than `failure` answers `unsupported` once the
 * engine is open.
 */
export const tauriStartup = {
  failure(): Promise<StartupFailure | null> {
    return call('startup_failure');
  },
  /** Renames the damaged database (with its log) to `<name>.damaged-<time>`; returns that path. */
  moveDatabaseAside(): Promise<string> {
    return call('move_database_aside');
  },
  /** Starts the app again (a new process); the promise does not settle. */
  async restart(): Promise<void> {
    await call<unknown>('restart_app');
  },
  async quit(): Promise<void> {
    await call<unknown>('quit_app');
  },
};

export type Startup = typeof tauriStartup;

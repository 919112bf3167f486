// Drafts: the composer's side. Restores a conversation's draft when the composer opens, saves it
// as the agent types (debounced) and when the composer goes away or the page is hidden, settles
// before a send, and follows changes made in another window while the agent is not typing here.

import { toBackendError } from '../backend/errors';
import type { Draft } from '../backend/types';
import type { InboxStore } from '../inbox/store.svelte';
import { DraftKeeper, EMPTY_DRAFT, fromDraft, isEmptyDraft, sameDraft, toInput, type DraftState } from './keeper';

export interface ComposerDraftOptions {
  /** Puts a draft into the composer (text, quote, note mode). */
  apply: (d: DraftState) => void;
  /** The agent is typing here (the text box has focus): another window's change waits. */
  typing: () => boolean;
}

export class ComposerDraft {
  /** Why the last save failed, or null. */
  error = $state<string | null>(null);

  private readonly inbox: InboxStore;
  private readonly conversationId: string;
  private readonly opts: ComposerDraftOptions;
  private readonly keeper: DraftKeeper;
  private restored = false;
  /** What the agent typed before the draft was read, if anything. */
  private touched: DraftState | null = null;
  private opened: DraftState | null = null;
  /** Attachments of the draft, kept unchanged until the composer edits them. */
  private mediaIds: readonly string[] = [];
  /** A restored quote whose message is not shown yet: kept in the draft meanwhile. */
  private unresolvedQuote: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly onHide = () => {
    if (typeof document === 'undefined' || document.visibilityState === 'hidden') void this.keeper.flush();
  };

  constructor(inbox: InboxStore, conversationId: string, opts: ComposerDraftOptions) {
    this.inbox = inbox;
    this.conversationId = conversationId;
    this.opts = opts;
    this.keeper = new DraftKeeper({
      save: (d) => (isEmptyDraft(d) ? inbox.clearDraft(conversationId) : inbox.saveDraft(conversationId, toInput(d))),
      onSaved: () => (this.error = null),
      onError: (err) => (this.error = toBackendError(err).message),
    });
  }

  /** Reads the conversation's draft and starts keeping it. */
  async start(): Promise<void> {
    this.unsubscribe = this.inbox.onDraftChanged((id, d) => this.remote(id, d));
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.onHide);
      document.addEventListener('visibilitychange', this.onHide);
    }
    try {
      const d = fromDraft(await this.inbox.getDraft(this.conversationId));
      // What the agent typed while it loaded wins (and is saved over it).
      if (!this.touched) this.adopt(d);
      else this.keeper.reset(d);
    } catch (err) {
      this.error = toBackendError(err).message;
    }
    this.restored = true;
    if (this.touched) this.keeper.change(this.touched);
  }

  /** The composer changed. */
  track(body: string, quotedMessageId: string | null, note: boolean): void {
    if (quotedMessageId !== null) this.unresolvedQuote = null;
    const d = { body, quotedMessageId: quotedMessageId ?? this.unresolvedQuote, mediaIds: this.mediaIds, note };
    if (!this.restored) {
      // The first call is the composer as it opened; a later different one is the agent typing.
      if (this.opened === null) this.opened = d;
      else if (!sameDraft(d, this.opened)) this.touched = d;
      return;
    }
    this.keeper.change(d);
  }

  /** The agent took the quote away. */
  dropQuote(): void {
    this.unresolvedQuote = null;
  }

  /** Before sending: no save may land after the send deletes the draft. */
  settle(): Promise<void> {
    return this.keeper.settle();
  }

  /** After a send (or a note): the engine deleted the draft; what is left in the composer is kept. */
  sent(body: string, quotedMessageId: string | null, note: boolean): void {
    this.keeper.reset(EMPTY_DRAFT);
    this.mediaIds = [];
    this.unresolvedQuote = null;
    this.track(body, quotedMessageId, note);
  }

  /** The composer goes away: save what is pending. */
  close(): void {
    this.unsubscribe?.();
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.onHide);
      document.removeEventListener('visibilitychange', this.onHide);
    }
    void this.keeper.flush();
  }

  private adopt(d: DraftState): void {
    this.keeper.reset(d);
    this.mediaIds = d.mediaIds;
    this.unresolvedQuote = d.quotedMessageId;
    this.opts.apply(d);
  }

  /** Another window or client changed this conversation's draft. */
  private remote(conversationId: string, d: Draft | null): void {
    if (conversationId !== this.conversationId || !this.restored) return;
    if (this.keeper.dirty || this.opts.typing()) return;
    this.adopt(fromDraft(d));
  }
}

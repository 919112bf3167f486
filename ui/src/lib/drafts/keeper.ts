// Drafts: what the composer holds, saved to the engine as the agent types (debounced), flushed
// when the composer goes away (switching conversation, closing the page), and settled before a
// send so a late save cannot bring back a draft the send has just deleted.

import type { Draft, DraftInput } from '../backend/types';

/** What the composer holds, as a draft. */
export interface DraftState {
  body: string;
  quotedMessageId: string | null;
  /** Attachments (media store ids), kept as the engine gave them. */
  mediaIds: readonly string[];
  note: boolean;
}

export const EMPTY_DRAFT: DraftState = { body: '', quotedMessageId: null, mediaIds: [], note: false };

/** How long typing must pause before the draft is saved (ms). */
export const SAVE_DELAY_MS = 400;

/** A draft with nothing worth keeping (the engine deletes it). */
export function isEmptyDraft(d: DraftState): boolean {
  return d.body.trim() === '' && d.quotedMessageId === null && d.mediaIds.length === 0;
}

export function toInput(d: DraftState): DraftInput {
  const input: DraftInput = { body: d.body, media_ids: [...d.mediaIds], note: d.note };
  if (d.quotedMessageId) input.quoted_message_id = d.quotedMessageId;
  return input;
}

export function fromDraft(d: Draft | null): DraftState {
  if (!d) return EMPTY_DRAFT;
  return { body: d.body, quotedMessageId: d.quoted_message_id, mediaIds: d.media_ids, note: d.note };
}

/** Two drafts keep the same thing (an empty draft is empty whatever its mode). */
export function sameDraft(a: DraftState, b: DraftState): boolean {
  if (isEmptyDraft(a) && isEmptyDraft(b)) return true;
  return (
    a.body === b.body &&
    a.quotedMessageId === b.quotedMessageId &&
    a.note === b.note &&
    a.mediaIds.length === b.mediaIds.length &&
    a.mediaIds.every((id, i) => id === b.mediaIds[i])
  );
}

export interface KeeperOptions {
  /** Saves (or, for an empty draft, deletes) the draft. */
  save: (d: DraftState) => Promise<unknown>;
  /** A save failed; the draft stays pending and is tried again with the next change or flush. */
  onError?: (err: unknown) => void;
  /** A save succeeded. */
  onSaved?: () => void;
  delayMs?: number;
}

/**
 * Keeps one conversation's draft in step with the engine. Saves run one at a time, in order;
 * a save is skipped when the engine already has the same draft.
 */
export class DraftKeeper {
  private readonly opts: KeeperOptions;
  private saved: DraftState;
  private pending: DraftState | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;

  /** `saved` is what the engine has now. */
  constructor(opts: KeeperOptions, saved: DraftState = EMPTY_DRAFT) {
    this.opts = opts;
    this.saved = saved;
  }

  /** Local changes not yet confirmed by the engine (waiting, or on their way). */
  get dirty(): boolean {
    return this.pending !== null || this.inFlight > 0;
  }

  /** The composer changed: save after a pause in typing. */
  change(d: DraftState): void {
    if (this.inFlight === 0 && sameDraft(d, this.saved)) {
      // Back to what the engine has.
      clearTimeout(this.timer);
      this.pending = null;
      return;
    }
    if (this.pending !== null && sameDraft(d, this.pending)) return;
    this.pending = d;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.opts.delayMs ?? SAVE_DELAY_MS);
  }

  /** Saves a pending change now; resolves when every save so far has finished. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    const d = this.pending;
    this.pending = null;
    if (d === null) return this.chain;
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        if (sameDraft(d, this.saved)) return;
        await this.opts.save(d);
        this.saved = d;
        this.opts.onSaved?.();
      } catch (err) {
        // Keep it for the next attempt unless something newer replaced it.
        if (this.pending === null) this.pending = d;
        this.opts.onError?.(err);
      } finally {
        this.inFlight--;
      }
    });
    return this.chain;
  }

  /**
   * Before a send: drops a waiting change and waits for saves on their way, so none lands after
   * the send (which deletes the draft in the engine).
   */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.pending = null;
    await this.chain;
  }

  /** The engine's draft is now this (a send deleted it, or another window changed it). */
  reset(saved: DraftState): void {
    clearTimeout(this.timer);
    this.pending = null;
    this.saved = saved;
  }

  /** Stops the timer without saving (the composer is gone and was flushed). */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

// Drafts: the conversation list's "Draft:" line, as the engine writes it in a conversation
// summary (`draft`), computed here from a draft event.

import type { Draft, DraftPreview } from '../backend/types';

const PREVIEW_CHARS = 140;

/** The list's line for a draft: its text on one line, cut to 140 characters. */
export function previewOfDraft(d: Draft | null): DraftPreview | null {
  if (!d) return null;
  const oneLine = d.body.split(/\s+/u).filter(Boolean).join(' ');
  const chars = Array.from(oneLine);
  const text = chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : oneLine;
  return { text, media: d.media_ids.length, note: d.note };
}

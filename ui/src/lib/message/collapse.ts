// Long messages collapse behind "Show more". The rule is by length, decided from the text alone
// (no measuring after layout, so the thread does not jump while it renders and the rule is the
// same at every window width): a text longer than COLLAPSE_CHARS characters or with more than
// COLLAPSE_LINES lines collapses to about PREVIEW_LINES lines.

export const COLLAPSE_CHARS = 700;
export const COLLAPSE_LINES = 12;
/** Lines shown while collapsed (the component clamps its height to this many lines). */
export const PREVIEW_LINES = 8;

/** Whether `text` is long enough to collapse. */
export function isLong(text: string | null | undefined): boolean {
  if (!text) return false;
  if ([...text].length > COLLAPSE_CHARS) return true;
  let lines = 1;
  for (const ch of text) if (ch === '\n' && ++lines > COLLAPSE_LINES) return true;
  return false;
}

// Popovers (the conversation's "more" menu, its tag editor) close on a press outside them or on
// Escape, wherever focus is.

/**
 * Listens while a popover is open; returns the function that stops listening, so that an
 * `$effect` can return it: `$effect(() => { if (open) return dismissOnOutside(() => root, close); })`.
 */
export function dismissOnOutside(root: () => HTMLElement | undefined, close: () => void): () => void {
  const onPress = (e: MouseEvent) => {
    const el = root();
    if (el && !el.contains(e.target as Node)) close();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') close();
  };
  document.addEventListener('mousedown', onPress);
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('mousedown', onPress);
    document.removeEventListener('keydown', onKey);
  };
}

// Keeps Tab and Shift+Tab inside a dialog: from the last focusable element Tab goes back to the
// first, from the first (or from the dialog itself) Shift+Tab goes to the last.

const FOCUSABLE = [
  'a[href]',
  'area[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'iframe',
  'audio[controls]',
  'video[controls]',
  'details > summary:first-of-type',
  '[contenteditable]:not([contenteditable="false"])',
  '[tabindex]',
].join(',');

function reachable(el: HTMLElement): boolean {
  if (el.tabIndex < 0) return false;
  if (el.closest('[hidden], [inert], fieldset[disabled]')) return false;
  // Hidden by CSS, or inside a closed <details>; where the browser cannot tell, count it in.
  return typeof el.checkVisibility === 'function' ? el.checkVisibility({ visibilityProperty: true }) : true;
}

/**
 * The elements of `root` that Tab reaches, in document order (positive tabindex values are not
 * used in this app). Of a group of radio buttons only the checked one (or the first) counts, as
 * browsers tab to a group once.
 */
export function tabbables(root: HTMLElement): HTMLElement[] {
  const radios = new Map<string, HTMLInputElement>();
  const out: HTMLElement[] = [];
  // Every element, then `matches`: document order whatever the selector engine does with a list.
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (!el.matches(FOCUSABLE) || !reachable(el)) continue;
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      const key = `${el.form ? 'f' : ''}:${el.name}`;
      const seen = radios.get(key);
      if (seen) {
        if (el.checked && !seen.checked) {
          out[out.indexOf(seen)] = el;
          radios.set(key, el);
        }
        continue;
      }
      radios.set(key, el);
    }
    out.push(el);
  }
  return out;
}

/**
 * On a keydown inside `root`: if it is Tab or Shift+Tab about to leave `root`, moves focus to the
 * other end instead and returns true (the event's default is prevented). Other keys, and Tab
 * between two elements inside, are left to the browser.
 */
export function trapTab(root: HTMLElement, e: KeyboardEvent): boolean {
  if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return false;
  const items = tabbables(root);
  const active = root.ownerDocument.activeElement;
  const inside = active instanceof HTMLElement && root.contains(active) && active !== root;
  let target: HTMLElement | undefined;
  if (items.length === 0) target = root;
  else if (e.shiftKey && (!inside || active === items[0])) target = items[items.length - 1];
  else if (!e.shiftKey && (!inside || active === items[items.length - 1])) target = items[0];
  if (!target) return false;
  e.preventDefault();
  target.focus();
  return true;
}

// Tag colours reach the page through the CSSOM (a custom property), never through a style
// attribute: the strict CSP forbids inline styles, and only #rrggbb values are applied.

import { safeColor } from './logic';

/** The colour a new tag starts with (the accent blue); tags carry their colour as data. */
export const DEFAULT_TAG_COLOR = '#2f5bd3';

/** `use:tagColor={color}`: sets `--tag-color` on the element, or removes it. */
export function tagColor(node: HTMLElement, color: string | null | undefined) {
  const apply = (c: string | null | undefined) => {
    const safe = safeColor(c);
    if (safe) node.style.setProperty('--tag-color', safe);
    else node.style.removeProperty('--tag-color');
  };
  apply(color);
  return { update: apply };
}

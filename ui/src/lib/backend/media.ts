// A message's media as the browser transport reads it: saved to disk under the message's file
// name where the media's server lets this page read it (cross-origin reads, CORS), and its size
// asked with a HEAD request. Where the server does not allow it (many providers' CDNs), the media
// opens in a new tab instead, where the agent can save it.

import type { SaveOutcome } from './types';

/** Saves `url` as `fileName`, or calls `openOutside(url)` when its bytes cannot be read here. */
export async function saveWithFetch(
  url: string,
  fileName: string,
  openOutside: (url: string) => Promise<void>,
): Promise<SaveOutcome> {
  let blob: Blob;
  try {
    const res = await fetch(url, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    blob = await res.blob();
  } catch {
    await openOutside(url);
    return 'opened';
  }
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the object URL is let go a little later.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return 'saved';
}

const sizes = new Map<string, Promise<number | null>>();

/** The size the media's server announces (one HEAD request per URL), or null. */
export function sizeWithFetch(url: string): Promise<number | null> {
  let known = sizes.get(url);
  if (!known) {
    known = fetch(url, { method: 'HEAD', mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' })
      .then((res) => {
        const n = Number(res.headers.get('content-length'));
        return res.ok && Number.isFinite(n) && n > 0 ? n : null;
      })
      .catch(() => null);
    sizes.set(url, known);
  }
  return known;
}

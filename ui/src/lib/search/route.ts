// The address of what the inbox shows, in the URL hash: `#/c/<conversation id>` and
// `#/c/<conversation id>/m/<message id>` (a link to a message). The same route works in the
// desktop app. Other `&`-separated parts of the hash (inboxd's `token=…`, read once at start-up
// by the HTTP backend) are not ours and are left alone.

export interface Route {
  conversationId: string;
  messageId: string | null;
}

const PATTERN = /^\/c\/([^/]+)(?:\/m\/([^/]+))?\/?$/;

export function parseRoute(hash: string): Route | null {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const path = raw.split('&').find((p) => p.startsWith('/'));
  if (!path) return null;
  const m = PATTERN.exec(path);
  if (!m) return null;
  try {
    return { conversationId: decodeURIComponent(m[1]), messageId: m[2] ? decodeURIComponent(m[2]) : null };
  } catch {
    return null;
  }
}

/** The hash for a route (`''` for none). */
export function routeHash(route: Route | null): string {
  if (!route) return '';
  const c = `#/c/${encodeURIComponent(route.conversationId)}`;
  return route.messageId ? `${c}/m/${encodeURIComponent(route.messageId)}` : c;
}

export function sameRoute(a: Route | null, b: Route | null): boolean {
  return a?.conversationId === b?.conversationId && (a?.messageId ?? null) === (b?.messageId ?? null);
}

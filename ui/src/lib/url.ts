// URL safety: message content is untrusted. A URL from a message may be used
// in src/href only if it parses and its scheme is http or https.

/** The normalized URL if it is an absolute http(s) URL, else null. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (!/^https?:\/\//i.test(s)) return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  return u.href;
}

export interface TextSegment {
  text: string;
  /** Set only for http(s) links. */
  href?: string;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCT = /[.,;:!?)\]}»"']+$/;

/** Split plain text into text and http(s) link segments (for rendering as text nodes + <a>). */
export function linkify(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index ?? 0;
    let candidate = m[0];
    // Don't swallow closing punctuation, but keep balanced parentheses (Wikipedia-style links).
    const trail = candidate.match(TRAILING_PUNCT);
    if (trail) {
      let cut = trail[0];
      const opens = (candidate.match(/\(/g) ?? []).length;
      const closes = (candidate.match(/\)/g) ?? []).length;
      if (cut.startsWith(')') && opens >= closes) cut = cut.slice(1);
      candidate = candidate.slice(0, candidate.length - cut.length);
    }
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Last path segment of a URL, decoded ("report.pdf"), or "" if none. */
export function fileNameFromUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const seg = u.pathname.split('/').filter(Boolean).pop() ?? '';
    try {
      return decodeURIComponent(seg);
    } catch {
      return seg;
    }
  } catch {
    return '';
  }
}

const EXT_KIND: Record<string, 'image' | 'video' | 'audio'> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  mp4: 'video',
  mov: 'video',
  webm: 'video',
  '3gp': 'video',
  mp3: 'audio',
  ogg: 'audio',
  oga: 'audio',
  opus: 'audio',
  m4a: 'audio',
  aac: 'audio',
  wav: 'audio',
  amr: 'audio',
};

/** Guess the message kind for a file URL from its extension. */
export function guessKind(raw: string): 'image' | 'video' | 'audio' | 'file' {
  const name = fileNameFromUrl(raw).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot === -1) return 'file';
  return EXT_KIND[name.slice(dot + 1)] ?? 'file';
}

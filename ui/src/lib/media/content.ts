// Files from disk: the agent's own files in the timeline. A message sent from the media store
// carries `{"media": StoredMedia}` as its payload and no URL; its bytes are read through the
// backend and shown from an object URL (the web view loads no remote URL for them).

import type { Backend, Message, StoredMedia } from '../backend/types';

/** The stored file a message was sent with, or null. */
export function storedMediaOf(m: Pick<Message, 'payload'>): StoredMedia | null {
  const p = m.payload as { media?: unknown } | null;
  const media = p && typeof p === 'object' && 'media' in p ? p.media : null;
  if (!media || typeof media !== 'object') return null;
  const { id, mime_type } = media as Partial<StoredMedia>;
  return typeof id === 'string' && typeof mime_type === 'string' ? (media as StoredMedia) : null;
}

/** Object URLs of stored files, one per file for the page's life (they are the agent's own, few). */
const urls = new Map<string, Promise<string>>();

export function storedMediaUrl(backend: Pick<Backend, 'mediaContent'>, media: StoredMedia): Promise<string> {
  let url = urls.get(media.id);
  if (!url) {
    url = backend.mediaContent(media.id, media.mime_type).then((blob) => URL.createObjectURL(blob));
    url.catch(() => urls.delete(media.id));
    urls.set(media.id, url);
  }
  return url;
}

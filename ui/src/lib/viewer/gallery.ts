// The images of the open conversation, in timeline order, for the image viewer's previous/next.

import { safeHttpUrl, fileNameFromUrl } from '../url';

/** The fields of a message the gallery reads. */
export interface GalleryMessage {
  id: string;
  kind: string;
  media_url: string | null;
  caption: string | null;
  body: string | null;
  file_name: string | null;
  deleted_at: string | null;
  sender_name: string | null;
  direction: string;
  created_at: string;
}

export interface GalleryImage {
  /** The message's id. */
  id: string;
  /** The safe (http(s)) URL of the image. */
  src: string;
  caption: string | null;
  /** The name the image is saved under. */
  fileName: string;
  sender: string | null;
  direction: string;
  createdAt: string;
}

/** The name an image is saved under: its file name, the URL's last segment, or `image-<id>`. */
export function imageFileName(m: Pick<GalleryMessage, 'id' | 'file_name' | 'media_url'>): string {
  const named = m.file_name?.trim() || (m.media_url ? fileNameFromUrl(m.media_url) : '');
  return named || `image-${m.id.slice(0, 8)}`;
}

/**
 * Every image (not stickers) the viewer can show: with a safe URL and not deleted, oldest first,
 * as the timeline shows them.
 */
export function galleryOf(messages: readonly GalleryMessage[]): GalleryImage[] {
  const out: GalleryImage[] = [];
  for (const m of messages) {
    if (m.kind !== 'image' || m.deleted_at) continue;
    const src = safeHttpUrl(m.media_url);
    if (!src) continue;
    out.push({
      id: m.id,
      src,
      caption: m.caption?.trim() || m.body?.trim() || null,
      fileName: imageFileName(m),
      sender: m.sender_name,
      direction: m.direction,
      createdAt: m.created_at,
    });
  }
  return out;
}

/** The index `step` away from `index` in a gallery of `length`, or null past either end. */
export function stepIndex(index: number, step: number, length: number): number | null {
  const next = index + step;
  return next >= 0 && next < length ? next : null;
}

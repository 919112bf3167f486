// Files from disk: the attachments the composer holds before sending. Each file is uploaded to
// the engine's media store as soon as it is attached (with the conversation, so the provider's
// limits are checked at once and a refused file shows its reason on its own chip); sending then
// names the stored file by id. Several files are several messages, each with its own caption.

import { toBackendError } from '../backend/errors';
import type { Backend, MessageKind, SendMessage, StoredMedia } from '../backend/types';

export type AttachmentState = 'uploading' | 'ready' | 'failed';

export interface Attachment {
  key: number;
  name: string;
  size: number;
  type: string;
  /** An object URL of the file for an image's thumbnail, or null. */
  preview: string | null;
  state: AttachmentState;
  media: StoredMedia | null;
  /** Why the file cannot be sent (the engine's words, in the agent's language). */
  error: string | null;
  caption: string;
}

/** Image types a browser can show as a thumbnail. */
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|bmp|avif)$/;

/** A name for a pasted image, which has none of its own: `pasted-2026-12-03-1130.png`. */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off timestamp, not state
export function pastedName(type: string, now: Date = new Date()): string {
  const ext =
    type
      .split('/')[1]
      ?.replace('jpeg', 'jpg')
      .replace(/[^a-z0-9]/g, '') || 'png';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `pasted-${stamp}.${ext}`;
}

/** A file size as people read it: `5 MB`, `1.5 MB`, `100 KB`, `12 B`. */
export function humanSize(bytes: number): string {
  const one = (v: number, unit: string) => `${Number.isInteger(v) ? v : v.toFixed(1).replace(/\.0$/, '')} ${unit}`;
  if (bytes >= 1024 * 1024) return one(bytes / (1024 * 1024), 'MB');
  if (bytes >= 1024) return one(bytes / 1024, 'KB');
  return `${bytes} B`;
}

/** The message that sends a stored file. */
export function mediaMessage(media: StoredMedia, caption: string, withCaption: boolean): SendMessage {
  const m: SendMessage = { kind: media.kind as MessageKind, media_id: media.id, file_name: media.file_name };
  if (withCaption && caption.trim()) m.caption = caption.trim();
  return m;
}

export class AttachmentList {
  items = $state<Attachment[]>([]);
  private next = 1;
  private readonly backend: Pick<Backend, 'uploadMedia'>;
  private readonly conversationId: () => string;
  private readonly objectUrls: { create(b: Blob): string; revoke(u: string): void };

  constructor(
    backend: Pick<Backend, 'uploadMedia'>,
    conversationId: () => string,
    objectUrls = { create: (b: Blob) => URL.createObjectURL(b), revoke: (u: string) => URL.revokeObjectURL(u) },
  ) {
    this.backend = backend;
    this.conversationId = conversationId;
    this.objectUrls = objectUrls;
  }

  /** Attaches files (from the picker, a drop or a paste) and starts uploading each. */
  add(files: Iterable<File>): Promise<void[]> {
    const uploads: Promise<void>[] = [];
    for (const file of files) {
      const name = file.name || pastedName(file.type);
      const item: Attachment = {
        key: this.next++,
        name,
        size: file.size,
        type: file.type,
        preview: PREVIEWABLE.test(file.type) ? this.objectUrls.create(file) : null,
        state: 'uploading',
        media: null,
        error: null,
        caption: '',
      };
      this.items.push(item);
      uploads.push(this.upload(item.key, file, name));
    }
    return Promise.all(uploads);
  }

  private async upload(key: number, file: File, name: string): Promise<void> {
    try {
      const media = await this.backend.uploadMedia(file, name, this.conversationId());
      this.update(key, { state: 'ready', media, name: media.file_name });
    } catch (err) {
      this.update(key, { state: 'failed', error: toBackendError(err).message });
    }
  }

  private update(key: number, patch: Partial<Attachment>) {
    const i = this.items.findIndex((a) => a.key === key);
    if (i >= 0) this.items[i] = { ...this.items[i], ...patch };
  }

  remove(key: number) {
    const item = this.items.find((a) => a.key === key);
    if (item?.preview) this.objectUrls.revoke(item.preview);
    this.items = this.items.filter((a) => a.key !== key);
  }

  /** Forgets an attachment once its message was accepted. */
  removeMedia(mediaId: string) {
    const item = this.items.find((a) => a.media?.id === mediaId);
    if (item) this.remove(item.key);
  }

  setCaption(key: number, caption: string) {
    this.update(key, { caption });
  }

  get uploading(): boolean {
    return this.items.some((a) => a.state === 'uploading');
  }

  get failed(): boolean {
    return this.items.some((a) => a.state === 'failed');
  }

  /** Files ready to send, in the order attached. */
  get ready(): Attachment[] {
    return this.items.filter((a) => a.state === 'ready' && a.media);
  }

  clear() {
    for (const a of this.items) if (a.preview) this.objectUrls.revoke(a.preview);
    this.items = [];
  }
}

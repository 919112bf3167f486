import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/lib/backend/errors';
import type { Message, StoredMedia } from '../src/lib/backend/types';
import { AttachmentList, humanSize, mediaMessage, pastedName } from '../src/lib/media/attachments.svelte';
import { storedMediaOf } from '../src/lib/media/content';

function stored(name: string, kind: StoredMedia['kind'] = 'file', mime = 'application/pdf'): StoredMedia {
  return {
    id: `m-${name}`,
    kind,
    file_name: name,
    mime_type: mime,
    size: 10,
    sha256: '0'.repeat(64),
    created_at: '2026-12-03T12:00:00Z',
  };
}

const fakeUrls = () => {
  const live = new Set<string>();
  let n = 0;
  return {
    live,
    create: () => {
      const u = `blob:${++n}`;
      live.add(u);
      return u;
    },
    revoke: (u: string) => live.delete(u),
  };
};

describe('attachments', () => {
  it('uploads each file with the conversation and sends each as its own message', async () => {
    const calls: [string, string | undefined][] = [];
    const urls = fakeUrls();
    const list = new AttachmentList(
      {
        uploadMedia: async (_file, name, conversationId) => {
          calls.push([name, conversationId]);
          return name.endsWith('.png') ? stored(name, 'image', 'image/png') : stored(name);
        },
      },
      () => 'c1',
      urls,
    );
    const uploads = list.add([
      new File(['%PDF'], 'Orçamento.pdf', { type: 'application/pdf' }),
      new File(['png'], 'print.png', { type: 'image/png' }),
    ]);
    expect(list.uploading).toBe(true);
    expect(list.items.map((a) => a.state)).toEqual(['uploading', 'uploading']);
    expect(list.items[1].preview).toBe('blob:1');
    expect(list.items[0].preview).toBeNull();
    await uploads;
    expect(calls).toEqual([
      ['Orçamento.pdf', 'c1'],
      ['print.png', 'c1'],
    ]);
    expect(list.uploading).toBe(false);
    list.setCaption(list.items[1].key, '  a tela  ');
    const messages = list.ready.map((a) => mediaMessage(a.media!, a.caption, true));
    expect(messages).toEqual([
      { kind: 'file', media_id: 'm-Orçamento.pdf', file_name: 'Orçamento.pdf' },
      { kind: 'image', media_id: 'm-print.png', file_name: 'print.png', caption: 'a tela' },
    ]);
    expect(mediaMessage(list.ready[1].media!, 'a tela', false).caption).toBeUndefined();
    list.removeMedia('m-print.png');
    expect(list.items.map((a) => a.name)).toEqual(['Orçamento.pdf']);
    expect(urls.live.size).toBe(0); // the thumbnail is released
  });

  it('keeps a refused file with its reason until it is removed', async () => {
    const list = new AttachmentList(
      {
        uploadMedia: () =>
          Promise.reject(
            new BackendError(
              'invalid_input',
              'big.png is 6 MB: Wegly takes files of this type up to 5 MB',
              'media.too_large',
              {
                name: 'big.png',
                size: '6 MB',
                max: '5 MB',
                provider: 'wegly',
              },
            ),
          ),
      },
      () => 'c1',
      fakeUrls(),
    );
    await list.add([new File(['x'], 'big.png', { type: 'image/png' })]);
    expect(list.failed).toBe(true);
    expect(list.ready).toEqual([]);
    expect(list.items[0].error).toContain('5 MB');
    list.remove(list.items[0].key);
    expect(list.items).toEqual([]);
  });

  it('names a pasted image and reads sizes as people write them', () => {
    expect(pastedName('image/png', new Date(2026, 11, 3, 9, 5, 7))).toBe('pasted-2026-12-03-090507.png');
    expect(pastedName('image/jpeg', new Date(2026, 0, 1))).toMatch(/\.jpg$/);
    expect(humanSize(5 * 1024 * 1024)).toBe('5 MB');
    expect(humanSize(1536 * 1024)).toBe('1.5 MB');
    expect(humanSize(2048)).toBe('2 KB');
    expect(humanSize(12)).toBe('12 B');
  });

  it('finds the stored file a message was sent with', () => {
    const media = stored('a.pdf');
    expect(storedMediaOf({ payload: { media } } as unknown as Message)).toEqual(media);
    expect(storedMediaOf({ payload: null } as Message)).toBeNull();
    expect(storedMediaOf({ payload: { raw: {} } } as unknown as Message)).toBeNull();
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveWithFetch, sizeWithFetch } from '../src/lib/backend/media';
import { detect } from '../src/lib/message/detect';
import { COLLAPSE_CHARS, COLLAPSE_LINES, isLong } from '../src/lib/message/collapse';
import { fileNameOf, fileType, formatSize } from '../src/lib/message/file';
import { galleryOf, imageFileName, stepIndex, type GalleryMessage } from '../src/lib/viewer/gallery';

const joined = (s: string) =>
  detect(s)
    .map((p) => p.text)
    .join('');

describe('detect: links', () => {
  it('finds http(s) links and bare domains, normalised', () => {
    const parts = detect('see https://example.com/a?b=1, or www.loja.com.br/pedido now');
    expect(parts.filter((p) => p.type === 'link')).toEqual([
      { type: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { type: 'link', text: 'www.loja.com.br/pedido', href: 'http://www.loja.com.br/pedido' },
    ]);
  });

  it('leaves trailing punctuation and closing brackets out of a link', () => {
    const links = detect('(https://x.com/a). Done').filter((p) => p.type === 'link');
    expect(links).toEqual([{ type: 'link', text: 'https://x.com/a', href: 'https://x.com/a' }]);
  });

  it('never links other schemes, e-mail addresses or file names', () => {
    for (const s of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'mail me at ana@exemplo.com.br', 'nota.pdf']) {
      expect(
        detect(s).some((p) => p.type === 'link'),
        s,
      ).toBe(false);
    }
  });

  it('keeps markup as text', () => {
    expect(detect('<img src=x onerror=alert(1)>')).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('detect: phone numbers', () => {
  it('finds Brazilian numbers as people write them, with or without the country code', () => {
    const phones = detect('Ligue (11) 98765-4321 ou +55 21 99876-1234, ou 5511987654001.').filter(
      (p) => p.type === 'phone',
    );
    expect(phones.map((p) => [p.text, p.type === 'phone' && p.e164])).toEqual([
      ['(11) 98765-4321', '+5511987654321'],
      ['+55 21 99876-1234', '+5521998761234'],
      ['5511987654001', '+5511987654001'],
    ]);
    expect(phones[0]).toMatchObject({ international: '+55 11 98765 4321', country: 'BR' });
  });

  it('finds numbers of other countries written with their code', () => {
    const phones = detect('Call +1 415 555 2671 please').filter((p) => p.type === 'phone');
    expect(phones).toEqual([
      { type: 'phone', text: '+1 415 555 2671', e164: '+14155552671', international: '+1 415 555 2671', country: 'US' },
    ]);
  });

  it('does not take order numbers, protocols, CPFs, prices or dates for phone numbers', () => {
    const s = 'Pedido #4821, protocolo 48210, CPF 123.456.789-09, total R$ 1.234,56, em 12/10/2024 às 14:30.';
    expect(detect(s)).toEqual([{ type: 'text', text: s }]);
  });

  it('lets a link keep the digits inside it', () => {
    const parts = detect('https://loja.com/p/11987654321 e 11 98765-4321');
    expect(parts.map((p) => p.type)).toEqual(['link', 'text', 'phone']);
  });

  it('without a default country, reads only numbers with their country code', () => {
    expect(detect('(11) 98765-4321', null).some((p) => p.type === 'phone')).toBe(false);
  });
});

describe('detect: the text comes back whole', () => {
  it('round-trips every character', () => {
    for (const s of [
      '',
      'plain',
      'a https://a.b/c b http://d.e/ f',
      'Oi! Meu número é (11) 98765-4321 e o site www.x.com.br 🙂\nlinha 2 +55 21 99876-1234',
    ]) {
      expect(joined(s)).toBe(s);
    }
  });
});

describe('collapse rule', () => {
  it('collapses by length and by lines', () => {
    expect(isLong(null)).toBe(false);
    expect(isLong('')).toBe(false);
    expect(isLong('x'.repeat(COLLAPSE_CHARS))).toBe(false);
    expect(isLong('x'.repeat(COLLAPSE_CHARS + 1))).toBe(true);
    expect(isLong(Array(COLLAPSE_LINES).fill('l').join('\n'))).toBe(false);
    expect(
      isLong(
        Array(COLLAPSE_LINES + 1)
          .fill('l')
          .join('\n'),
      ),
    ).toBe(true);
  });

  it('counts characters, not UTF-16 units (emoji)', () => {
    expect(isLong('🙂'.repeat(COLLAPSE_CHARS))).toBe(false);
  });
});

describe('files', () => {
  it('names the type from the extension', () => {
    expect(fileType('Nota Fiscal 3390.PDF')).toBe('PDF');
    expect(fileType('planilha.xlsx')).toBe('Excel');
    expect(fileType('https://cdn.x/a/relatorio.docx?sig=1')).toBe('Word');
    expect(fileType('backup.tar.gz')).toBe('GZ');
    expect(fileType('README')).toBe(null);
    expect(fileType('.env')).toBe(null);
    expect(fileType('weird.ext-with-dash')).toBe(null);
  });

  it('names the file from the message, its body or its URL', () => {
    expect(fileNameOf({ file_name: ' a.pdf ', body: 'b', media_url: 'https://x/c.pdf' })).toBe('a.pdf');
    expect(fileNameOf({ file_name: null, body: 'b.pdf', media_url: 'https://x/c.pdf' })).toBe('b.pdf');
    expect(fileNameOf({ file_name: null, body: null, media_url: 'https://x/d%20e.pdf' })).toBe('d e.pdf');
    expect(fileNameOf({ file_name: null, body: null, media_url: null })).toBe('');
  });

  it('formats sizes in the agent language', () => {
    expect(formatSize(null, 'en')).toBe(null);
    expect(formatSize(-1, 'en')).toBe(null);
    expect(formatSize(512, 'en')).toBe('512 bytes');
    expect(formatSize(12_345, 'en')).toBe('12 kB');
    expect(formatSize(3_400_000, 'en')).toBe('3.4 MB');
    expect(formatSize(3_400_000, 'pt-BR')).toBe('3,4 MB');
  });
});

describe('gallery', () => {
  const msg = (id: string, over: Partial<GalleryMessage> = {}): GalleryMessage => ({
    id,
    kind: 'image',
    media_url: `https://cdn.example.com/${id}.jpg`,
    caption: null,
    body: null,
    file_name: null,
    deleted_at: null,
    sender_name: 'Ana',
    direction: 'inbound',
    created_at: '2026-01-01T10:00:00Z',
    ...over,
  });

  it('keeps the images with a safe URL, in timeline order', () => {
    const g = galleryOf([
      msg('a', { caption: ' the parcel ' }),
      msg('b', { kind: 'text', media_url: null }),
      msg('c', { kind: 'sticker' }),
      msg('d', { media_url: 'javascript:alert(1)' }),
      msg('e', { deleted_at: '2026-01-01T11:00:00Z' }),
      msg('f', { body: 'photo body' }),
    ]);
    expect(g.map((i) => i.id)).toEqual(['a', 'f']);
    expect(g[0]).toMatchObject({ src: 'https://cdn.example.com/a.jpg', caption: 'the parcel', fileName: 'a.jpg' });
    expect(g[1].caption).toBe('photo body');
  });

  it('names an image without a file name by its message', () => {
    expect(imageFileName({ id: '0123456789', file_name: null, media_url: 'https://x/' })).toBe('image-01234567');
    expect(imageFileName({ id: '1', file_name: 'foto.png', media_url: 'https://x/y.jpg' })).toBe('foto.png');
  });

  it('steps within the gallery and stops at both ends', () => {
    expect(stepIndex(0, -1, 3)).toBe(null);
    expect(stepIndex(0, 1, 3)).toBe(1);
    expect(stepIndex(2, 1, 3)).toBe(null);
    expect(stepIndex(1, -1, 3)).toBe(0);
  });
});

describe('saving media (browser transport)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('downloads the bytes under the file name when the server allows reading them', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('bytes', { status: 200 })),
    );
    const clicked: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    URL.createObjectURL = vi.fn(() => 'blob:local/1');
    URL.revokeObjectURL = vi.fn();
    const outside = vi.fn(async () => {});
    expect(await saveWithFetch('https://cdn.example.com/a.jpg', 'foto.jpg', outside)).toBe('saved');
    expect(clicked).toEqual([{ href: 'blob:local/1', download: 'foto.jpg' }]);
    expect(outside).not.toHaveBeenCalled();
    click.mockRestore();
  });

  it('opens the media outside when the server does not allow it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const outside = vi.fn(async () => {});
    expect(await saveWithFetch('https://cdn.example.com/b.jpg', 'b.jpg', outside)).toBe('opened');
    expect(outside).toHaveBeenCalledWith('https://cdn.example.com/b.jpg');
  });

  it('reads the announced size once per URL', async () => {
    const f = vi.fn(async () => new Response(null, { status: 200, headers: { 'content-length': '2048' } }));
    vi.stubGlobal('fetch', f);
    expect(await sizeWithFetch('https://cdn.example.com/c.pdf')).toBe(2048);
    expect(await sizeWithFetch('https://cdn.example.com/c.pdf')).toBe(2048);
    expect(f).toHaveBeenCalledTimes(1);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('blocked');
      }),
    );
    expect(await sizeWithFetch('https://cdn.example.com/d.pdf')).toBe(null);
  });
});

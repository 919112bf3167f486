// Browser end-to-end: files from the agent's disk. In the demo (inboxd + its simulator), the
// agent attaches a PDF through the file picker, pastes an image with a caption, drops a file on
// the conversation, attaches several at once and removes one, and is told clearly when a file is
// over the provider's limit. Each sent file is fetched by the simulated provider from the
// receiver's expiring URL; the test compares what it got with the bytes on disk. In English and
// in Portuguese; screenshots docs/screenshots/media-*.png.
//
//   cargo build -p inboxd && (cd ui && npm run build) && cd tests && node --test browser/media.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

import { browserSession, T } from '../lib/browser.mjs';
import { CUSTOMER, tempDir, waitFor } from '../lib/harness.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A real PNG (a colour gradient with a parcel-brown square), so thumbnails show something. */
function png(width, height, { padTo = 0 } = {}) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inBox = x > width / 3 && x < (2 * width) / 3 && y > height / 4 && y < (3 * height) / 4;
      row[1 + x * 3] = inBox ? 0xd7 : 40 + Math.round((180 * x) / width);
      row[2 + x * 3] = inBox ? 0xa8 : 120;
      row[3 + x * 3] = inBox ? 0x6e : 200 - Math.round((120 * y) / height);
    }
    rows.push(row);
  }
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
  ];
  // An ancillary chunk of filler makes a file as large as asked (still a valid PNG).
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (padTo > size + 12) parts.push(chunk('zfIL', Buffer.alloc(padTo - size - 12, 7)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A small valid PDF. */
function pdf(title) {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n% ${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** Files on the agent's disk. */
function filesOnDisk() {
  const dir = tempDir('media-files');
  const write = (name, bytes) => {
    const p = path.join(dir.dir, name);
    writeFileSync(p, bytes);
    return { path: p, name, bytes };
  };
  return {
    dir,
    quote: write('Orçamento 4821.pdf', pdf('Orçamento 4821')),
    invoice: write('Nota fiscal.pdf', pdf('Nota fiscal')),
    photo: write('embalagem.png', png(160, 100)),
    big: write('foto-grande.png', png(64, 64, { padTo: 6 * 1024 * 1024 })),
  };
}

/** Fires a synthetic event carrying files (a drop or a paste) inside the page. */
async function fireWithFiles(page, selector, kind, files) {
  const payload = files.map((f) => ({ name: f.name, type: f.type, b64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate(
    ({ selector, kind, payload }) => {
      const dt = new DataTransfer();
      for (const f of payload) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const target = document.querySelector(selector);
      if (kind === 'paste') {
        target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      } else {
        for (const type of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
      }
    },
    { selector, kind, payload },
  );
}

/** The simulated provider's recorded send of the file named `name`, once it fetched the file. */
async function fetchedBySim(s, provider, match, what) {
  return s.sim.waitForRequest((r) => r.provider === provider && r.media && match(r), what, T);
}

function assertSameBytes(request, file) {
  assert.equal(request.media.status, 200, JSON.stringify(request.media));
  assert.equal(request.media.len, file.bytes.length, `${file.name}: the length the provider got`);
  assert.equal(request.media.sha256, sha256(file.bytes), `${file.name}: the bytes the provider got`);
}

/** Waits for every attachment to finish uploading. */
async function uploaded(page, count) {
  const items = page.locator('[data-testid=attachment-item]');
  await waitFor(async () => (await items.count()) === count, { timeout: T, message: `${count} attachments` });
  await waitFor(
    async () => (await page.locator('[data-testid=attachment-item][data-state=uploading]').count()) === 0,
    { timeout: T, message: 'the attachments to upload' },
  );
}

/** The outbound message with this file name (or caption), once sent. */
async function sentBubble(view, text) {
  const out = view.locator('[data-testid=message][data-direction=outbound]', { hasText: text }).last();
  await out.waitFor({ state: 'visible' });
  await waitFor(
    async () => {
      const st = await out.getAttribute('data-status');
      if (st === 'failed') throw Object.assign(new Error(`"${text}" failed`), { fatal: true });
      return ['sent', 'delivered', 'read'].includes(st);
    },
    { timeout: T, message: `"${text}" to be sent` },
  );
  return out;
}

describe('browser: files from disk (English)', () => {
  const s = browserSession({ name: 'media' });
  const files = filesOnDisk();
  before(s.start);
  after(async () => {
    await s.stop();
    files.dir.cleanup();
  });

  test(
    'a PDF from disk through the picker reaches the provider byte for byte',
    s.run(async () => {
      await s.open();
      await s.sim.inbound({ ...CUSTOMER, text: 'Pode me mandar o orçamento?' });
      const view = await s.openConversation(CUSTOMER.sender_name, 'mconnect');
      await s.page.locator('[data-testid=attach-files]').waitFor({ state: 'visible' });
      await s.page.locator('[data-testid=attach-input]').setInputFiles(files.quote.path);
      await uploaded(s.page, 1);
      const chip = s.page.locator('[data-testid=attachment-item]');
      assert.equal((await chip.locator('[data-testid=attachment-name]').textContent()).trim(), files.quote.name);
      assert.match(await chip.locator('[data-testid=attachment-size]').textContent(), /\d+ B/);
      await s.page.locator('[data-testid=attachment-caption-input]').fill('Segue o orçamento do pedido 4821');
      await s.screenshot('media-pdf-preview.png');
      await s.page.locator('[data-testid=composer-send]').click();
      const sent = await fetchedBySim(
        s,
        'mconnect',
        (r) => r.body?.element_data?.filename === files.quote.name,
        'the PDF fetched by mConnect',
      );
      assertSameBytes(sent, files.quote);
      assert.equal(sent.body.element_data.caption, 'Segue o orçamento do pedido 4821');
      assert.match(sent.body.element_data.file_url, /\/media\/[0-9a-f-]+\/\d+\.[0-9a-f-]+\.[A-Za-z0-9_-]+$/);
      const bubble = await sentBubble(view, files.quote.name);
      assert.equal(await s.page.locator('[data-testid=attachment-item]').count(), 0, 'the composer is empty again');
      const link = bubble.locator('[data-testid=file-card] a[href]').first();
      assert.match(await link.getAttribute('href'), /^blob:/, 'shown from the media store, not a remote URL');
    }),
  );

  test(
    'an image pasted from the clipboard goes with its caption and shows in the timeline',
    s.run(async () => {
      const view = s.page.locator('[data-testid=conversation-view]');
      await s.page.locator('[data-testid=composer-input]').click();
      await fireWithFiles(s.page, '[data-testid=composer-input]', 'paste', [
        { name: '', type: 'image/png', bytes: files.photo.bytes },
      ]);
      await uploaded(s.page, 1);
      const chip = s.page.locator('[data-testid=attachment-item]');
      assert.match(await chip.locator('[data-testid=attachment-name]').textContent(), /^pasted-.*\.png$/);
      await chip.locator('[data-testid=attachment-thumb]').waitFor({ state: 'visible' });
      await s.page.locator('[data-testid=attachment-caption-input]').fill('A caixa chegou amassada assim');
      await s.screenshot('media-pasted-preview.png');
      await s.page.locator('[data-testid=composer-send]').click();
      const sent = await fetchedBySim(
        s,
        'mconnect',
        (r) => r.body?.element_data?.caption === 'A caixa chegou amassada assim',
        'the pasted image fetched by mConnect',
      );
      assertSameBytes(sent, files.photo);
      assert.equal(sent.media.content_type, 'image/png');
      const bubble = await sentBubble(view, 'A caixa chegou amassada assim');
      const img = bubble.locator('img');
      await img.waitFor({ state: 'visible' });
      assert.match(await img.getAttribute('src'), /^blob:/);
      await waitFor(async () => (await img.evaluate((i) => i.naturalWidth)) === 160, {
        timeout: T,
        message: 'the image to load from the media store',
      });
      await s.screenshot('media-sent.png');
    }),
  );

  test(
    'files dropped on the conversation and several picked at once, one removed, each sent as its own message',
    s.run(async () => {
      const view = s.page.locator('[data-testid=conversation-view]');
      await fireWithFiles(s.page, '[data-testid=conversation-view]', 'drop', [
        { name: files.invoice.name, type: 'application/pdf', bytes: files.invoice.bytes },
      ]);
      await uploaded(s.page, 1);
      await s.page.locator('[data-testid=attach-input]').setInputFiles([files.photo.path, files.quote.path]);
      await uploaded(s.page, 3);
      const names = await s.page.locator('[data-testid=attachment-name]').allTextContents();
      assert.deepEqual(names.map((n) => n.trim()), [files.invoice.name, files.photo.name, files.quote.name]);
      await s.screenshot('media-several.png');
      const before = (await s.sim.requests()).filter((r) => r.provider === 'mconnect' && r.media).length;
      await s.page
        .locator('[data-testid=attachment-item]', { hasText: files.photo.name })
        .locator('[data-testid=attachment-remove]')
        .click();
      await uploaded(s.page, 2);
      await s.page.locator('[data-testid=composer-send]').click();
      const invoice = await fetchedBySim(
        s,
        'mconnect',
        (r) => r.body?.element_data?.filename === files.invoice.name,
        'the dropped PDF',
      );
      assertSameBytes(invoice, files.invoice);
      await sentBubble(view, files.invoice.name);
      await waitFor(
        async () => (await s.sim.requests()).filter((r) => r.provider === 'mconnect' && r.media).length === before + 2,
        { timeout: T, message: 'two file sends' },
      );
      const after = (await s.sim.requests()).filter((r) => r.provider === 'mconnect' && r.media).slice(before);
      assert.deepEqual(
        after.map((r) => r.body.element_data.filename),
        [files.invoice.name, files.quote.name],
        'the removed image was not sent',
      );
      assertSameBytes(after[1], files.quote);
    }),
  );

  test(
    'a file over the provider\'s limit is refused on its chip with the reason, before anything is sent',
    s.run(async () => {
      await s.openConversation('Juliana Costa', 'wegly');
      const before = (await s.sim.requests()).length;
      await s.page.locator('[data-testid=attach-input]').setInputFiles(files.big.path);
      const error = s.page.locator('[data-testid=attachment-error]');
      await error.waitFor({ state: 'visible' });
      const text = await error.textContent();
      assert.match(text, /foto-grande\.png is 6 MB: Wegly takes files of this type up to 5 MB/);
      assert.equal(await s.page.locator('[data-testid=composer-send]').isDisabled(), true, 'nothing to send');
      await s.screenshot('media-too-large.png');
      await s.page.locator('[data-testid=attachment-remove]').click();
      assert.equal(await s.page.locator('[data-testid=attachment-item]').count(), 0);
      const wegly = (await s.sim.requests()).slice(before).filter((r) => r.provider === 'wegly' && r.method === 'POST');
      assert.deepEqual(wegly, [], 'Wegly was not called');
    }),
  );
});

describe('browser: files from disk (Portuguese)', () => {
  const s = browserSession({ name: 'media-pt', locale: 'pt-BR' });
  const files = filesOnDisk();
  before(s.start);
  after(async () => {
    await s.stop();
    files.dir.cleanup();
  });

  test(
    'anexar um PDF, colar uma imagem com legenda e ver o limite do provedor, em português',
    s.run(async () => {
      await s.open();
      await s.sim.inbound({ ...CUSTOMER, text: 'Pode me mandar a nota?' });
      const view = await s.openConversation(CUSTOMER.sender_name, 'mconnect');
      assert.equal(await s.page.locator('[data-testid=attach-files]').getAttribute('aria-label'), 'Anexar arquivos');
      await s.page.locator('[data-testid=attach-input]').setInputFiles(files.invoice.path);
      await uploaded(s.page, 1);
      await fireWithFiles(s.page, '[data-testid=composer-input]', 'paste', [
        { name: '', type: 'image/png', bytes: files.photo.bytes },
      ]);
      await uploaded(s.page, 2);
      const captions = s.page.locator('[data-testid=attachment-caption-input]');
      assert.equal(await captions.first().getAttribute('placeholder'), 'Legenda (opcional)');
      await captions.nth(1).fill('Foto da embalagem');
      await s.screenshot('media-pt-preview.png');
      await s.page.locator('[data-testid=composer-send]').click();
      const pdfSent = await fetchedBySim(
        s,
        'mconnect',
        (r) => r.body?.element_data?.filename === files.invoice.name,
        'o PDF',
      );
      assertSameBytes(pdfSent, files.invoice);
      const imageSent = await fetchedBySim(
        s,
        'mconnect',
        (r) => r.body?.element_data?.caption === 'Foto da embalagem',
        'a imagem colada',
      );
      assertSameBytes(imageSent, files.photo);
      await sentBubble(view, 'Foto da embalagem');

      await s.openConversation('Juliana Costa', 'wegly');
      await s.page.locator('[data-testid=attach-input]').setInputFiles(files.big.path);
      const error = s.page.locator('[data-testid=attachment-error]');
      await error.waitFor({ state: 'visible' });
      assert.match(await error.textContent(), /foto-grande\.png tem 6 MB: Wegly aceita arquivos deste tipo até 5 MB/);
      await s.screenshot('media-pt-too-large.png');
    }),
  );
});

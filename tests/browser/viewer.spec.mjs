// Browser end-to-end: the conversation view's media and text, in English and in Portuguese.
//
// A simulated customer (mConnect) sends two photos (one from the simulator's media routes, one
// from a small local file server that allows cross-origin reads), a voice note, a video, a PDF,
// a long message and a message with a link and a phone number. The test opens the photos in the
// viewer (zoom by button, wheel and double-click, previous/next by button and arrow keys,
// download, Escape), checks that audio and video play inline and the file card names the file,
// its type and size and saves it, collapses and expands the long message, follows the link and
// copies the phone number / starts a conversation with it, and measures the timeline and the
// composer in a 1920 px window. Screenshots: docs/screenshots/viewer-*.png.
//
//   cd tests && node --test browser/viewer.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { browserSession, T } from '../lib/browser.mjs';
import { CUSTOMER, freePorts, waitFor } from '../lib/harness.mjs';

const CUSTOMER_NUMBER = '5511955554444';
const CUSTOMER_NAME = 'Marina Lopes';
const PHONE_WRITTEN = '(11) 98765-4321';
const PHONE_E164 = '+5511987654321';
const PDF_NAME = 'Nota fiscal 3390.pdf';

// ---- what the local file server serves (cross-origin reads allowed, like a CDN with CORS)

const PHOTO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480">
<rect width="640" height="480" fill="#fff3e0"/><rect x="170" y="150" width="300" height="200" rx="8" fill="#d7a86e" stroke="#8d6e63" stroke-width="6"/>
<path d="M170 200h300" stroke="#8d6e63" stroke-width="6"/><text x="320" y="420" font-family="sans-serif" font-size="28" text-anchor="middle" fill="#6d4c41">Entrega 4821</text></svg>`;

/** Half a second of a 440 Hz tone, 8 kHz mono 16-bit PCM. */
function wavTone() {
  const rate = 8000;
  const samples = rate / 2;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  return buf;
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n' +
    '%'.repeat(1100),
);

const LONG_TEXT = [
  'Boa tarde! Vou explicar tudo o que aconteceu com o pedido, desde o começo, para vocês entenderem.',
  ...Array.from(
    { length: 14 },
    (_, i) =>
      `${i + 1}. No dia ${i + 3} de outubro falei com a loja de novo e me disseram que a entrega sairia no dia seguinte, mas nada chegou.`,
  ),
  'Fim do relato: preciso de uma solução ainda esta semana.',
].join('\n');

/** A local file server: the photo, voice note, video, PDF and a tracking page. */
function fileServer(files) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = files[decodeURIComponent(url.pathname)];
    if (!file) {
      res.writeHead(404, { 'access-control-allow-origin': '*' });
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': String(file.body.length),
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
}

/** A short WebM recorded by the browser itself (a canvas through MediaRecorder). */
async function recordWebm(page) {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 120;
    const ctx = c.getContext('2d');
    const rec = new MediaRecorder(c.captureStream(15), { mimeType: 'video/webm' });
    const chunks = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((r) => (rec.onstop = r));
    let f = 0;
    const draw = () => {
      ctx.fillStyle = `hsl(${(f++ * 20) % 360} 70% 50%)`;
      ctx.fillRect(0, 0, 160, 120);
    };
    draw();
    const timer = setInterval(draw, 60);
    rec.start(100);
    await new Promise((r) => setTimeout(r, 900));
    rec.stop();
    await done;
    clearInterval(timer);
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

/**
 * One run of the story in a language. `words` holds what the UI says in that language.
 */
function story(locale, words) {
  const suffix = locale === 'en' ? '' : '-pt';
  const s = browserSession({ name: `viewer${suffix}`, locale });
  let server;
  let files;
  let filesBase = '';
  const opened = [];

  before(async () => {
    await s.start();
    const [port] = await freePorts(1);
    filesBase = `http://127.0.0.1:${port}`;
    files = {
      '/files/entrega-4821.svg': { type: 'image/svg+xml', body: Buffer.from(PHOTO_SVG) },
      '/files/recado.wav': { type: 'audio/wav', body: wavTone() },
      [`/files/${PDF_NAME}`]: { type: 'application/pdf', body: PDF },
      '/rastreio/BR4821': { type: 'text/html; charset=utf-8', body: Buffer.from('<title>Rastreio</title><p>BR4821</p>') },
    };
    server = fileServer(files);
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    s.context.on('page', (p) => opened.push(p));
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
  });
  after(async () => {
    server?.close();
    await s.stop();
  });

  const page = () => s.page;
  const view = () => s.page.locator('[data-testid=conversation-view]');
  const viewer = () => s.page.locator('[data-testid=image-viewer]');
  const scale = async () => Number(await viewer().getAttribute('data-scale'));

  test(
    `${locale}: a customer sends photos, a voice note, a video, a PDF, a long message and a link with a phone number`,
    s.run(async () => {
      await s.open();
      files['/files/clip.webm'] = { type: 'video/webm', body: await recordWebm(page()) };
      const t0 = Math.floor(Date.now() / 1000) - 600;
      const from = { number: CUSTOMER.number, from: CUSTOMER_NUMBER, sender_name: CUSTOMER_NAME };
      const media = (path, i) => s.sim.inbound({ ...from, kind: 'media', image_url: path, time: t0 + i * 10 });
      await media(`${s.sim.base}/media/image/3.svg`, 0);
      await media(`${filesBase}/files/entrega-4821.svg`, 1);
      await media(`${filesBase}/files/recado.wav`, 2);
      await media(`${filesBase}/files/clip.webm`, 3);
      await media(`${filesBase}/files/${encodeURIComponent(PDF_NAME)}`, 4);
      await s.sim.inbound({ ...from, text: LONG_TEXT, time: t0 + 50 });
      await s.sim.inbound({
        ...from,
        text: `Meu WhatsApp é ${PHONE_WRITTEN} e o rastreio está em ${filesBase}/rastreio/BR4821 — obrigada!`,
        time: t0 + 60,
      });

      const v = await s.openConversation(CUSTOMER_NAME);
      await waitFor(async () => (await v.locator('[data-testid=message][data-direction=inbound]').count()) >= 7, {
        timeout: T,
        message: "the customer's 7 messages in the timeline",
      });
      assert.equal(await v.locator('[data-testid=message][data-kind=image]').count(), 2, 'two photos');
    }),
  );

  test(
    `${locale}: a photo opens in the viewer, zooms, pans, goes to the next and previous photo, and closes with Escape`,
    s.run(async () => {
      const first = view().locator('[data-testid=open-image]').first();
      await first.click();
      await viewer().waitFor({ state: 'visible' });
      const counter = viewer().locator('[data-testid=viewer-counter]');
      assert.equal((await counter.textContent()).trim(), words.counter(1, 2));
      assert.equal(await viewer().locator('[data-testid=viewer-prev]').isDisabled(), true, 'no photo before the first');
      assert.equal(await viewer().locator('[data-testid=viewer-zoom-in]').getAttribute('title'), words.zoomIn);

      // Buttons
      await viewer().locator('[data-testid=viewer-zoom-in]').click();
      await waitFor(async () => (await scale()) > 1.2, { timeout: T, message: 'the photo to zoom in' });
      await viewer().locator('[data-testid=viewer-zoom-reset]').click();
      await waitFor(async () => (await scale()) === 1, { timeout: T, message: 'the zoom to reset' });
      // The wheel, at the pointer
      const box = await viewer().locator('[data-testid=viewer-image]').boundingBox();
      await page().mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 3; i++) await page().mouse.wheel(0, -100);
      await waitFor(async () => (await scale()) > 1.2, { timeout: T, message: 'the wheel to zoom in' });
      for (let i = 0; i < 6; i++) await page().mouse.wheel(0, 100);
      await waitFor(async () => (await scale()) === 1, { timeout: T, message: 'the wheel to zoom back out' });
      // Double-click zooms in at the point, and drags pan the zoomed photo
      await page().mouse.dblclick(box.x + box.width / 3, box.y + box.height / 3);
      await waitFor(async () => (await scale()) >= 2, { timeout: T, message: 'a double-click to zoom in' });
      const pan = viewer().locator('[data-testid=viewer-pan]');
      const before = await pan.evaluate((el) => el.style.transform);
      await page().mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page().mouse.down();
      await page().mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
      await page().mouse.up();
      const after = await pan.evaluate((el) => el.style.transform);
      assert.notEqual(after, before, 'dragging the zoomed photo pans it');
      await s.screenshot(`viewer-zoomed${suffix}.png`);

      // Next and previous: buttons and arrow keys; another photo starts unzoomed.
      await viewer().locator('[data-testid=viewer-next]').click();
      await waitFor(async () => (await counter.textContent()).trim() === words.counter(2, 2), {
        timeout: T,
        message: 'the second photo',
      });
      assert.equal(await scale(), 1, 'the next photo starts unzoomed');
      assert.equal(await viewer().locator('[data-testid=viewer-next]').isDisabled(), true, 'no photo after the last');
      assert.match(await viewer().locator('[data-testid=viewer-image]').getAttribute('src'), /entrega-4821\.svg$/);
      await page().keyboard.press('ArrowLeft');
      await waitFor(async () => (await counter.textContent()).trim() === words.counter(1, 2), {
        timeout: T,
        message: 'ArrowLeft to show the first photo',
      });
      await page().keyboard.press('ArrowRight');
      await waitFor(async () => (await counter.textContent()).trim() === words.counter(2, 2), {
        timeout: T,
        message: 'ArrowRight to show the second photo',
      });
      await s.screenshot(`viewer-image${suffix}.png`);

      // Tab stays inside the viewer.
      for (let i = 0; i < 10; i++) {
        await page().keyboard.press('Tab');
        assert.equal(
          await page().evaluate(() => !!document.activeElement?.closest('[data-testid=image-viewer]')),
          true,
          'focus stays in the viewer',
        );
      }

      // Download: the photo whose server allows it is saved under its name…
      const [download] = await Promise.all([
        page().waitForEvent('download'),
        viewer().locator('[data-testid=viewer-download]').click(),
      ]);
      assert.equal(download.suggestedFilename(), 'entrega-4821.svg');
      assert.ok(await download.path(), 'the download finished');

      // …the other opens in a new tab, where it can be saved, and the viewer says so.
      await page().keyboard.press('ArrowLeft');
      const before2 = opened.length;
      await viewer().locator('[data-testid=viewer-download]').click();
      await waitFor(() => opened.length > before2, { timeout: T, message: 'the photo to open in a new tab' });
      const tab = opened[opened.length - 1];
      await waitFor(() => tab.url().includes('/media/image/3.svg'), { timeout: T, message: "the new tab's address" });
      await tab.close();
      assert.equal((await viewer().locator('[data-testid=viewer-note]').textContent()).trim(), words.openedOutside);

      await page().keyboard.press('Escape');
      await viewer().waitFor({ state: 'detached' });
      assert.equal(
        await page().evaluate(() => document.activeElement?.getAttribute('data-testid')),
        'open-image',
        'focus goes back to the photo that opened the viewer',
      );
    }),
  );

  test(
    `${locale}: the voice note and the video play inline; the PDF shows its name, type and size, and saves`,
    s.run(async () => {
      const audio = view().locator('[data-testid=message-audio]');
      const video = view().locator('[data-testid=message-video]');
      await audio.waitFor({ state: 'visible' });
      await video.waitFor({ state: 'visible' });
      await waitFor(async () => (await audio.evaluate((a) => a.readyState)) >= 1, {
        timeout: T,
        message: "the voice note's metadata",
      });
      await waitFor(async () => (await video.evaluate((a) => a.readyState)) >= 1, {
        timeout: T,
        message: "the video's metadata",
      });
      assert.ok((await audio.evaluate((a) => a.duration)) > 0.4, 'the voice note has its length');
      await audio.evaluate((a) => a.play());
      await waitFor(async () => (await audio.evaluate((a) => a.currentTime)) > 0, {
        timeout: T,
        message: 'the voice note to play',
      });

      const card = view().locator('[data-testid=file-card]');
      await card.waitFor({ state: 'visible' });
      assert.equal((await card.locator('[data-testid=file-name]').textContent()).trim(), PDF_NAME);
      assert.equal((await card.locator('[data-testid=file-type]').textContent()).trim(), 'PDF');
      await card.locator('[data-testid=file-size]').waitFor({ state: 'visible' });
      assert.equal((await card.locator('[data-testid=file-size]').textContent()).trim(), words.pdfSize);
      assert.equal((await card.locator('[data-testid=file-save]').textContent()).trim(), words.save);
      const [download] = await Promise.all([page().waitForEvent('download'), card.locator('[data-testid=file-save]').click()]);
      assert.equal(download.suggestedFilename(), PDF_NAME);
      await card.scrollIntoViewIfNeeded();
      await s.screenshot(`viewer-media${suffix}.png`);
    }),
  );

  test(
    `${locale}: a long message collapses behind "show more" and expands`,
    s.run(async () => {
      const msg = view().locator('[data-testid=message]', { hasText: 'Fim do relato' });
      const body = msg.locator('[data-testid=message-body]');
      const more = msg.locator('[data-testid=message-more]');
      assert.equal(await body.getAttribute('data-collapsed'), 'true');
      assert.equal((await more.textContent()).trim(), words.showMore);
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      const short = (await body.boundingBox()).height;
      await more.scrollIntoViewIfNeeded();
      await s.screenshot(`viewer-collapsed${suffix}.png`);
      await more.click();
      assert.equal(await body.getAttribute('data-collapsed'), 'false');
      assert.equal((await more.textContent()).trim(), words.showLess);
      const tall = (await body.boundingBox()).height;
      assert.ok(tall > short * 1.5, `expanded (${tall}px) is taller than collapsed (${short}px)`);
      await more.click();
      assert.equal(await body.getAttribute('data-collapsed'), 'true');
      // A short message has no such button.
      const other = view().locator('[data-testid=message]', { hasText: 'rastreio' });
      assert.equal(await other.locator('[data-testid=message-more]').count(), 0);
    }),
  );

  test(
    `${locale}: a link and a phone number in a message are recognised`,
    s.run(async () => {
      const msg = view().locator('[data-testid=message]', { hasText: 'rastreio' });
      const link = msg.locator('[data-testid=message-link]');
      assert.equal(await link.getAttribute('href'), `${filesBase}/rastreio/BR4821`);
      const before = opened.length;
      await link.click();
      await waitFor(() => opened.length > before, { timeout: T, message: 'the link to open outside the app' });
      const tab = opened[opened.length - 1];
      await waitFor(() => tab.url() === `${filesBase}/rastreio/BR4821`, { timeout: T, message: "the link's tab" });
      await tab.close();
      assert.equal(page().url().startsWith(s.base), true, 'the inbox stays where it was');

      const phone = msg.locator('[data-testid=phone-number]');
      assert.equal((await phone.textContent()).trim(), PHONE_WRITTEN);
      assert.equal(await phone.getAttribute('data-e164'), PHONE_E164);
      // The message text is still text: the body has no markup but the link and the number.
      assert.match(await msg.locator('[data-testid=message-body]').textContent(), /Meu WhatsApp é \(11\) 98765-4321 e o rastreio/);

      await phone.click();
      const menu = page().locator('[data-testid=phone-menu]');
      await menu.waitFor({ state: 'visible' });
      assert.equal((await menu.locator('[data-testid=phone-copy]').textContent()).trim(), words.copy);
      assert.equal((await menu.locator('[data-testid=phone-start]').textContent()).trim(), words.start);
      await s.screenshot(`viewer-phone${suffix}.png`);
      await menu.locator('[data-testid=phone-copy]').click();
      await waitFor(async () => (await page().evaluate(() => navigator.clipboard.readText())) === '+55 11 98765 4321', {
        timeout: T,
        message: 'the number on the clipboard',
      });
      await menu.waitFor({ state: 'hidden' });

      await phone.click();
      await menu.locator('[data-testid=phone-start]').click();
      const dialog = page().locator('[data-testid=start-dialog]');
      await dialog.waitFor({ state: 'visible' });
      assert.equal(await dialog.locator('[data-testid=start-to]').inputValue(), PHONE_E164.slice(1));
      await s.screenshot(`viewer-start${suffix}.png`);
      await dialog.locator('[data-testid=start-dialog-close]').click();
      await dialog.waitFor({ state: 'detached' });
    }),
  );

  test(
    `${locale}: in a 1920 px window the timeline and the composer keep a readable width`,
    s.run(async () => {
      await page().setViewportSize({ width: 1920, height: 1080 });
      const thread = view().locator('[role=log]');
      const m = await thread.evaluate((el) => {
        const cs = getComputedStyle(el);
        const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const box = el.getBoundingClientRect();
        const rows = [...el.querySelectorAll('[data-testid=message]')].map((r) => r.getBoundingClientRect());
        return {
          width: box.width,
          inner,
          left: box.left + parseFloat(cs.paddingLeft),
          right: box.left + el.clientWidth - parseFloat(cs.paddingRight),
          minX: Math.min(...rows.map((r) => r.left)),
          maxX: Math.max(...rows.map((r) => r.right)),
        };
      });
      assert.ok(m.width > 1200, `the thread spans the window (${m.width}px)`);
      assert.ok(m.inner <= 961, `the timeline column is at most 960 px wide (${m.inner}px)`);
      assert.ok(m.minX >= m.left - 1 && m.maxX <= m.right + 1, 'every message sits inside the column');
      // The composer's row (attach and emoji buttons, the text, send) shares the timeline's column.
      const input = await page().locator('[data-testid=composer-input]').boundingBox();
      assert.ok(input.width <= 960, `the text box is at most 960 px wide (${input.width}px)`);
      const bar = await page().locator('form.composer .bar').boundingBox();
      assert.ok(bar.width <= 961, `the composer is at most 960 px wide (${bar.width}px)`);
      assert.ok(Math.abs(bar.x - m.left) < 40, `the composer lines up with the timeline (${bar.x} vs ${m.left})`);
      assert.ok(input.x >= bar.x && input.x + input.width <= bar.x + bar.width + 1, 'the text box is inside the composer');
      await s.screenshot(`viewer-wide${suffix}.png`);
      await page().setViewportSize({ width: 1280, height: 800 });
    }),
  );
}

describe('browser: the conversation view, in English', () => {
  story('en', {
    counter: (n, total) => `Photo ${n} of ${total}`,
    zoomIn: 'Zoom in',
    openedOutside: 'Its server does not let the inbox save it, so it opened in your browser, where you can save it.',
    pdfSize: `${(PDF.length / 1000).toFixed(1)} kB`,
    save: 'Save',
    showMore: 'Show more',
    showLess: 'Show less',
    copy: 'Copy the number',
    start: 'New conversation with this number',
  });
});

describe('browser: the conversation view, in Portuguese', () => {
  story('pt-BR', {
    counter: (n, total) => `Foto ${n} de ${total}`,
    zoomIn: 'Aproximar',
    openedOutside:
      'O servidor não permite que a caixa de entrada salve o arquivo; ele foi aberto no navegador, onde você pode salvá-lo.',
    pdfSize: `${(PDF.length / 1000).toFixed(1).replace('.', ',')} kB`,
    save: 'Salvar',
    showMore: 'Mostrar mais',
    showLess: 'Mostrar menos',
    copy: 'Copiar o número',
    start: 'Nova conversa com este número',
  });
});

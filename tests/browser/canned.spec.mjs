// Browser end-to-end: canned responses, the emoji picker and `:shortcode` completion, the
// character counter and split sending, in English and in Portuguese, against inboxd's demo.
//
// English: the agent sets their name in Settings, manages canned responses (add, a shortcut
// already used, edit, delete), inserts one with `/` (placeholders filled) and sends it, saves a
// sent message as a canned response, picks an emoji, completes `:smi` to 😄, sees the counter
// near the limit and sends an over-long text split in two, in order. No provider can send a
// reaction, so no message offers one. Portuguese: the same pieces in the other language, with an
// unfilled {{agent}} noted. Throughout, no request leaves inboxd's origin (the emoji data is
// bundled). Screenshots: docs/screenshots/canned-*.png.
//
//   cargo build -p inboxd && (cd ui && npm run build) && cd tests && node --test browser/canned.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { browserSession, T } from '../lib/browser.mjs';
import { CUSTOMER, waitFor } from '../lib/harness.mjs';

const MAX = 4096;

/**
 * Every request the page makes. The web view must load no remote URL: only inboxd (the UI, its
 * API and the bundled emoji data) and the local demo simulator's media on loopback.
 */
function watchRequests(s) {
  const urls = [];
  s.page.on('request', (r) => urls.push(r.url()));
  return urls;
}

function checkRequests(s, urls) {
  const remote = urls.filter((u) => !/^(data:|blob:|http:\/\/127\.0\.0\.1:\d+\/)/.test(u));
  assert.deepEqual(remote, [], 'no request leaves the machine');
  const emojiData = urls.filter((u) => /\/assets\/data-[\w-]+\.json$/.test(u));
  assert.ok(emojiData.length > 0, 'the emoji data was loaded');
  assert.ok(emojiData.every((u) => u.startsWith(`${s.base}/`)), `the emoji data comes from inboxd: ${emojiData}`);
}

/** A customer writes in; the agent opens the conversation. */
async function openCustomer(s, text) {
  await s.sim.inbound({ ...CUSTOMER, text });
  const row = s.page.locator('[data-testid=conversation-item]', { hasText: text });
  await row.waitFor({ state: 'visible' });
  await row.click();
  const view = s.page.locator('[data-testid=conversation-view]');
  await view.locator('[data-testid=message][data-direction=inbound]', { hasText: text }).waitFor();
  return view;
}

/** A text of sentences longer than `chars`. */
function longText(chars) {
  const sentence = 'Seu pedido foi separado no estoque e segue hoje para a transportadora parceira. ';
  return sentence.repeat(Math.ceil(chars / sentence.length)).trim();
}

async function composerValue(page) {
  return page.locator('[data-testid=composer-input]').inputValue();
}

describe('browser: canned responses, emoji, counter and split (English)', () => {
  const s = browserSession({ name: 'canned' });
  let outside = [];
  before(async () => {
    await s.start();
    outside = watchRequests(s);
  });
  after(s.stop);

  test(
    'the agent sets their name in Settings',
    s.run(async () => {
      await s.open();
      const page = s.page;
      await page.locator('[data-testid=settings-button]').click();
      const dialog = page.locator('[data-testid=settings-dialog]');
      await dialog.waitFor();
      await dialog.locator('[data-testid=settings-agent-name]').fill('Marta');
      await dialog.locator('[data-testid=settings-save]').click();
      await dialog.locator('[data-testid=settings-saved]').waitFor();
      assert.equal((await s.api('GET', '/settings')).agent_name, 'Marta');
      await s.screenshot('canned-settings.png');
    }),
  );

  test(
    'canned responses are added, refused on a used shortcut, edited and deleted',
    s.run(async () => {
      const page = s.page;
      await page.locator('[data-testid=settings-canned]').click();
      const dialog = page.locator('[data-testid=canned-dialog]');
      await dialog.waitFor();
      // The seeded examples are there, in both languages.
      for (const shortcut of ['greeting', 'order', 'ola', 'pedido']) {
        await dialog.locator(`[data-testid=canned-item][data-shortcut=${shortcut}]`).waitFor();
      }

      await dialog.locator('[data-testid=canned-new-shortcut]').fill('track');
      await dialog
        .locator('[data-testid=canned-new-body]')
        .fill('Hi {{first_name}}, {{agent}} here: your order is on its way. We will call {{phone}} if needed.');
      await dialog.locator('[data-testid=canned-create]').click();
      await dialog.locator('[data-testid=canned-item][data-shortcut=track]').waitFor();

      // A shortcut already used, in another case: refused, in words, and the form keeps the text.
      await dialog.locator('[data-testid=canned-new-shortcut]').fill('/Greeting');
      await dialog.locator('[data-testid=canned-new-body]').fill('Hello!');
      await dialog.locator('[data-testid=canned-create]').click();
      const refusal = dialog.locator('[data-testid=canned-create-error]');
      await refusal.waitFor();
      assert.match(await refusal.innerText(), /\/Greeting is already used/);
      assert.equal(await dialog.locator('[data-testid=canned-new-body]').inputValue(), 'Hello!');
      await s.screenshot('canned-manage.png');
      await dialog.locator('[data-testid=canned-new-shortcut]').fill('');
      await dialog.locator('[data-testid=canned-new-body]').fill('');

      // Edit the seeded `closing`, delete the seeded `away`.
      const closing = dialog.locator('[data-testid=canned-item][data-shortcut=closing]');
      await closing.locator('[data-testid=canned-edit]').click();
      await closing.locator('[data-testid=canned-edit-body]').fill('Anything else, {{first_name}}? Have a great day!');
      await closing.locator('[data-testid=canned-save]').click();
      await closing.locator('text=Anything else, {{first_name}}? Have a great day!').waitFor();
      const away = dialog.locator('[data-testid=canned-item][data-shortcut=away]');
      await away.locator('[data-testid=canned-delete]').click();
      await away.locator('[data-testid=canned-delete-yes]').click();
      await away.waitFor({ state: 'detached' });

      const list = await s.api('GET', '/canned-responses');
      assert.ok(list.some((c) => c.shortcut === 'track'));
      assert.ok(!list.some((c) => c.shortcut === 'away'));
      assert.equal(list.find((c) => c.shortcut === 'closing').body, 'Anything else, {{first_name}}? Have a great day!');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }),
  );

  test(
    '/ at the start of the composer inserts a canned response with its placeholders filled',
    s.run(async () => {
      const page = s.page;
      await page.keyboard.press('Escape'); // the settings dialog
      await page.locator('[data-testid=settings-dialog]').waitFor({ state: 'detached' });
      const view = await openCustomer(s, 'Oi, meu pedido ainda não chegou');
      const input = page.locator('[data-testid=composer-input]');
      await input.click();
      await input.pressSequentially('/trak');
      const menu = page.locator('[data-testid=canned-menu]');
      await menu.waitFor();
      await waitFor(async () => (await menu.locator('[data-testid=canned-option]').first().getAttribute('data-shortcut')) === 'track', {
        timeout: T,
        message: '/track first in the fuzzy list for "trak"',
      });
      await s.screenshot('canned-slash.png');

      // Escape closes the list and keeps the text; typing again reopens it.
      await input.press('Escape');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await composerValue(page), '/trak');
      await input.press('Backspace');
      await menu.waitFor();
      await input.press('Enter');
      const expected = `Hi Maria, Marta here: your order is on its way. We will call +${CUSTOMER.from} if needed.`;
      await waitFor(async () => (await composerValue(page)) === expected, { timeout: T, message: 'the filled canned response in the composer' });
      await menu.waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-testid=canned-unfilled]').count(), 0);

      await page.locator('[data-testid=composer-send]').click();
      const sent = view.locator('[data-testid=message][data-direction=outbound]', { hasText: expected });
      await sent.waitFor();
      await s.sim.waitForSentText(expected);

      // No provider can send a reaction: no message offers one.
      await sent.hover();
      assert.equal(await view.locator('[data-testid=react-action]').count(), 0);

      // Save the sent message as a canned response, from its menu.
      await sent.locator('[data-testid=save-canned-action]').click();
      const dialog = page.locator('[data-testid=canned-dialog]');
      await dialog.waitFor();
      assert.equal(await dialog.locator('[data-testid=canned-new-body]').inputValue(), expected);
      await dialog.locator('[data-testid=canned-new-shortcut]').fill('on-its-way');
      await dialog.locator('[data-testid=canned-create]').click();
      await dialog.locator('[data-testid=canned-item][data-shortcut=on-its-way]').waitFor();
      await s.screenshot('canned-save-as.png');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }),
  );

  test(
    'the emoji picker and :shortcode completion put emoji at the caret, from bundled data',
    s.run(async () => {
      const page = s.page;
      const input = page.locator('[data-testid=composer-input]');
      await input.fill('Obrigada ');
      await page.locator('[data-testid=emoji-button]').click();
      const picker = page.locator('[data-testid=emoji-picker] emoji-picker');
      await picker.waitFor();
      await picker.locator('input#search').fill('thumbs up');
      const first = picker.locator('#search-results [role=option]').first();
      await first.waitFor();
      await s.screenshot('canned-emoji-picker.png');
      await first.click();
      await waitFor(async () => /^Obrigada 👍\uFE0F?$/u.test(await composerValue(page)), {
        timeout: T,
        message: 'the picked emoji in the composer',
      });
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=emoji-picker]').waitFor({ state: 'detached' });

      await input.click();
      await input.press('End');
      await input.pressSequentially(' :smi');
      const menu = page.locator('[data-testid=shortcode-menu]');
      await menu.waitFor();
      await menu.locator('[data-testid=shortcode-option]', { hasText: ':smile:' }).waitFor();
      await s.screenshot('canned-shortcode.png');
      const options = await menu.locator('[data-testid=shortcode-option]').allInnerTexts();
      const index = options.findIndex((o) => o.includes(':smile:'));
      for (let i = 0; i < index; i++) await input.press('ArrowDown');
      await input.press('Tab');
      await waitFor(async () => /^Obrigada 👍\uFE0F? 😄$/u.test(await composerValue(page)), {
        timeout: T,
        message: ':smi completed to 😄',
      });
      await input.fill('');
    }),
  );

  test(
    'a counter near the limit, and over it an offer to split into several messages sent in order',
    s.run(async () => {
      const page = s.page;
      const view = page.locator('[data-testid=conversation-view]');
      const input = page.locator('[data-testid=composer-input]');
      const counter = page.locator('[data-testid=char-counter]');

      await input.fill('x'.repeat(3000));
      assert.equal(await counter.count(), 0, 'no counter far from the limit');
      await input.fill('x'.repeat(3800));
      await counter.waitFor();
      assert.equal(await counter.getAttribute('data-state'), 'near');
      assert.match(await counter.innerText(), /3,800 \/ 4,096/);

      const text = longText(MAX + 600);
      await input.fill(text);
      await waitFor(async () => (await counter.getAttribute('data-state')) === 'over', { timeout: T, message: 'the counter over the limit' });
      await page.locator('[data-testid=split-send]').waitFor();
      await s.screenshot('canned-counter-split.png');

      const before = (await s.api('GET', `/conversations/${await currentId(s)}/messages?limit=50`)).items.length;
      await page.locator('[data-testid=split-send]').click();
      await waitFor(async () => (await composerValue(page)) === '', { timeout: T, message: 'the composer emptied after the split' });
      const parts = await waitFor(
        async () => {
          const items = (await s.api('GET', `/conversations/${await currentId(s)}/messages?limit=50`)).items;
          if (items.length < before + 2) return null;
          const out = items.slice(0, 2).reverse();
          return out.every((m) => ['sent', 'delivered', 'read'].includes(m.status)) ? out : null;
        },
        { timeout: T, message: 'both parts sent' },
      );
      assert.ok(parts.every((m) => [...m.body].length <= MAX), 'each part fits');
      assert.equal(parts.map((m) => m.body).join(' '), text, 'the parts, in order, are the text');
      assert.ok(parts[0].body.endsWith('.'), 'cut at a sentence');
      await s.sim.waitForSentText(parts[0].body);
      await s.sim.waitForSentText(parts[1].body);
      await view.locator('[data-testid=message][data-direction=outbound]', { hasText: parts[1].body.slice(0, 40) }).first().waitFor();
    }),
  );

  test(
    'no request left the machine (the emoji data is bundled)',
    s.run(async () => {
      checkRequests(s, outside);
    }),
  );
});

/** The open conversation's id. */
async function currentId(s) {
  return s.page.locator('[data-testid=conversation-view]').getAttribute('data-conversation-id');
}

describe('browser: canned responses, emoji and counter (Portuguese)', () => {
  const s = browserSession({ name: 'canned-pt', locale: 'pt-BR' });
  let outside = [];
  before(async () => {
    await s.start();
    outside = watchRequests(s);
  });
  after(s.stop);

  test(
    '/ inserts a Portuguese example; {{agent}} without a name is left for the agent and noted',
    s.run(async () => {
      await s.open();
      const page = s.page;
      await openCustomer(s, 'Boa tarde, quero saber do meu pedido');
      const input = page.locator('[data-testid=composer-input]');
      await input.click();
      await input.pressSequentially('/ola');
      const menu = page.locator('[data-testid=canned-menu]');
      await menu.locator('[data-testid=canned-option][data-shortcut=ola]').waitFor();
      assert.match(await menu.innerText(), /Gerenciar respostas prontas/);
      await input.press('Enter');
      await waitFor(async () => (await composerValue(page)) === 'Olá, Maria! Aqui é {{agent}}. Como posso ajudar?', {
        timeout: T,
        message: 'the Portuguese greeting with {{agent}} left as written',
      });
      const note = page.locator('[data-testid=canned-unfilled]');
      await note.waitFor();
      assert.match(await note.innerText(), /Não preenchido: \{\{agent\}\}/);
      assert.match(await note.innerText(), /Configurações/);
      await s.screenshot('canned-unfilled-pt.png');

      await input.fill('');
      await input.pressSequentially('/pedid');
      await menu.locator('[data-testid=canned-option][data-shortcut=pedido]').waitFor();
      await s.screenshot('canned-slash-pt.png');
      await input.press('Enter');
      await waitFor(async () => (await composerValue(page)).startsWith('Obrigado, Maria. Pode me passar o número do seu pedido?'), {
        timeout: T,
        message: 'the filled Portuguese canned response',
      });
      await input.fill('');
    }),
  );

  test(
    'the emoji picker speaks Portuguese; :shortcode and the counter too',
    s.run(async () => {
      const page = s.page;
      const input = page.locator('[data-testid=composer-input]');
      await page.locator('[data-testid=emoji-button]').click();
      const picker = page.locator('[data-testid=emoji-picker] emoji-picker');
      await picker.waitFor();
      const search = picker.locator('input#search');
      await search.waitFor();
      assert.equal(await search.getAttribute('placeholder'), 'Procurar');
      await search.fill('sorriso');
      await picker.locator('#search-results [role=option]').first().waitFor();
      await s.screenshot('canned-emoji-picker-pt.png');
      await picker.locator('#search-results [role=option]').first().click();
      await waitFor(async () => [...(await composerValue(page))].length === 1, { timeout: T, message: 'one emoji in the composer' });
      await page.keyboard.press('Escape');

      await input.fill('Até logo :smi');
      await input.press('End');
      await page.locator('[data-testid=shortcode-menu] [data-testid=shortcode-option]', { hasText: ':smile:' }).waitFor();
      await input.fill('');

      await input.fill(longText(MAX + 100));
      const counter = page.locator('[data-testid=char-counter]');
      await waitFor(async () => (await counter.getAttribute('data-state')) === 'over', { timeout: T, message: 'the counter over the limit' });
      assert.match(await counter.innerText(), /4\.096/);
      assert.match(await page.locator('[data-testid=split-send]').innerText(), /Dividir em várias mensagens e enviar/);
      await s.screenshot('canned-counter-pt.png');

      await page.locator('[data-testid=settings-button]').click();
      const dialog = page.locator('[data-testid=settings-dialog]');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /Configurações[\s\S]*Seu nome[\s\S]*Respostas prontas/);
      await dialog.locator('[data-testid=settings-canned]').click();
      await page.locator('[data-testid=canned-dialog]').waitFor();
      await s.screenshot('canned-manage-pt.png');
    }),
  );

  test(
    'no request left the machine',
    s.run(async () => {
      checkRequests(s, outside);
    }),
  );
});

// Browser end-to-end: search. The header's search box (and `/` from anywhere) finds a demo word
// typed without its accents; results come grouped with the matching words highlighted; choosing
// a message opens its conversation scrolled to it, highlighted, with older and newer pages loading
// around it as the agent scrolls; the address names the conversation and the message, so a reload
// keeps them. In English, then in Portuguese.
//
// Screenshots: docs/screenshots/search-results.png, search-jump.png, search-pages.png, search-groups.png and the same
// in Portuguese (search-pt-*.png).
//
//   cargo build -p inboxd && (cd ui && npm run build) && cd tests && node --test browser/search.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { browserSession, T } from '../lib/browser.mjs';
import { waitFor } from '../lib/harness.mjs';

/** The demo's Cirrus customer and her first message ("…entregam no sábado?…"). */
const CUSTOMER = 'Fernanda Lima';

/** Types a query in the header's search box and waits for the results panel to answer it. */
async function searchFor(s, query) {
  const page = s.page;
  const input = page.locator('[data-testid=search-input]');
  await input.fill(query);
  const results = page.locator('[data-testid=search-results]');
  await results.waitFor({ state: 'visible' });
  await waitFor(async () => (await results.getAttribute('data-answered')) === query.trim(), {
    timeout: T,
    message: `the answer to "${query}"`,
  });
  await waitFor(async () => (await results.locator('[data-testid=search-result]').count()) > 0, {
    timeout: T,
    message: `results for "${query}"`,
  });
  return results;
}

/** The conversation view once it shows the highlighted message (saying `text`), and that message. */
async function jumped(s, text) {
  const view = s.page.locator('[data-testid=conversation-view]');
  const target = view.locator('[data-testid=message][data-highlighted=true]', { hasText: text });
  await target.waitFor({ state: 'visible' });
  await waitFor(
    async () => {
      const box = await target.boundingBox();
      const thread = await view.locator('[role=log]').boundingBox();
      return !!box && !!thread && box.y >= thread.y && box.y + box.height <= thread.y + thread.height;
    },
    { timeout: T, message: 'the highlighted message scrolled into view' },
  );
  assert.equal(await s.page.evaluate(() => document.scrollingElement?.scrollTop ?? 0), 0, 'only the thread scrolls');
  return { view, target };
}

function story(locale) {
  const pt = locale === 'pt-BR';
  const shot = (name) => `search-${pt ? 'pt-' : ''}${name}.png`;
  const s = browserSession({ name: `search-${locale}`, locale });

  describe(`browser: search (${locale})`, () => {
    before(s.start);
    after(s.stop);

    let conversationId;

    test(
      'a demo word without its accents finds the message, grouped and highlighted',
      s.run(async () => {
        await s.open();
        const page = s.page;
        // `/` from anywhere that is not a text field focuses the search box.
        await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
        await page.keyboard.press('/');
        await waitFor(async () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'search-input'), {
          timeout: T,
          message: '/ to focus the search box',
        });
        const results = await searchFor(s, 'sabado');
        const messages = results.locator('[data-testid=search-result][data-kind=message]');
        const hit = messages.filter({ hasText: 'entregam no' }).first();
        await hit.waitFor({ state: 'visible' });
        assert.equal((await hit.locator('mark').first().textContent())?.trim(), 'sábado');
        assert.match((await hit.textContent()) ?? '', new RegExp(CUSTOMER));
        const heading = results.locator('[data-testid=search-group-messages]');
        assert.equal((await heading.textContent())?.trim(), pt ? 'Mensagens' : 'Messages');
        // The customer's name finds the conversation and the contact too, in their own groups.
        await searchFor(s, 'fernanda');
        await results.locator('[data-testid=search-group-conversations]').waitFor({ state: 'visible' });
        await results.locator('[data-testid=search-group-contacts]').waitFor({ state: 'visible' });
        await s.screenshot(shot('groups'));
        assert.equal(
          (await results.locator('[data-testid=search-group-contacts]').textContent())?.trim(),
          pt ? 'Contatos' : 'Contacts',
        );
        // A phone number in another form finds her as well.
        await searchFor(s, '31 98888-7777');
        await results.locator('[data-testid=search-result][data-kind=contact]', { hasText: CUSTOMER }).waitFor();
        // Nothing found says so; a filter narrows the messages.
        await page.locator('[data-testid=search-input]').fill('zzzqqq');
        await page.locator('[data-testid=search-empty]').waitFor({ state: 'visible' });
        await searchFor(s, 'sabado');
        await page.locator('[data-testid=search-side]').selectOption('agent');
        await waitFor(async () => (await messages.count()) === 0, { timeout: T, message: 'no agent message says sábado' });
        await page.locator('[data-testid=search-side]').selectOption('');
        await hit.waitFor({ state: 'visible' });
        await s.screenshot(shot('results'));
      }),
    );

    test(
      'choosing the message opens its conversation there, highlighted, and the address names it',
      s.run(async () => {
        const page = s.page;
        const hit = page.locator('[data-testid=search-result][data-kind=message]', { hasText: 'entregam no' }).first();
        await hit.click();
        await page.locator('[data-testid=search-panel]').waitFor({ state: 'hidden' });
        const { view, target } = await jumped(s, 'sábado');
        assert.equal((await view.locator('[data-testid=conversation-title]').textContent())?.trim(), CUSTOMER);
        conversationId = await view.getAttribute('data-conversation-id');
        const messageId = await target.getAttribute('data-message-id');
        await waitFor(async () => (await page.evaluate(() => location.hash)) === `#/c/${conversationId}/m/${messageId}`, {
          timeout: T,
          message: 'the address of the message',
        });
        await s.screenshot(shot('jump'));
      }),
    );

    test(
      'older and newer pages load around a message as the agent scrolls',
      s.run(async () => {
        const page = s.page;
        // Thirty messages, the one to find, then sixty more: more than a page each way.
        const send = (body) => s.api('POST', `/conversations/${conversationId}/messages`, { kind: 'text', body });
        for (let i = 1; i <= 30; i++) await send(`${pt ? 'Mensagem' : 'Message'} ${i} antes`);
        await send('Código de rastreio BR123: a entrega está agendada');
        for (let i = 1; i <= 60; i++) await send(`${pt ? 'Mensagem' : 'Message'} ${i} depois`);

        // Arrows and Enter choose a result; Escape closes the panel.
        const input = page.locator('[data-testid=search-input]');
        await input.click();
        await searchFor(s, 'codigo rastreio');
        await page.keyboard.press('Escape');
        await page.locator('[data-testid=search-panel]').waitFor({ state: 'hidden' });
        await input.press('ArrowDown');
        await page.locator('[data-testid=search-result][aria-selected=true]').waitFor({ state: 'visible' });
        await input.press('Enter');
        const { view } = await jumped(s, 'rastreio');
        const thread = view.locator('[role=log]');
        const bodies = () => view.locator('[data-testid=message]').allTextContents();
        assert.ok(!(await bodies()).some((t) => t.includes('60 depois')), 'the newest messages wait for the newer pages');
        assert.ok(!(await bodies()).some((t) => t.includes(' 1 antes')), 'the oldest wait for the older pages');
        await view.locator('[data-testid=load-newer]').waitFor({ state: 'visible' });
        await s.screenshot(shot('pages'));

        // Scrolling down loads the newer pages up to the newest message.
        await waitFor(
          async () => {
            await thread.evaluate((el) => el.scrollTo(0, el.scrollHeight));
            return (await bodies()).some((t) => t.includes('60 depois'));
          },
          { timeout: T, message: 'newer pages down to the newest message' },
        );
        await view.locator('[data-testid=load-newer]').waitFor({ state: 'detached' });
        // Scrolling up loads the older ones.
        await waitFor(
          async () => {
            await thread.evaluate((el) => el.scrollTo(0, 0));
            return (await bodies()).some((t) => t.includes(' 1 antes'));
          },
          { timeout: T, message: 'older pages up to the first ones' },
        );
        const all = await bodies();
        const ordered = all.filter((t) => / (antes|depois)/.test(t));
        assert.equal(ordered.length, 90, 'every message once');
      }),
    );

    test(
      'a reload keeps the conversation and the message',
      s.run(async () => {
        const page = s.page;
        const hash = await page.evaluate(() => location.hash);
        assert.match(hash, new RegExp(`^#/c/${conversationId}/m/`));
        await page.reload({ waitUntil: 'domcontentloaded' });
        const { view } = await jumped(s, 'rastreio');
        assert.equal(await view.getAttribute('data-conversation-id'), conversationId);
        // A plain conversation address opens it at its newest message.
        await page.evaluate((id) => (location.hash = `#/c/${id}`), conversationId);
        await waitFor(async () => (await view.locator('[data-testid=message][data-highlighted=true]').count()) === 0, {
          timeout: T,
          message: 'the conversation without a highlighted message',
        });
        await page.reload({ waitUntil: 'domcontentloaded' });
        await waitFor(
          async () =>
            (await page.locator('[data-testid=conversation-view]').getAttribute('data-conversation-id').catch(() => null)) ===
            conversationId,
          { timeout: T, message: 'the conversation open again after the reload' },
        );
        await waitFor(async () => (await page.locator('[data-testid=message]', { hasText: '60 depois' }).count()) === 1, {
          timeout: T,
          message: 'the newest message shown',
        });
      }),
    );
  });
}

story('en');
story('pt-BR');

// Browser end to end: drafts and internal notes, in English and in Portuguese.
//
// A half-written reply (with its quote) survives switching to another conversation and
// reloading the page; the list shows "Draft:" / "Rascunho:" on the conversation that has one.
// An internal note, written in note mode (the switch, or `n`), shows in the timeline apart from
// the messages and never reaches the provider (the simulator records nothing), while a normal
// reply does. Screenshots: docs/screenshots/drafts-*.png.
//
//   cargo build -p inboxd && (cd ui && npm run build) && cd tests && node --test browser/drafts.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { browserSession, T } from '../lib/browser.mjs';
import { waitFor } from '../lib/harness.mjs';

const WORDS = {
  en: {
    draft: 'Draft:',
    noteLabel: 'Internal note',
    addNote: 'Add note',
    send: 'Send',
  },
  'pt-BR': {
    draft: 'Rascunho:',
    noteLabel: 'Nota interna',
    addNote: 'Adicionar nota',
    send: 'Enviar',
  },
};

/** The demo's customers this spec writes to: Cirrus (which can quote) and mConnect. */
const FIRST = 'Fernanda Lima';
const SECOND = 'Ana Souza';

function story(locale, tag) {
  const w = WORDS[locale];
  const s = browserSession({ name: `drafts-${tag}`, locale });
  const draftText = locale === 'en' ? 'Hi Fernanda, let me check order 4821 and' : 'Oi Fernanda, vou verificar o pedido 4821 e';
  const noteText = locale === 'en' ? 'VIP customer: call before 6 pm' : 'Cliente VIP: ligar antes das 18h';
  const replyText = locale === 'en' ? 'Your order ships today.' : 'Seu pedido sai hoje.';

  const row = (title) => s.page.locator('[data-testid=conversation-item]', { hasText: title }).first();
  const input = () => s.page.locator('[data-testid=composer-input]');

  /** Whether any request the provider simulator received carries `text`. */
  async function providerSaw(text) {
    return (await s.sim.requests()).some((r) => JSON.stringify(r).includes(text));
  }

  describe(`browser: drafts and notes (${locale})`, () => {
    before(s.start);
    after(s.stop);

    test(
      'a half-written reply with its quote survives switching conversation',
      s.run(async () => {
        await s.open();
        const view = await s.openConversation(FIRST);
        // Quote the customer's message, then write without sending.
        const inbound = view.locator('[data-testid=message][data-direction=inbound]').last();
        await inbound.hover();
        await inbound.locator('[data-testid=reply-action]').click();
        await view.locator('[data-testid=quote-preview]').waitFor();
        await input().fill(draftText);

        await s.openConversation(SECOND);
        const item = row(FIRST).locator('[data-testid=item-draft]');
        await item.waitFor({ timeout: T });
        assert.equal((await item.textContent()).trim(), w.draft);
        assert.match(await row(FIRST).textContent(), new RegExp(draftText.slice(0, 20)));
        await s.screenshot(`drafts-list-${tag}.png`);

        const back = await s.openConversation(FIRST);
        await waitFor(async () => (await input().inputValue()) === draftText, {
          timeout: T,
          message: 'the draft text back in the composer',
        });
        await back.locator('[data-testid=quote-preview]').waitFor({ timeout: T });
        // The open conversation shows its composer, not a "Draft:" line.
        assert.equal(await row(FIRST).locator('[data-testid=item-draft]').count(), 0);
      }),
    );

    test(
      'the draft survives a reload of the page',
      s.run(async () => {
        // The engine has it (saved as typed), not the page.
        const conversations = await s.api('GET', '/conversations?limit=50');
        const ana = conversations.items.find((c) => c.title === FIRST);
        const stored = await s.api('GET', `/conversations/${ana.id}/draft`);
        assert.equal(stored.body, draftText);
        assert.ok(stored.quoted_message_id, 'the quote is part of the draft');

        await s.page.reload({ waitUntil: 'domcontentloaded' });
        await s.open();
        await row(FIRST).locator('[data-testid=item-draft]').waitFor({ timeout: T });
        const view = await s.openConversation(FIRST);
        await waitFor(async () => (await input().inputValue()) === draftText, {
          timeout: T,
          message: 'the draft text restored after a reload',
        });
        await view.locator('[data-testid=quote-preview]').waitFor({ timeout: T });
        await s.screenshot(`drafts-restored-${tag}.png`);
      }),
    );

    test(
      'an internal note is shown apart and never reaches the provider',
      s.run(async () => {
        const view = s.page.locator('[data-testid=conversation-view]');
        // `n` with nothing focused turns note mode on.
        await input().blur();
        await s.page.locator('[data-testid=conversation-title]').click();
        await s.page.keyboard.press('n');
        await view.locator('[data-testid=note-banner]').waitFor({ timeout: T });
        assert.equal(await view.locator('[data-testid=note-toggle]').getAttribute('aria-pressed'), 'true');
        assert.equal((await view.locator('[data-testid=composer-send]').textContent()).trim(), w.addNote);
        await input().fill(noteText);
        await input().press('Enter');

        const note = view.locator('[data-testid=note]', { hasText: noteText });
        await note.waitFor({ timeout: T });
        assert.match(await note.locator('[data-testid=note-label]').textContent(), new RegExp(w.noteLabel));
        // No delivery ticks, not a message bubble.
        assert.equal(await note.locator('[data-testid=message]').count(), 0);
        assert.equal(await note.locator('svg.tick, [data-testid=delivery]').count(), 0);
        // The note took the draft's place: the draft is gone.
        await waitFor(async () => (await input().inputValue()) === '', { timeout: T, message: 'the composer emptied' });
        const look = await note.locator('article').evaluate((el) => {
          const cs = getComputedStyle(el);
          return { bg: cs.backgroundColor, border: cs.borderLeftStyle };
        });
        const bubble = await view
          .locator('[data-testid=message][data-direction=outbound] .bubble, [data-testid=message] .bubble')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.notEqual(look.bg, bubble, 'a note does not look like a message');
        await s.screenshot(`drafts-note-${tag}.png`);

        // Back to replying: a reply reaches the provider, the note never did.
        await view.locator('[data-testid=note-toggle]').click();
        await view.locator('[data-testid=note-banner]').waitFor({ state: 'detached', timeout: T });
        await input().fill(replyText);
        await input().press('Enter');
        await s.sim.waitForRequest((r) => JSON.stringify(r).includes(replyText), `the reply "${replyText}"`);
        assert.equal(await providerSaw(noteText), false, 'the simulator recorded the note');

        // After a reload the note is still a note, and the list preview is the reply, not the note.
        await s.page.reload({ waitUntil: 'domcontentloaded' });
        await s.open();
        assert.doesNotMatch(await row(FIRST).textContent(), new RegExp(noteText));
        const again = await s.openConversation(FIRST);
        await again.locator('[data-testid=note]', { hasText: noteText }).waitFor({ timeout: T });
        assert.equal(await providerSaw(noteText), false);
        assert.equal(await row(FIRST).locator('[data-testid=item-draft]').count(), 0, 'the send took the draft away');
      }),
    );
  });
}

story('en', 'en');
story('pt-BR', 'pt');

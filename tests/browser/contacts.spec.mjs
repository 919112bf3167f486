// Browser end-to-end: the contact panel beside a demo conversation (phone formatted for its
// country, a note, an attribute, the contact's other conversations), merging two contacts and
// undoing it, a CSV import with errors and then a good one, and an export; in English and in
// Portuguese, with screenshots docs/screenshots/contacts-*.png.
//
//   cd tests && node --test --test-concurrency=1 browser/contacts.spec.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { browserSession, T } from '../lib/browser.mjs';
import { waitFor } from '../lib/harness.mjs';

const BAD_CSV = 'name,phone,account,tags,notes,plan\n' +
  'Zélia Prado,+55 11 91234-0001,{account},vip; novos,Prefere e-mail,Gold\n' +
  'Sem Número,12,{account},,,\n' +
  'Conta Errada,5511912340003,Nenhuma Conta,,,\n';
const GOOD_CSV = 'name,phone,account,tags,notes,plan\n' +
  'Zélia Prado,+55 11 91234-0001,{account},vip; novos,Prefere e-mail,Gold\n' +
  'Otávio Reis,5511912340002,{account},,"Liga à tarde, depois das 14h",\n';

/** Two individual demo conversations on different accounts, with their contacts. */
async function twoContacts(s) {
  const page = await s.api('GET', '/conversations?limit=100');
  const people = page.items.filter((c) => c.kind === 'individual' && c.contact_id);
  const first = people[0];
  const second = people.find((c) => c.account_id !== first.account_id && c.contact_id !== first.contact_id);
  assert.ok(first && second, 'two individual demo conversations on two accounts');
  return { first, second };
}

async function fileInput(page, name, text) {
  await page.locator('[data-testid=import-file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

describe('browser: contacts (English)', () => {
  const s = browserSession({ name: 'contacts', viewport: { width: 1440, height: 900 } });
  before(s.start);
  after(s.stop);
  let first;
  let second;
  let accountName;

  test('the contact panel shows the phone by its country and keeps a note and an attribute', s.run(async () => {
    await s.open();
    ({ first, second } = await twoContacts(s));
    const accounts = await s.api('GET', '/accounts');
    accountName = accounts.find((a) => a.id === first.account_id).name;
    const page = s.page;
    await s.openConversation(first.title);
    const panel = page.locator('[data-testid=contact-panel]');
    await panel.locator('[data-testid=panel-name]').waitFor();
    const phone = (await panel.locator('[data-testid=panel-phone]').first().textContent()).trim();
    assert.match(phone, /^\+\d{1,3} \d/, `formatted phone: ${phone}`);

    await panel.locator('[data-testid=panel-notes]').fill('Prefers a call after 6 pm.');
    await panel.locator('[data-testid=panel-notes-save]').click();
    await panel.locator('[data-testid=panel-attribute-key]').fill('Plan');
    await panel.locator('[data-testid=panel-attribute-value]').fill('Gold');
    await panel.locator('[data-testid=panel-attribute-save]').click();
    await panel.locator('[data-testid=panel-attribute]', { hasText: 'Gold' }).waitFor();
    const profile = await s.api('GET', `/contacts/${first.contact_id}/profile`);
    assert.equal(profile.notes, 'Prefers a call after 6 pm.');
    assert.deepEqual(profile.attributes, [{ key: 'Plan', value: 'Gold' }]);

    // The panel's state survives a reload.
    await page.locator('[data-testid=contact-panel-toggle]').click();
    await page.locator('[data-testid=panel-name]').waitFor({ state: 'detached' });
    await s.open();
    await s.openConversation(first.title);
    await page.locator('[data-testid=contact-panel-toggle]').waitFor();
    assert.equal(await page.locator('[data-testid=panel-name]').count(), 0, 'still closed after a reload');
    await page.locator('[data-testid=contact-panel-toggle]').click();
    await page.locator('[data-testid=panel-notes]').waitFor();
    assert.equal(await page.locator('[data-testid=panel-notes]').inputValue(), 'Prefers a call after 6 pm.');
  }));

  test('merging two contacts shows the other conversation in the panel, and undo puts them back', s.run(async () => {
    const page = s.page;
    await page.locator('[data-testid=contacts-button]').click();
    await page.locator('[data-testid=contacts-screen]').waitFor();
    for (const c of [first, second]) {
      const row = page.locator(`li:has([data-contact-id="${c.contact_id}"]) [data-testid=contact-pick]`);
      await row.check();
    }
    await page.locator('[data-testid=contacts-merge]').click();
    const dialog = page.locator('[data-testid=merge-dialog]');
    await dialog.waitFor();
    await dialog.locator(`input[value="${first.contact_id}"]`).check();
    await s.screenshot('contacts-merge-dialog.png');
    await dialog.locator('[data-testid=merge-confirm]').click();
    await page.locator('[data-testid=merge-undo]').waitFor();
    await waitFor(async () => (await page.locator(`[data-contact-id="${second.contact_id}"]`).count()) === 0, {
      timeout: T,
      message: 'the merged contact leaves the list',
    });
    await page.locator('[data-testid=contact-open-conversation]').first().waitFor();
    assert.equal(await page.locator('[data-testid=contact-open-conversation]').count(), 2, 'both conversations');
    await s.screenshot('contacts-merged.png');

    // The merged contact's conversations now carry the survivor's name.
    await page.locator('[data-testid=inbox-button]').click();
    await s.openConversation(first.title, first.provider);
    const other = page.locator(`[data-testid=panel-conversation][data-conversation-id="${second.id}"]`);
    await other.waitFor();
    assert.ok((await other.locator('[data-testid=panel-conversation-status]').textContent()).trim().length > 0);
    assert.ok((await page.locator('[data-testid=panel-phone]').count()) >= 2, 'every identity');
    await s.screenshot('contacts-panel.png');
    await other.click();
    await waitFor(async () => (await page.locator('[data-testid=conversation-view]').getAttribute('data-conversation-id')) === second.id, {
      timeout: T,
      message: 'the other conversation opens',
    });

    // Back on the contacts screen, the survivor offers to undo its merge.
    await page.locator('[data-testid=contacts-button]').click();
    await page.locator(`[data-testid=contact-row][data-contact-id="${first.contact_id}"]`).click();
    await page.locator('[data-testid=contact-merge-undo]').click();
    await page.locator('[data-testid=contacts-notice]', { hasText: 'undone' }).waitFor();
    const back = await s.api('GET', `/contacts/${second.contact_id}`);
    assert.equal(back.id, second.contact_id);
    const kept = await s.api('GET', `/contacts/${first.contact_id}/profile`);
    assert.equal(kept.contact.identities.length, 1);
    assert.equal(kept.notes, 'Prefers a call after 6 pm.');
  }));

  test('a CSV with errors imports nothing; a good one imports every row; the export has them', s.run(async () => {
    const page = s.page;
    const before = (await s.api('GET', '/contacts?limit=200')).items.length;
    await page.locator('[data-testid=contacts-import]').click();
    const dialog = page.locator('[data-testid=import-dialog]');
    await fileInput(page, 'bad.csv', BAD_CSV.replaceAll('{account}', accountName));
    await dialog.locator('[data-testid=import-row]').nth(2).waitFor();
    const results = await dialog.locator('[data-testid=import-row-result]').allTextContents();
    assert.match(results[0], /New contact/);
    assert.match(results[1], /not a phone number/);
    assert.match(results[2], /no account is called/);
    assert.ok(await dialog.locator('[data-testid=import-commit]').isDisabled(), 'nothing to import while a line has an error');
    await s.screenshot('contacts-import-errors.png');
    assert.equal((await s.api('GET', '/contacts?limit=200')).items.length, before, 'nothing half-imported');

    await fileInput(page, 'good.csv', GOOD_CSV.replaceAll('{account}', accountName));
    await dialog.locator('[data-testid=import-summary]', { hasText: '2 lines are ready' }).waitFor();
    await dialog.locator('[data-testid=import-commit]').click();
    await page.locator('[data-testid=contacts-notice]', { hasText: 'Imported 2' }).waitFor();
    const found = await s.api('GET', '/contacts?query=Ot%C3%A1vio');
    assert.equal(found.items.length, 1);
    const otavio = await s.api('GET', `/contacts/${found.items[0].id}/profile`);
    assert.equal(otavio.notes, 'Liga à tarde, depois das 14h');

    await page.locator('[data-testid=contact-search]').fill('Zélia');
    await waitFor(async () => (await page.locator('[data-testid=contact-row]').count()) === 1, { timeout: T, message: 'the filter' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=contacts-export]').click()]);
    const text = readFileSync(await download.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFFname,phone,account,tags,notes,plan\r\n'), text);
    assert.match(text, /Zélia Prado,5511912340001,.*,novos; vip,Prefere e-mail,Gold/);
    assert.doesNotMatch(text, /Otávio/, 'only the current filter');
    assert.match(download.suggestedFilename(), /^contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.locator('[data-testid=contact-row]').first().click();
    await s.screenshot('contacts-screen.png');
  }));
});

describe('browser: contacts (Portuguese)', () => {
  const s = browserSession({ name: 'contacts-pt', viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
  before(s.start);
  after(s.stop);

  test('the panel and the import speak Portuguese', s.run(async () => {
    await s.open();
    const { first } = await twoContacts(s);
    const page = s.page;
    await s.openConversation(first.title);
    const panel = page.locator('[data-testid=contact-panel]');
    await panel.getByText('Outras conversas', { exact: true }).waitFor();
    await panel.getByText('Notas', { exact: true }).waitFor();
    await panel.locator('[data-testid=panel-notes]').fill('Cliente desde 2019.');
    await panel.locator('[data-testid=panel-notes-save]').click();
    await panel.locator('[data-testid=panel-attribute-key]').fill('Cidade');
    await panel.locator('[data-testid=panel-attribute-value]').fill('Recife');
    await panel.locator('[data-testid=panel-attribute-save]').click();
    await panel.locator('[data-testid=panel-attribute]', { hasText: 'Recife' }).waitFor();
    await s.screenshot('contacts-panel-pt.png');

    await page.locator('[data-testid=contacts-button]').click();
    await page.locator('[data-testid=contacts-import]').click();
    await fileInput(page, 'ruim.csv', BAD_CSV.replaceAll('{account}', 'x'));
    const dialog = page.locator('[data-testid=import-dialog]');
    await dialog.locator('[data-testid=import-summary]', { hasText: 'linhas têm erros' }).waitFor();
    const results = await dialog.locator('[data-testid=import-row-result]').allTextContents();
    assert.match(results[0], /nenhuma conta se chama/);
    assert.match(results[1], /não é um número de telefone/);
    await s.screenshot('contacts-import-pt.png');
  }));
});

// Browser end to end: the template library, in English and in Portuguese.
//
// The demo's Wegly account has its templates in the library, so the seeded `pedido_enviado`
// shows the text the customer saw. A template file is imported: one with an error is previewed
// with the item's error and saves nothing; the fixed file is previewed and imported. In the
// composer the agent searches the library, picks the imported template, fills one input per
// placeholder while the preview shows what the customer will see, and sends it: the simulator
// receives the template with those fields and the timeline shows the rendered text. Typing a
// name that is not in the library stays possible. The English run opens the manager from the
// composer, the Portuguese one from the Accounts dialog. Screenshots: docs/screenshots/templates-*.png.
//
//   cargo build -p inboxd && (cd ui && npm run build) && cd tests && node --test browser/templates.spec.mjs

import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";

import { browserSession, T } from "../lib/browser.mjs";
import { waitFor } from "../lib/harness.mjs";

const CUSTOMER = "Juliana Costa";

const WORDS = {
  en: {
    seeded: "Olá, Juliana! Seu pedido #7310 foi enviado",
    blocked: "1 of 2 templates have errors",
    gap: "the body's placeholders must be numbered 1 to 3 without gaps: {{2}} is missing",
    ready: "All 2 templates can be imported.",
    imported: "Imported 2 templates.",
    previewTitle: "What the customer will see",
  },
  "pt-BR": {
    seeded: "Olá, Juliana! Seu pedido #7310 foi enviado",
    blocked: "1 de 2 modelos têm erros",
    gap: "os campos do corpo devem ser numerados de 1 a 3 sem lacunas: falta {{2}}",
    ready: "Todos os 2 modelos podem ser importados.",
    imported: "2 modelos importados.",
    previewTitle: "O que o cliente verá",
  },
};

/** A template file as Meta's API lists templates; `bad` leaves a gap in the first body. */
function templateFile(bad) {
  return JSON.stringify({
    data: [
      {
        name: "entrega_agendada",
        language: "pt_BR",
        category: "UTILITY",
        status: "APPROVED",
        components: [
          { type: "HEADER", format: "TEXT", text: "Entrega {{1}}" },
          {
            type: "BODY",
            text: bad
              ? "Oi, {{1}}! Sua entrega chega em {{3}}."
              : "Oi, {{1}}! Sua entrega do pedido {{2}} chega em {{3}}, entre 8h e 12h.",
          },
          { type: "FOOTER", text: "Loja Aurora" },
          {
            type: "BUTTONS",
            buttons: [
              {
                type: "URL",
                text: "Reagendar",
                url: "https://loja-aurora.example/reagendar/{{1}}",
              },
              { type: "QUICK_REPLY", text: "Confirmar" },
            ],
          },
        ],
      },
      {
        name: "pesquisa_satisfacao",
        language: "pt_BR",
        category: "MARKETING",
        components: [
          {
            type: "BODY",
            text: "Como foi o atendimento, {{1}}? Responda de 1 a 5.",
          },
        ],
      },
    ],
  });
}

const VALUES = {
  "HEADER:1": "#7310",
  "BODY:1": "Juliana",
  "BODY:2": "#7310",
  "BODY:3": "sexta-feira",
  "BUTTON:0:1": "7310",
};
const RENDERED =
  "Oi, Juliana! Sua entrega do pedido #7310 chega em sexta-feira, entre 8h e 12h.";

function story(locale, tag) {
  const w = WORDS[locale];
  const s = browserSession({
    name: `templates-${tag}`,
    locale,
    viewport: { width: 1280, height: 900 },
  });
  const page = () => s.page;

  async function chooseFile(content, name) {
    await page()
      .locator("[data-testid=template-import-file]")
      .setInputFiles({
        name,
        mimeType: "application/json",
        buffer: Buffer.from(content),
      });
  }

  describe(`browser: template library (${locale})`, () => {
    before(s.start);
    after(s.stop);

    let view;

    test(
      "the demo's seeded template shows the text the customer saw",
      s.run(async () => {
        await s.open();
        view = await s.openConversation(CUSTOMER, "wegly");
        const rendered = view
          .locator("[data-testid=message-template-rendered]")
          .first();
        await rendered.waitFor({ state: "visible" });
        assert.match(await rendered.innerText(), new RegExp(w.seeded));
        assert.doesNotMatch(await view.innerText(), /BODY \{\{1\}\}/);
      }),
    );

    test(
      "a template file is previewed with its errors, saved all or nothing",
      s.run(async () => {
        if (tag === "en") {
          // From the composer's template form.
          await view.locator("[data-testid=composer-mode-template]").click();
          await view
            .locator("[data-testid=template-picker]")
            .waitFor({ state: "visible" });
          await view.locator("[data-testid=templates-manage]").click();
        } else {
          // From the Accounts dialog.
          await page().locator("[data-testid=accounts-button]").click();
          const row = page().locator(
            "[data-testid=account-row][data-provider=wegly]",
          );
          await row.locator("[data-testid=account-templates]").click();
        }
        const library = page().locator("[data-testid=template-library]");
        await library.waitFor({ state: "visible" });
        const rows = library.locator("[data-testid=template-row]");
        await waitFor(async () => (await rows.count()) === 4, {
          timeout: T,
          message: "the demo's 4 templates",
        });

        await library.locator("[data-testid=template-import-open]").click();
        await chooseFile(templateFile(true), "templates-bad.json");
        const summary = page().locator("[data-testid=template-import-summary]");
        await summary.waitFor({ state: "visible" });
        assert.equal(await summary.getAttribute("data-valid"), "false");
        assert.match(await summary.innerText(), new RegExp(w.blocked));
        const issue = page().locator("[data-testid=template-import-issue]");
        assert.equal(await issue.count(), 1);
        assert.ok(
          (await issue.innerText()).includes(w.gap),
          await issue.innerText(),
        );
        assert.ok(
          await page()
            .locator("[data-testid=template-import-save]")
            .isDisabled(),
        );
        await s.screenshot(`templates-import-errors-${tag}.png`);

        await chooseFile(templateFile(false), "templates.json");
        await waitFor(
          async () => (await summary.getAttribute("data-valid")) === "true",
          {
            timeout: T,
            message: "the fixed file to be valid",
          },
        );
        assert.equal((await summary.innerText()).trim(), w.ready);
        await s.screenshot(`templates-import-preview-${tag}.png`);
        await page().locator("[data-testid=template-import-save]").click();
        await library
          .locator("[data-testid=template-flash]")
          .waitFor({ state: "visible" });
        assert.equal(
          (
            await library.locator("[data-testid=template-flash]").innerText()
          ).trim(),
          w.imported,
        );
        await waitFor(async () => (await rows.count()) === 6, {
          timeout: T,
          message: "6 templates after the import",
        });
        await s.screenshot(`templates-library-${tag}.png`);

        // Add one by hand: the engine's refusal is shown in the agent's language, then it is saved.
        await library.locator('[data-testid=template-add]').click();
        const editor = library.locator('[data-testid=template-editor]');
        await editor.locator('[data-testid=template-edit-name]').fill('aviso_teste');
        await editor.locator('[data-testid=template-edit-body]').fill('Oi {{1}}, o pedido {{3}} saiu.');
        await editor.locator('[data-testid=template-edit-save]').click();
        const editError = editor.locator('[data-testid=template-edit-error]');
        await editError.waitFor({ state: 'visible' });
        assert.ok((await editError.innerText()).includes(w.gap), await editError.innerText());
        await editor.locator('[data-testid=template-edit-body]').fill('Oi {{1}}, o pedido {{2}} saiu.');
        await editor.locator('[data-testid=template-edit-footer]').fill('Loja Aurora');
        await s.screenshot(`templates-editor-${tag}.png`);
        await editor.locator('[data-testid=template-edit-save]').click();
        await editor.waitFor({ state: 'detached' });
        await waitFor(async () => (await rows.count()) === 7, { timeout: T, message: 'the added template' });
        // Edit it, then delete it.
        const added = library.locator('[data-testid=template-row][data-name=aviso_teste]');
        await added.locator('[data-testid=template-edit]').click();
        await editor.locator('[data-testid=template-edit-body]').fill('Oi {{1}}, o pedido {{2}} já saiu.');
        await editor.locator('[data-testid=template-edit-save]').click();
        await editor.waitFor({ state: 'detached' });
        await waitFor(async () => (await added.innerText()).includes('já saiu'), { timeout: T, message: 'the edit' });
        await added.locator('[data-testid=template-delete]').click();
        await added.locator('[data-testid=template-delete-confirm]').click();
        await waitFor(async () => (await rows.count()) === 6, { timeout: T, message: 'the deletion' });

        if (tag === "en") {
          await page().locator("[data-testid=templates-dialog-close]").click();
          await page()
            .locator("[data-testid=templates-dialog]")
            .waitFor({ state: "detached" });
        } else {
          await page().locator("[data-testid=accounts-dialog-close]").click();
          await page()
            .locator("[data-testid=accounts-dialog]")
            .waitFor({ state: "detached" });
          await view.locator("[data-testid=composer-mode-template]").click();
        }
      }),
    );

    test(
      "picking a template shows its fields and a live preview; the sent message shows the rendered text",
      s.run(async () => {
        const picker = view.locator("[data-testid=template-picker]");
        await picker.waitFor({ state: "visible" });
        await picker.locator("[data-testid=template-search]").fill("entrega");
        const options = picker.locator("[data-testid=template-option]");
        await waitFor(async () => (await options.count()) >= 1, {
          timeout: T,
          message: "search results",
        });
        const names = await options.evaluateAll((els) =>
          els.map((e) => e.getAttribute("data-name")),
        );
        assert.ok(names.includes("entrega_agendada"), names.join());
        assert.ok(!names.includes("pesquisa_satisfacao"), names.join());
        await picker
          .locator("[data-testid=template-option][data-name=entrega_agendada]")
          .click();

        const slots = picker.locator("[data-testid=template-slot]");
        await waitFor(async () => (await slots.count()) === 5, {
          timeout: T,
          message: "one input per placeholder",
        });
        const body = picker.locator("[data-testid=template-preview-body]");
        assert.match(
          await body.innerText(),
          /Oi, \{\{1\}\}! Sua entrega do pedido \{\{2\}\}/,
        );
        assert.ok((await picker.innerText()).includes(w.previewTitle));
        // Fill the body's first field: the preview follows as it is typed.
        await picker
          .locator('[data-testid=template-slot][data-slot="BODY:1"]')
          .fill(VALUES["BODY:1"]);
        await waitFor(
          async () => (await body.innerText()).startsWith("Oi, Juliana!"),
          {
            timeout: T,
            message: "the preview to show the typed value",
          },
        );
        await s.screenshot(`templates-compose-partial-${tag}.png`);
        for (const [slot, value] of Object.entries(VALUES)) {
          await picker
            .locator(`[data-testid=template-slot][data-slot="${slot}"]`)
            .fill(value);
        }
        await waitFor(
          async () => (await body.innerText()).trim() === RENDERED,
          {
            timeout: T,
            message: "the preview with every field filled",
          },
        );
        assert.equal(
          (
            await picker
              .locator("[data-testid=template-preview-header]")
              .innerText()
          ).trim(),
          "Entrega #7310",
        );
        await s.screenshot(`templates-compose-${tag}.png`);

        await view.locator("[data-testid=composer-send]").click();
        const sent = await s.sim.waitForRequest(
          (r) =>
            r.method === "POST" &&
            r.body?.template?.name === "entrega_agendada",
          "the template at Wegly",
        );
        const fields = Object.fromEntries(
          sent.body.template_fields.map((f) => [
            f.button_index === undefined
              ? `${f.component}:${f.index}`
              : `${f.component}:${f.button_index}:${f.index}`,
            f.value,
          ]),
        );
        assert.deepEqual(fields, VALUES);
        const last = view
          .locator("[data-testid=message-template-rendered]")
          .last();
        await waitFor(async () => (await last.innerText()).includes(RENDERED), {
          timeout: T,
          message: "the timeline to show the rendered template",
        });
        assert.ok((await last.innerText()).includes("Entrega #7310"));
        assert.ok((await last.innerText()).includes("Reagendar"));
        await s.screenshot(`templates-sent-${tag}.png`);
      }),
    );

    test(
      "a template that is not in the library can still be typed by name",
      s.run(async () => {
        await view.locator("[data-testid=composer-mode-template]").click();
        const picker = view.locator("[data-testid=template-picker]");
        await picker.locator("[data-testid=template-type-name]").click();
        await view.locator("[data-testid=template-name]").fill("promo_natal");
        await view.locator("[data-testid=template-add-field]").click();
        await view
          .locator("[data-testid=template-field-value]")
          .fill("Juliana");
        await view.locator("[data-testid=composer-send]").click();
        await s.sim.waitForRequest(
          (r) =>
            r.method === "POST" && r.body?.template?.name === "promo_natal",
          "the typed template at Wegly",
        );
        const item = view.locator("[data-testid=message-template]").last();
        await waitFor(
          async () => (await item.innerText()).includes("promo_natal"),
          {
            timeout: T,
            message: "the typed template in the timeline",
          },
        );
        assert.equal(
          await item.locator("[data-testid=message-template-rendered]").count(),
          0,
        );
      }),
    );
  });
}

story("en", "en");
story("pt-BR", "pt");

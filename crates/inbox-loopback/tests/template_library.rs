//! The template library against the simulator: templates kept per account (create, edit,
//! delete, import all or nothing), and a library template sent to Wegly with its fields, stored
//! with the text the customer saw.

mod common;

use std::collections::BTreeMap;

use inbox_core::{
    DeliveryStatus, LibraryTemplateInput, MessageKind, NewAccount, Provider, SendMessage, Sensitive, StartConversation,
    Template, TemplateCategory, TemplateField, TemplateImport, TemplateImportAction,
};
use inbox_sim::wegly::{DEFAULT_PHONE_ID, DEFAULT_TOKEN};
use inbox_sim::{CustomerMessage, Signing, SimHandle, WeglyEvent};
use serde_json::json;

const SIGNING_SECRET: &str = "wegly-subscription-secret-2";

async fn wegly(h: &common::Harness, sim: &SimHandle) -> String {
    let account = h
        .inbox
        .create_account(NewAccount {
            provider: Provider::Wegly,
            name: "Loja Wegly".into(),
            settings: json!({ "base_url": sim.wegly_url(), "whatsapp_phone_id": DEFAULT_PHONE_ID })
                .as_object()
                .unwrap()
                .clone(),
            secrets: BTreeMap::from([
                ("token".to_owned(), Sensitive::new(DEFAULT_TOKEN)),
                ("signing_secret".to_owned(), Sensitive::new(SIGNING_SECRET)),
            ]),
        })
        .await
        .unwrap();
    sim.wegly().subscribe(account.webhook_url.clone().unwrap(), SIGNING_SECRET, Signing::Hex);
    account.id
}

fn pedido() -> LibraryTemplateInput {
    LibraryTemplateInput {
        name: "pedido_enviado".into(),
        language: "pt_BR".into(),
        category: TemplateCategory::Utility,
        header: Some("Pedido {{1}}".into()),
        body: "Olá, {{1}}! Seu pedido {{2}} foi enviado.".into(),
        footer: Some("Loja Exemplo".into()),
        buttons: vec![],
    }
}

fn field(component: &str, index: i64, value: &str) -> TemplateField {
    TemplateField {
        component: component.into(),
        kind: "TEXT".into(),
        index,
        value: value.into(),
        button_index: None,
        card_index: None,
    }
}

fn template_message(name: &str, fields: Vec<TemplateField>) -> SendMessage {
    SendMessage {
        kind: MessageKind::Template,
        template: Some(Template { name: name.into(), language: "pt_BR".into(), fields, rendered: None }),
        ..SendMessage::default()
    }
}

#[tokio::test]
async fn templates_are_kept_per_account_with_clear_refusals() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly(&h, &sim).await;
    let inbox = &h.inbox;

    let created = inbox.create_template(&account, pedido()).await.unwrap();
    assert_eq!(created.account_id, account);
    assert_eq!(
        created.slots.iter().map(|s| (s.component.as_str(), s.index)).collect::<Vec<_>>(),
        [("HEADER", 1), ("BODY", 1), ("BODY", 2)]
    );
    assert_eq!(created.slots[1].context, "Olá, ___! Seu pedido … foi enviado.");

    // One template per name and language.
    let e = inbox.create_template(&account, pedido()).await.unwrap_err();
    assert_eq!((e.code(), e.public_text().key.as_str()), ("invalid_input", "template.duplicate"));
    let english =
        LibraryTemplateInput { language: "en_US".into(), body: "Hi {{1}}, order {{2}} shipped.".into(), ..pedido() };
    let english = inbox.create_template(&account, english).await.unwrap();

    // Validation: the first problem, in both languages.
    let gap = LibraryTemplateInput { name: "lacuna".into(), body: "Olá {{1}} e {{3}}".into(), ..pedido() };
    let e = inbox.create_template(&account, gap).await.unwrap_err();
    assert_eq!(e.public_message(), "the body's placeholders must be numbered 1 to 3 without gaps: {{2}} is missing");
    assert_eq!(
        e.public_text().render(inbox_core::Lang::PtBr),
        "os campos do corpo devem ser numerados de 1 a 3 sem lacunas: falta {{2}}"
    );

    // Edit: a rename onto another template's name and language is refused; a real edit is kept.
    let clash = LibraryTemplateInput { language: "pt_BR".into(), ..english.input_for_test() };
    assert_eq!(inbox.update_template(&english.id, clash).await.unwrap_err().public_text().key, "template.duplicate");
    let edited = LibraryTemplateInput {
        body: "Hello {{1}}, your order {{2}} is on its way.".into(),
        ..english.input_for_test()
    };
    let edited = inbox.update_template(&english.id, edited).await.unwrap();
    assert_eq!(edited.body, "Hello {{1}}, your order {{2}} is on its way.");
    let list = inbox.list_templates(&account).await.unwrap();
    assert_eq!(
        list.iter().map(|t| (t.name.as_str(), t.language.as_str())).collect::<Vec<_>>(),
        [("pedido_enviado", "en_US"), ("pedido_enviado", "pt_BR")]
    );

    // Delete.
    inbox.delete_template(&english.id).await.unwrap();
    assert_eq!(inbox.list_templates(&account).await.unwrap().len(), 1);
    assert_eq!(inbox.delete_template(&english.id).await.unwrap_err().code(), "not_found");

    // Only accounts whose provider has templates.
    let mconnect = common::mconnect_account(inbox, &sim).await;
    let e = inbox.list_templates(&mconnect.id).await.unwrap_err();
    assert_eq!((e.code(), e.public_text().key.as_str()), ("unsupported", "template.library_unsupported"));
    assert_eq!(inbox.create_template(&mconnect.id, pedido()).await.unwrap_err().code(), "unsupported");

    // Removing the account removes its library.
    inbox.delete_account(&account).await.unwrap();
    assert_eq!(inbox.list_templates(&account).await.unwrap_err().code(), "not_found");
    let pool = h.pool().await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM message_templates").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
}

trait ForTest {
    fn input_for_test(&self) -> LibraryTemplateInput;
}

impl ForTest for inbox_core::LibraryTemplate {
    fn input_for_test(&self) -> LibraryTemplateInput {
        LibraryTemplateInput {
            name: self.name.clone(),
            language: self.language.clone(),
            category: self.category,
            header: self.header.clone(),
            body: self.body.clone(),
            footer: self.footer.clone(),
            buttons: self.buttons.clone(),
        }
    }
}

fn whatsapp(name: &str, body: &str) -> serde_json::Value {
    json!({ "name": name, "language": "pt_BR", "category": "UTILITY", "status": "APPROVED",
            "components": [{ "type": "BODY", "text": body }] })
}

#[tokio::test]
async fn an_import_saves_everything_or_nothing() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly(&h, &sim).await;
    let inbox = &h.inbox;
    inbox.create_template(&account, pedido()).await.unwrap();

    // One bad item: the preview shows each item's errors, and importing saves nothing.
    let bad = json!({ "data": [
        whatsapp("pedido_enviado", "Oi {{1}}, o pedido {{2}} saiu!"),
        whatsapp("boas_vindas", "Bem-vindo, {{2}}"),
        whatsapp("lembrete", "Sua fatura vence amanhã."),
    ] })
    .to_string();
    let preview = inbox.preview_template_import(&account, TemplateImport { content: bad.clone() }).await.unwrap();
    assert!(!preview.valid);
    assert_eq!(
        preview.items.iter().map(|i| (i.name.as_str(), i.action, i.errors.len())).collect::<Vec<_>>(),
        [
            ("pedido_enviado", TemplateImportAction::Replace, 0),
            ("boas_vindas", TemplateImportAction::Create, 1),
            ("lembrete", TemplateImportAction::Create, 0)
        ]
    );
    assert_eq!(preview.items[1].errors[0].field, "body");
    let e = inbox.import_templates(&account, TemplateImport { content: bad }).await.unwrap_err();
    assert_eq!(e.public_message(), "nothing was imported: 1 templates of the file have errors");
    let list = inbox.list_templates(&account).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].body, pedido().body, "the library is untouched");

    // Fixed: all saved, the existing one replaced.
    let good = json!([
        whatsapp("pedido_enviado", "Oi {{1}}, o pedido {{2}} saiu!"),
        whatsapp("boas_vindas", "Bem-vindo, {{1}}"),
        whatsapp("lembrete", "Sua fatura vence amanhã."),
    ])
    .to_string();
    let saved = inbox.import_templates(&account, TemplateImport { content: good }).await.unwrap();
    assert_eq!(
        saved.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["boas_vindas", "lembrete", "pedido_enviado"]
    );
    let replaced = saved.iter().find(|t| t.name == "pedido_enviado").unwrap();
    assert_eq!(replaced.body, "Oi {{1}}, o pedido {{2}} saiu!");
    assert_eq!(replaced.header, None);

    // A file that is not templates is refused whole.
    let e = inbox.preview_template_import(&account, TemplateImport { content: "oops".into() }).await.unwrap_err();
    assert_eq!(e.public_text().key, "template.import_invalid_json");
}

#[tokio::test]
async fn a_library_template_goes_out_with_its_fields_and_is_stored_as_the_customer_saw_it() {
    let h = common::inbox().await;
    let sim = common::sim();
    let account = wegly(&h, &sim).await;
    let inbox = &h.inbox;
    inbox.create_template(&account, pedido()).await.unwrap();
    let fields = vec![field("BODY", 1, "Juliana"), field("BODY", 2, "#7310"), field("HEADER", 1, "#7310")];

    // A missing field is refused before anything is stored or sent.
    let start = |message: SendMessage| StartConversation {
        account_id: account.clone(),
        to: "5541977776666".into(),
        name: Some("Juliana Costa".into()),
        message: Some(message),
        ..StartConversation::default()
    };
    let e = inbox.start_conversation(start(template_message("pedido_enviado", fields[..2].to_vec()))).await;
    assert_eq!(e.unwrap_err().public_message(), "fill {{1}} of the template's HEADER");
    assert!(sim.requests().is_empty());

    // Starting with it: the simulator gets the fields; the message keeps the rendered text.
    let mut forged = template_message("pedido_enviado", fields.clone());
    forged.template.as_mut().unwrap().rendered =
        Some(inbox_core::RenderedTemplate { header: None, body: "forged".into(), footer: None, buttons: vec![] });
    let started = inbox.start_conversation(start(forged)).await.unwrap();
    let first = inbox.list_messages(&started.id, None, None).await.unwrap().items.remove(0);
    assert_eq!(first.status, DeliveryStatus::Sent);
    assert_eq!(first.body.as_deref(), Some("Olá, Juliana! Seu pedido #7310 foi enviado."));
    let rendered = &first.payload.as_ref().unwrap()["template"]["rendered"];
    assert_eq!(
        rendered,
        &json!({ "header": "Pedido #7310", "body": "Olá, Juliana! Seu pedido #7310 foi enviado.", "footer": "Loja Exemplo" })
    );
    let create = sim.requests().into_iter().find(|r| r.method == "POST").unwrap().body.unwrap();
    assert_eq!(create["template"], json!({ "name": "pedido_enviado", "language": "pt_BR" }));
    let sent: Vec<_> = create["template_fields"].as_array().unwrap().iter().map(|f| f["value"].clone()).collect();
    assert_eq!(sent, [json!("Juliana"), json!("#7310"), json!("#7310")]);
    assert!(create.get("rendered").is_none() && create["template"].get("rendered").is_none());

    // A template the library does not have still goes out as typed, without a rendering (a client
    // cannot supply one).
    let chat_id = sim.wegly().chat_of("5541977776666").unwrap();
    sim.wegly()
        .fire(WeglyEvent::MessageReceived(CustomerMessage {
            chat_id: Some(chat_id),
            text: Some("Oi!".into()),
            ..CustomerMessage::default()
        }))
        .await
        .unwrap();
    let mut unknown = template_message("promo_natal", vec![field("BODY", 1, "Juliana")]);
    unknown.template.as_mut().unwrap().rendered =
        Some(inbox_core::RenderedTemplate { header: None, body: "forged".into(), footer: None, buttons: vec![] });
    let sent = inbox.send_message(&started.id, unknown).await.unwrap();
    assert_eq!(sent.body.as_deref(), Some("[promo_natal]"));
    assert!(sent.payload.as_ref().unwrap()["template"].get("rendered").is_none());
    let got =
        common::until(async || sim.requests().into_iter().filter(|r| r.method == "POST").nth(1).and_then(|r| r.body))
            .await;
    assert_eq!(got["template"]["name"], "promo_natal");
}

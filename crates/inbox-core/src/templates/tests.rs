//! The library's rules, rendering and file reading, without a database.

use serde_json::json;

use super::*;

fn input(body: &str) -> LibraryTemplateInput {
    LibraryTemplateInput {
        name: "pedido_enviado".into(),
        language: "pt_BR".into(),
        category: TemplateCategory::Utility,
        header: None,
        body: body.into(),
        footer: None,
        buttons: vec![],
    }
}

fn keys(issues: &[TemplateIssue]) -> Vec<(&str, &str)> {
    issues.iter().map(|i| (i.field.as_str(), i.text.key.as_str())).collect()
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

#[test]
fn placeholders_are_found_in_order_and_unclosed_braces_are_text() {
    let ps = placeholders("Olá {{1}}, pedido {{ 2 }} {{nome}} {{ e {{3}} fim {{");
    let inner: Vec<&str> = ps.iter().map(|p| p.inner).collect();
    assert_eq!(inner, ["1", " 2 ", "nome", "3"]);
    assert_eq!(ps.iter().map(Placeholder::number).collect::<Vec<_>>(), [Some(1), Some(2), None, Some(3)]);
}

#[test]
fn a_valid_template_is_trimmed_and_has_no_issues() {
    let mut t = input("  Olá, {{1}}! Seu pedido {{2}} saiu. {{1}}, obrigado.  ");
    t.header = Some("  Pedido {{1}} ".into());
    t.footer = Some("   ".into());
    t.buttons = vec![
        TemplateButton {
            kind: TemplateButtonKind::Url,
            text: " Rastrear ".into(),
            url: Some("https://loja.example/r/{{1}}".into()),
            phone_number: Some("ignored".into()),
        },
        TemplateButton { kind: TemplateButtonKind::QuickReply, text: "Ok".into(), url: None, phone_number: None },
    ];
    let (clean, issues) = validate(t);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(clean.body, "Olá, {{1}}! Seu pedido {{2}} saiu. {{1}}, obrigado.");
    assert_eq!(clean.header.as_deref(), Some("Pedido {{1}}"));
    assert_eq!(clean.footer, None);
    assert_eq!(clean.buttons[0].text, "Rastrear");
    assert_eq!(clean.buttons[0].phone_number, None);
    let s = slots(&clean);
    assert_eq!(
        s.iter().map(|s| (s.component.as_str(), s.index, s.button_index)).collect::<Vec<_>>(),
        [("HEADER", 1, None), ("BODY", 1, None), ("BODY", 2, None), ("BUTTON", 1, Some(0))]
    );
    assert_eq!(s[1].context, "Olá, ___! Seu pedido … saiu. …, obri…");
    assert_eq!(s[2].context, "Olá, …! Seu pedido ___ saiu. …, obrigado.");
}

#[test]
fn placeholders_must_be_numbered_from_one_without_gaps() {
    let (_, issues) = validate(input("Olá {{1}}, seu pedido {{3}}"));
    assert_eq!(keys(&issues), [("body", "template.placeholder_gap")]);
    assert_eq!(issues[0].text.params["missing"], "{{2}}");
    assert_eq!(issues[0].text.params["max"], "3");
    assert_eq!(
        issues[0].text.render(crate::Lang::PtBr),
        "os campos do corpo devem ser numerados de 1 a 3 sem lacunas: falta {{2}}"
    );
    let (_, issues) = validate(input("Olá {{2}}"));
    assert_eq!(issues[0].text.params["missing"], "{{1}}");
    let (_, issues) = validate(input("Olá {{nome}}"));
    assert_eq!(keys(&issues), [("body", "template.placeholder_not_numbered")]);
    assert_eq!(issues[0].text.params["found"], "{{nome}}");
}

#[test]
fn every_part_is_checked_and_every_issue_reported() {
    let t = LibraryTemplateInput {
        name: "Pedido Enviado".into(),
        language: "portuguese".into(),
        category: TemplateCategory::Marketing,
        header: Some("{{1}} e {{2}}".into()),
        body: " ".into(),
        footer: Some("Até {{1}}".into()),
        buttons: vec![
            TemplateButton {
                kind: TemplateButtonKind::Url,
                text: "".into(),
                url: Some("ftp://x".into()),
                phone_number: None,
            },
            TemplateButton {
                kind: TemplateButtonKind::PhoneNumber,
                text: "Ligar".into(),
                url: None,
                phone_number: None,
            },
            TemplateButton {
                kind: TemplateButtonKind::Url,
                text: "um texto longo demais para um botão".into(),
                url: Some("https://x.example/{{1}}/fim".into()),
                phone_number: None,
            },
        ],
    };
    let (_, issues) = validate(t);
    assert_eq!(
        keys(&issues),
        [
            ("name", "template.name_invalid"),
            ("language", "template.language_invalid"),
            ("header", "template.header_placeholder"),
            ("body", "template.body_required"),
            ("footer", "template.footer_placeholder"),
            ("buttons.0", "template.button_text_required"),
            ("buttons.0", "template.button_url_invalid"),
            ("buttons.1", "template.button_phone_required"),
            ("buttons.2", "template.button_text_too_long"),
            ("buttons.2", "template.button_url_invalid"),
        ]
    );
    for lang in ["pt_BR", "en", "en_US", "zh_Hant", "es"] {
        assert!(language_ok(lang), "{lang}");
    }
    for lang in ["PT_br", "p", "pt-BR", "pt_", "english"] {
        assert!(!language_ok(lang), "{lang}");
    }
}

#[test]
fn rendering_fills_every_part_and_refuses_a_missing_field() {
    let mut t = input("Olá, {{1}}! Seu pedido {{2}} foi enviado.");
    t.header = Some("Pedido {{1}}".into());
    t.footer = Some("Loja Exemplo".into());
    t.buttons = vec![TemplateButton {
        kind: TemplateButtonKind::Url,
        text: "Rastrear".into(),
        url: Some("https://loja.example/r/{{1}}".into()),
        phone_number: None,
    }];
    let mut button = field("BUTTON", 1, "7310");
    button.button_index = Some(0);
    let fields = vec![field("BODY", 1, "Juliana"), field("body", 2, "#7310"), field("HEADER", 1, "#7310"), button];
    let r = render(&t, &fields).unwrap();
    assert_eq!(r.header.as_deref(), Some("Pedido #7310"));
    assert_eq!(r.body, "Olá, Juliana! Seu pedido #7310 foi enviado.");
    assert_eq!(r.footer.as_deref(), Some("Loja Exemplo"));
    assert_eq!(r.buttons[0].url.as_deref(), Some("https://loja.example/r/7310"));
    assert_eq!(r.buttons[0].text, "Rastrear");

    let e = render(&t, &fields[..2]).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert_eq!(e.public_message(), "fill {{1}} of the template's HEADER");
    let e = render(&t, &fields[..3]).unwrap_err();
    assert_eq!(e.public_text().render(crate::Lang::PtBr), "preencha {{1}} do botão 1 do modelo");
    let blank = vec![field("BODY", 1, " "), field("BODY", 2, "x"), field("HEADER", 1, "x")];
    assert!(render(&t, &blank).is_err(), "a blank value does not fill a placeholder");
}

#[test]
fn a_value_that_looks_like_a_placeholder_is_not_filled_again() {
    let r = render(&input("{{1}} e {{2}}"), &[field("BODY", 1, "{{2}}"), field("BODY", 2, "dois")]).unwrap();
    assert_eq!(r.body, "{{2}} e dois");
}

fn whatsapp(name: &str, body: &str) -> serde_json::Value {
    json!({
        "name": name,
        "language": "pt_BR",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "1234",
        "components": [
            { "type": "HEADER", "format": "TEXT", "text": "Pedido {{1}}" },
            { "type": "BODY", "text": body, "example": { "body_text": [["Juliana", "#7310"]] } },
            { "type": "FOOTER", "text": "Loja Exemplo" },
            { "type": "BUTTONS", "buttons": [
                { "type": "URL", "text": "Rastrear", "url": "https://loja.example/r/{{1}}" },
                { "type": "QUICK_REPLY", "text": "Falar com atendente" }
            ] }
        ]
    })
}

#[test]
fn the_three_file_shapes_are_read() {
    let one = whatsapp("pedido_enviado", "Olá, {{1}}! Seu pedido {{2}} foi enviado.");
    for content in [one.to_string(), json!([one]).to_string(), json!({ "data": [one], "paging": {} }).to_string()] {
        let p = import::preview(&content, &[]).unwrap();
        assert!(p.valid, "{content}: {:?}", p.items);
        assert_eq!(p.items.len(), 1);
        let t = p.items[0].template.as_ref().unwrap();
        assert_eq!(
            (t.name.as_str(), t.language.as_str(), t.category),
            ("pedido_enviado", "pt_BR", TemplateCategory::Utility)
        );
        assert_eq!(t.header.as_deref(), Some("Pedido {{1}}"));
        assert_eq!(t.body, "Olá, {{1}}! Seu pedido {{2}} foi enviado.");
        assert_eq!(t.footer.as_deref(), Some("Loja Exemplo"));
        assert_eq!(t.buttons.len(), 2);
        assert_eq!(t.buttons[1].kind, TemplateButtonKind::QuickReply);
        assert_eq!(p.items[0].action, TemplateImportAction::Create);
    }
    // The library's own shape (an export of this inbox) is read too.
    let own = json!({ "name": "boas_vindas", "language": "en", "category": "marketing", "body": "Hi {{1}}" });
    let p = import::preview(&own.to_string(), &[]).unwrap();
    assert!(p.valid, "{:?}", p.items);
    assert_eq!(p.items[0].template.as_ref().unwrap().body, "Hi {{1}}");
}

#[test]
fn each_item_gets_its_own_errors() {
    let file = json!([
        whatsapp("pedido_enviado", "Olá, {{1}}! Seu pedido {{2}} foi enviado."),
        whatsapp("com_lacuna", "Olá {{1}}, pedido {{3}}"),
        { "name": "sem_categoria", "language": "pt_BR", "components": [{ "type": "BODY", "text": "Oi" }] },
        { "name": "imagem", "language": "pt_BR", "category": "MARKETING", "components": [
            { "type": "HEADER", "format": "IMAGE" }, { "type": "BODY", "text": "Oi" },
            { "type": "BUTTONS", "buttons": [{ "type": "OTP", "text": "Copiar" }] }
        ] },
        whatsapp("pedido_enviado", "De novo"),
        "texto solto"
    ]);
    let p = import::preview(&file.to_string(), &[]).unwrap();
    assert!(!p.valid);
    let by_item: Vec<Vec<(&str, &str)>> = p.items.iter().map(|i| keys(&i.errors)).collect();
    assert_eq!(
        by_item,
        vec![
            vec![],
            vec![("body", "template.placeholder_gap")],
            vec![("category", "template.category_required")],
            vec![("header", "template.header_format_unsupported"), ("buttons.0", "template.button_type_unsupported")],
            vec![("name", "template.import_duplicate")],
            vec![("", "template.import_item_not_object")],
        ]
    );
    assert_eq!(p.items[4].errors[0].text.params["first"], "1");
    assert_eq!(p.items.iter().map(|i| i.position).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_file_that_is_not_templates_is_refused_whole() {
    let err = |content: &str| import::preview(content, &[]).unwrap_err().public_text().key;
    assert_eq!(err("{ \"name\": "), "template.import_invalid_json");
    assert_eq!(err("42"), "template.import_not_templates");
    assert_eq!(err("{\"data\": 3}"), "template.import_not_templates");
    assert_eq!(err("[]"), "template.import_empty");
    assert_eq!(err(&" ".repeat(import::MAX_IMPORT_BYTES + 1)), "template.import_too_large");
    let e = import::preview("{\n  \"name\": ,\n}", &[]).unwrap_err();
    assert_eq!(e.public_message(), "the file is not valid JSON (line 2, column 11)");
}

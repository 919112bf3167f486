//! The demo's template library: the approved templates of its template-capable accounts (Wegly),
//! in WhatsApp's template JSON as the provider lists them, so what the demo sends shows as the
//! customer saw it and the composer's picker has something to offer.

use inbox_core::model::{Account, Capability};
use inbox_core::{Inbox, Result, TemplateImport};

/// `{data: [...]}`, as Meta's API lists an account's templates. `pedido_enviado` is what the
/// Wegly seed opens its chat with (body fields 1 and 2).
pub(crate) const DEMO_TEMPLATES: &str = r#"{ "data": [
  { "name": "pedido_enviado", "language": "pt_BR", "category": "UTILITY", "status": "APPROVED",
    "components": [
      { "type": "BODY", "text": "Olá, {{1}}! Seu pedido {{2}} foi enviado e chega em até 3 dias úteis. Acompanhe a entrega pelo botão abaixo." },
      { "type": "FOOTER", "text": "Loja Aurora" },
      { "type": "BUTTONS", "buttons": [
        { "type": "URL", "text": "Rastrear pedido", "url": "https://loja-aurora.example/rastreio" },
        { "type": "QUICK_REPLY", "text": "Falar com atendente" } ] } ] },
  { "name": "boas_vindas", "language": "pt_BR", "category": "MARKETING", "status": "APPROVED",
    "components": [
      { "type": "HEADER", "format": "TEXT", "text": "Bem-vindo(a) à Loja Aurora" },
      { "type": "BODY", "text": "Olá, {{1}}! Obrigado por falar com a gente. Como podemos ajudar hoje?" } ] },
  { "name": "lembrete_pagamento", "language": "pt_BR", "category": "UTILITY", "status": "APPROVED",
    "components": [
      { "type": "HEADER", "format": "TEXT", "text": "Fatura {{1}}" },
      { "type": "BODY", "text": "Oi, {{1}}. A fatura {{2}}, de {{3}}, vence em {{4}}. Se precisar de mais prazo, é só responder esta mensagem." },
      { "type": "FOOTER", "text": "Loja Aurora · Financeiro" },
      { "type": "BUTTONS", "buttons": [
        { "type": "URL", "text": "Pagar fatura", "url": "https://loja-aurora.example/fatura/{{1}}" } ] } ] },
  { "name": "order_shipped", "language": "en_US", "category": "UTILITY", "status": "APPROVED",
    "components": [
      { "type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped and should arrive within 3 business days." },
      { "type": "FOOTER", "text": "Aurora Store" } ] }
] }"#;

/// Fills an empty library of a template-capable demo account (created now, or by a run before
/// the library existed). A library the agent already has is left as it is.
pub(crate) async fn fill_library(inbox: &Inbox, account: &Account) -> Result<()> {
    if !account.capabilities.contains(&Capability::Templates) || !inbox.list_templates(&account.id).await?.is_empty() {
        return Ok(());
    }
    inbox.import_templates(&account.id, TemplateImport { content: DEMO_TEMPLATES.into() }).await?;
    Ok(())
}

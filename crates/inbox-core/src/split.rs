//! A text longer than the provider takes, sent as several messages in order.
//!
//! The text is cut at the best boundary before the limit: a paragraph, else a line, else a
//! sentence, else a word (Unicode segmentation, so `Dr.` or `3.5` do not end a sentence and an
//! emoji is never cut in half); a boundary in the first half of a part is passed over for a
//! later one of the next kind. Each part is trimmed. All parts are validated and stored as
//! `pending` before anything is sent; one background task then sends them one after the other,
//! so they reach the customer in order. If a part fails, the parts after it are not sent and
//! are marked failed, so the customer never gets the end of a text without its middle.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{DeliveryStatus, Message, MessageKind, SendMessage};
use crate::outbound::{MAX_TEXT_CHARS, check_window, validate_outbound};
use crate::{Error, Event, Inbox, Result};

/// The byte index just after the first `chars` characters of `s` (its length when shorter).
fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Where to end the next part of `rest`, which is longer than `max` characters: a byte index
/// `0 < cut <= byte_at(rest, max)` on a character boundary.
fn cut_point(rest: &str, max: usize) -> usize {
    let limit = byte_at(rest, max);
    // One character more, so a boundary right after the limit counts.
    let window = &rest[..byte_at(rest, max + 1)];
    let half = limit / 2;
    let within = |i: &usize| *i > 0 && *i <= limit;
    let paragraph = window.match_indices("\n\n").map(|(i, _)| i).filter(within).last();
    let line = window.match_indices('\n').map(|(i, _)| i).rfind(within);
    let sentence = window.split_sentence_bound_indices().map(|(i, _)| i).filter(within).last();
    let word = window.char_indices().rfind(|(i, c)| c.is_whitespace() && within(i)).map(|(i, _)| i);
    for found in [paragraph, line, sentence, word] {
        if let Some(i) = found.filter(|i| *i > half) {
            return i;
        }
    }
    if let Some(i) = word {
        return i;
    }
    // No space at all: the last whole grapheme that fits.
    window.grapheme_indices(true).map(|(i, _)| i).rfind(within).unwrap_or(limit)
}

/// `text` in parts of at most `max` characters, cut at the best boundaries (see the module).
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let cut = cut_point(rest, max);
        let part = rest[..cut].trim_end();
        if !part.is_empty() {
            parts.push(part.to_owned());
        }
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

impl Inbox {
    /// Sends a text message longer than the provider takes as several, cut by [`split_text`]
    /// (one message when it fits). The quote, if any, goes with the first part. Answers the
    /// stored `pending` messages in order; their outcomes arrive as events.
    #[tracing::instrument(skip(self, input), err)]
    pub async fn send_split(&self, conversation_id: &str, input: SendMessage) -> Result<Vec<Message>> {
        if input.kind != MessageKind::Text {
            return Err(Error::invalid(text!("split.text_only")));
        }
        let (connector, target) = self.connector_for_conversation(conversation_id).await?;
        let caps = connector.capabilities();
        let body = input.body.clone().unwrap_or_default();
        let mut outbound = Vec::new();
        for (i, part) in split_text(&body, MAX_TEXT_CHARS).into_iter().enumerate() {
            let one = SendMessage {
                body: Some(part),
                reply_to: if i == 0 { input.reply_to.clone() } else { None },
                ..input.clone()
            };
            let msg = validate_outbound(connector.provider(), &caps, target.kind, one)?;
            check_window(&caps, &target, &msg)?;
            outbound.push(msg);
        }
        if outbound.is_empty() {
            return Err(Error::invalid(text!("outbound.empty")));
        }
        if let Some(reply_to) = outbound[0].quoted_message_id.clone() {
            let (quoted_conversation, provider_id) = self.inner.store.message_ref(&reply_to).await?;
            if quoted_conversation != conversation_id {
                return Err(Error::invalid(text!("message.quote_elsewhere")));
            }
            outbound[0].quoted_provider_message_id =
                Some(provider_id.ok_or_else(|| Error::invalid(text!("message.quote_unconfirmed")))?);
        }
        let mut stored = Vec::new();
        for msg in &outbound {
            let id = self.inner.store.insert_outbound(conversation_id, &target.account_id, msg).await?;
            let message = self.inner.store.get_message(&id).await?;
            self.emit(Event::MessageAdded { conversation_id: conversation_id.to_owned(), message: message.clone() });
            stored.push(message);
        }
        self.emit_conversation(conversation_id).await;

        let inbox = self.clone();
        let ids: Vec<String> = stored.iter().map(|m| m.id.clone()).collect();
        tokio::spawn(async move {
            let mut failed = false;
            for (id, msg) in ids.iter().zip(&outbound) {
                if failed {
                    inbox.record_skipped(&target.conversation_id, id).await;
                    continue;
                }
                let outcome = connector.deliver(&target, msg).await;
                failed = outcome.is_err();
                inbox.record_delivery(&target, id, outcome).await;
            }
        });
        Ok(stored)
    }

    /// A part not sent because an earlier one failed.
    async fn record_skipped(&self, conversation_id: &str, message_id: &str) {
        let error = "not sent: an earlier part of the same text failed".to_owned();
        match self.inner.store.set_delivery(message_id, DeliveryStatus::Failed, None, Some(&error)).await {
            Ok(true) => self.emit(Event::MessageStatusChanged {
                conversation_id: conversation_id.to_owned(),
                message_id: message_id.to_owned(),
                status: DeliveryStatus::Failed,
                provider_message_id: None,
                error: Some(error),
            }),
            Ok(false) => {}
            Err(e) => tracing::error!(message = %message_id, error = %e, "recording a skipped part failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn a_text_that_fits_is_one_part() {
        assert_eq!(split_text("  Olá, tudo bem?  ", 20), vec!["Olá, tudo bem?"]);
        assert!(split_text("   ", 20).is_empty());
    }

    #[test]
    fn paragraphs_come_first() {
        let text = "First paragraph, fairly long. Still going here.\n\nSecond one. Short.";
        assert_eq!(split_text(text, 60), vec!["First paragraph, fairly long. Still going here.", "Second one. Short."]);
    }

    #[test]
    fn then_sentences_then_words() {
        let text = "Your order left the warehouse today. It should arrive on Friday afternoon.";
        assert_eq!(
            split_text(text, 50),
            vec!["Your order left the warehouse today.", "It should arrive on Friday afternoon."]
        );
        let words = "one two three four five six seven eight nine ten";
        let parts = split_text(words, 12);
        assert_eq!(parts, vec!["one two", "three four", "five six", "seven eight", "nine ten"]);
    }

    #[test]
    fn a_boundary_too_early_is_passed_over_for_a_later_word() {
        // The only sentence end is in the first half: cut at the last space instead.
        let text = "Ok. aaaa bbbb cccc dddd eeee ffff gggg";
        let parts = split_text(text, 30);
        assert_eq!(parts[0], "Ok. aaaa bbbb cccc dddd eeee");
        assert_eq!(parts[1], "ffff gggg");
    }

    #[test]
    fn nothing_is_lost_and_every_part_fits() {
        let sentence = "Pedido 4821 saiu para entrega às 9h, com previsão de chegada amanhã. ";
        let text = format!("{}\n\n{}", sentence.repeat(70), "Obrigado! 😄 ".repeat(300));
        let parts = split_text(&text, MAX_TEXT_CHARS);
        assert!(parts.len() >= 2);
        assert!(parts.iter().all(|p| chars(p) <= MAX_TEXT_CHARS && !p.is_empty()));
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squash(&parts.concat()), squash(&text));
    }

    #[test]
    fn a_text_without_spaces_is_cut_between_graphemes() {
        let text = "👍🏽".repeat(10); // two chars each
        let parts = split_text(&text, 5);
        assert!(parts.iter().all(|p| chars(p) <= 5));
        assert!(parts.iter().all(|p| p.graphemes(true).all(|g| g == "👍🏽")));
        assert_eq!(parts.concat(), text);
    }
}

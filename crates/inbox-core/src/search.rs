//! Search over everything stored, offline: messages (text, caption, file name), conversation
//! titles and contacts (names, custom name, identities and phone numbers), and jumping to a
//! message (the page of messages around it, with cursors both ways).
//!
//! The indexes are SQLite FTS5 tables kept in step by triggers (migration `…_search.sql`), so a
//! message enters, changes in and leaves the index in the same transaction as itself.
//!
//! **Matching.** Every word of the query must match, each as the start of a word, without regard
//! to case or accents ("joao" finds "João", "aca" finds "ação"). Contacts match any part of a name
//! or number of 3 characters or more. A query that is a phone number (digits with spaces, dashes,
//! dots, brackets or `+`) also finds the contacts and chats with that number, with or without
//! country code, area code, spaces or dashes.
//!
//! **Order.** Messages and conversations: relevance (FTS5's bm25) weighted by recency, `score =
//! bm25 / (1 + age in days / 7)`: a match loses half its weight in a week, so among matches about
//! as good the newest comes first, and a much better match can still beat a newer one. Ties go
//! to the newest. Contacts: the most recently active first.
//!
//! **Filters.** `account_id` narrows every group; the date range (`from` inclusive, `until`
//! exclusive) and the sender side narrow the messages only (they are properties of messages).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Contact, ConversationSummary, Direction, Message, MessageKind, Page};
use crate::store::{MessageScope, fts};
use crate::{Error, Inbox, Result};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Results per group when the caller does not say; the most it may ask for.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 50;
/// Messages in a window around a message when the caller does not say; the most it may ask for.
const DEFAULT_WINDOW: u32 = 50;
const MAX_WINDOW: u32 = 200;

/// Whose messages to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SearchSide {
    /// What customers (or other members of a group) wrote: inbound messages.
    Customer,
    /// What this inbox's agents sent: outbound messages.
    Agent,
}

/// A search: the words, and optional filters.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(optional_fields)]
pub struct SearchQuery {
    /// The words to find (1 to 200 characters).
    #[serde(default)]
    #[ts(optional = false)]
    pub query: String,
    pub account_id: Option<String>,
    /// Messages sent at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Messages sent before this time.
    pub until: Option<DateTime<Utc>>,
    pub side: Option<SearchSide>,
    /// Results per group (1 to 50, default 20).
    pub limit: Option<u32>,
}

/// A piece of a snippet or title: matched words are `hit`. Always plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextSegment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationHit {
    pub conversation: ConversationSummary,
    /// The title with the matching words marked.
    pub title: Vec<TextSegment>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageHit {
    pub message_id: String,
    pub conversation_id: String,
    pub conversation_title: String,
    pub account_id: String,
    pub direction: Direction,
    pub kind: MessageKind,
    pub sender_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// A few words around the match, the matching words marked.
    pub snippet: Vec<TextSegment>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactHit {
    pub contact: Contact,
    /// The contact's most recently active conversation, if any.
    pub conversation_id: Option<String>,
}

/// What a search found, by group, best first. `more_*`: the group had more than the limit.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub conversations: Vec<ConversationHit>,
    pub messages: Vec<MessageHit>,
    pub contacts: Vec<ContactHit>,
    pub more_conversations: bool,
    pub more_messages: bool,
    pub more_contacts: bool,
}

/// The messages around one message, newest first like every page of messages: older pages
/// continue with `list_messages(older_cursor)`, newer ones with `list_newer_messages(newer_cursor)`.
/// A cursor is null when there is nothing more that way.
#[derive(Debug, Clone, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageWindow {
    pub conversation_id: String,
    pub message_id: String,
    pub items: Vec<Message>,
    pub older_cursor: Option<String>,
    pub newer_cursor: Option<String>,
}

/// Splits a text marked with `fts::OPEN`/`fts::CLOSE` into segments.
pub(crate) fn segments(marked: &str) -> Vec<TextSegment> {
    let mut out: Vec<TextSegment> = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    let flush = |text: &mut String, hit: bool, out: &mut Vec<TextSegment>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => out.push(TextSegment { text: std::mem::take(text), hit }),
        }
        text.clear();
    };
    for ch in marked.chars() {
        match ch {
            fts::OPEN => {
                flush(&mut text, hit, &mut out);
                hit = true;
            }
            fts::CLOSE => {
                flush(&mut text, hit, &mut out);
                hit = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, hit, &mut out);
    out
}

fn clamp(limit: Option<u32>, default: u32, max: u32) -> u32 {
    limit.unwrap_or(default).clamp(1, max)
}

impl Inbox {
    /// Finds conversations, messages and contacts matching the words; see the module's notes for
    /// matching, order and filters.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let text = q.query.trim();
        if text.is_empty() {
            return Err(Error::invalid(text!("search.empty")));
        }
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(text!("search.too_long", max = MAX_QUERY_CHARS)));
        }
        if let (Some(from), Some(until)) = (q.from, q.until)
            && from >= until
        {
            return Err(Error::invalid(text!("search.bad_range")));
        }
        let terms = fts::Terms::parse(text);
        if terms.is_empty() {
            return Err(Error::invalid(text!("search.empty")));
        }
        let limit = i64::from(clamp(q.limit, DEFAULT_LIMIT, MAX_LIMIT));
        let store = &self.inner.store;
        let account = q.account_id.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let now = Utc::now().timestamp_millis();

        let (mut conversations, mut messages) = (Vec::new(), Vec::new());
        if let Some(expr) = terms.words_expr() {
            let scope = MessageScope {
                account_id: account,
                from: q.from.map(|t| t.timestamp_millis()),
                until: q.until.map(|t| t.timestamp_millis()),
                direction: q.side.map(|s| match s {
                    SearchSide::Customer => "inbound",
                    SearchSide::Agent => "outbound",
                }),
            };
            messages = store.search_messages(&expr, &scope, now, limit + 1).await?;
        }
        if let Some(expr) = terms.conversations_expr() {
            conversations = store.search_conversations(&expr, account, now, limit + 1).await?;
        }
        let contacts = store.search_contact_ids(&terms.contacts(), account, None, None, limit + 1).await?;

        let more_conversations = conversations.len() as i64 > limit;
        let more_messages = messages.len() as i64 > limit;
        let more_contacts = contacts.len() as i64 > limit;
        conversations.truncate(limit as usize);
        messages.truncate(limit as usize);

        let mut conversation_hits = Vec::with_capacity(conversations.len());
        for (id, title) in conversations {
            let conversation = store.get_conversation(&id).await?;
            conversation_hits.push(ConversationHit { conversation, title: segments(&title) });
        }
        let ids: Vec<String> = contacts.into_iter().take(limit as usize).map(|(id, _)| id).collect();
        let mut contact_hits = Vec::with_capacity(ids.len());
        for contact in store.contacts_by_ids(&ids).await? {
            let conversation_id = store.latest_conversation_of_contact(&contact.id).await?;
            contact_hits.push(ContactHit { contact, conversation_id });
        }
        let message_hits = messages
            .into_iter()
            .map(|m| MessageHit {
                snippet: segments(&m.snippet),
                message_id: m.id,
                conversation_id: m.conversation_id,
                conversation_title: m.conversation_title,
                account_id: m.account_id,
                direction: m.direction,
                kind: m.kind,
                sender_name: m.sender_name,
                created_at: crate::store::from_ms(m.created_at),
            })
            .collect();
        Ok(SearchResults {
            conversations: conversation_hits,
            messages: message_hits,
            contacts: contact_hits,
            more_conversations,
            more_messages,
            more_contacts,
        })
    }

    /// The page of messages around a message (about half older, half newer), to open its
    /// conversation scrolled to it.
    #[tracing::instrument(skip_all, fields(message_id = %message_id), err(level = "warn"))]
    pub async fn messages_around(&self, message_id: &str, limit: Option<u32>) -> Result<MessageWindow> {
        let limit = clamp(limit, DEFAULT_WINDOW, MAX_WINDOW);
        let store = &self.inner.store;
        let (conversation_id, at) = store.message_position(message_id).await?;
        let half = i64::from(limit / 2);
        // The newer half, oldest first, plus one to know whether there is more.
        let newer = store.newer_keys(&conversation_id, &at, half + 1).await?;
        let more_newer = newer.len() as i64 > half;
        let shown_newer = newer.len().min(half as usize);
        // The page starts just below the first newer message not shown (or at the newest).
        let start = if more_newer { Some(newer[shown_newer].encode()) } else { None };
        // `limit` messages older than that: the newer ones shown, this one, and older ones.
        let page = store.list_messages(&conversation_id, start.as_deref(), Some(limit)).await?;
        let newer_cursor = if more_newer { page.items.first().map(message_cursor) } else { None };
        Ok(MessageWindow {
            conversation_id,
            message_id: message_id.to_owned(),
            items: page.items,
            older_cursor: page.next_cursor,
            newer_cursor,
        })
    }

    /// The messages just newer than `cursor` (a `newer_cursor`), newest first; `next_cursor`
    /// continues toward the newest message and is null once it is on the page.
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation_id), err(level = "warn"))]
    pub async fn list_newer_messages(
        &self,
        conversation_id: &str,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Message>> {
        let cursor = cursor
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::invalid(text!("field.required", field = "cursor")))?;
        let from = crate::store::Cursor::decode(cursor)?;
        let limit = crate::store::page_limit(limit);
        let store = &self.inner.store;
        store.get_conversation(conversation_id).await?;
        let newer = store.newer_keys(conversation_id, &from, limit + 1).await?;
        let more = newer.len() as i64 > limit;
        let shown = newer.len().min(limit as usize);
        if shown == 0 {
            return Ok(Page { items: Vec::new(), next_cursor: None });
        }
        let start = if more { Some(newer[shown].encode()) } else { None };
        let page = store.list_messages(conversation_id, start.as_deref(), Some(shown as u32)).await?;
        let next_cursor = if more { page.items.first().map(message_cursor) } else { None };
        Ok(Page { items: page.items, next_cursor })
    }
}

fn message_cursor(m: &Message) -> String {
    crate::store::Cursor { at: m.created_at.timestamp_millis(), id: m.id.clone() }.encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_text_becomes_segments() {
        let marked = format!("Meu {}pedido{} #4821 {}ainda{}…", fts::OPEN, fts::CLOSE, fts::OPEN, fts::CLOSE);
        let s = segments(&marked);
        let hits: Vec<_> = s.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect();
        assert_eq!(hits, ["pedido", "ainda"]);
        assert_eq!(s.iter().map(|s| s.text.as_str()).collect::<String>(), "Meu pedido #4821 ainda…");
        assert_eq!(segments(""), vec![]);
        let unbalanced = segments(&format!("a{}b", fts::CLOSE));
        assert_eq!(unbalanced, vec![TextSegment { text: "ab".into(), hit: false }]);
    }
}

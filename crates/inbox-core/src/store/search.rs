//! Search queries over the FTS5 indexes the search migration keeps in step with messages,
//! conversations and contacts, and the keys that page messages toward the newest.

use super::conversations::parse_enum;
use super::{Cursor, Store};
use crate::model::{Direction, MessageKind};
use crate::{Error, Result};

/// Building FTS5 query expressions from what an agent typed. Every word is quoted (so nothing
/// the agent types is FTS5 syntax) and matched as a prefix.
pub(crate) mod fts {
    /// Marks around matched words in snippets and titles (never in stored text: control characters).
    pub const OPEN: char = '\u{1}';
    pub const CLOSE: char = '\u{2}';
    /// Words searched at most; the rest are ignored.
    const MAX_WORDS: usize = 12;
    /// Trigrams: shorter words cannot use the contacts index.
    const MIN_TRIGRAM_CHARS: usize = 3;

    /// The words of a query and, when the whole query is a phone number, its digits.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Terms {
        words: Vec<String>,
        digits: Option<String>,
    }

    /// How contacts are matched: FTS5 over trigrams, or (for words all shorter than 3
    /// characters) a LIKE pattern over the index's text.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ContactMatch {
        Fts(String),
        Like(String),
    }

    fn quoted(word: &str) -> String {
        format!("\"{}\"", word.replace('"', "\"\""))
    }

    impl Terms {
        pub fn parse(query: &str) -> Terms {
            let words: Vec<String> = query
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .take(MAX_WORDS)
                .map(str::to_owned)
                .collect();
            let phone_like = query.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            let digits: String = query.chars().filter(char::is_ascii_digit).collect();
            let digits = (phone_like && digits.len() >= 4).then_some(digits);
            Terms { words, digits }
        }

        pub fn is_empty(&self) -> bool {
            self.words.is_empty() && self.digits.is_none()
        }

        /// The number and the forms it may be stored in without its country code (1 to 3
        /// digits), for numbers long enough to have one.
        fn number_forms(&self) -> Vec<String> {
            let Some(d) = &self.digits else { return Vec::new() };
            let mut forms = vec![d.clone()];
            for drop in 1..=3 {
                if d.len() >= 12 && d.len() - drop >= 10 {
                    forms.push(d[drop..].to_owned());
                }
            }
            forms
        }

        /// Every word, as a prefix, in any column (messages).
        pub fn words_expr(&self) -> Option<String> {
            if self.words.is_empty() {
                return None;
            }
            Some(self.words.iter().map(|w| format!("{}*", quoted(w))).collect::<Vec<_>>().join(" AND "))
        }

        /// Every word as a prefix, or the number in the chat's identifier (conversations).
        pub fn conversations_expr(&self) -> Option<String> {
            let words = self.words_expr();
            let forms = self.number_forms();
            if forms.is_empty() {
                return words;
            }
            let number = format!(
                "phones : ({})",
                forms.iter().map(|f| format!("{}*", quoted(f))).collect::<Vec<_>>().join(" OR ")
            );
            Some(match words {
                Some(w) => format!("({w}) OR {number}"),
                None => number,
            })
        }

        /// Every word anywhere in a name or identity, or the number (contacts, trigrams).
        pub fn contacts(&self) -> ContactMatch {
            let long: Vec<&String> = self.words.iter().filter(|w| w.chars().count() >= MIN_TRIGRAM_CHARS).collect();
            let forms = self.number_forms();
            let words = (!long.is_empty()).then(|| long.iter().map(|w| quoted(w)).collect::<Vec<_>>().join(" AND "));
            let number = (!forms.is_empty())
                .then(|| format!("phones : ({})", forms.iter().map(|f| quoted(f)).collect::<Vec<_>>().join(" OR ")));
            match (words, number) {
                (Some(w), Some(n)) => ContactMatch::Fts(format!("({w}) OR {n}")),
                (Some(w), None) => ContactMatch::Fts(w),
                (None, Some(n)) => ContactMatch::Fts(n),
                (None, None) => {
                    let text = self.words.join(" ");
                    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                    ContactMatch::Like(format!("%{escaped}%"))
                }
            }
        }
    }
}

/// Which messages a search looks at.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageScope<'a> {
    pub account_id: Option<&'a str>,
    /// Unix ms, inclusive.
    pub from: Option<i64>,
    /// Unix ms, exclusive.
    pub until: Option<i64>,
    /// `inbound` or `outbound`.
    pub direction: Option<&'a str>,
}

/// A message that matched, with its snippet marked by `fts::OPEN`/`fts::CLOSE`.
#[derive(Debug, Clone)]
pub(crate) struct MessageMatch {
    pub id: String,
    pub conversation_id: String,
    pub conversation_title: String,
    pub account_id: String,
    pub direction: Direction,
    pub kind: MessageKind,
    pub sender_name: Option<String>,
    pub created_at: i64,
    pub snippet: String,
}

/// A week, in ms: the recency weight halves over it.
const WEEK_MS: f64 = 604_800_000.0;

impl Store {
    /// Messages matching an FTS5 expression, best first (relevance weighted by recency).
    pub async fn search_messages(
        &self,
        expr: &str,
        scope: &MessageScope<'_>,
        now: i64,
        limit: i64,
    ) -> Result<Vec<MessageMatch>> {
        let rows = sqlx::query!(
            r#"SELECT m.id AS "id!: String", m.conversation_id AS "conversation_id!: String",
                      c.title AS "title!: String", m.account_id AS "account_id!: String",
                      m.direction AS "direction!: String", m.kind AS "kind!: String", m.sender_name,
                      m.created_at AS "created_at!: i64",
                      snippet(messages_fts, -1, char(1), char(2), '…', 16) AS "snippet!: String",
                      bm25(messages_fts, 1.0, 1.0, 0.5) / (1.0 + MAX(0, ?2 - m.created_at) / ?3) AS "score!: f64"
               FROM messages_fts
               JOIN message_search_keys k ON k.key = messages_fts.rowid
               JOIN messages m ON m.id = k.message_id
               JOIN conversations c ON c.id = m.conversation_id
               WHERE messages_fts MATCH ?1
                 AND (?4 IS NULL OR m.account_id = ?4)
                 AND (?5 IS NULL OR m.created_at >= ?5)
                 AND (?6 IS NULL OR m.created_at < ?6)
                 AND (?7 IS NULL OR m.direction = ?7)
               ORDER BY 10, m.created_at DESC, m.id DESC
               LIMIT ?8"#,
            expr,
            now,
            WEEK_MS,
            scope.account_id,
            scope.from,
            scope.until,
            scope.direction,
            limit
        )
        .fetch_all(&self.pool)
        .await
        .map_err(fts_error)?;
        rows.into_iter()
            .map(|r| {
                Ok(MessageMatch {
                    id: r.id,
                    conversation_id: r.conversation_id,
                    conversation_title: r.title,
                    account_id: r.account_id,
                    direction: parse_enum(&r.direction)?,
                    kind: parse_enum(&r.kind)?,
                    sender_name: r.sender_name,
                    created_at: r.created_at,
                    snippet: r.snippet,
                })
            })
            .collect()
    }

    /// Conversations matching an FTS5 expression, best first: `(id, title marked)`.
    pub async fn search_conversations(
        &self,
        expr: &str,
        account_id: Option<&str>,
        now: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query!(
            r#"SELECT c.id AS "id!: String",
                      highlight(conversations_fts, 0, char(1), char(2)) AS "title!: String",
                      bm25(conversations_fts, 2.0, 1.0) / (1.0 + MAX(0, ?2 - c.last_activity_at) / ?3) AS "score!: f64"
               FROM conversations_fts
               JOIN conversation_search_keys k ON k.key = conversations_fts.rowid
               JOIN conversations c ON c.id = k.conversation_id
               WHERE conversations_fts MATCH ?1 AND (?4 IS NULL OR c.account_id = ?4)
               ORDER BY 3, c.last_activity_at DESC, c.id DESC
               LIMIT ?5"#,
            expr,
            now,
            WEEK_MS,
            account_id,
            limit
        )
        .fetch_all(&self.pool)
        .await
        .map_err(fts_error)?;
        Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
    }

    /// The contact's most recently active individual conversation.
    pub async fn latest_conversation_of_contact(&self, contact_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            r#"SELECT cv.id AS "id!: String" FROM conversations cv
               WHERE cv.contact_id = ?1
                  OR cv.id IN (SELECT cv2.id FROM contact_identities ci
                                 JOIN conversations cv2 ON cv2.account_id = ci.account_id
                                                       AND cv2.external_id = ci.external_id
                                WHERE ci.contact_id = ?1 AND cv2.kind = 'individual')
               ORDER BY cv.last_activity_at DESC LIMIT 1"#,
            contact_id
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Where a message sits: its conversation and its sort key.
    pub async fn message_position(&self, id: &str) -> Result<(String, Cursor)> {
        let row = sqlx::query!(
            r#"SELECT conversation_id AS "conversation_id!: String", created_at AS "created_at!: i64"
               FROM messages WHERE id = ?"#,
            id
        )
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound(text!("message.not_found")))?;
        Ok((row.conversation_id, Cursor { at: row.created_at, id: id.to_owned() }))
    }

    /// The sort keys of up to `limit` messages just newer than `after`, oldest first.
    pub async fn newer_keys(&self, conversation_id: &str, after: &Cursor, limit: i64) -> Result<Vec<Cursor>> {
        let rows = sqlx::query!(
            r#"SELECT m.id AS "id!: String", m.created_at AS "created_at!: i64" FROM messages m
               WHERE m.conversation_id = ?1 AND (m.created_at > ?2 OR (m.created_at = ?2 AND m.id > ?3))
               ORDER BY m.created_at, m.id
               LIMIT ?4"#,
            conversation_id,
            after.at,
            after.id,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| Cursor { at: r.created_at, id: r.id }).collect())
    }
}

/// FTS5 refuses some expressions (a query it cannot parse): that is the agent's input, not a
/// storage failure.
pub(super) fn fts_error(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::Database(d) if d.message().contains("fts5") => {
            tracing::warn!(error = %e, "search expression refused");
            Error::invalid(text!("search.unreadable"))
        }
        _ => Error::Storage(e),
    }
}

#[cfg(test)]
mod tests {
    use super::fts::{ContactMatch, Terms};

    #[test]
    fn words_are_quoted_prefixes() {
        let t = Terms::parse(r#"  joao "ação  -  OR x* "#);
        assert_eq!(t.words_expr().unwrap(), r#""joao"* AND """ação"* AND "OR"* AND "x*"*"#);
        assert_eq!(t.conversations_expr(), t.words_expr());
        assert!(Terms::parse(" - ! ").is_empty());
    }

    #[test]
    fn a_phone_number_is_also_its_digits() {
        let t = Terms::parse("+55 11 98765-4321");
        assert_eq!(
            t.conversations_expr().unwrap(),
            r#"("+55"* AND "11"* AND "98765-4321"*) OR phones : ("5511987654321"* OR "511987654321"* OR "11987654321"* OR "1987654321"*)"#
        );
        assert_eq!(Terms::parse("4821").contacts(), ContactMatch::Fts(r#"("4821") OR phones : ("4821")"#.into()));
        assert_eq!(Terms::parse("pedido 4821").contacts(), ContactMatch::Fts(r#""pedido" AND "4821""#.into()));
    }

    #[test]
    fn short_words_match_contacts_by_pattern() {
        assert_eq!(Terms::parse("0%").contacts(), ContactMatch::Like(r"%0\%%".into()));
        assert_eq!(Terms::parse("ana s").contacts(), ContactMatch::Fts(r#""ana""#.into()));
    }
}

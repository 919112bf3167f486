//! Contacts from and to CSV files.
//!
//! **The format** (the same both ways, so an exported file imports again):
//! - UTF-8; a leading byte-order mark is written on export (spreadsheets then read accents
//!   right) and skipped on import. Fields are separated by commas, quoted as RFC 4180 says
//!   (the `csv` crate); on import a header with semicolons and no commas (a spreadsheet saved in
//!   a Portuguese locale) is read with semicolons.
//! - The first line names the columns, in any order, any case: `name`, `phone`, `account`,
//!   `tags`, `notes` (or `nome`, `telefone`, `conta`, `etiquetas`, `notas`). Every other column
//!   is a custom attribute, named by its header. `phone` is required; `account` too unless there
//!   is only one account.
//! - One row is one identity: a phone number (digits; `+`, spaces, dashes, dots and brackets are
//!   ignored; 8 to 15 digits) at an account, given by its name or id. `tags` are separated by
//!   `;` or `,`; a tag that does not exist is created.
//! - A row whose number the account already knows updates that contact: the name becomes its
//!   custom name, tags are added, notes replaced, attributes set. A number that an earlier row of
//!   the file put on another account is one more identity of that contact. Any other row is a new
//!   contact. The same number twice at one account is an error.
//! - A cell an export writes that starts with `=`, `+`, `-` or `@` gets a leading `'` so that a
//!   spreadsheet shows it as text instead of running it as a formula (names come from
//!   customers); import removes that `'` again.
//!
//! Import first checks every row and answers a report with each row's errors; importing writes
//! every row in one transaction, and nothing at all when any row has an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::capable::capabilities_of;
use crate::contact_book::{clean_attribute, clean_notes};
use crate::exchange::AccountRow;
use crate::model::{
    Capability, ContactAttribute, ContactExport, ContactFilter, ContactImport, ContactImportReport, ContactImportRow,
    ImportAction, SyncState,
};
use crate::store::ImportContact;
use crate::{Error, Event, Inbox, Result, Text};

/// Largest file accepted.
pub const MAX_CSV_BYTES: usize = 10 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_CSV_ROWS: usize = 50_000;
const MAX_NAME_CHARS: usize = 200;
const BOM: char = '\u{feff}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Name,
    Phone,
    Account,
    Tags,
    Notes,
    Attribute,
}

fn column_of(header: &str) -> Column {
    match header.trim().to_lowercase().as_str() {
        "name" | "nome" => Column::Name,
        "phone" | "telefone" | "número" | "numero" => Column::Phone,
        "account" | "conta" => Column::Account,
        "tags" | "etiquetas" => Column::Tags,
        "notes" | "notas" => Column::Notes,
        _ => Column::Attribute,
    }
}

/// The digits of a phone number, or why it is not one.
pub(crate) fn phone_digits(raw: &str) -> std::result::Result<String, Text> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(text!("csv.phone_missing"));
    }
    let mut digits = String::new();
    for c in raw.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '+' | '\u{a0}' => {}
            _ => return Err(text!("csv.phone_invalid", value = raw)),
        }
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(text!("csv.phone_invalid", value = raw));
    }
    Ok(digits)
}

/// A cell as a spreadsheet should show it: text that would start a formula gets a leading `'`.
fn guard_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() }
}

/// A cell as written by [`guard_cell`], back to its text.
fn unguard_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

fn split_tags(s: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    s.split([';', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty() && seen.insert(t.to_lowercase()))
        .map(str::to_owned)
        .collect()
}

/// The account a row names: by id, else by name (ignoring case); or why not.
fn find_account<'a>(accounts: &'a [AccountRow], value: &str) -> std::result::Result<&'a AccountRow, Text> {
    let value = value.trim();
    if value.is_empty() {
        return Err(text!("csv.account_missing"));
    }
    if let Some(a) = accounts.iter().find(|a| a.id == value) {
        return Ok(a);
    }
    let named: Vec<_> = accounts.iter().filter(|a| a.name.trim().to_lowercase() == value.to_lowercase()).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(text!("csv.account_unknown", value = value)),
        _ => Err(text!("csv.account_ambiguous", value = value)),
    }
}

/// What reading the file gives: its rows (with errors) and what each row would write.
struct Checked {
    report: ContactImportReport,
    plan: Vec<ImportContact>,
}

fn error_text(e: Error) -> Text {
    match e {
        Error::InvalidInput(t) | Error::NotFound(t) | Error::NotSupported(t) => t,
        other => Text::from(other.public_message()),
    }
}

impl Inbox {
    /// Checks a CSV file of contacts (see this module's documentation for the format) and, when
    /// `commit` is set and no row has an error, imports every row in one transaction. A file with
    /// errors is refused whole (`invalid_input`), and nothing is written.
    #[tracing::instrument(skip_all, fields(bytes = input.csv.len(), commit = input.commit), err(level = "warn"))]
    pub async fn import_contacts_csv(&self, input: ContactImport) -> Result<ContactImportReport> {
        if input.csv.len() > MAX_CSV_BYTES {
            return Err(Error::invalid(text!("csv.too_large", max_mb = MAX_CSV_BYTES / (1024 * 1024))));
        }
        let Checked { mut report, plan } = self.check_csv(&input.csv).await?;
        if !input.commit {
            return Ok(report);
        }
        let bad = report.rows.iter().filter(|r| !r.errors.is_empty()).count();
        if !report.file_errors.is_empty() || bad > 0 || plan.is_empty() {
            return Err(Error::invalid(if plan.is_empty() && bad == 0 && report.file_errors.is_empty() {
                text!("csv.empty")
            } else {
                text!("csv.has_errors", count = bad.max(report.file_errors.len()))
            }));
        }
        let tag_state = if self
            .inner
            .store
            .list_accounts()
            .await?
            .iter()
            .any(|r| capabilities_of(r).contains(&Capability::TagSync))
        {
            SyncState::Pending
        } else {
            SyncState::Local
        };
        let (contacts, created_tags) = self.inner.store.import_contacts(&plan, tag_state).await?;
        report.imported = true;
        if created_tags && let Ok(tags) = self.inner.store.list_tags().await {
            self.emit(Event::TagsChanged { tags });
        }
        for id in &contacts {
            let retitled = self.inner.store.retitle_conversations(id).await?;
            for c in &retitled {
                self.emit_conversation(c).await;
            }
            self.emit(Event::ContactUpdated { contact: self.inner.store.get_contact(id).await? });
        }
        tracing::info!(rows = plan.len(), contacts = contacts.len(), "contacts imported");
        Ok(report)
    }

    async fn check_csv(&self, text: &str) -> Result<Checked> {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let first_line = text.lines().next().unwrap_or_default();
        let delimiter = if !first_line.contains(',') && first_line.contains(';') { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let mut report = ContactImportReport {
            rows: Vec::new(),
            file_errors: Vec::new(),
            new_tags: Vec::new(),
            attribute_columns: Vec::new(),
            imported: false,
        };
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                report.file_errors.push(text!("csv.unreadable", detail = e));
                return Ok(Checked { report, plan: Vec::new() });
            }
        };
        let columns: Vec<Column> = headers.iter().map(column_of).collect();
        if headers.iter().all(|h| h.trim().is_empty()) {
            report.file_errors.push(text!("csv.empty"));
            return Ok(Checked { report, plan: Vec::new() });
        }
        for (header, column) in headers.iter().zip(&columns) {
            if *column == Column::Attribute {
                if header.trim().is_empty() {
                    report.file_errors.push(text!("csv.column_unnamed"));
                } else {
                    report.attribute_columns.push(header.trim().to_owned());
                }
            }
        }
        let mut once = BTreeSet::new();
        for (header, column) in headers.iter().zip(&columns) {
            if *column != Column::Attribute && !once.insert(*column) {
                report.file_errors.push(text!("csv.column_twice", column = header.trim()));
            }
        }
        let accounts = self.inner.store.list_accounts().await?;
        if !columns.contains(&Column::Phone) {
            report.file_errors.push(text!("csv.missing_column", column = "phone"));
        }
        let default_account = match (columns.contains(&Column::Account), accounts.as_slice()) {
            (true, _) => None,
            (false, [one]) => Some(one),
            (false, _) => {
                report.file_errors.push(text!("csv.missing_column", column = "account"));
                None
            }
        };
        if !report.file_errors.is_empty() {
            return Ok(Checked { report, plan: Vec::new() });
        }
        let known_tags: BTreeSet<String> =
            self.inner.store.list_tags().await?.into_iter().map(|t| t.name.to_lowercase()).collect();
        let mut new_tags: BTreeMap<String, String> = BTreeMap::new();
        let mut seen: HashMap<(String, String), u64> = HashMap::new();
        let mut numbers_in_file: BTreeSet<String> = BTreeSet::new();
        let mut plan = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index as u64 + 2;
            if index >= MAX_CSV_ROWS {
                report.file_errors.push(text!("csv.too_many_rows", max = MAX_CSV_ROWS));
                return Ok(Checked { report, plan: Vec::new() });
            }
            let mut row = ContactImportRow {
                line,
                name: None,
                phone: String::new(),
                account: String::new(),
                tags: Vec::new(),
                notes: None,
                attributes: Vec::new(),
                action: None,
                errors: Vec::new(),
            };
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    row.errors.push(text!("csv.row_unreadable", detail = e));
                    report.rows.push(row);
                    continue;
                }
            };
            if let Some(pos) = record.position() {
                row.line = pos.line();
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue; // a blank line
            }
            if record.len() != headers.len() {
                row.errors.push(text!("csv.field_count", found = record.len(), expected = headers.len()));
            }
            for ((field, column), header) in record.iter().zip(&columns).zip(headers.iter()) {
                let field = unguard_cell(field.trim());
                match column {
                    Column::Name => row.name = Some(field.to_owned()).filter(|n| !n.is_empty()),
                    Column::Phone => row.phone = field.to_owned(),
                    Column::Account => row.account = field.to_owned(),
                    Column::Tags => row.tags = split_tags(field),
                    Column::Notes => match clean_notes(field) {
                        Ok(n) => row.notes = n,
                        Err(e) => row.errors.push(error_text(e)),
                    },
                    Column::Attribute => {
                        if field.is_empty() {
                            continue;
                        }
                        match clean_attribute(&ContactAttribute { key: header.to_owned(), value: field.to_owned() }) {
                            Ok(a) => row.attributes.push(a),
                            Err(e) => row.errors.push(error_text(e)),
                        }
                    }
                }
            }
            if row.name.as_ref().is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
                row.errors.push(text!("contact.name_too_long", max = MAX_NAME_CHARS));
            }
            for tag in &row.tags {
                if tag.chars().count() > MAX_NAME_CHARS {
                    row.errors.push(text!("tag.name_too_long", max = MAX_NAME_CHARS));
                } else if !known_tags.contains(&tag.to_lowercase()) {
                    new_tags.entry(tag.to_lowercase()).or_insert_with(|| tag.clone());
                }
            }
            let phone = phone_digits(&row.phone).map_err(|t| row.errors.push(t)).ok();
            let account = match default_account {
                Some(a) => {
                    row.account = a.name.clone();
                    Some(a)
                }
                None => find_account(&accounts, &row.account).map_err(|t| row.errors.push(t)).ok(),
            };
            if let (Some(phone), Some(account)) = (&phone, account) {
                match seen.get(&(account.id.clone(), phone.clone())) {
                    Some(first) => row.errors.push(text!("csv.duplicate_row", line = first)),
                    None => {
                        seen.insert((account.id.clone(), phone.clone()), row.line);
                    }
                }
                if row.errors.is_empty() {
                    let exists = self.inner.store.identity_contact(&account.id, phone).await?.is_some();
                    row.action = Some(if exists {
                        ImportAction::Update
                    } else if numbers_in_file.contains(phone) {
                        ImportAction::Attach
                    } else {
                        ImportAction::Create
                    });
                    numbers_in_file.insert(phone.clone());
                    let syncs = capabilities_of(account).contains(&Capability::ContactSync);
                    plan.push(ImportContact {
                        account_id: account.id.clone(),
                        external_id: phone.clone(),
                        name: row.name.clone(),
                        tags: row.tags.clone(),
                        notes: row.notes.clone(),
                        attributes: row.attributes.clone(),
                        sync_state: if syncs { SyncState::Pending } else { SyncState::Local },
                    });
                }
            }
            report.rows.push(row);
        }
        report.new_tags = new_tags.into_values().collect();
        Ok(Checked { report, plan })
    }

    /// Every contact the filter matches (all pages, the cursor and limit ignored) as a CSV file
    /// in the format above: one row per identity, with tags, notes and attributes.
    #[tracing::instrument(skip_all, err(level = "warn"))]
    pub async fn export_contacts_csv(&self, filter: &ContactFilter) -> Result<ContactExport> {
        let accounts: HashMap<String, String> =
            self.inner.store.list_accounts().await?.into_iter().map(|a| (a.id, a.name)).collect();
        let extra = self.inner.store.all_profile_fields().await?;
        let mut contacts = Vec::new();
        let mut page_filter = ContactFilter { cursor: None, limit: Some(200), ..filter.clone() };
        loop {
            let page = self.inner.store.list_contacts(&page_filter).await?;
            contacts.extend(page.items);
            match page.next_cursor {
                Some(next) => page_filter.cursor = Some(next),
                None => break,
            }
        }
        let mut keys: Vec<String> = Vec::new();
        for c in &contacts {
            for a in extra.get(&c.id).map(|e| e.1.as_slice()).unwrap_or_default() {
                if !keys.contains(&a.key) {
                    keys.push(a.key.clone());
                }
            }
        }
        let csv_error = |e: csv::Error| Error::Internal(format!("csv: {e}"));
        let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        let mut header = vec!["name".to_owned(), "phone".into(), "account".into(), "tags".into(), "notes".into()];
        header.extend(keys.iter().map(|k| guard_cell(k)));
        out.write_record(&header).map_err(csv_error)?;
        for c in &contacts {
            let name = c.custom_name.clone().or_else(|| c.display_name.clone()).unwrap_or_default();
            let tags = c.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("; ");
            let (notes, attributes) = extra.get(&c.id).cloned().unwrap_or_default();
            let mut identities: Vec<(String, String)> = c
                .identities
                .iter()
                .map(|i| {
                    (
                        i.external_id.clone(),
                        accounts.get(&i.account_id).cloned().unwrap_or_else(|| i.account_id.clone()),
                    )
                })
                .collect();
            if identities.is_empty() {
                identities.push((String::new(), String::new()));
            }
            for (phone, account) in identities {
                let mut record = vec![
                    guard_cell(&name),
                    phone,
                    guard_cell(&account),
                    guard_cell(&tags),
                    guard_cell(notes.as_deref().unwrap_or_default()),
                ];
                for key in &keys {
                    let value = attributes.iter().find(|a| &a.key == key).map(|a| a.value.as_str()).unwrap_or("");
                    record.push(guard_cell(value));
                }
                out.write_record(&record).map_err(csv_error)?;
            }
        }
        let bytes = out.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))?;
        let body = String::from_utf8(bytes).map_err(|e| Error::Internal(format!("csv: {e}")))?;
        Ok(ContactExport {
            file_name: format!("contacts-{}.csv", chrono::Utc::now().format("%Y-%m-%d")),
            csv: format!("{BOM}{body}"),
            contacts: contacts.len() as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_their_digits() {
        assert_eq!(phone_digits("+55 (11) 98765-4321").unwrap(), "5511987654321");
        assert_eq!(phone_digits("").unwrap_err().key, "csv.phone_missing");
        assert_eq!(phone_digits("12345").unwrap_err().key, "csv.phone_invalid");
        assert_eq!(phone_digits("55 11 abc").unwrap_err().key, "csv.phone_invalid");
    }

    #[test]
    fn formula_cells_are_guarded_and_read_back() {
        for s in ["=1+1", "+55", "-x", "@home", "Ana", "'quoted", ""] {
            assert_eq!(unguard_cell(&guard_cell(s)), s, "{s}");
        }
        assert_eq!(guard_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    }

    #[test]
    fn columns_are_read_in_both_languages() {
        assert_eq!(column_of(" Nome "), Column::Name);
        assert_eq!(column_of("PHONE"), Column::Phone);
        assert_eq!(column_of("etiquetas"), Column::Tags);
        assert_eq!(column_of("plan"), Column::Attribute);
        assert_eq!(split_tags("vip; Atacado ,vip,"), vec!["vip".to_owned(), "Atacado".into()]);
    }
}

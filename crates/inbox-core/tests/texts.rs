//! The text catalog (`inbox_core::text::CATALOG`) against the source that uses it: every key
//! written as `text!("...")` in the engine and in inboxd exists in the catalog, every catalog key
//! is used, each key appears once, and each entry's English and Portuguese have the same
//! placeholders. (That the UI's copy, `texts.ts`, is current is checked by `wire_types.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use inbox_core::text::{CATALOG, placeholders};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The keys written as `text!("key"...)`, with the files they appear in.
fn used_keys() -> BTreeMap<String, Vec<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("../inboxd/src"), &mut files);
    sources(&root.join("../inbox-demo/src"), &mut files);
    sources(&root.join("../../src-tauri/src"), &mut files);
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (at, _) in source.match_indices("text!(") {
            let Some(rest) = source[at + "text!(".len()..].trim_start().strip_prefix('"') else { continue };
            let key = &rest[..rest.find('"').expect("an unterminated key")];
            keys.entry(key.to_owned()).or_default().push(file.display().to_string());
        }
    }
    keys
}

#[test]
fn every_key_used_is_in_the_catalog_and_every_catalog_key_is_used() {
    let used = used_keys();
    let catalog: BTreeSet<&str> = CATALOG.iter().map(|e| e.key).collect();
    let missing: Vec<String> = used
        .iter()
        .filter(|(key, _)| !catalog.contains(key.as_str()))
        .map(|(key, files)| format!("{key} (in {})", files.join(", ")))
        .collect();
    assert!(missing.is_empty(), "keys used but not in the catalog:\n  {}", missing.join("\n  "));
    let unused: Vec<&str> = catalog.iter().copied().filter(|key| !used.contains_key(*key)).collect();
    assert!(unused.is_empty(), "catalog keys no code uses:\n  {}", unused.join("\n  "));
}

#[test]
fn each_key_appears_once() {
    let mut seen = BTreeSet::new();
    for entry in CATALOG {
        assert!(seen.insert(entry.key), "{} appears twice in the catalog", entry.key);
    }
}

#[test]
fn english_and_portuguese_have_the_same_placeholders() {
    for entry in CATALOG {
        let sorted = |s| placeholders(s).into_iter().collect::<BTreeSet<_>>();
        assert_eq!(sorted(entry.en), sorted(entry.pt_br), "{}: the placeholders differ", entry.key);
        assert!(!entry.en.trim().is_empty() && !entry.pt_br.trim().is_empty(), "{} has an empty wording", entry.key);
        let dotted = entry.key.split('.').count() == 2
            && entry.key.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
        assert!(dotted, "{} is not a `subject.name` key", entry.key);
    }
}

//! The documented examples shipped in `fixtures/mconnect/`.

use inbox_sim::fixtures::mconnect::{self as fixtures, ALL};
use serde_json::Value;

#[test]
fn every_json_fixture_parses() {
    let json_files: Vec<_> = ALL.iter().filter(|(name, _)| name.ends_with(".json")).collect();
    assert_eq!(json_files.len(), 11);
    for (name, text) in json_files {
        let value: Value = serde_json::from_str(text).unwrap_or_else(|error| panic!("{name} is not JSON: {error}"));
        assert!(value.is_object(), "{name}");
    }
}

#[test]
fn file_send_success_is_the_published_invalid_json() {
    assert_eq!(fixtures::SEND_FILE_SUCCESS, "{\n  \"status\": \"true\",\n}");
    assert!(serde_json::from_str::<Value>(fixtures::SEND_FILE_SUCCESS).is_err());
}

#[test]
fn inbound_fixtures_keep_documented_types() {
    for text in
        [fixtures::INBOUND_TEXT, fixtures::INBOUND_MEDIA, fixtures::INBOUND_GROUP_TEXT, fixtures::INBOUND_GROUP_MEDIA]
    {
        let value: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(value["chat_status"], 1);
        assert!(value["time"].is_string());
    }
    let group_media: Value = serde_json::from_str(fixtures::INBOUND_GROUP_MEDIA).expect("JSON");
    assert!(group_media["sender"].is_null());
}

#[test]
fn wrapped_group_icon_urls_are_rejoined() {
    for text in [fixtures::INBOUND_GROUP_TEXT, fixtures::INBOUND_GROUP_MEDIA] {
        let value: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(
            value["group_icon"],
            "https://pps.whatsapp.net/v/t61.24694-24/56356730_643957079401259_6779841459987152896_n.jpg?oh=592365e8d87507894504f04c64423725&oe=5F65ECC4"
        );
    }
}

#[test]
fn requests_keep_string_flags() {
    for text in [fixtures::SEND_TEXT, fixtures::SEND_FILE, fixtures::GROUP_REPLY] {
        let value: Value = serde_json::from_str(text).expect("JSON");
        assert!(value["element_data"]["is_group"].is_string());
    }
    let group: Value = serde_json::from_str(fixtures::GROUP_REPLY).expect("JSON");
    assert_eq!(group["element_data"]["is_group"], "1");
}

#[test]
fn wegly_examples_are_the_documents_json() {
    use inbox_sim::fixtures::wegly;
    assert_eq!(wegly::ALL.len(), 2);
    let request: Value = serde_json::from_str(wegly::CREATE_CHAT_REQUEST).expect("request is JSON");
    assert_eq!(request["template_fields"][0]["value"], "João");
    let response: Value = serde_json::from_str(wegly::CREATE_CHAT_RESPONSE).expect("response is JSON");
    assert_eq!(response["id"], "3c90c3cc-0d44-4b50-8888-8dd25736052a");
    assert_eq!(response["last_message"]["reactions"][0]["actor"], "CONTACT");
    // The document's placeholders stay as published.
    assert_eq!(response["contact_name"], "<string>");
    assert_eq!(response["unread_count"], 123);
}

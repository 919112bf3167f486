//! The Cirrus client's operations the engine does not use on its own (get by id, delete
//! platform, contacts by tag...) against the simulator over loopback, plus Cirrus's refusals.

mod common;

use inbox_core::providers::cirrus::{
    Client, ContactRefDto, ContactTagsDto, CreateContactDto, GetContactsDto, GetTagsDto, Settings, UpdateContactDto,
    id_of, items_of, remote_contact, remote_tag,
};
use serde_json::json;

const CLIENT: &str = "9a92ea44-244c-4cda-86be-6a9e32ba8f34";

fn client(sim: &inbox_sim::SimHandle) -> Client {
    let settings = Settings::from_map(
        json!({"base_url": sim.cirrus_url(), "client_identifier": CLIENT, "channel_id": "689a05215b711247e8f54022"})
            .as_object()
            .unwrap(),
    )
    .unwrap();
    Client::new(reqwest::Client::new(), settings, None)
}

#[tokio::test]
async fn every_contact_and_tag_operation_reaches_cirrus() {
    let sim = common::sim();
    let c = client(&sim);
    let dto = inbox_core::providers::cirrus::CreateTagDto {
        client_identifier: CLIENT.into(),
        name: "Cliente VIP".into(),
        color: Some("#ff0000".into()),
    };
    let vip = remote_tag(&c.create_tag(&dto).await.unwrap()).unwrap();
    assert_eq!(vip.remote_id.len(), 24, "Mongo-like id");
    let got = c.get_tag_by_id(&c.tag_ref(&vip.remote_id)).await.unwrap();
    assert_eq!(remote_tag(&got).unwrap(), vip);
    let filtered =
        c.get_tags(&GetTagsDto { client_identifier: CLIENT.into(), name: Some("VIP".into()) }).await.unwrap();
    assert_eq!(items_of(&filtered).len(), 1);

    let created = c
        .create_contact(&CreateContactDto {
            client_identifier: CLIENT.into(),
            channel_id: "689a05215b711247e8f54022".into(),
            contact_identifier: "5521999999999".into(),
            name: "João Silva".into(),
            kind: "individual".into(),
            channel_type: "whatsapp".into(),
            custom_name: Some("João (Mercearia)".into()),
            platform: Some("karoochat".into()),
            ..CreateContactDto::default()
        })
        .await
        .unwrap();
    let id = id_of(&created).unwrap();
    let one = c.get_contact_by_id(&c.contact_ref(&id)).await.unwrap();
    assert_eq!(remote_contact(&one).unwrap().custom_name.as_deref(), Some("João (Mercearia)"));
    c.add_contact_tags(&ContactTagsDto {
        client_identifier: CLIENT.into(),
        contact_id: id.clone(),
        tag_ids: vec![vip.remote_id.clone()],
    })
    .await
    .unwrap();
    let by_tag = c.get_contacts_by_tag_id(&c.tag_ref(&vip.remote_id)).await.unwrap();
    assert_eq!(
        items_of(&by_tag).iter().filter_map(remote_contact).map(|r| r.remote_id).collect::<Vec<_>>(),
        vec![id.clone()]
    );
    let tags = c.get_tags_by_contact_id(&c.contact_ref(&id)).await.unwrap();
    assert_eq!(items_of(&tags).len(), 1);
    c.remove_contact_tags(&ContactTagsDto {
        client_identifier: CLIENT.into(),
        contact_id: id.clone(),
        tag_ids: vec![vip.remote_id.clone()],
    })
    .await
    .unwrap();
    assert!(sim.cirrus().contact(&id).unwrap().tag_ids.is_empty());

    assert_eq!(sim.cirrus().contact(&id).unwrap().platform.as_deref(), Some("karoochat"));
    c.delete_contact_platform(&c.contact_ref(&id)).await.unwrap();
    assert_eq!(sim.cirrus().contact(&id).unwrap().platform, None);
    let request = sim.requests().into_iter().rev().find(|r| r.method == "DELETE").unwrap();
    assert_eq!(request.path, format!("/cirrus/contacts/{id}/platform"));
    assert_eq!(request.body.unwrap(), json!({"clientIdentifier": CLIENT, "contactId": id}));

    // The paginated list, with the document's filters.
    let page = c
        .get_contacts(&GetContactsDto {
            client_identifier: CLIENT.into(),
            page: Some(1),
            limit: Some(10),
            order: Some("desc".into()),
            kind: Some("individual".into()),
            channel_type: Some("whatsapp".into()),
            name: Some("João".into()),
            ..GetContactsDto::default()
        })
        .await
        .unwrap();
    assert_eq!((page["total"].as_u64(), items_of(&page).len()), (Some(1), 1));
    assert_eq!(c.find_contact("5521999999999").await.unwrap().unwrap().remote_id, id);
    assert!(c.find_contact("5500000000000").await.unwrap().is_none());

    // Refusals carry Cirrus's message and status.
    let missing = c
        .get_contact_by_id(&ContactRefDto { client_identifier: CLIENT.into(), contact_id: "nope".into() })
        .await
        .unwrap_err();
    assert_eq!(
        (missing.status, missing.failure.0.as_str()),
        (Some(404), "Cirrus refused it (HTTP 404): Contact not found")
    );
    let invalid = c
        .update_contact(&UpdateContactDto {
            client_identifier: CLIENT.into(),
            contact_id: id.clone(),
            tag_ids: Some(vec!["t".into()]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid.failure.0, "Cirrus refused it (HTTP 422): tag t not found");
    c.delete_tag(&c.tag_ref(&vip.remote_id)).await.unwrap();
    assert!(sim.cirrus().tags().is_empty());
}

#[tokio::test]
async fn an_unreachable_cirrus_is_reported_in_words() {
    let settings = Settings::from_map(
        json!({"base_url": "http://127.0.0.1:9/cirrus", "client_identifier": CLIENT, "channel_id": "c"})
            .as_object()
            .unwrap(),
    )
    .unwrap();
    let c = Client::new(reqwest::Client::new(), settings, Some(inbox_core::Sensitive::new("s3cr3t-token")));
    let e = c.list_tags().await.unwrap_err();
    assert_eq!(e.status, None);
    assert_eq!(e.failure.0, "could not reach Cirrus (connection failed)");
}

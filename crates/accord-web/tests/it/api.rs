//! The JSON API: answers, filters, pagination, errors, and the OpenAPI
//! description kept in sync with the routes.

use crate::{fixture, get};
use axum::http::StatusCode;

#[tokio::test]
async fn summits_list_documents_issuers_and_themes() {
    let f = fixture().await;
    let a = get(&f.state, "/api/v1/summits").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type().starts_with("application/json"));
    let summits = a.json();
    let names: Vec<&str> = summits
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["summit"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["NALS 2023", "NALS 2021"]);
    assert_eq!(summits[0]["issuers"], serde_json::json!(["CA", "MX", "US"]));
    assert_eq!(summits[0]["n_commitments"], 6);
    assert_eq!(summits[0]["themes"][0]["key"], "climate_environment");
    assert_eq!(summits[0]["themes"][0]["count"], 3);
}

#[tokio::test]
async fn documents_and_one_document() {
    let f = fixture().await;
    let all = get(&f.state, "/api/v1/documents").await.json();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let one = get(&f.state, "/api/v1/documents/us23").await;
    assert_eq!(one.status, StatusCode::OK);
    let one = one.json();
    assert_eq!(one["document"]["issuer"], "US");
    assert_eq!(one["commitments"].as_array().unwrap().len(), 3);
    let missing = get(&f.state, "/api/v1/documents/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["status"], 404);
    assert_eq!(missing.json()["error"]["message"], "no document nope");
}

#[tokio::test]
async fn commitments_filter_and_page() {
    let f = fixture().await;
    let all = get(&f.state, "/api/v1/commitments").await.json();
    assert_eq!(all["total"], 8);
    let page = get(&f.state, "/api/v1/commitments?limit=3&offset=6")
        .await
        .json();
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(8), 2)
    );
    let climate = get(
        &f.state,
        "/api/v1/commitments?summit=nals%202023&theme=climate_environment&issuer=CA",
    )
    .await
    .json();
    assert_eq!(climate["total"], 2);
    let targets = get(&f.state, "/api/v1/commitments?has_target=true")
        .await
        .json();
    assert_eq!(targets["items"][0]["id"], "us23-001");
    assert_eq!(targets["items"][0]["targets"][0]["target_year"], 2030);
    let contains = get(&f.state, "/api/v1/commitments?contains=TRAFFICKING")
        .await
        .json();
    assert_eq!(contains["total"], 2);
    let actor = get(&f.state, "/api/v1/commitments?actor=mx&issuer=MX")
        .await
        .json();
    assert_eq!(actor["total"], 1);
}

#[tokio::test]
async fn bad_parameters_are_400_in_the_error_shape() {
    let f = fixture().await;
    for uri in [
        "/api/v1/commitments?limit=many",
        "/api/v1/commitments?theme=weather",
        "/api/v1/commitments?has_target=perhaps",
        "/api/v1/search?offset=-1",
        "/api/v1/compare",
        "/api/v1/compare?summit=NALS%202023&documents=us23",
        "/api/v1/lineage",
        "/api/v1/export?format=xml",
        "/api/v1/commitments/%FF%FE",
    ] {
        let a = get(&f.state, uri).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}: {}", a.body);
        let body = a.json();
        assert_eq!(body["error"]["status"], 400, "{uri}");
        assert!(
            !body["error"]["message"].as_str().unwrap().is_empty(),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn unknown_things_are_404_in_the_error_shape() {
    let f = fixture().await;
    for uri in [
        "/api/v1/nothing",
        "/api/v1/commitments/nope-001",
        "/api/v1/compare?summit=G7%201975",
        "/api/v1/lineage?commitment=nope",
    ] {
        let a = get(&f.state, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}: {}", a.body);
        assert_eq!(a.json()["error"]["status"], 404, "{uri}");
    }
}

#[tokio::test]
async fn other_methods_than_get_are_405_in_the_error_shape() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let f = fixture().await;
    let response = accord_web::app(f.state.clone())
        .oneshot(Request::post("/api/v1/search").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["status"], 405);
}

#[tokio::test]
async fn a_commitment_with_its_versions_and_lineage() {
    let f = fixture().await;
    let a = get(&f.state, "/api/v1/commitments/us23-001").await;
    assert_eq!(a.status, StatusCode::OK);
    let c = a.json();
    assert_eq!(c["commitment"]["summit"], "NALS 2023");
    assert_eq!(c["same"][0]["commitment"]["id"], "ca23-001");
    assert_eq!(c["earlier"][0]["commitment"]["id"], "us21-001");
    assert_eq!(c["earlier"][0]["kind"], "expands");
    let earlier = get(&f.state, "/api/v1/commitments/us21-001").await.json();
    assert_eq!(earlier["later"][0]["commitment"]["id"], "us23-001");
}

#[tokio::test]
async fn search_ranks_highlights_and_counts_facets() {
    let f = fixture().await;
    let a = get(&f.state, "/api/v1/search?q=methane").await;
    assert_eq!(a.status, StatusCode::OK);
    let r = a.json();
    assert_eq!(r["total"], 3);
    let pieces = r["hits"][0]["pieces"].as_array().unwrap();
    assert!(pieces
        .iter()
        .any(|p| p["highlighted"] == true && p["text"] == "methane"));
    let summit_2021 = r["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["dimension"] == "summit" && f["value"] == "NALS 2021")
        .expect("summit facet");
    assert_eq!(summit_2021["count"], 1);

    let filtered = get(
        &f.state,
        "/api/v1/search?q=methane&summit=NALS%202023&issuer=CA",
    )
    .await
    .json();
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["hits"][0]["commitment"]["id"], "ca23-001");
    let selected = filtered["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["dimension"] == "issuer" && f["value"] == "CA")
        .unwrap();
    assert_eq!(selected["selected"], true);

    let targets = get(&f.state, "/api/v1/search?has_target=yes&deadline_year=2030")
        .await
        .json();
    assert_eq!(targets["total"], 1);
    let malformed = get(&f.state, "/api/v1/search?q=%22methane%20AND%20(").await;
    assert_eq!(malformed.status, StatusCode::OK);
}

#[tokio::test]
async fn compare_aligns_versions_and_lists_what_only_one_has() {
    let f = fixture().await;
    let a = get(
        &f.state,
        "/api/v1/compare?summit=NALS%202023&documents=us23,ca23",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let c = a.json();
    let rows = c["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["cells"][0]["commitment"]["id"], "us23-001");
    assert_eq!(rows[0]["cells"][1]["commitment"]["id"], "ca23-001");
    let diff = rows[0]["cells"][1]["diff"].as_array().unwrap();
    assert!(diff
        .iter()
        .any(|p| p["change"] == "insert" && p["text"].as_str().unwrap().contains("cut")));
    assert!(diff
        .iter()
        .any(|p| p["change"] == "delete" && p["text"].as_str().unwrap().contains("reduce")));
    assert_eq!(c["only_in"][0]["commitments"].as_array().unwrap().len(), 2);
    assert_eq!(c["only_in"][1]["commitments"][0]["id"], "ca23-002");

    let default = get(&f.state, "/api/v1/compare?summit=NALS%202023")
        .await
        .json();
    assert_eq!(default["documents"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn lineage_of_an_initiative_and_of_a_chain() {
    let f = fixture().await;
    let l = get(&f.state, "/api/v1/lineage?commitment=us23-002")
        .await
        .json();
    let summits: Vec<&str> = l["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summit"].as_str().unwrap())
        .collect();
    assert_eq!(summits, ["NALS 2021", "NALS 2023"]);
    assert_eq!(l["columns"][1]["nodes"][0]["repeated"], true);
    assert_eq!(l["links"][0]["kind"], "repeats");
    let i = get(
        &f.state,
        "/api/v1/lineage?initiative=global%20methane%20pledge",
    )
    .await
    .json();
    assert_eq!(i["columns"][0]["nodes"].as_array().unwrap().len(), 2);
    // By its acronym, or its name with the acronym: the same initiative.
    for name in ["GMP", "global%20methane%20pledge%20(gmp)"] {
        let by = get(&f.state, &format!("/api/v1/lineage?initiative={name}"))
            .await
            .json();
        assert_eq!(
            by["columns"][0]["nodes"].as_array().unwrap().len(),
            2,
            "{name}"
        );
    }
    let t = get(&f.state, "/api/v1/lineage?theme=climate_environment")
        .await
        .json();
    assert_eq!(t["links"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn export_is_the_ledger_in_json_and_csv() {
    let f = fixture().await;
    let exported = get(&f.state, "/api/v1/export").await;
    assert_eq!(exported.content_type(), "application/json");
    let json = exported.json();
    let whole = accord_store::export::ledger_json(
        &f.store.documents().await.unwrap(),
        &f.store.commitments(&Default::default()).await.unwrap(),
        &f.store.same_commitment().await.unwrap(),
        &f.store.follows_up().await.unwrap(),
    );
    assert_eq!(
        exported.body,
        whole.to_string(),
        "the export of the CLI, compact"
    );
    assert_eq!(json["format"], "accord-export/1");
    assert_eq!(json["documents"].as_array().unwrap().len(), 4);
    assert_eq!(json["commitments"].as_array().unwrap().len(), 8);
    assert_eq!(json["same_commitment"][0]["a"], "us23-001");
    assert_eq!(json["follows_up"].as_array().unwrap().len(), 2);
    let csv = get(&f.state, "/api/v1/export?format=csv").await;
    assert!(csv.content_type().starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 9);
    assert!(csv.body.starts_with("id,document_id,summit"));
    assert!(csv.body.contains("\nus23-001,us23,"), "{}", csv.body);
}

#[tokio::test]
async fn the_openapi_description_covers_every_route() {
    let f = fixture().await;
    let a = get(&f.state, "/api/v1/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let expected = [
        "/api/v1/summits",
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/commitments",
        "/api/v1/commitments/{id}",
        "/api/v1/search",
        "/api/v1/compare",
        "/api/v1/lineage",
        "/api/v1/dashboard",
        "/api/v1/export",
        "/api/v1/commitments/{id}/assessments",
        "/api/v1/assessments",
        "/api/v1/scorecard",
        "/api/v1/suggestions",
        "/api/v1/suggestions/{id}/accept",
        "/api/v1/suggestions/{id}/reject",
        "/api/v1/audit",
        "/api/v1/me",
    ];
    let mut sorted = paths.clone();
    sorted.sort();
    let mut expected_sorted: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted);
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    // Every described GET answers (with the admin's token), with its
    // documented parameters; every POST is marked as needing the token.
    for path in &paths {
        let operations = doc["paths"][path].as_object().unwrap();
        if operations.contains_key("post") {
            assert!(
                doc["paths"][path]["post"]["security"].is_array(),
                "{path}: POST needs a token"
            );
            continue;
        }
        let uri = path
            .replace("/documents/{id}", "/documents/us23")
            .replace("/commitments/{id}", "/commitments/us23-001");
        let uri = match path.as_str() {
            "/api/v1/compare" => format!("{uri}?summit=NALS%202023"),
            "/api/v1/lineage" => format!("{uri}?commitment=us23-001"),
            _ => uri,
        };
        let answer = crate::req("GET", &uri)
            .token(&f.tokens.admin)
            .send(&f.state)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        for parameter in doc["paths"][path]["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let name = parameter["name"].as_str().unwrap();
            assert!(!name.is_empty());
        }
    }
    let search_params: Vec<&str> = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "q",
        "summit",
        "issuer",
        "theme",
        "strength",
        "actor",
        "has_target",
        "deadline_year",
        "offset",
        "limit",
    ] {
        assert!(search_params.contains(&name), "{name} in {search_params:?}");
    }
}

#[tokio::test]
async fn the_index_follows_the_ledger_after_an_ingest() {
    let f = fixture().await;
    assert!(!f.state.refresh().await.unwrap(), "nothing changed yet");
    let text = "We will protect the monarch butterfly migration corridor.";
    let d = accord_model::Document {
        id: "ca24".into(),
        source_file: "ca24.txt".into(),
        source_path: "/tmp/ca24.txt".into(),
        content_hash: "ca24-hash".into(),
        format: accord_model::Format::Text,
        meta: accord_model::Metadata::default(),
        original: text.into(),
        text: text.into(),
    };
    let c = accord_model::Commitment {
        id: "ca24-001".into(),
        document_id: "ca24".into(),
        ordinal: 1,
        text: text.into(),
        span: accord_model::Span::new(0, text.len()),
        section: None,
        actors: vec![],
        strength: accord_model::Strength::Firm,
        theme: accord_model::Theme::ClimateEnvironment,
        targets: vec![],
        deadline: None,
        initiatives: vec![],
        confidence: 1.0,
    };
    f.store.write_document(&d, &[c], &[]).await.unwrap();
    let before = get(&f.state, "/api/v1/search?q=butterfly").await.json();
    assert_eq!(before["total"], 0);
    assert!(f.state.refresh().await.unwrap());
    let after = get(&f.state, "/api/v1/search?q=butterfly").await.json();
    assert_eq!(after["total"], 1);
}

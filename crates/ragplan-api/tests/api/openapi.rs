//! The OpenAPI document: OpenAPI 3.1, every served route in it and nothing else,
//! every error of every route listed, every reference resolved.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::common::TestApp;

fn served_document() -> (Value, TestApp) {
    let app = TestApp::new();
    let doc = futures_block(app.get("/v1/openapi.json", None));
    assert_eq!(doc.status, StatusCode::OK);
    (doc.json(), app)
}

fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// A concrete path for a template.
fn concrete(path: &str) -> String {
    path.replace("{id}", "small")
        .replace("{key}", "1.1.1")
        .replace("{name}", "Jayne%20Hutchings")
        .replace("{token_id}", "1")
}

#[test]
fn the_document_is_openapi_3_1_and_lists_exactly_the_served_routes() {
    let (doc, app) = served_document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "ragplan API");
    // The whole document is a promise to clients: a change to it shows in review.
    let mut stable = doc.clone();
    stable["info"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("openapi", stable);

    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let table: BTreeSet<(String, String)> =
        ragplan_api::ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_owned())).collect();
    assert_eq!(documented, table);

    // Every route in the table is served: an anonymous request to it reaches the route
    // (401 for the protected ones, 200 for the public ones), never the fallbacks.
    futures_block(async {
        for route in ragplan_api::ROUTES {
            let response = app
                .request(route.method.clone(), &concrete(route.path), None, None, None, "")
                .await;
            let expected = if route.role.is_some() { 401 } else { 200 };
            assert_eq!(response.status.as_u16(), expected, "{} {}", route.method, route.path);
        }
        // And a route not in the table is not served.
        let other = app.request(Method::GET, "/v1/users", None, None, None, "").await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn every_route_lists_its_errors_as_problems() {
    let (doc, _app) = served_document();
    for route in ragplan_api::ROUTES {
        let op = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
        let responses = op["responses"].as_object().unwrap();
        let mut expected: Vec<u16> = route.errors.iter().map(|k| k.row().status.as_u16()).collect();
        expected.push(500);
        if route.role.is_some() {
            expected.extend([401, 403]);
            assert_eq!(op["security"][0]["bearer"], serde_json::json!([]), "{}", route.path);
        }
        for status in expected {
            let response = &responses[&status.to_string()];
            assert_eq!(
                response["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{} {} {status}",
                route.method,
                route.path
            );
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{} {} has a success response",
            route.method,
            route.path
        );
        // Every path parameter in the template is declared.
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let in_template: BTreeSet<&str> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        assert_eq!(declared, in_template, "{} {}", route.method, route.path);
    }
}

fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.extend(v.as_str());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let (doc, _app) = served_document();
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let pointer =
            reference.strip_prefix('#').unwrap_or_else(|| panic!("external ref {reference}"));
        assert!(doc.pointer(pointer).is_some(), "{reference} does not resolve");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
}

#[test]
fn errors_that_share_a_status_are_named_together() {
    let (doc, _app) = served_document();
    let description = doc["paths"]["/v1/plans/{id}/actions/{key}/updates"]["post"]["responses"]["400"]
        ["description"]
        .as_str()
        .unwrap();
    assert_eq!(
        description,
        "The request cannot be read (urn:ragplan:problem:bad-request); or The request body cannot be \
         read (urn:ragplan:problem:malformed-body)"
    );
}

#[test]
fn every_operation_id_is_unique() {
    let (doc, _app) = served_document();
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), ragplan_api::ROUTES.len());
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn the_plan_and_assessment_documents_are_the_models_own_schemas_whole() {
    let (doc, _app) = served_document();
    let schemas = &doc["components"]["schemas"];
    let generated = ragplan_api::openapi::generated_schemas().unwrap();
    assert!(generated.len() > 30, "{}", generated.len());
    for (name, schema) in &generated {
        // Read as an OpenAPI schema and written back, nothing is lost.
        assert_eq!(&schemas[name.as_str()], schema, "component {name}");
    }
    // Each document's every definition is its component: one both use is the same.
    for text in [
        ragplan_core::document::plan_json_schema(),
        ragplan_core::document::assessment_json_schema(),
    ] {
        let text = text.replace("#/$defs/", "#/components/schemas/");
        let mut schema: Value = serde_json::from_str(&text).unwrap();
        ragplan_api::openapi::write_choices_as_enums(&mut schema);
        for (def, body) in schema["$defs"].as_object().unwrap() {
            // An object hoisted out of a choice's branch reads back in its place.
            let mut component = schemas[def.as_str()].clone();
            let branches = component.get_mut("oneOf").and_then(Value::as_array_mut);
            for branch in branches.into_iter().flatten() {
                let properties = branch.get_mut("properties").and_then(Value::as_object_mut);
                for (property, inner) in properties.into_iter().flatten() {
                    if inner["$ref"] == format!("#/components/schemas/{def}_{property}") {
                        *inner = schemas[format!("{def}_{property}").as_str()].clone();
                    }
                }
            }
            assert_eq!(&component, body, "definition {def}");
        }
    }
    // The model's definitions do not shadow the API's own components.
    for own in ["Problem", "ImportResponse", "UpdateRequest", "Role"] {
        assert!(generated.iter().all(|(n, _)| n != own), "{own}");
    }
    let plan_ref = serde_json::json!({ "$ref": "#/components/schemas/Plan" });
    let get_plan = &doc["paths"]["/v1/plans/{id}"]["get"]["responses"]["200"]["content"];
    assert_eq!(get_plan["application/json"]["schema"], plan_ref);
    let create = &doc["paths"]["/v1/plans"]["post"]["requestBody"]["content"];
    assert_eq!(create["application/json"]["schema"], plan_ref);
    let assessment =
        &doc["paths"]["/v1/plans/{id}/assessment"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        assessment["application/json"]["schema"],
        serde_json::json!({ "$ref": "#/components/schemas/AssessmentDocument" })
    );
    assert_eq!(schemas["Plan"]["properties"]["format"]["$ref"], "#/components/schemas/FormatTag");
    assert!(schemas["Action"]["properties"]["timescale"].is_object());
    let ratings: Vec<&str> = ragplan_core::Rating::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(schemas["Rating"]["enum"], serde_json::json!(ratings));
}

#[test]
fn workbook_and_word_bodies_are_declared_as_binary_files() {
    let (doc, _app) = served_document();
    let binary = serde_json::json!({ "$ref": "#/components/schemas/FileBytes" });
    assert_eq!(
        doc["components"]["schemas"]["FileBytes"],
        serde_json::json!({ "type": "string", "format": "binary" })
    );
    for (path, method, body) in [
        ("/v1/plans/import", "post", "requestBody"),
        ("/v1/plans/{id}/reimport", "post", "requestBody"),
    ] {
        let content = &doc["paths"][path][method][body]["content"];
        for media in [
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ] {
            assert_eq!(content[media]["schema"], binary, "{path} {media}");
        }
    }
    let report = &doc["paths"]["/v1/plans/{id}/report"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        report["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"],
        binary
    );
}

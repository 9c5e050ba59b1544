//! The OpenAPI 3.1 document, generated from the handlers and DTOs (utoipa): its paths
//! come from the route table that also builds the router, and every route's error
//! responses and security are added from [`ROUTES`] and the error table, so that the
//! document and the router cannot disagree.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

use crate::error::{ErrorKind, FieldProblem, PROBLEM_JSON, Problem};
use crate::routes::RoutePaths;
use crate::{ROUTES, Role};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ragplan API",
        description = "Read a multi-agency action plan's Red / Amber / Green ratings with their reasons, and record progress updates and overrides, without a person in the loop. Every error is `application/problem+json`. Every write to an existing plan needs `If-Match` with the plan's `ETag`.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0")
    ),
    components(schemas(Problem, FieldProblem, ErrorKind, Role)),
    tags(
        (name = "plans", description = "Plans, their assessment, lints, report and history"),
        (name = "actions", description = "Actions: progress updates and overrides"),
        (name = "nodes", description = "Any node: its own fields, changed and logged, and its story"),
        (name = "overrides", description = "Professional-judgement overrides of any node, or of the plan"),
        (name = "owners", description = "Owners across plans"),
        (name = "tokens", description = "API tokens (admin)"),
        (name = "system", description = "Health and this document"),
    )
)]
struct ApiDoc;

fn operation_mut<'a>(
    item: &'a mut utoipa::openapi::PathItem,
    method: &axum::http::Method,
) -> Option<&'a mut Operation> {
    let op = match method.as_str() {
        "GET" => &mut item.get,
        "POST" => &mut item.post,
        "PUT" => &mut item.put,
        "DELETE" => &mut item.delete,
        "PATCH" => &mut item.patch,
        _ => return None,
    };
    op.as_mut()
}

fn problem_response(kinds: &[ErrorKind]) -> utoipa::openapi::Response {
    let description = kinds
        .iter()
        .map(|k| format!("{} ({})", k.row().title, k.row().type_uri))
        .collect::<Vec<_>>()
        .join("; or ");
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
        .build()
}

/// The model's own JSON Schemas as components: `Plan` (the `ragplan/2` document)
/// and `AssessmentDocument` (`ragplan-assessment/2`), as `schemas/` holds them, each
/// definition of theirs a component beside them, every `#/$defs/X` pointed at
/// `#/components/schemas/X`, every choice of strings an `enum`
/// ([`write_choices_as_enums`]) and each object inline in a choice's branch a
/// component of its own (`hoist_branch_objects`). A definition both use (`Key`, `Rating`) is one type,
/// written once.
///
/// # Errors
/// The serialiser's error, should a generated schema not read back as JSON.
pub fn generated_schemas() -> Result<Vec<(String, Value)>, serde_json::Error> {
    let documents = [
        ("Plan", ragplan_core::document::plan_json_schema()),
        ("AssessmentDocument", ragplan_core::document::assessment_json_schema()),
    ];
    let mut out: Vec<(String, Value)> = Vec::new();
    for (name, text) in documents {
        let mut schema: Value = serde_json::from_str(&text)?;
        point_refs_at_components(&mut schema);
        write_choices_as_enums(&mut schema);
        let Value::Object(mut top) = schema else { continue };
        top.remove("$schema");
        let defs = top.remove("$defs");
        out.push((name.to_owned(), Value::Object(top)));
        if let Some(Value::Object(defs)) = defs {
            for (def, mut schema) in defs {
                if !out.iter().any(|(n, _)| *n == def) {
                    let hoisted = hoist_branch_objects(&def, &mut schema);
                    out.push((def, schema));
                    out.extend(hoisted);
                }
            }
        }
    }
    Ok(out)
}

/// Takes each object written inline as a property of a choice's branch (the fields of
/// `RollupRule`'s `{"mean_score": {…}}`) out into a component of its own,
/// `{component}_{property}`, and refers to it: openapi-python-client names such an
/// object after its place and, meeting it again, refuses it as a duplicate.
fn hoist_branch_objects(component: &str, schema: &mut Value) -> Vec<(String, Value)> {
    let mut hoisted = Vec::new();
    let Some(branches) = schema.get_mut("oneOf").and_then(Value::as_array_mut) else {
        return hoisted;
    };
    for branch in branches {
        let Some(properties) = branch.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (property, inner) in properties.iter_mut() {
            if inner.get("type").and_then(Value::as_str) == Some("object")
                && inner.get("properties").is_some()
            {
                let name = format!("{component}_{property}");
                let reference =
                    serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
                hoisted.push((name, std::mem::replace(inner, reference)));
            }
        }
    }
    hoisted
}

/// Writes every choice of strings (`oneOf` of `{"const": …}` branches, which is how
/// the model's schemas give each value its meaning) as one `enum` of strings, each
/// value's meaning listed in the description: the same values, in the form client
/// generators read (openapi-python-client writes a parser for `oneOf` of `const`
/// that refuses every value but the first).
pub fn write_choices_as_enums(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let choices: Option<Vec<(String, String)>> =
                map.get("oneOf").and_then(Value::as_array).and_then(|branches| {
                    branches
                        .iter()
                        .map(|b| {
                            let value = b.get("const")?.as_str()?.to_owned();
                            let meaning = b.get("description").and_then(Value::as_str);
                            Some((value, meaning.unwrap_or_default().to_owned()))
                        })
                        .collect()
                });
            if let Some(choices) = choices.filter(|c| !c.is_empty()) {
                map.remove("oneOf");
                let values: Vec<Value> = choices.iter().map(|(v, _)| v.clone().into()).collect();
                let list: Vec<String> = choices
                    .iter()
                    .map(|(v, meaning)| format!("- `{v}`: {meaning}").trim_end().to_owned())
                    .collect();
                let description = match map.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{d}\n\n{}", list.join("\n")),
                    None => list.join("\n"),
                };
                map.insert("type".into(), "string".into());
                map.insert("enum".into(), values.into());
                map.insert("description".into(), description.into());
            }
            map.values_mut().for_each(write_choices_as_enums);
        }
        Value::Array(items) => items.iter_mut().for_each(write_choices_as_enums),
        _ => {}
    }
}

/// Points every `#/$defs/X` reference in `value` at `#/components/schemas/X`.
fn point_refs_at_components(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(target) if key == "$ref" => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            *target = format!("#/components/schemas/{name}");
                        }
                    }
                    _ => point_refs_at_components(item),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(point_refs_at_components),
        _ => {}
    }
}

/// The OpenAPI 3.1 document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(RoutePaths::openapi());
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
    for route in ROUTES {
        let Some(item) = doc.paths.paths.get_mut(route.path) else { continue };
        let Some(op) = operation_mut(item, &route.method) else { continue };
        let mut kinds: Vec<ErrorKind> = route.errors.to_vec();
        if route.role.is_some() {
            kinds.extend([ErrorKind::Unauthorized, ErrorKind::Forbidden]);
            let note = match route.role {
                Some(Role::Admin) => "Needs a bearer token with the admin role.".to_owned(),
                Some(role) => format!("Needs a bearer token with the {role} role or above."),
                None => String::new(),
            };
            op.description = Some(match op.description.take() {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            });
            op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        }
        kinds.push(ErrorKind::Internal);
        // Kinds that share a status (400) share one response that names them all.
        let mut by_status: BTreeMap<u16, Vec<ErrorKind>> = BTreeMap::new();
        for kind in kinds {
            by_status.entry(kind.row().status.as_u16()).or_default().push(kind);
        }
        for (status, kinds) in by_status {
            op.responses.responses.insert(status.to_string(), problem_response(&kinds).into());
        }
    }
    doc
}

/// The document as JSON, built once, with the model's own schemas
/// ([`generated_schemas`]) in place of the placeholders `Plan` and
/// `AssessmentDocument`. They go in as JSON: an OpenAPI schema object of utoipa's
/// would drop their `const` and `not` keywords.
///
/// # Errors
/// The serialiser's error, should the document not serialise.
pub fn json() -> Result<String, serde_json::Error> {
    static JSON: OnceLock<String> = OnceLock::new();
    if let Some(json) = JSON.get() {
        return Ok(json.clone());
    }
    let mut doc = serde_json::to_value(document())?;
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in generated_schemas()? {
            schemas.insert(name, schema);
        }
    }
    let json = serde_json::to_string_pretty(&doc)?;
    Ok(JSON.get_or_init(|| json).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_of_strings_becomes_one_enum_with_each_meaning_listed() {
        let mut schema = serde_json::json!({
            "description": "Where an action stands.",
            "oneOf": [
                { "const": "not_started", "description": "Work has not started.", "type": "string" },
                { "const": "complete", "type": "string" }
            ]
        });
        write_choices_as_enums(&mut schema);
        assert_eq!(
            schema,
            serde_json::json!({
                "description": "Where an action stands.\n\n- `not_started`: Work has not started.\n- `complete`:",
                "enum": ["not_started", "complete"],
                "type": "string"
            })
        );
        // A choice that is not only strings stays as it is.
        let mixed = serde_json::json!({ "oneOf": [{ "const": "worst_of" }, { "type": "object" }] });
        let mut kept = mixed.clone();
        write_choices_as_enums(&mut kept);
        assert_eq!(kept, mixed);
    }
}

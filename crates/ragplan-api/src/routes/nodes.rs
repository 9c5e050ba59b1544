//! Nodes: add an objective, sub-objective or action, change its own fields with a
//! JSON Merge Patch, take it out of the plan (kept, marked removed), log a reading of
//! a measure, and read a node's story. The plan makes and checks each change
//! (`Plan::add`, `Plan::edit`, `Plan::remove_node`, which log it in the plan's
//! change log) and tells the story (`Plan::story`); the store keeps the change with
//! its audit entry, at the version named by `If-Match`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ragplan_core::Node;
use ragplan_core::document::NodeDocument;
use ragplan_core::{ChangeKind, Field, Key, Plan, Policy, Reading, rate};

use crate::AppState;
use crate::auth::{Caller, Editor, Reader};
use crate::dto::{
    MeasureResponse, NodeLogResponse, NodePatch, NodeRequest, NodeResponse, ReadingRequest,
    RemovalRequest, RemovalResponse, wire_name,
};
use crate::error::{ApiError, FieldProblem};
use crate::extract::{Fields, MeasurePath, NodePath, PlanPath, Route};
use crate::routes::{PlanWrite, compact, json_response, load_plan, with_etag};

/// Changes a node's own fields (RFC 7396 JSON Merge Patch): each field given
/// replaces the node's value, and the change is logged in the plan's change log with
/// each field's value before and after, who made it and when. Every problem is
/// listed at once: a field the node does not have, a key `depends_on` names that no
/// action has, a weight of 0, a timescale that cannot be read.
#[utoipa::path(patch, path = "/v1/plans/{id}/nodes/{key}", tag = "nodes",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The node's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = NodePatch, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "Changed and logged; the node and the plan's new version", body = NodeResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn patch_node(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    NodePath { id, key }: NodePath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<NodePatch>,
) -> Result<Response, ApiError> {
    let (changes, by, on) = body.into_changes(state.clock.today());
    // A body that gives no field (or none that read) is refused as a body, before the
    // node is looked up: it is not an unknown key.
    if changes.fields().is_empty() {
        let mut errors = unread;
        errors.push(FieldProblem::new("", "give at least one field to change"));
        let detail =
            format!("the edit was refused: {}", ragplan_core::count(errors.len(), "problem"));
        return Err(ApiError::Validation { detail, errors });
    }
    let summary = format!("edit of {key} by {by} dated {on}");
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let at = key.clone();
    let part = |plan: &mut Plan| node_json(plan, &at).map(|n| compact(&n)).transpose();
    let mut changed = Vec::new();
    let target = key.clone();
    let apply = |plan: &mut Plan| {
        changed = plan.edit(&target, changes, &by, on)?;
        Ok(())
    };
    let saved = write.store(&state, ChangeKind::Edit, part, apply).await?;
    let (node, assessment, as_of) = node_now(&state, &saved.plan, &key)?;
    let body = NodeResponse {
        plan_id: saved.plan.id.to_string(),
        version: saved.version,
        key: key.to_string(),
        changed: changed.iter().map(|f: &Field| wire_name(*f).to_owned()).collect(),
        node,
        assessment,
        as_of,
    };
    Ok(with_etag(json_response(StatusCode::OK, &body)?, saved.version))
}

/// Adds an objective (no `under`), or a sub-objective or action under the objective
/// or sub-objective `under` names, with its other fields as a patch sets them. The
/// key is the one given, or the parent's key and the next number (`R3.2` after
/// `R3.1`). The addition is logged in the plan's change log, so that the plan as it
/// stood before its date lacks the node and the next report lists it as new. Every
/// problem is listed at once: a parent that is missing, removed or cannot hold the
/// node, a key taken, no title.
#[utoipa::path(post, path = "/v1/plans/{id}/nodes", tag = "nodes",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = NodeRequest, content_type = "application/json"),
    responses((status = 201, description = "Added and logged; the node and the plan's new version", body = NodeResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn post_node(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<NodeRequest>,
) -> Result<Response, ApiError> {
    let (node, by, on) = body.into_new_node(state.clock.today());
    let summary = format!("addition of {} {:?} by {by} dated {on}", node.kind(), node.title);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let mut added = None;
    let apply = |plan: &mut Plan| {
        added = Some(plan.add(node, &by, on)?);
        Ok(())
    };
    let saved = write.store(&state, ChangeKind::Addition, |_| Ok(None), apply).await?;
    let (key, changed) =
        added.ok_or_else(|| ApiError::Internal("the added node has no key".into()))?;
    let (node, assessment, as_of) = node_now(&state, &saved.plan, &key)?;
    let body = NodeResponse {
        plan_id: saved.plan.id.to_string(),
        version: saved.version,
        key: key.to_string(),
        changed: changed.iter().map(|f| wire_name(*f).to_owned()).collect(),
        node,
        assessment,
        as_of,
    };
    Ok(with_etag(json_response(StatusCode::CREATED, &body)?, saved.version))
}

/// Takes a node out of the plan: it is kept, marked removed with every node under
/// it, left out of roll-up and counts from the removal's date, and takes no more
/// updates, edits or overrides. Each node marked gets an entry in the plan's change
/// log with the justification, so the plan as it stood before the date still has
/// it and the next report lists it as removed. Nothing is deleted.
#[utoipa::path(delete, path = "/v1/plans/{id}/nodes/{key}", tag = "nodes",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The node's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = RemovalRequest, content_type = "application/json"),
    responses((status = 200, description = "Marked removed and logged; the node and the plan's new version", body = RemovalResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn delete_node(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    NodePath { id, key }: NodePath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<RemovalRequest>,
) -> Result<Response, ApiError> {
    let on = body.on.unwrap_or_else(|| state.clock.today());
    let summary = format!("removal of {key} by {} dated {on}", body.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let at = key.clone();
    let part = |plan: &mut Plan| node_json(plan, &at).map(|n| compact(&n)).transpose();
    let mut removed = Vec::new();
    let target = key.clone();
    let apply = |plan: &mut Plan| {
        removed = plan.remove_node(&target, &body.justification, &body.by, on)?;
        Ok(())
    };
    let saved = write.store(&state, ChangeKind::Removal, part, apply).await?;
    let (node, assessment, as_of) = node_now(&state, &saved.plan, &key)?;
    let body = RemovalResponse {
        plan_id: saved.plan.id.to_string(),
        version: saved.version,
        key: key.to_string(),
        removed: removed.iter().map(ToString::to_string).collect(),
        node,
        assessment,
        as_of,
    };
    Ok(with_etag(json_response(StatusCode::OK, &body)?, saved.version))
}

/// The node with `key` as the plan document has it, its node of the assessment
/// as of today under the default policy, and that date.
fn node_now(
    state: &AppState,
    plan: &Plan,
    key: &Key,
) -> Result<(serde_json::Value, serde_json::Value, chrono::NaiveDate), ApiError> {
    let no_node = || ApiError::NotFound(format!("plan {} has no single node {key}", plan.id));
    let place = plan.place_of(key).ok_or_else(no_node)?;
    let as_of = state.clock.today();
    let policy = Policy::default();
    let ratings = rate(plan, &policy, as_of);
    let rated = ratings.node(place).ok_or_else(no_node)?;
    let assessment = serde_json::to_value(NodeDocument::of(&rated))?;
    Ok((node_json(plan, key).ok_or_else(no_node)?, assessment, as_of))
}

/// Logs a reading of a measure (an objective's or sub-objective's indicator with a
/// target): added to its readings in date order, and recorded in the plan's change
/// log on its date, so that the parent's outcome as of that date is rated from it.
#[utoipa::path(post, path = "/v1/plans/{id}/measures/{key}/readings", tag = "nodes",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The measure's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = ReadingRequest, content_type = "application/json"),
    responses((status = 201, description = "Logged; the measure, its parent's ratings and the plan's new version", body = MeasureResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn post_reading(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    MeasurePath { id, key }: MeasurePath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<ReadingRequest>,
) -> Result<Response, ApiError> {
    let on = body.on.unwrap_or_else(|| state.clock.today());
    let note = body.note.filter(|n| !n.trim().is_empty());
    let reading = Reading { on, value: body.value, note };
    let summary = format!("reading of measure {key} by {} dated {on}", body.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let at = key.clone();
    let part = |plan: &mut Plan| plan.measure(&at).map(|(_, m)| compact(m)).transpose();
    let by = body.by;
    let target = key.clone();
    let apply = |plan: &mut Plan| plan.add_reading(&target, reading, &by);
    let saved = write.store(&state, ChangeKind::Edit, part, apply).await?;
    let plan = &saved.plan;
    let no_measure = || ApiError::NotFound(format!("plan {} has no measure {key}", plan.id));
    let (parent, measure) = plan.measure(&key).ok_or_else(no_measure)?;
    let place = plan.place_of(parent).ok_or_else(no_measure)?;
    let as_of = state.clock.today();
    let policy = Policy::default();
    let ratings = rate(plan, &policy, as_of);
    let rated = ratings.node(place).ok_or_else(no_measure)?;
    let body = MeasureResponse {
        plan_id: plan.id.to_string(),
        version: saved.version,
        parent: parent.to_string(),
        measure: serde_json::to_value(measure)?,
        assessment: serde_json::to_value(NodeDocument::of(&rated))?,
        as_of,
    };
    Ok(with_etag(json_response(StatusCode::CREATED, &body)?, saved.version))
}

/// A node's story: every edit of its fields, every update, override and withdrawal
/// logged on it, in date order (on one day: edits, updates, overrides, withdrawals).
#[utoipa::path(get, path = "/v1/plans/{id}/nodes/{key}/log", tag = "nodes",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The node's key")),
    responses((status = 200, description = "The node's story", body = NodeLogResponse,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn node_log(
    _: Caller<Reader>,
    State(state): State<AppState>,
    NodePath { id, key }: NodePath,
) -> Result<Response, ApiError> {
    let stored = load_plan(&state, &id).await?;
    let story = stored.plan.story(&key).map_err(|p| ApiError::NotFound(p.message))?;
    let body = NodeLogResponse {
        plan_id: stored.plan.id.to_string(),
        version: stored.version,
        log: serde_json::to_value(&story)?,
    };
    Ok(with_etag(json_response(StatusCode::OK, &body)?, stored.version))
}

/// The node with `key`, when one node has it, as the plan document writes it; an
/// objective's or sub-objective's children are left out.
fn node_json(plan: &Plan, key: &Key) -> Option<serde_json::Value> {
    let node = plan.node_at(plan.place_of(key)?)?;
    let mut value = match node {
        Node::Objective(o) => serde_json::to_value(o),
        Node::SubObjective(s) => serde_json::to_value(s),
        Node::Action(a) => serde_json::to_value(a),
    }
    .ok()?;
    if let Some(fields) = value.as_object_mut() {
        for children in ["sub_objectives", "actions"] {
            fields.remove(children);
        }
    }
    Some(value)
}

//! Overrides on any node and on the plan itself: make one, or withdraw the one in
//! force. Each is added to the node's record (nothing is deleted) by the plan
//! (`Plan::set_override`, `Plan::withdraw_override` and their plan-wide forms), and
//! stored with its audit entry at the version named by `If-Match`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ragplan_core::document::{DimensionDocument, NodeDocument};
use ragplan_core::{ApplyError, ChangeKind, Dimension, Key, Place, Plan, Policy, rate};

use crate::AppState;
use crate::auth::{Caller, Editor};
use crate::dto::{OverrideRequest, OverridesResponse, WithdrawalRequest};
use crate::error::ApiError;
use crate::extract::{Fields, NodePath, PlanPath, Route};
use crate::routes::{PlanWrite, compact, json_response, with_etag};
use crate::store::StoredPlan;

/// Records a professional-judgement override of a node's rating (an objective,
/// sub-objective or action): added to its record, standing from its date until a
/// later one or its withdrawal. A justification is required.
#[utoipa::path(put, path = "/v1/plans/{id}/nodes/{key}/override", tag = "overrides",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The node's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = OverrideRequest, content_type = "application/json"),
    responses((status = 200, description = "Recorded; the node's overrides and the plan's new version", body = OverridesResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn put_node_override(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    NodePath { id, key }: NodePath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<OverrideRequest>,
) -> Result<Response, ApiError> {
    let ov = body.into_override(state.clock.today());
    let summary = format!("override of {key} to {} by {}", ov.rating.label(), ov.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let at = key.clone();
    let apply = move |plan: &mut Plan| plan.set_override(&at, ov);
    write_overrides(&state, write, Some(key), ChangeKind::Override, apply).await
}

/// Withdraws the override in force on a node on the withdrawal's date: recorded on
/// it, nothing deleted; a report for an earlier date still shows the judgement that
/// stood then. A justification is required.
#[utoipa::path(delete, path = "/v1/plans/{id}/nodes/{key}/override", tag = "overrides",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The node's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = WithdrawalRequest, content_type = "application/json"),
    responses((status = 200, description = "Recorded; the node's overrides and the plan's new version", body = OverridesResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn delete_node_override(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    NodePath { id, key }: NodePath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<WithdrawalRequest>,
) -> Result<Response, ApiError> {
    let w = body.into_withdrawal(state.clock.today());
    let summary = format!("withdrawal of the override of {key} by {}", w.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    let at = key.clone();
    let apply = move |plan: &mut Plan| plan.withdraw_override(&at, w);
    write_overrides(&state, write, Some(key), ChangeKind::Withdrawal, apply).await
}

/// Records a professional-judgement override of the plan's own rating.
#[utoipa::path(put, path = "/v1/plans/{id}/override", tag = "overrides",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = OverrideRequest, content_type = "application/json"),
    responses((status = 200, description = "Recorded; the plan's overrides and its new version", body = OverridesResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn put_plan_override(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<OverrideRequest>,
) -> Result<Response, ApiError> {
    let ov = body.into_override(state.clock.today());
    let summary = format!("override of plan {id} to {} by {}", ov.rating.label(), ov.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    write_overrides(&state, write, None, ChangeKind::Override, |plan| plan.set_plan_override(ov))
        .await
}

/// Withdraws the override in force on the plan's own rating.
#[utoipa::path(delete, path = "/v1/plans/{id}/override", tag = "overrides",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = WithdrawalRequest, content_type = "application/json"),
    responses((status = 200, description = "Recorded; the plan's overrides and its new version", body = OverridesResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn delete_plan_override(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<WithdrawalRequest>,
) -> Result<Response, ApiError> {
    let w = body.into_withdrawal(state.clock.today());
    let summary = format!("withdrawal of the override of plan {id} by {}", w.by);
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    write_overrides(&state, write, None, ChangeKind::Withdrawal, |plan| {
        plan.withdraw_plan_override(w)
    })
    .await
}

/// Stores a change to the record of overrides of the node with `key` (the plan's own
/// for none; the record before and after in the audit log), and answers with the
/// record and the node's ratings.
async fn write_overrides(
    state: &AppState,
    write: PlanWrite,
    key: Option<Key>,
    change: ChangeKind,
    apply: impl FnOnce(&mut Plan) -> Result<(), ApplyError>,
) -> Result<Response, ApiError> {
    let part = |plan: &mut Plan| record_of(plan, key.as_ref()).map(|r| compact(&r)).transpose();
    let saved = write.store(state, change, part, apply).await?;
    let body = response(state, &saved, key.as_ref())?;
    Ok(with_etag(json_response(StatusCode::OK, &body)?, saved.version))
}

/// Where the node with `key` is (the plan for none), when one node has it.
fn place_of(plan: &Plan, key: Option<&Key>) -> Option<Place> {
    match key {
        Some(key) => plan.place_of(key),
        None => Some(Place::Plan),
    }
}

fn record_of(plan: &Plan, key: Option<&Key>) -> Option<Vec<ragplan_core::Override>> {
    plan.overrides_at(place_of(plan, key)?).map(<[_]>::to_vec)
}

fn response(
    state: &AppState,
    stored: &StoredPlan,
    key: Option<&Key>,
) -> Result<OverridesResponse, ApiError> {
    let plan = &stored.plan;
    let no_node =
        || ApiError::NotFound(format!("plan {} has no single node with that key", plan.id));
    let place = place_of(plan, key).ok_or_else(no_node)?;
    let as_of = state.clock.today();
    let policy = Policy::default();
    let ratings = rate(plan, &policy, as_of);
    let rated = ratings.node(place).ok_or_else(no_node)?;
    let assessment = match place {
        Place::Plan => serde_json::to_value(DimensionDocument::of(&rated, Dimension::Delivery))?,
        _ => serde_json::to_value(NodeDocument::of(&rated))?,
    };
    Ok(OverridesResponse {
        plan_id: plan.id.to_string(),
        version: stored.version,
        key: key.map(ToString::to_string),
        overrides: serde_json::to_value(plan.overrides_at(place).unwrap_or(&[]))?,
        assessment,
        as_of,
    })
}

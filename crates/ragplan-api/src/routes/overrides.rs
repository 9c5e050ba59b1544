//! Overrides on any node and on the plan itself: make one, or withdraw the one in
//! force. Each is added to the node's record (nothing is deleted) by the plan
//! (`Plan::set_override`, `Plan::withdraw_override` and their plan-wide forms), and
//! stored with its audit entry at the version named by `If-Match`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ragplan_core::document::{DimensionDocument, NodeDocument};
use ragplan_core::{ApplyError, ChangeKind, Dimension, Key, Place, Plan, PlanId, Policy, rate};

use crate::auth::{Caller, Editor};
use crate::dto::{OverrideRequest, OverridesResponse, WithdrawalRequest};
use crate::error::{ApiError, FieldProblem, refused};
use crate::extract::{Fields, NodePath, PlanPath, Route, check_if_match};
use crate::routes::{audit, compact, json_response, load_plan, with_etag};
use crate::store::StoredPlan;
use crate::{AppState, blocking};

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
    let write =
        OverrideWrite { who: caller.name, route, id, key: Some(key), headers, summary, unread };
    write
        .apply(&state, ChangeKind::Override, |plan, key| match key {
            Some(key) => plan.set_override(key, ov),
            None => plan.set_plan_override(ov),
        })
        .await
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
    let write =
        OverrideWrite { who: caller.name, route, id, key: Some(key), headers, summary, unread };
    write
        .apply(&state, ChangeKind::Withdrawal, |plan, key| match key {
            Some(key) => plan.withdraw_override(key, w),
            None => plan.withdraw_plan_override(w),
        })
        .await
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
    let write = OverrideWrite { who: caller.name, route, id, key: None, headers, summary, unread };
    write.apply(&state, ChangeKind::Override, |plan, _| plan.set_plan_override(ov)).await
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
    let write = OverrideWrite { who: caller.name, route, id, key: None, headers, summary, unread };
    write.apply(&state, ChangeKind::Withdrawal, |plan, _| plan.withdraw_plan_override(w)).await
}

/// A change to a node's (or the plan's) record of overrides as the request has it.
struct OverrideWrite {
    who: String,
    route: Route,
    id: PlanId,
    /// The node; none for the plan itself.
    key: Option<Key>,
    headers: HeaderMap,
    summary: String,
    unread: Vec<FieldProblem>,
}

impl OverrideWrite {
    /// Applies `apply` to a copy of the stored plan at the version `If-Match` names,
    /// then stores it with its audit entry (the record before and after) in one
    /// transaction, and answers with the record and the node's ratings.
    async fn apply(
        self,
        state: &AppState,
        change: ChangeKind,
        apply: impl FnOnce(&mut Plan, Option<&Key>) -> Result<(), ApplyError>,
    ) -> Result<Response, ApiError> {
        let stored = load_plan(state, &self.id).await?;
        let expected = check_if_match(&self.headers, stored.version)?;
        let mut plan = Plan::clone(&stored.plan);
        let before = record_of(&plan, self.key.as_ref()).map(|r| compact(&r)).transpose()?;
        let applied = apply(&mut plan, self.key.as_ref());
        if applied.is_err() || !self.unread.is_empty() {
            return Err(refused(change, applied, self.unread));
        }
        let after = record_of(&plan, self.key.as_ref()).map(|r| compact(&r)).transpose()?;
        let record = audit(state, &self.who, &self.route, self.summary, before, after);
        let store = state.store.clone();
        let saved = blocking(move || store.replace_plan(plan, expected, record)).await?;
        let body = response(state, &saved, self.key.as_ref())?;
        Ok(with_etag(json_response(StatusCode::OK, &body)?, saved.version))
    }
}

/// Where the node with `key` is (the plan for none), when one node has it.
fn place_of(plan: &Plan, key: Option<&Key>) -> Option<Place> {
    let Some(key) = key else { return Some(Place::Plan) };
    let mut found = plan.nodes().filter(|n| n.key() == key);
    let first = found.next()?;
    found.next().is_none().then_some(first.place)
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

//! Actions: read one, record a progress update, record an override. The plan makes
//! the change and checks it (`Plan::apply`, `Plan::set_override`); the store keeps it
//! with its audit entry, at the version named by `If-Match`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ragplan_core::document::NodeDocument;
use ragplan_core::{ApplyError, Key, Plan};
use ragplan_core::{ChangeKind, Place, Policy, rate};

use crate::AppState;
use crate::auth::{Caller, Editor, Reader};
use crate::dto::{ActionResponse, OverrideRequest, UpdateRequest};
use crate::error::ApiError;
use crate::extract::{ActionPath, Fields, Route};
use crate::routes::{PlanWrite, compact, json_response, load_plan, with_etag};
use crate::store::StoredPlan;

fn action_response(
    state: &AppState,
    stored: &StoredPlan,
    key: &Key,
) -> Result<ActionResponse, ApiError> {
    let plan = &stored.plan;
    let no_action =
        || ApiError::NotFound(format!("plan {} has no action with the key {key}", plan.id));
    // The action is found by its place: a sub-objective may share its key.
    let position = plan.actions().position(|a| &a.key == key).ok_or_else(no_action)?;
    let as_of = state.clock.today();
    let policy = Policy::default();
    let ratings = rate(plan, &policy, as_of);
    let rated = ratings.node(Place::Action(position)).ok_or_else(no_action)?;
    let action = rated.action().ok_or_else(no_action)?;
    Ok(ActionResponse {
        plan_id: plan.id.to_string(),
        version: stored.version,
        action: serde_json::to_value(action)?,
        assessment: serde_json::to_value(NodeDocument::of(&rated))?,
        as_of,
    })
}

/// One action of a plan, with its ratings, reasons and flags as of today.
#[utoipa::path(get, path = "/v1/plans/{id}/actions/{key}", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key")),
    responses((status = 200, description = "The action", body = ActionResponse,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn get_action(
    _: Caller<Reader>,
    State(state): State<AppState>,
    ActionPath { id, key }: ActionPath,
) -> Result<Response, ApiError> {
    let stored = load_plan(&state, &id).await?;
    let body = action_response(&state, &stored, &key)?;
    Ok(with_etag(json_response(StatusCode::OK, &body)?, stored.version))
}

/// Records a progress update on an action: appended to its log, and its current
/// rating, status, progress and evidence set from it.
#[utoipa::path(post, path = "/v1/plans/{id}/actions/{key}/updates", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = UpdateRequest, content_type = "application/json"),
    responses((status = 201, description = "The update was recorded; the action and the plan's new version", body = ActionResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn post_update(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    path: ActionPath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<UpdateRequest>,
) -> Result<Response, ApiError> {
    let today = state.clock.today();
    let update = body.into_update(today);
    let summary = format!("update on action {} by {} dated {}", path.key, update.by, update.on);
    let ActionPath { id, key } = path;
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    write_action(&state, write, key, ChangeKind::Update, StatusCode::CREATED, |plan, key| {
        plan.record(key, update, today)
    })
    .await
}

/// Records a professional-judgement override of an action's rating: it is added to
/// the action's record of overrides and stands from its date until a later one or
/// its withdrawal. A justification is required.
#[utoipa::path(put, path = "/v1/plans/{id}/actions/{key}/override", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = OverrideRequest, content_type = "application/json"),
    responses((status = 200, description = "The override was recorded; the action and the plan's new version", body = ActionResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn put_override(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    path: ActionPath,
    headers: HeaderMap,
    Fields { body, unread }: Fields<OverrideRequest>,
) -> Result<Response, ApiError> {
    let ov = body.into_override(state.clock.today());
    let summary = format!("override of action {} to {} by {}", path.key, ov.rating.label(), ov.by);
    let ActionPath { id, key } = path;
    let write = PlanWrite { who: caller.name, route, id, headers, summary, unread };
    write_action(&state, write, key, ChangeKind::Override, StatusCode::OK, |plan, key| {
        plan.set_action_override(key, ov)
    })
    .await
}

/// Stores a change to the action at `path` (its before and after in the audit log),
/// and answers with the action and the plan's new version as its ETag.
async fn write_action(
    state: &AppState,
    write: PlanWrite,
    key: Key,
    change: ChangeKind,
    status: StatusCode,
    apply: impl FnOnce(&mut Plan, &Key) -> Result<(), ApplyError>,
) -> Result<Response, ApiError> {
    let part = |plan: &Plan| plan.action(&key).map(compact).transpose();
    let saved = write.store(state, change, part, |plan| apply(plan, &key)).await?;
    let body = action_response(state, &saved, &key)?;
    Ok(with_etag(json_response(status, &body)?, saved.version))
}

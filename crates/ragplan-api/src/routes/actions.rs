//! Actions: read one, record a progress update, record an override. The plan makes
//! the change and checks it (`Plan::apply`, `Plan::set_override`); the store keeps it
//! with its audit entry, at the version named by `If-Match`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ragplan_core::document::NodeDocument;
use ragplan_core::{Action, ChangeKind, Key, Place, Plan, Policy, Update, rate};

use crate::AppState;
use crate::auth::{Caller, Editor, Reader};
use crate::dto::{ActionBody, ActionResponse, OverrideRequest, UpdateRequest};
use crate::error::ApiError;
use crate::extract::{ActionPath, Fields, Route};
use crate::routes::{PlanWrite, json_response, load_plan, with_etag};
use crate::store::{PlanChange, StoredPlan};

/// The action with `key` and its ratings as of today, as `status` with the plan's
/// version as its ETag; `changed` is the action as [`audited`] wrote it after a
/// change, sent in place of the whole action.
fn action_response(
    state: &AppState,
    stored: &StoredPlan,
    key: &Key,
    status: StatusCode,
    changed: Option<&serde_json::value::RawValue>,
) -> Result<Response, ApiError> {
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
    let body = ActionResponse {
        plan_id: plan.id.as_str(),
        version: stored.version,
        action: changed.map_or(ActionBody::Whole(action), ActionBody::Changed),
        assessment: NodeDocument::of(&rated),
        as_of,
    };
    Ok(with_etag(json_response(status, &body)?, stored.version))
}

/// One action of a plan, with its ratings, reasons and flags as of today.
#[utoipa::path(get, path = "/v1/plans/{id}/actions/{key}", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key")),
    responses((status = 200, description = "The action", body = ActionResponse<'_>,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn get_action(
    _: Caller<Reader>,
    State(state): State<AppState>,
    ActionPath { id, key }: ActionPath,
) -> Result<Response, ApiError> {
    let stored = load_plan(&state, &id).await?;
    action_response(&state, &stored, &key, StatusCode::OK, None)
}

/// Records a progress update on an action: appended to its log, and its current
/// rating, status, progress and evidence set from it.
#[utoipa::path(post, path = "/v1/plans/{id}/actions/{key}/updates", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = UpdateRequest, content_type = "application/json"),
    responses((status = 201, description = "The update was recorded; the action and the plan's new version", body = ActionResponse<'_>,
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
    let change = PlanChange::Update { key, update, today };
    write_action(&state, write, ChangeKind::Update, StatusCode::CREATED, change).await
}

/// Records a professional-judgement override of an action's rating: it is added to
/// the action's record of overrides and stands from its date until a later one or
/// its withdrawal. A justification is required.
#[utoipa::path(put, path = "/v1/plans/{id}/actions/{key}/override", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = OverrideRequest, content_type = "application/json"),
    responses((status = 200, description = "The override was recorded; the action and the plan's new version", body = ActionResponse<'_>,
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
    let change = PlanChange::ActionOverride { key, ov };
    write_action(&state, write, ChangeKind::Override, StatusCode::OK, change).await
}

/// Stores a change to an action (its before and after in the audit log), and
/// answers with the action and the plan's new version as its ETag.
async fn write_action(
    state: &AppState,
    write: PlanWrite,
    kind: ChangeKind,
    status: StatusCode,
    change: PlanChange,
) -> Result<Response, ApiError> {
    let key = change.key().clone();
    let part = |plan: &mut Plan| audited(plan, &key);
    let (saved, after) = write.record(state, kind, part, change).await?;
    let after = after.map(serde_json::value::RawValue::from_string).transpose()?;
    action_response(state, &saved, &key, status, after.as_deref())
}

/// The action with `key` as the audit log keeps it before and after a change: every
/// field but its log of updates, which the plan keeps, and the latest entry of the
/// log as `latest_update`, so that an entry costs the same however long the log is.
fn audited(plan: &mut Plan, key: &Key) -> Result<Option<String>, ApiError> {
    #[derive(serde::Serialize)]
    struct Audited<'a> {
        #[serde(flatten)]
        action: &'a Action,
        #[serde(skip_serializing_if = "Option::is_none")]
        latest_update: Option<Update>,
    }
    let Some(action) = plan.action_mut(key) else { return Ok(None) };
    let log = std::mem::take(&mut action.updates);
    let latest_update = log.last().cloned();
    let written = serde_json::to_string(&Audited { action, latest_update });
    action.updates = log;
    Ok(Some(written?))
}

//! Actions: read one, record a progress update, record an override. The plan makes
//! the change (`Plan::apply`, `Plan::set_override`); the store keeps it with its
//! audit entry, at the version named by `If-Match`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use ragplan_core::apply::Field;
use ragplan_core::{ApplyError, Key, Override, Plan, Rating, Status, Update};

use crate::dto::{ActionResponse, OverrideRequest, UpdateRequest};
use crate::error::{ApiError, FieldProblem};
use crate::extract::{Params, check_if_match, json_text, malformed};
use crate::routes::{
    action_key, assessed_today, audit, compact, json_response, load_plan, parse_date, plan_id,
    with_etag,
};
use crate::store::StoredPlan;
use crate::{AppState, Caller, Role, blocking};

fn action_response(
    state: &AppState,
    stored: &StoredPlan,
    key: &Key,
) -> Result<ActionResponse, ApiError> {
    let plan = &stored.plan;
    let action = plan.action(key).ok_or_else(|| {
        ApiError::NotFound(format!("plan {} has no action with the key {key}", plan.id))
    })?;
    let assessed = assessed_today(state, stored);
    let node = assessed.assessment.node(key).map(|n| serde_json::to_value(n).unwrap_or_default());
    Ok(ActionResponse {
        plan_id: plan.id.to_string(),
        version: stored.version,
        action: serde_json::to_value(action).unwrap_or_default(),
        assessment: node.unwrap_or_default(),
        as_of: assessed.assessment.as_of,
    })
}

/// One action of a plan, with its ratings, reasons and flags as of today.
#[utoipa::path(get, path = "/v1/plans/{id}/actions/{key}", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key")),
    responses((status = 200, description = "The action", body = ActionResponse,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn get_action(
    State(state): State<AppState>,
    caller: Caller,
    Params((id, key)): Params<(String, String)>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let id = plan_id(&id)?;
    let key = action_key(&id, &key)?;
    let stored = load_plan(&state, &id).await?;
    let body = action_response(&state, &stored, &key)?;
    Ok(with_etag(json_response(StatusCode::OK, &body), stored.version))
}

/// Every problem of an update body, with its field.
fn read_update(body: UpdateRequest, state: &AppState) -> Result<Update, ApiError> {
    let mut problems = Vec::new();
    let mut rating = |at: &str, text: Option<String>| {
        text.and_then(|t| match t.parse::<Rating>() {
            Ok(r) => Some(r),
            Err(e) => {
                problems.push(FieldProblem::new(at, e.to_string()));
                None
            }
        })
    };
    let delivery = rating("delivery_rating", body.delivery_rating);
    let outcome = rating("outcome_rating", body.outcome_rating);
    let status = body.status.and_then(|t| match t.parse::<Status>() {
        Ok(s) => Some(s),
        Err(e) => {
            problems.push(FieldProblem::new("status", e.to_string()));
            None
        }
    });
    let progress = body.progress.and_then(|p| match u8::try_from(p) {
        Ok(p) if p <= 100 => Some(p),
        _ => {
            problems.push(FieldProblem::new(
                "progress",
                format!("{p} is not a percentage from 0 to 100"),
            ));
            None
        }
    });
    let by = body.by.filter(|b| !b.trim().is_empty());
    if by.is_none() {
        problems.push(FieldProblem::new("by", "say who made the update"));
    }
    let on = match body.on {
        Some(t) => parse_date("on", &t).map_err(|p| problems.push(p)).ok(),
        None => Some(state.clock.today()),
    };
    match (by, on) {
        (Some(by), Some(on)) if problems.is_empty() => Ok(Update {
            on,
            by,
            delivery,
            outcome,
            status,
            progress,
            note: body.note.filter(|n| !n.trim().is_empty()),
            evidence: body.evidence.filter(|e| !e.trim().is_empty()),
        }),
        _ => Err(ApiError::Validation {
            detail: format!("the update was refused: {} problem(s)", problems.len()),
            errors: problems,
        }),
    }
}

/// A change the plan refused: 404 when no action has the key, else 422 listing every
/// problem at its field of the request body.
fn refused(err: ApplyError) -> ApiError {
    if err.is_unknown_key() {
        let key = err.problems.iter().find(|p| p.field == Field::Key);
        return ApiError::NotFound(key.map_or_else(|| err.to_string(), |p| p.message.clone()));
    }
    let at = |field: Field| match field {
        Field::Delivery => "delivery_rating",
        Field::Outcome => "outcome_rating",
        other => other.as_str(),
    };
    ApiError::Validation {
        detail: format!(
            "the {} was refused: {} problem(s)",
            err.change.as_str(),
            err.problems.len()
        ),
        errors: err
            .problems
            .iter()
            .map(|p| FieldProblem::new(at(p.field), p.message.clone()))
            .collect(),
    }
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
    State(state): State<AppState>,
    caller: Caller,
    Params((id, key)): Params<(String, String)>,
    request: Request,
) -> Result<Response, ApiError> {
    let Write { key, stored, expected, body } =
        Write::<UpdateRequest>::read(&state, &caller, &id, &key, request).await?;
    let update = read_update(body, &state)?;
    let summary = format!("update on action {key} by {} dated {}", update.by, update.on);
    let route = "POST /v1/plans/{id}/actions/{key}/updates";
    let change = ActionChange { route, summary, status: StatusCode::CREATED };
    change_action(&state, &caller, &stored, expected, &key, change, |plan| plan.apply(&key, update))
        .await
}

/// What a write to an action starts from: its key, the plan as stored, the version
/// the caller's `If-Match` names, and the request's JSON body.
struct Write<T> {
    key: Key,
    stored: StoredPlan,
    expected: u64,
    body: T,
}

impl<T: serde::de::DeserializeOwned> Write<T> {
    /// Checks the caller may edit, finds the plan and the action's key, checks
    /// `If-Match`, and reads the body, naming the JSON path of a problem.
    async fn read(
        state: &AppState,
        caller: &Caller,
        id: &str,
        key: &str,
        request: Request,
    ) -> Result<Write<T>, ApiError> {
        caller.require(Role::Editor)?;
        let id = plan_id(id)?;
        let key = action_key(&id, key)?;
        let stored = load_plan(state, &id).await?;
        let expected = check_if_match(request.headers(), stored.version)?;
        let text = json_text(request, state).await?;
        let body = ragplan_core::document::from_json_with_path(&text).map_err(malformed)?;
        Ok(Write { key, stored, expected, body })
    }
}

/// What one write to an action records in the audit log and answers with.
struct ActionChange {
    route: &'static str,
    summary: String,
    status: StatusCode,
}

/// Applies `apply` to a copy of the stored plan, then stores it with its audit entry
/// (the action before and after) in one transaction, and answers with the action and
/// the plan's new version as its ETag.
async fn change_action(
    state: &AppState,
    caller: &Caller,
    stored: &StoredPlan,
    expected: u64,
    key: &Key,
    change: ActionChange,
    apply: impl FnOnce(&mut Plan) -> Result<(), ApplyError>,
) -> Result<Response, ApiError> {
    let mut plan = Plan::clone(&stored.plan);
    let before = plan.action(key).map(compact);
    apply(&mut plan).map_err(refused)?;
    let after = plan.action(key).map(compact);
    let record = audit(state, caller, change.route, change.summary, before, after);
    let store = state.store.clone();
    let saved = blocking(move || store.replace_plan(plan, expected, record)).await?;
    let body = action_response(state, &saved, key)?;
    Ok(with_etag(json_response(change.status, &body), saved.version))
}

fn read_override(body: OverrideRequest, state: &AppState) -> Result<Override, ApiError> {
    let mut problems = Vec::new();
    let rating = match body.rating {
        None => {
            problems.push(FieldProblem::new("rating", "give the rating that stands"));
            None
        }
        Some(t) => t
            .parse::<Rating>()
            .map_err(|e| problems.push(FieldProblem::new("rating", e.to_string())))
            .ok(),
    };
    let by = body.by.filter(|b| !b.trim().is_empty());
    if by.is_none() {
        problems.push(FieldProblem::new("by", "say who made the judgement"));
    }
    let justification = body.justification.filter(|j| !j.trim().is_empty());
    if justification.is_none() {
        problems.push(FieldProblem::new("justification", "record why the rating differs"));
    }
    let on = match body.on {
        Some(t) => parse_date("on", &t).map_err(|p| problems.push(p)).ok(),
        None => Some(state.clock.today()),
    };
    match (rating, by, on, justification) {
        (Some(rating), Some(by), Some(on), Some(justification)) if problems.is_empty() => {
            Ok(Override { rating, by, on, justification })
        }
        _ => Err(ApiError::Validation {
            detail: format!("the override was refused: {} problem(s)", problems.len()),
            errors: problems,
        }),
    }
}

/// Records a professional-judgement override of an action's rating, replacing any
/// earlier one. A justification is required.
#[utoipa::path(put, path = "/v1/plans/{id}/actions/{key}/override", tag = "actions",
    params(("id" = String, Path, description = "The plan's id"), ("key" = String, Path, description = "The action's key"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    request_body(content = OverrideRequest, content_type = "application/json"),
    responses((status = 200, description = "The override was recorded; the action and the plan's new version", body = ActionResponse,
        headers(("ETag" = String, description = "The plan's new version")))))]
pub(crate) async fn put_override(
    State(state): State<AppState>,
    caller: Caller,
    Params((id, key)): Params<(String, String)>,
    request: Request,
) -> Result<Response, ApiError> {
    let Write { key, stored, expected, body } =
        Write::<OverrideRequest>::read(&state, &caller, &id, &key, request).await?;
    let ov = read_override(body, &state)?;
    let summary = format!("override of action {key} to {} by {}", ov.rating.label(), ov.by);
    let route = "PUT /v1/plans/{id}/actions/{key}/override";
    let change = ActionChange { route, summary, status: StatusCode::OK };
    change_action(&state, &caller, &stored, expected, &key, change, |plan| {
        plan.set_override(&key, ov)
    })
    .await
}

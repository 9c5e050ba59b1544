//! The handlers, one module per resource, and what they share: reading ids, keys,
//! dates and policies from a request, loading a plan, and writing JSON with an
//! `ETag`.

pub(crate) mod actions;
pub(crate) mod owners;
pub(crate) mod plans;
pub(crate) mod system;
pub(crate) mod tokens;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use chrono::NaiveDate;
use ragplan_core::{Key, PlanId, Policy};
use serde::Serialize;

use crate::error::{ApiError, FieldProblem};
use crate::store::{AuditRecord, StoredPlan};
use std::sync::Arc;

use crate::{AppState, CachedAssessment, Caller, ROUTES, blocking, etag};

fn handler_for(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    use axum::routing::{delete, get, post, put};
    Some(match (method, path) {
        ("GET", "/healthz") => get(system::healthz),
        ("GET", "/v1/openapi.json") => get(system::openapi_json),
        ("GET", "/v1/plans") => get(plans::list),
        ("POST", "/v1/plans") => post(plans::create),
        ("POST", "/v1/plans/import") => post(plans::import),
        ("GET", "/v1/plans/{id}") => get(plans::get_plan),
        ("DELETE", "/v1/plans/{id}") => delete(plans::delete_plan),
        ("POST", "/v1/plans/{id}/reimport") => post(plans::reimport),
        ("GET", "/v1/plans/{id}/assessment") => get(plans::assessment),
        ("GET", "/v1/plans/{id}/lints") => get(plans::lints),
        ("GET", "/v1/plans/{id}/report") => get(plans::report),
        ("GET", "/v1/plans/{id}/history") => get(plans::history),
        ("GET", "/v1/plans/{id}/actions/{key}") => get(actions::get_action),
        ("POST", "/v1/plans/{id}/actions/{key}/updates") => post(actions::post_update),
        ("PUT", "/v1/plans/{id}/actions/{key}/override") => put(actions::put_override),
        ("GET", "/v1/owners/{name}/actions") => get(owners::owner_actions),
        ("GET", "/v1/tokens") => get(tokens::list_tokens),
        ("POST", "/v1/tokens") => post(tokens::create),
        ("DELETE", "/v1/tokens/{token_id}") => delete(tokens::revoke),
        _ => return None,
    })
}

/// Adds every route of [`ROUTES`] to `router`.
pub(crate) fn add_routes(mut router: Router<AppState>) -> Router<AppState> {
    for route in ROUTES {
        let handler = handler_for(route.method.as_str(), route.path).unwrap_or_else(|| {
            // Unreachable while ROUTES and handler_for agree; tested.
            on(MethodFilter::GET, system::no_route)
        });
        router = router.route(route.path, handler);
    }
    router
}

/// A plan id from the path; one that cannot be an id is simply not found.
pub(crate) fn plan_id(text: &str) -> Result<PlanId, ApiError> {
    PlanId::new(text).map_err(|_| ApiError::NotFound(format!("no plan has the id {text:?}")))
}

/// An action key from the path.
pub(crate) fn action_key(plan: &PlanId, text: &str) -> Result<Key, ApiError> {
    Key::new(text)
        .map_err(|_| ApiError::NotFound(format!("plan {plan} has no action with the key {text:?}")))
}

/// A `YYYY-MM-DD` date named by `at` (a query parameter or JSON field).
pub(crate) fn parse_date(at: &str, text: &str) -> Result<NaiveDate, FieldProblem> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldProblem::new(at, format!("{text:?} is not a date; write it as YYYY-MM-DD"))
    })
}

/// `as_of` from the query, or today.
pub(crate) fn as_of(state: &AppState, text: Option<&str>) -> Result<NaiveDate, ApiError> {
    match text {
        Some(t) => parse_date("as_of", t).map_err(|p| ApiError::BadRequest(p.message)),
        None => Ok(state.clock.today()),
    }
}

/// The policy from the query (JSON), or the default.
pub(crate) fn policy(text: Option<&str>) -> Result<(Policy, String), ApiError> {
    match text {
        None => Ok((Policy::default(), String::new())),
        Some(t) => {
            Policy::from_json(t).map(|p| (p, t.to_owned())).map_err(|e| ApiError::Validation {
                detail: format!("the policy cannot be read: {e}"),
                errors: vec![FieldProblem::new(
                    if e.path.is_empty() || e.path == "." {
                        "policy".to_owned()
                    } else {
                        format!("policy.{}", e.path)
                    },
                    e.message,
                )],
            })
        }
    }
}

/// The stored plan with `id`, or 404.
pub(crate) async fn load_plan(state: &AppState, id: &PlanId) -> Result<StoredPlan, ApiError> {
    let store = state.store.clone();
    let lookup = id.clone();
    blocking(move || store.plan(&lookup))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no plan has the id {id}")))
}

/// An audit record made now by `caller` through `route`.
pub(crate) fn audit(
    state: &AppState,
    caller: &Caller,
    route: &str,
    summary: String,
    before: Option<String>,
    after: Option<String>,
) -> AuditRecord {
    AuditRecord {
        at: state.clock.now(),
        who: caller.name.clone(),
        route: route.to_owned(),
        summary,
        before,
        after,
    }
}

/// Compact JSON of a value, for the audit log.
pub(crate) fn compact<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSON response.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => bytes_response(status, "application/json", body.into()),
        Err(err) => ApiError::Internal(format!("serialising a response: {err}")).into_response(),
    }
}

/// A response with a body of the given type.
pub(crate) fn bytes_response(
    status: StatusCode,
    content_type: &'static str,
    body: Body,
) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Adds the plan version's `ETag` to a response.
pub(crate) fn with_etag(mut response: Response, version: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The plan assessed as of `as_of` under `policy` (`policy_text` as sent, empty for
/// the default): from the cache when this version was assessed so before.
pub(crate) fn assessed(
    state: &AppState,
    stored: &StoredPlan,
    as_of: NaiveDate,
    policy: &Policy,
    policy_text: &str,
) -> CachedAssessment {
    let key = (stored.plan.id.to_string(), stored.version, as_of, policy_text.to_owned());
    if let Some(hit) = state.assessments.get(&key) {
        return hit;
    }
    let assessment = ragplan_core::document::AssessmentDocument::from(&ragplan_core::rate(
        &stored.plan,
        policy,
        as_of,
    ));
    let body = serde_json::to_vec(&assessment).unwrap_or_default().into();
    let cached = CachedAssessment { assessment: Arc::new(assessment), body };
    state.assessments.put(key, cached.clone());
    cached
}

/// The plan assessed as of today under the default policy.
pub(crate) fn assessed_today(state: &AppState, stored: &StoredPlan) -> CachedAssessment {
    assessed(state, stored, state.clock.today(), &Policy::default(), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_its_handler() {
        for route in ROUTES {
            assert!(
                handler_for(route.method.as_str(), route.path).is_some(),
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}

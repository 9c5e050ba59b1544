//! The route table, from which the router, the roles and the OpenAPI paths all
//! come; the handlers, one module per resource; and what they share: reading ids,
//! keys, dates and policies from a request, loading a plan, and writing JSON with an
//! `ETag`.

pub(crate) mod actions;
pub(crate) mod nodes;
pub(crate) mod overrides;
pub(crate) mod owners;
pub(crate) mod plans;
pub(crate) mod portfolio;
pub(crate) mod system;
pub(crate) mod tokens;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use chrono::NaiveDate;
use ragplan_core::{ApplyError, ChangeKind, Plan, PlanId, Policy};
use serde::Serialize;

use crate::auth::{Caller, Required, Role};
use crate::error::{ApiError, ErrorKind, FieldProblem, refused};
use crate::extract::{Route, check_if_match};
use crate::store::{AuditRecord, PlanChange, StoredPlan};
use ragplan_core::document::AssessmentDocument;

use crate::server::heavy;
use crate::{AppState, CachedAssessment, blocking, etag};

/// One route of the API: what it is, who may call it, and what it can answer.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as `/v1/plans/{id}`.
    pub path: &'static str,
    /// The role needed, read from the type of the handler's [`Caller`]; none for the
    /// public routes (`/healthz`, the OpenAPI document).
    pub role: Option<Role>,
    /// The errors the route can answer, besides the ones every route can.
    pub errors: &'static [ErrorKind],
}

/// The role a handler needs, read from its first argument: `Caller<R>` needs `R`'s
/// role; the public handlers take no `Caller`. `Args` is the handler's argument list.
pub(crate) trait Guard<Args> {
    /// The role, if any.
    const ROLE: Option<Role>;
}

macro_rules! guarded {
    ($($arg:ident),*) => {
        impl<F, Fut, R: Required, $($arg,)*> Guard<(Caller<R>, $($arg,)*)> for F
        where
            F: Fn(Caller<R>, $($arg,)*) -> Fut,
        {
            const ROLE: Option<Role> = Some(R::ROLE);
        }
    };
}

guarded!();
guarded!(A);
guarded!(A, B);
guarded!(A, B, C);
guarded!(A, B, C, D);
guarded!(A, B, C, D, T);
guarded!(A, B, C, D, T, U);

impl<F: Fn() -> Fut, Fut> Guard<()> for F {
    const ROLE: Option<Role> = None;
}

impl<F: Fn(State<AppState>) -> Fut, Fut> Guard<(State<AppState>,)> for F {
    const ROLE: Option<Role> = None;
}

/// The role `handler` needs.
const fn role_of<Args, H: Guard<Args>>(_handler: &H) -> Option<Role> {
    H::ROLE
}

use ErrorKind as E;

const READ: &[ErrorKind] = &[E::BadRequest, E::NotFound];
const WRITE: &[ErrorKind] = &[
    E::BadRequest,
    E::NotFound,
    E::MalformedBody,
    E::UnsupportedMediaType,
    E::PayloadTooLarge,
    E::PreconditionRequired,
    E::PreconditionFailed,
    E::ValidationFailed,
];
const CREATE: &[ErrorKind] = &[
    E::BadRequest,
    E::MalformedBody,
    E::UnsupportedMediaType,
    E::PayloadTooLarge,
    E::Conflict,
    E::ValidationFailed,
];
const RATED: &[ErrorKind] = &[E::BadRequest, E::NotFound, E::ValidationFailed];

/// Declares every route once, as `METHOD "path" => handler, errors;`, and makes from
/// that one list [`ROUTES`], [`add_routes`] and [`RoutePaths`] (the OpenAPI paths).
macro_rules! routes {
    ($($method:ident $path:literal => $handler:path, $errors:expr;)*) => {
        /// Every route the API serves. [`router`](crate::router) serves exactly
        /// these, and the OpenAPI document lists exactly these.
        pub const ROUTES: &[RouteInfo] = &[$(RouteInfo {
            method: Method::$method,
            path: $path,
            role: role_of(&$handler),
            errors: $errors,
        },)*];

        /// Adds every route of [`ROUTES`] to `router`.
        pub(crate) fn add_routes(router: Router<AppState>) -> Router<AppState> {
            router$(.route($path, on(MethodFilter::$method, $handler)))*
        }

        /// The OpenAPI paths of every route, from the handlers' `utoipa::path`.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),*))]
        pub(crate) struct RoutePaths;
    };
}

routes! {
    GET "/healthz" => system::healthz, &[];
    GET "/v1/openapi.json" => system::openapi_json, &[];
    GET "/v1/plans" => plans::list, &[E::BadRequest];
    POST "/v1/plans" => plans::create_plan, CREATE;
    POST "/v1/plans/import" => plans::import, CREATE;
    GET "/v1/plans/{id}" => plans::get_plan, READ;
    DELETE "/v1/plans/{id}" => plans::delete_plan, &[E::NotFound, E::PreconditionRequired, E::PreconditionFailed];
    POST "/v1/plans/{id}/reimport" => plans::reimport, WRITE;
    GET "/v1/plans/{id}/assessment" => plans::assessment, RATED;
    GET "/v1/plans/{id}/lints" => plans::lints, READ;
    GET "/v1/plans/{id}/report" => plans::report, RATED;
    GET "/v1/plans/{id}/history" => plans::history, READ;
    GET "/v1/plans/{id}/actions/{key}" => actions::get_action, READ;
    POST "/v1/plans/{id}/actions/{key}/updates" => actions::post_update, WRITE;
    PUT "/v1/plans/{id}/actions/{key}/override" => actions::put_override, WRITE;
    POST "/v1/plans/{id}/nodes" => nodes::post_node, WRITE;
    PATCH "/v1/plans/{id}/nodes/{key}" => nodes::patch_node, WRITE;
    DELETE "/v1/plans/{id}/nodes/{key}" => nodes::delete_node, WRITE;
    GET "/v1/plans/{id}/nodes/{key}/log" => nodes::node_log, READ;
    POST "/v1/plans/{id}/measures/{key}/readings" => nodes::post_reading, WRITE;
    PUT "/v1/plans/{id}/nodes/{key}/override" => overrides::put_node_override, WRITE;
    DELETE "/v1/plans/{id}/nodes/{key}/override" => overrides::delete_node_override, WRITE;
    PUT "/v1/plans/{id}/override" => overrides::put_plan_override, WRITE;
    DELETE "/v1/plans/{id}/override" => overrides::delete_plan_override, WRITE;
    GET "/v1/owners/{name}/actions" => owners::owner_actions, READ;
    GET "/v1/portfolio" => portfolio::portfolio, &[E::BadRequest];
    GET "/v1/tokens" => tokens::list_tokens, &[];
    POST "/v1/tokens" => tokens::create_token, &[E::MalformedBody, E::UnsupportedMediaType, E::PayloadTooLarge, E::ValidationFailed];
    DELETE "/v1/tokens/{token_id}" => tokens::revoke, &[E::BadRequest, E::NotFound];
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

/// An audit record made now by `who` through `route`.
pub(crate) fn audit(
    state: &AppState,
    who: &str,
    route: &Route,
    summary: String,
    before: Option<String>,
    after: Option<String>,
) -> AuditRecord {
    AuditRecord {
        at: state.clock.now(),
        who: who.to_owned(),
        route: route.to_string(),
        summary,
        before,
        after,
    }
}

/// A change to a stored plan as a request has it: who, through which route, to which
/// plan, with which `If-Match`, what it records in the audit log, and the fields of
/// its body that did not read.
pub(crate) struct PlanWrite {
    pub who: String,
    pub route: Route,
    pub id: PlanId,
    pub headers: HeaderMap,
    pub summary: String,
    pub unread: Vec<FieldProblem>,
}

impl PlanWrite {
    /// Applies `apply` to a copy of the stored plan at the version `If-Match` names,
    /// then stores the whole plan with its audit entry (`part` of the plan before and
    /// after) in one transaction. Refused, with every problem, when a field did not
    /// read or the plan refuses the change.
    pub(crate) async fn store(
        self,
        state: &AppState,
        change: ChangeKind,
        part: impl Fn(&mut Plan) -> Result<Option<String>, ApiError>,
        apply: impl FnOnce(&mut Plan) -> Result<(), ApplyError>,
    ) -> Result<StoredPlan, ApiError> {
        Ok(self.write(state, change, part, apply, None).await?.0)
    }

    /// [`PlanWrite::store`] for a change the store keeps as itself
    /// ([`Store::record_change`](crate::store::Store::record_change)), at a cost that
    /// does not grow with the plan; with `part` of the plan after the change.
    pub(crate) async fn record(
        self,
        state: &AppState,
        kind: ChangeKind,
        part: impl Fn(&mut Plan) -> Result<Option<String>, ApiError>,
        change: PlanChange,
    ) -> Result<(StoredPlan, Option<String>), ApiError> {
        let apply = |plan: &mut Plan| change.apply_to(plan);
        self.write(state, kind, part, apply, Some(change.clone())).await
    }

    async fn write(
        self,
        state: &AppState,
        change: ChangeKind,
        part: impl Fn(&mut Plan) -> Result<Option<String>, ApiError>,
        apply: impl FnOnce(&mut Plan) -> Result<(), ApplyError>,
        recorded: Option<PlanChange>,
    ) -> Result<(StoredPlan, Option<String>), ApiError> {
        let stored = load_plan(state, &self.id).await?;
        let expected = check_if_match(&self.headers, stored.version)?;
        let mut plan = Plan::clone(&stored.plan);
        let before = part(&mut plan)?;
        let applied = apply(&mut plan);
        if applied.is_err() || !self.unread.is_empty() {
            return Err(refused(change, applied, self.unread));
        }
        let after = part(&mut plan)?;
        // The part after the change is sent back only for a recorded change.
        let kept = recorded.as_ref().and(after.clone());
        let record = audit(state, &self.who, &self.route, self.summary, before, after);
        let store = state.store.clone();
        let stored = blocking(move || match recorded {
            Some(change) => store.record_change(plan, &change, expected, record),
            None => store.replace_plan(plan, expected, record),
        })
        .await?;
        Ok((stored, kept))
    }
}

/// Compact JSON of a value, for the audit log.
pub(crate) fn compact<T: Serialize>(value: &T) -> Result<String, ApiError> {
    Ok(serde_json::to_string(value)?)
}

/// A JSON response.
pub(crate) fn json_response<T: Serialize>(
    status: StatusCode,
    value: &T,
) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value)?;
    Ok(bytes_response(status, "application/json", body.into()))
}

/// A JSON response of `cached`, compressed when `headers` accept gzip.
pub(crate) fn assessment_response(headers: &HeaderMap, cached: CachedAssessment) -> Response {
    let gzip = crate::http::accepts_gzip(headers) && !cached.gzip.is_empty();
    let body = if gzip { cached.gzip } else { cached.body };
    let mut response = bytes_response(StatusCode::OK, "application/json", body.into());
    let out = response.headers_mut();
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

/// A response with no body.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
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
/// the default): from the cache when this version was assessed so before, else
/// worked out as heavy work, off the async threads and under the deadline.
pub(crate) async fn assessed(
    state: &AppState,
    stored: &StoredPlan,
    as_of: NaiveDate,
    policy: &Policy,
    policy_text: &str,
) -> Result<CachedAssessment, ApiError> {
    let key = (stored.plan.id.to_string(), stored.version, as_of, policy_text.to_owned());
    if let Some(hit) = state.assessments.get(&key) {
        return Ok(hit);
    }
    let (plan, policy) = (stored.plan.clone(), policy.clone());
    let cached = heavy(state, move || {
        let assessment = AssessmentDocument::from(&ragplan_core::rate(&plan, &policy, as_of));
        let body = serde_json::to_vec(&assessment)?;
        CachedAssessment::new(body)
            .map_err(|e| ApiError::Internal(format!("the assessment cannot be compressed: {e}")))
    })
    .await?;
    state.assessments.put(key, cached.clone());
    Ok(cached)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_come_from_the_handlers_callers() {
        let role = |path: &str, method: Method| {
            ROUTES.iter().find(|r| r.path == path && r.method == method).and_then(|r| r.role)
        };
        assert_eq!(role("/healthz", Method::GET), None);
        assert_eq!(role("/v1/openapi.json", Method::GET), None);
        assert_eq!(role("/v1/plans", Method::GET), Some(Role::Reader));
        assert_eq!(role("/v1/plans/{id}/actions/{key}/updates", Method::POST), Some(Role::Editor));
        assert_eq!(role("/v1/plans/{id}", Method::DELETE), Some(Role::Admin));
    }
}

//! Plans: list, create, import, read, delete, re-import, and what is computed from a
//! plan (assessment, lints, report) and its audit log.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::NaiveDate;
use ragplan_core::{Dimension, Plan, Policy, Snapshot, check_previous, rate, validate};
use ragplan_import::Imported;
use ragplan_report::{Format, Report, ReportOptions, render};

use crate::auth::{Admin, Caller, Editor, Reader, Role};
use crate::dto::{
    AssessQuery, AssessmentDocument, FileBytes, HistoryEntry, HistoryPage, ImportQuery,
    ImportResponse, LintsResponse, Paging, PlanDocument, PlanList, PlanSummary, ReimportQuery,
    ReimportResponse, ReportQuery,
};
use crate::error::ApiError;
use crate::extract::{JsonText, PlanPath, QueryParams, RawBody, Route, check_if_match, malformed};
use crate::routes::{
    ROUTES, as_of, assessed, assessment_response, audit, bytes_response, json_response, load_plan,
    no_content, parse_date, policy, with_etag,
};
use crate::server::heavy;
use crate::store::StoredPlan;
use crate::{AppState, blocking};

/// A plan's line in the list: its two ratings as of `today`.
fn summary(stored: &StoredPlan, today: NaiveDate) -> PlanSummary {
    // Only the plan's two ratings are needed: no reasons, no lints, no cache.
    let policy = Policy::default();
    let ratings = rate(&stored.plan, &policy, today);
    PlanSummary {
        id: stored.plan.id.to_string(),
        title: stored.plan.title.clone(),
        version: stored.version,
        n_actions: stored.plan.n_actions(),
        delivery_rating: ratings.whole().rating(Dimension::Delivery).as_str().to_owned(),
        outcome_rating: ratings.whole().rating(Dimension::Outcome).as_str().to_owned(),
        created_at: stored.created_at.clone(),
        updated_at: stored.updated_at.clone(),
    }
}

/// The plans, a page at a time, with their headline ratings as of today.
#[utoipa::path(get, path = "/v1/plans", tag = "plans", params(Paging),
    responses((status = 200, description = "A page of plans", body = PlanList)))]
pub(crate) async fn list(
    _: Caller<Reader>,
    State(state): State<AppState>,
    QueryParams(paging): QueryParams<Paging>,
) -> Result<Response, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let store = state.store.clone();
    let page = blocking(move || store.plans(limit, offset)).await?;
    let today = state.clock.today();
    let items = page.items.iter().map(|stored| summary(stored, today)).collect();
    json_response(StatusCode::OK, &PlanList { items, total: page.total, limit, offset })
}

/// A 201 for a new plan: its `Location` and its version as the `ETag`.
fn created(mut response: Response, stored: &StoredPlan) -> Response {
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/plans/{}", stored.plan.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    with_etag(response, stored.version)
}

/// Refuses a plan id that names a route of the API rather than a plan (a fixed
/// segment of [`ROUTES`] right under `/v1/plans/`, such as `import`): a plan stored
/// under it could not be read back at `/v1/plans/{id}`.
fn check_storable(plan: &Plan, how: &str) -> Result<(), ApiError> {
    let id = plan.id.as_str();
    let taken = ROUTES.iter().any(|r| {
        r.path.strip_prefix("/v1/plans/").and_then(|rest| rest.split('/').next()) == Some(id)
    });
    if taken {
        return Err(ApiError::invalid(
            "id",
            format!("the plan id {id:?} names an API route and cannot be used; {how}"),
        ));
    }
    Ok(())
}

/// A new plan as the request makes it: who, through which route, and what the audit
/// log says of it.
struct NewPlan<'a> {
    who: &'a str,
    route: &'a Route,
    summary: String,
    /// How to choose another id when the plan's names a route.
    how: &'a str,
}

impl NewPlan<'_> {
    /// Stores `plan` at version 1 with its audit entry. Its document is written off
    /// the threads that answer requests: a plan of thousands of actions takes a while.
    async fn store(self, state: &AppState, plan: Plan) -> Result<StoredPlan, ApiError> {
        check_storable(&plan, self.how)?;
        let (plan, after) = blocking(move || {
            let after = plan.to_json();
            Ok::<_, ApiError>((plan, after))
        })
        .await?;
        let record = audit(state, self.who, self.route, self.summary, None, Some(after));
        let store = state.store.clone();
        blocking(move || store.create_plan(plan, record)).await
    }
}

/// Stores a new plan from its `ragplan/2` document (a `ragplan/1` one still reads).
#[utoipa::path(post, path = "/v1/plans", tag = "plans",
    request_body(content = PlanDocument, description = "A `ragplan/2` plan document (a `ragplan/1` one still reads)", content_type = "application/json"),
    responses((status = 201, description = "The plan as stored, with its ETag and Location", body = PlanDocument)))]
pub(crate) async fn create_plan(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    JsonText(text): JsonText,
) -> Result<Response, ApiError> {
    // Reading a large document takes a while: not on the threads that answer requests.
    let plan = blocking(move || Plan::from_json(&text).map_err(malformed)).await?;
    let summary = format!("created plan {} ({} actions)", plan.id, plan.n_actions());
    let how = "give the plan another id";
    let stored =
        NewPlan { who: &caller.name, route: &route, summary, how }.store(&state, plan).await?;
    let body = stored.document().to_string();
    Ok(created(bytes_response(StatusCode::CREATED, "application/json", body.into()), &stored))
}

/// Imports a plan from a delivery-plan table or recommendation list (TSV, CSV, XLSX,
/// Word, Markdown, text or ragplan JSON) and stores it.
#[utoipa::path(post, path = "/v1/plans/import", tag = "plans", params(ImportQuery),
    request_body(description = "The source file's bytes, whatever its media type: the format is \
        read from the bytes, or named by `format`", content(
        (String = "text/tab-separated-values"), (String = "text/csv"), (String = "text/markdown"),
        (String = "text/plain"), (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (FileBytes = "application/octet-stream"), (PlanDocument = "application/json"))),
    responses((status = 201, description = "The imported plan and the importer's diagnostics", body = ImportResponse)))]
pub(crate) async fn import(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    QueryParams(query): QueryParams<ImportQuery>,
    RawBody(bytes): RawBody,
) -> Result<Response, ApiError> {
    let options = query.options().with_limits(state.import_limits);
    // Reading the source and writing its diagnostics and, below, the response are
    // heavy for a large source: none of it runs on the threads that answer requests.
    let (imported, diagnostics) = heavy(&state, move || {
        let imported = ragplan_import::import(&bytes, &options)?;
        let diagnostics = serde_json::to_value(&imported.diagnostics)?;
        Ok::<_, ApiError>((imported, diagnostics))
    })
    .await?;
    let summary = import_summary(&imported);
    let how = "choose another with the `id` query parameter";
    let new_plan = NewPlan { who: &caller.name, route: &route, summary, how };
    let stored = new_plan.store(&state, imported.plan).await?;
    let (id, version, plan) = (stored.plan.id.to_string(), stored.version, stored.plan.clone());
    let response = blocking(move || {
        let body = ImportResponse { id, version, plan: serde_json::to_value(&*plan)?, diagnostics };
        json_response(StatusCode::CREATED, &body)
    })
    .await?;
    Ok(created(response, &stored))
}

/// What the audit log says of an import.
fn import_summary(imported: &Imported) -> String {
    let (plan, n_diagnostics) = (&imported.plan, imported.diagnostics.len());
    format!("imported plan {} ({} actions, {n_diagnostics} diagnostics)", plan.id, plan.n_actions())
}

/// The plan's `ragplan/2` document, with its version as the `ETag`.
#[utoipa::path(get, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan document", body = PlanDocument,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn get_plan(
    _: Caller<Reader>,
    State(state): State<AppState>,
    PlanPath(id): PlanPath,
) -> Result<Response, ApiError> {
    let stored = load_plan(&state, &id).await?;
    let body = stored.document().to_string();
    Ok(with_etag(bytes_response(StatusCode::OK, "application/json", body.into()), stored.version))
}

/// Deletes the plan. Its audit log is kept.
#[utoipa::path(delete, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    responses((status = 204, description = "Deleted")))]
pub(crate) async fn delete_plan(
    caller: Caller<Admin>,
    State(state): State<AppState>,
    route: Route,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let stored = load_plan(&state, &id).await?;
    let expected = check_if_match(&headers, stored.version)?;
    let before = Some(stored.document().to_string());
    let record = audit(&state, &caller.name, &route, format!("deleted plan {id}"), before, None);
    let store = state.store.clone();
    blocking(move || store.delete_plan(&id, expected, record)).await?;
    Ok(no_content())
}

/// Merges a newer version of the plan's source into the stored plan, keeping every
/// update, override and the history; returns what changed.
#[utoipa::path(post, path = "/v1/plans/{id}/reimport", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag"), ReimportQuery),
    request_body(description = "The newer source file's bytes, whatever its media type: the \
        format is read from the bytes, or named by `format`", content(
        (String = "text/tab-separated-values"), (String = "text/csv"), (String = "text/markdown"),
        (String = "text/plain"), (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (FileBytes = "application/octet-stream"), (PlanDocument = "application/json"))),
    responses((status = 200, description = "The changes and the new version", body = ReimportResponse)))]
pub(crate) async fn reimport(
    caller: Caller<Editor>,
    State(state): State<AppState>,
    route: Route,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
    QueryParams(query): QueryParams<ReimportQuery>,
    RawBody(bytes): RawBody,
) -> Result<Response, ApiError> {
    if query.prune {
        caller.require(Role::Admin)?;
    }
    let stored = load_plan(&state, &id).await?;
    let expected = check_if_match(&headers, stored.version)?;
    let options = query.options(&stored.plan).with_limits(state.import_limits);
    let (merge, plan) = (query.merge(), stored.plan.clone());
    // The merge and every document it writes run off the threads that answer
    // requests.
    let (merged, after, changes, diagnostics) = heavy(&state, move || {
        let newer = ragplan_import::import(&bytes, &options)?;
        let merged = ragplan_import::reimport(&plan, &newer.plan, &merge);
        let after = merged.plan.to_json();
        let changes = serde_json::to_value(&merged.changes)?;
        // The importer's diagnostics, then the merge's (a logged update that stands
        // against the table: `update-kept`).
        let diagnostics: Vec<_> = newer.diagnostics.iter().chain(&merged.diagnostics).collect();
        let diagnostics = serde_json::to_value(&diagnostics)?;
        Ok::<_, ApiError>((merged, after, changes, diagnostics))
    })
    .await?;
    let summary = format!("re-imported plan {id} ({} changes)", merged.changes.len());
    let (before, after) = (Some(stored.document().to_string()), Some(after));
    let record = audit(&state, &caller.name, &route, summary, before, after);
    let store = state.store.clone();
    let saved = blocking(move || store.replace_plan(merged.plan, expected, record)).await?;
    let (id, version) = (id.to_string(), saved.version);
    let response = blocking(move || {
        json_response(StatusCode::OK, &ReimportResponse { id, version, changes, diagnostics })
    })
    .await?;
    Ok(with_etag(response, version))
}

/// The plan rated as of a date under a policy: the `ragplan-assessment/2` document.
#[utoipa::path(get, path = "/v1/plans/{id}/assessment", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), AssessQuery),
    responses((status = 200, description = "The `ragplan-assessment/2` document", body = AssessmentDocument,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn assessment(
    _: Caller<Reader>,
    State(state): State<AppState>,
    PlanPath(id): PlanPath,
    headers: HeaderMap,
    QueryParams(query): QueryParams<AssessQuery>,
) -> Result<Response, ApiError> {
    let date = as_of(&state, query.as_of.as_deref())?;
    let (policy, policy_text) = policy(query.policy.as_deref())?;
    let stored = load_plan(&state, &id).await?;
    let cached = assessed(&state, &stored, date, &policy, &policy_text).await?;
    Ok(with_etag(assessment_response(&headers, cached), stored.version))
}

/// What validation finds in the plan as of a date.
#[utoipa::path(get, path = "/v1/plans/{id}/lints", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("as_of" = Option<String>, Query, description = "YYYY-MM-DD; today when left out")),
    responses((status = 200, description = "The plan's lints", body = LintsResponse)))]
pub(crate) async fn lints(
    _: Caller<Reader>,
    State(state): State<AppState>,
    PlanPath(id): PlanPath,
    QueryParams(query): QueryParams<AssessQuery>,
) -> Result<Response, ApiError> {
    let date = as_of(&state, query.as_of.as_deref())?;
    let stored = load_plan(&state, &id).await?;
    let lints = serde_json::to_value(validate(&stored.plan))?;
    let body =
        LintsResponse { plan_id: id.to_string(), version: stored.version, as_of: date, lints };
    Ok(with_etag(json_response(StatusCode::OK, &body)?, stored.version))
}

/// A report as the query asks for it: its dates, policy and title, checked.
struct ReportAsked {
    format: Format,
    date: NaiveDate,
    previous: Option<NaiveDate>,
    policy: Policy,
    title: Option<String>,
}

impl ReportAsked {
    /// Reads the query: 400 for a date or policy that does not read, 422 for a
    /// previous date after the report's.
    fn read(state: &AppState, query: ReportQuery) -> Result<ReportAsked, ApiError> {
        let date = as_of(state, query.as_of.as_deref())?;
        let previous = query.previous.as_deref().map(|t| parse_date("previous", t)).transpose();
        let previous = previous.map_err(|p| ApiError::BadRequest(p.message))?;
        if let Some(previous) = previous {
            check_previous(previous, date)
                .map_err(|e| ApiError::invalid("previous", e.to_string()))?;
        }
        let (policy, _) = policy(query.policy.as_deref())?;
        let format = query.format.unwrap_or(Format::Html);
        Ok(ReportAsked { format, date, previous, policy, title: query.title })
    }

    /// The report of `plan`, rendered.
    fn render(self, plan: &Plan) -> Result<Vec<u8>, ApiError> {
        // The plan as it stood on the report's date, as `ragplan report` shows it.
        let then = plan.as_it_stood(self.date);
        let now = then.rate(&self.policy);
        let before = self.previous.map(|p| Snapshot::from(&plan.as_it_stood(p).rate(&self.policy)));
        let mut options = ReportOptions::default();
        options.title = self.title;
        options.action_rows = self.format.lists_actions();
        let report = Report::build(&now, before.as_ref(), &options);
        render(&report, self.format).map_err(|e| ApiError::Internal(format!("report: {e}")))
    }
}

/// The report's bytes as a response: an attachment unless it is HTML or JSON.
fn report_response(bytes: Vec<u8>, format: Format, stored: &StoredPlan) -> Response {
    let mut response = bytes_response(StatusCode::OK, format.media_type(), bytes.into());
    if !matches!(format, Format::Html | Format::Json) {
        let name = format!("attachment; filename=\"{}.{}\"", stored.plan.id, format.extension());
        if let Ok(value) = HeaderValue::from_str(&name) {
            response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
    }
    with_etag(response, stored.version)
}

/// The quarterly progress report, in Markdown, HTML, CSV, XLSX, DOCX or JSON.
#[utoipa::path(get, path = "/v1/plans/{id}/report", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), ReportQuery),
    responses((status = 200, description = "The report", content(
        (String = "text/markdown"), (String = "text/html"), (String = "text/csv"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (FileBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Object = "application/json")))))]
pub(crate) async fn report(
    _: Caller<Reader>,
    State(state): State<AppState>,
    PlanPath(id): PlanPath,
    QueryParams(query): QueryParams<ReportQuery>,
) -> Result<Response, ApiError> {
    let asked = ReportAsked::read(&state, query)?;
    let format = asked.format;
    let stored = load_plan(&state, &id).await?;
    let plan = stored.plan.clone();
    let bytes = heavy(&state, move || asked.render(&plan)).await?;
    Ok(report_response(bytes, format, &stored))
}

/// The plan's audit log, oldest first: who changed what, when, through which route,
/// with what changed as it was and as it became. The log outlives a deleted plan.
#[utoipa::path(get, path = "/v1/plans/{id}/history", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), Paging),
    responses((status = 200, description = "A page of the audit log", body = HistoryPage)))]
pub(crate) async fn history(
    _: Caller<Reader>,
    State(state): State<AppState>,
    PlanPath(id): PlanPath,
    QueryParams(paging): QueryParams<Paging>,
) -> Result<Response, ApiError> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let (store, lookup) = (state.store.clone(), id.clone());
    let page = blocking(move || store.history(&lookup, limit, offset)).await?;
    if page.total == 0 {
        return Err(ApiError::NotFound(format!("no plan has the id {id}")));
    }
    let items = page.items.into_iter().map(HistoryEntry::from).collect();
    let body = HistoryPage { plan_id: id.to_string(), items, total: page.total, limit, offset };
    json_response(StatusCode::OK, &body)
}

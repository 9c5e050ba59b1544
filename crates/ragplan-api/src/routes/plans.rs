//! Plans: list, create, import, read, delete, re-import, and what is computed from a
//! plan (assessment, lints, report) and its audit log.

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ragplan_core::{Dimension, Plan, PlanId, Policy, Scale, rate, validate};
use ragplan_import::{ImportOptions, ReimportOptions, SourceFormat};
use ragplan_report::{Format, Report, ReportOptions, as_it_stood, render};

use crate::dto::{
    AssessQuery, HistoryEntry, HistoryPage, ImportQuery, ImportResponse, LintsResponse, Paging,
    PlanList, PlanSummary, ReimportQuery, ReimportResponse, ReportQuery,
};
use crate::error::{ApiError, FieldProblem};
use crate::extract::{Params, QueryParams, RawBody, check_if_match, json_text, malformed};
use crate::routes::{
    as_of, assessed, audit, bytes_response, json_response, load_plan, parse_date, plan_id, policy,
    with_etag,
};
use crate::{AppState, Caller, ROUTES, Role, blocking};

/// The plans, a page at a time, with their headline ratings as of today.
#[utoipa::path(get, path = "/v1/plans", tag = "plans", params(Paging),
    responses((status = 200, description = "A page of plans", body = PlanList)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(paging): QueryParams<Paging>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let (limit, offset) = (paging.limit(), paging.offset());
    let store = state.store.clone();
    let page = blocking(move || store.plans(limit, offset)).await?;
    let today = state.clock.today();
    let policy = Policy::default();
    let items = page
        .items
        .iter()
        .map(|stored| {
            // Only the plan's two ratings are needed: no reasons, no lints, no cache.
            let ratings = rate(&stored.plan, &policy, today);
            PlanSummary {
                id: stored.plan.id.to_string(),
                title: stored.plan.title.clone(),
                version: stored.version,
                n_actions: stored.plan.n_actions(),
                delivery_rating: ratings.rating(Dimension::Delivery).as_str().to_owned(),
                outcome_rating: ratings.rating(Dimension::Outcome).as_str().to_owned(),
                created_at: stored.created_at.clone(),
                updated_at: stored.updated_at.clone(),
            }
        })
        .collect();
    Ok(json_response(StatusCode::OK, &PlanList { items, total: page.total, limit, offset }))
}

fn created(document: &str, id: &PlanId, version: u64) -> Response {
    let mut response =
        bytes_response(StatusCode::CREATED, "application/json", document.to_owned().into());
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/plans/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    with_etag(response, version)
}

/// Refuses a plan id that names a route of the API rather than a plan (a fixed
/// segment of [`ROUTES`] right under `/v1/plans/`, such as `import`): a plan stored
/// under it could not be read back at `/v1/plans/{id}`.
fn check_storable(plan: &Plan, at: &str, how: &str) -> Result<(), ApiError> {
    let id = plan.id.as_str();
    let taken = ROUTES.iter().any(|r| {
        r.path.strip_prefix("/v1/plans/").and_then(|rest| rest.split('/').next()) == Some(id)
    });
    if taken {
        return Err(ApiError::invalid(
            at,
            format!("the plan id {id:?} names an API route and cannot be used; {how}"),
        ));
    }
    Ok(())
}

/// Stores a new plan from its `ragplan/1` document.
#[utoipa::path(post, path = "/v1/plans", tag = "plans",
    request_body(content = Object, description = "A `ragplan/1` plan document", content_type = "application/json"),
    responses((status = 201, description = "The plan as stored, with its ETag and Location", body = Object)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Response, ApiError> {
    caller.require(Role::Editor)?;
    let text = json_text(request, &state).await?;
    let plan = Plan::from_json(&text).map_err(malformed)?;
    check_storable(&plan, "id", "give the plan another id")?;
    let summary = format!("created plan {} ({} actions)", plan.id, plan.n_actions());
    let record = audit(&state, &caller, "POST /v1/plans", summary, None, Some(plan.to_json()));
    let store = state.store.clone();
    let stored = blocking(move || store.create_plan(plan, record)).await?;
    Ok(created(&stored.document, &stored.plan.id, stored.version))
}

fn source_format(text: Option<&str>) -> Result<SourceFormat, ApiError> {
    text.map(str::parse::<SourceFormat>)
        .transpose()
        .map_err(|e| ApiError::BadRequest(e.to_string()))
        .map(Option::unwrap_or_default)
}

fn import_failed(err: ragplan_import::ImportError) -> ApiError {
    let at = match &err {
        ragplan_import::ImportError::Parse { row, column, .. } => {
            format!("row {row}, column {column}")
        }
        ragplan_import::ImportError::Json(doc) => doc.path.clone(),
        _ => String::new(),
    };
    let message = err.to_string();
    ApiError::Validation {
        detail: format!("the source cannot be imported: {message}"),
        errors: vec![FieldProblem::new(at, message)],
    }
}

/// Imports a plan from a delivery-plan table or recommendation list (TSV, CSV, XLSX,
/// Markdown, text or ragplan JSON) and stores it.
#[utoipa::path(post, path = "/v1/plans/import", tag = "plans", params(ImportQuery),
    request_body(description = "The source file's bytes", content(
        (String = "text/tab-separated-values"), (String = "text/csv"), (String = "text/markdown"),
        (String = "text/plain"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Object = "application/json"))),
    responses((status = 201, description = "The imported plan and the importer's diagnostics", body = ImportResponse)))]
pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ImportQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    caller.require(Role::Editor)?;
    let mut options = ImportOptions {
        format: source_format(query.format.as_deref())?,
        file_name: query.file_name,
        sheet: query.sheet,
        title: query.title,
        ..ImportOptions::default()
    };
    if let Some(id) = &query.id {
        options.id = Some(PlanId::new(id).map_err(|e| ApiError::BadRequest(format!("id: {e}")))?);
    }
    if let Some(scale) = &query.scale {
        options.scale =
            Some(scale.parse::<Scale>().map_err(|e| ApiError::BadRequest(format!("scale: {e}")))?);
    }
    let RawBody(bytes) = <RawBody as FromRequest<AppState>>::from_request(request, &state).await?;
    let imported = ragplan_import::import(&bytes, &options).map_err(import_failed)?;
    let diagnostics = serde_json::to_value(&imported.diagnostics).unwrap_or_default();
    let plan = imported.plan;
    check_storable(&plan, "id", "choose another with the `id` query parameter")?;
    let summary = format!(
        "imported plan {} ({} actions, {} diagnostics)",
        plan.id,
        plan.n_actions(),
        imported.diagnostics.len()
    );
    let record =
        audit(&state, &caller, "POST /v1/plans/import", summary, None, Some(plan.to_json()));
    let store = state.store.clone();
    let stored = blocking(move || store.create_plan(plan, record)).await?;
    let body = ImportResponse {
        id: stored.plan.id.to_string(),
        version: stored.version,
        plan: serde_json::to_value(stored.plan.as_ref()).unwrap_or_default(),
        diagnostics,
    };
    let mut response = with_etag(json_response(StatusCode::CREATED, &body), stored.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/plans/{}", stored.plan.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The plan's `ragplan/1` document, with its version as the `ETag`.
#[utoipa::path(get, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan document", body = Object,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn get_plan(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let stored = load_plan(&state, &plan_id(&id)?).await?;
    let body = stored.document.to_string();
    Ok(with_etag(bytes_response(StatusCode::OK, "application/json", body.into()), stored.version))
}

/// Deletes the plan. Its audit log is kept.
#[utoipa::path(delete, path = "/v1/plans/{id}", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag")),
    responses((status = 204, description = "Deleted")))]
pub(crate) async fn delete_plan(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let id = plan_id(&id)?;
    let stored = load_plan(&state, &id).await?;
    let expected = check_if_match(&headers, stored.version)?;
    let summary = format!("deleted plan {id}");
    let before = Some(stored.document.to_string());
    let record = audit(&state, &caller, "DELETE /v1/plans/{id}", summary, before, None);
    let store = state.store.clone();
    blocking(move || store.delete_plan(&id, expected, record)).await?;
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

/// Merges a newer version of the plan's source into the stored plan, keeping every
/// update, override and the history; returns what changed.
#[utoipa::path(post, path = "/v1/plans/{id}/reimport", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The plan's current ETag"), ReimportQuery),
    request_body(description = "The newer source file's bytes", content(
        (String = "text/tab-separated-values"), (String = "text/csv"), (String = "text/markdown"),
        (String = "text/plain"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Object = "application/json"))),
    responses((status = 200, description = "The changes and the new version", body = ReimportResponse)))]
pub(crate) async fn reimport(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    QueryParams(query): QueryParams<ReimportQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    caller.require(Role::Editor)?;
    let id = plan_id(&id)?;
    let stored = load_plan(&state, &id).await?;
    let expected = check_if_match(request.headers(), stored.version)?;
    let options = ImportOptions {
        format: source_format(query.format.as_deref())?,
        file_name: query.file_name,
        sheet: query.sheet,
        id: Some(id.clone()),
        title: Some(stored.plan.title.clone()),
        scale: Some(stored.plan.scale),
        ..ImportOptions::default()
    };
    let RawBody(bytes) = <RawBody as FromRequest<AppState>>::from_request(request, &state).await?;
    let newer = ragplan_import::import(&bytes, &options).map_err(import_failed)?;
    let reimport_options =
        ReimportOptions { prune: query.prune.unwrap_or(false), ..ReimportOptions::default() };
    let merged = ragplan_import::reimport(&stored.plan, &newer.plan, &reimport_options);
    let changes = serde_json::to_value(&merged.changes).unwrap_or_default();
    let summary = format!("re-imported plan {id} ({} changes)", merged.changes.len());
    let record = audit(
        &state,
        &caller,
        "POST /v1/plans/{id}/reimport",
        summary,
        Some(stored.document.to_string()),
        Some(merged.plan.to_json()),
    );
    let store = state.store.clone();
    let plan = merged.plan;
    let saved = blocking(move || store.replace_plan(plan, expected, record)).await?;
    let body = ReimportResponse {
        id: id.to_string(),
        version: saved.version,
        changes,
        diagnostics: serde_json::to_value(&newer.diagnostics).unwrap_or_default(),
    };
    Ok(with_etag(json_response(StatusCode::OK, &body), saved.version))
}

/// The plan rated as of a date under a policy: the `ragplan-assessment/1` document.
#[utoipa::path(get, path = "/v1/plans/{id}/assessment", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), AssessQuery),
    responses((status = 200, description = "The `ragplan-assessment/1` document", body = Object,
        headers(("ETag" = String, description = "The plan's version")))))]
pub(crate) async fn assessment(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    QueryParams(query): QueryParams<AssessQuery>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let id = plan_id(&id)?;
    let date = as_of(&state, query.as_of.as_deref())?;
    let (policy, policy_text) = policy(query.policy.as_deref())?;
    let stored = load_plan(&state, &id).await?;
    let body = assessed(&state, &stored, date, &policy, &policy_text).body;
    Ok(with_etag(bytes_response(StatusCode::OK, "application/json", body.into()), stored.version))
}

/// What validation finds in the plan as of a date.
#[utoipa::path(get, path = "/v1/plans/{id}/lints", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"),
        ("as_of" = Option<String>, Query, description = "YYYY-MM-DD; today when left out")),
    responses((status = 200, description = "The plan's lints", body = LintsResponse)))]
pub(crate) async fn lints(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    QueryParams(query): QueryParams<AssessQuery>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let id = plan_id(&id)?;
    let date = as_of(&state, query.as_of.as_deref())?;
    let stored = load_plan(&state, &id).await?;
    let lints = serde_json::to_value(validate(&stored.plan)).unwrap_or_default();
    let body =
        LintsResponse { plan_id: id.to_string(), version: stored.version, as_of: date, lints };
    Ok(with_etag(json_response(StatusCode::OK, &body), stored.version))
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Json => "application/json",
    }
}

/// The quarterly progress report, in Markdown, HTML, CSV, XLSX or JSON.
#[utoipa::path(get, path = "/v1/plans/{id}/report", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), ReportQuery),
    responses((status = 200, description = "The report", content(
        (String = "text/markdown"), (String = "text/html"), (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Object = "application/json")))))]
pub(crate) async fn report(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    QueryParams(query): QueryParams<ReportQuery>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let id = plan_id(&id)?;
    let format = match query.format.as_deref() {
        Some(f) => f.parse::<Format>().map_err(|e| ApiError::BadRequest(format!("format: {e}")))?,
        None => Format::Html,
    };
    let date = as_of(&state, query.as_of.as_deref())?;
    let previous = query
        .previous
        .as_deref()
        .map(|t| parse_date("previous", t))
        .transpose()
        .map_err(|p| ApiError::BadRequest(p.message))?;
    if let Some(previous) = previous.filter(|p| *p > date) {
        return Err(ApiError::invalid(
            "previous",
            format!("the previous report date {previous} is after as_of {date}"),
        ));
    }
    let (policy, _) = policy(query.policy.as_deref())?;
    let stored = load_plan(&state, &id).await?;
    let plan = stored.plan.clone();
    let title = query.title;
    let bytes = blocking(move || {
        // The plan as it stood on the report's date, as `ragplan report` shows it.
        let (then, now) = as_it_stood(&plan, &policy, date);
        let before = previous.map(|p| as_it_stood(&plan, &policy, p).1);
        let options = ReportOptions { title, ..ReportOptions::default() };
        let report = Report::build(&then, &now, before.as_ref(), &options);
        render(&report, format).map_err(|e| ApiError::Internal(format!("report: {e}")))
    })
    .await?;
    let mut response = bytes_response(StatusCode::OK, content_type(format), bytes.into());
    if !matches!(format, Format::Html | Format::Json) {
        let disposition = format!("attachment; filename=\"{id}.{}\"", format.extension());
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(with_etag(response, stored.version))
}

/// The plan's audit log, oldest first: who changed what, when, through which route,
/// with what changed as it was and as it became. The log outlives a deleted plan.
#[utoipa::path(get, path = "/v1/plans/{id}/history", tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), Paging),
    responses((status = 200, description = "A page of the audit log", body = HistoryPage)))]
pub(crate) async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Params(id): Params<String>,
    QueryParams(paging): QueryParams<Paging>,
) -> Result<Response, ApiError> {
    caller.require(Role::Reader)?;
    let id = plan_id(&id)?;
    let (limit, offset) = (paging.limit(), paging.offset());
    let store = state.store.clone();
    let lookup = id.clone();
    let page = blocking(move || store.history(&lookup, limit, offset)).await?;
    if page.total == 0 {
        return Err(ApiError::NotFound(format!("no plan has the id {id}")));
    }
    let items = page
        .items
        .into_iter()
        .map(|e| HistoryEntry {
            seq: e.seq,
            version: e.version,
            at: e.at,
            who: e.who,
            route: e.route,
            summary: e.summary,
            before: e.before,
            after: e.after,
        })
        .collect();
    let body = HistoryPage { plan_id: id.to_string(), items, total: page.total, limit, offset };
    Ok(json_response(StatusCode::OK, &body))
}

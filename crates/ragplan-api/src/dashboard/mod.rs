//! The read-only dashboard: server-rendered HTML pages at `/` for people, beside the
//! JSON API for systems.
//!
//! - `/` — the plans, each with its delivery and outcome rating;
//! - `/portfolio` — every plan rated together (`tag` keeps those with the tag): the
//!   roll-up with its reasons, each plan's ratings, the worst actions across them;
//! - `/plans/{id}` — a plan: its headline, the tree of objectives, sub-objectives and
//!   actions (filtered by the GET parameters `rating`, `owner`, `partner` and `flag`
//!   of a plain form), the exceptions, the trend by quarter and the movement since
//!   the end of the last quarter;
//! - `/plans/{id}/actions/{key}` — an action, its ratings with their reasons, and its
//!   log;
//! - `/login` (GET the form, POST a token) and `/logout` (POST): the token is checked
//!   by the API's own authentication (a reader's only) and kept in an HttpOnly
//!   cookie ([`session`]); with `serve --public-dashboard` no token is needed;
//! - `/dashboard.css` — the one stylesheet (no script anywhere).
//!
//! Every page's `as_of` parameter (`YYYY-MM-DD`, today when left out) rates the plan
//! as it stood on that date, and links carry it on. The handlers are parse → call →
//! render: what a page shows is [`view`]'s, from `ragplan-report`'s [`Report`]
//! (headline, exceptions, movement, trend, objectives' rows, owners and partners)
//! and `ragplan-core`'s ratings; nothing here rates anything. These pages are not in
//! [`crate::ROUTES`] nor the OpenAPI document, which describe the JSON API.
//!
//! [`Report`]: ragplan_report::Report

mod filter;
mod render;
mod session;
mod view;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use ragplan_core::{Key, PlanId};
use serde::Deserialize;

use crate::routes::{load_plan, parse_date};
use crate::server::heavy;
use crate::store::StoredPlan;
use crate::{AppState, blocking};

pub(crate) use render::not_found_page;
use render::{PageError, page};
use session::Viewer;
use view::When;

/// The dashboard's routes, merged into the API's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(plan_list))
        .route("/portfolio", get(portfolio_page))
        .route("/plans/{id}", get(plan_page))
        .route("/plans/{id}/actions/{key}", get(action_page))
        .route("/login", get(session::sign_in_form).post(session::sign_in))
        .route("/logout", axum::routing::post(session::sign_out))
        .route("/dashboard.css", get(stylesheet))
}

/// The GET parameters of the dashboard's pages; an empty one is as if left out.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    /// The date to rate as of (`YYYY-MM-DD`).
    pub as_of: Option<String>,
    /// The plan list's page (from 1).
    pub page: Option<String>,
    /// The tree's filters: a delivery rating (`red`, `amber_green`, …).
    pub rating: Option<String>,
    /// An owner, accountable or responsible: whole words of the name.
    pub owner: Option<String>,
    /// A partner agency: whole words of its name.
    pub partner: Option<String>,
    /// A flag (`overdue`, `stale`, …).
    pub flag: Option<String>,
    /// Which of the actions sharing a key an action page shows (from 1, in plan
    /// order); the first when left out.
    pub n: Option<String>,
    /// The portfolio's plans: only those with this tag.
    pub tag: Option<String>,
}

/// A parameter as given: `None` when left out or empty.
pub(crate) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The query, or a 400 page when it does not read (a parameter given twice).
fn read_query(query: Result<Query<PageQuery>, QueryRejection>) -> Result<PageQuery, PageError> {
    query.map(|Query(q)| q).map_err(|_| {
        PageError::BadRequest("the address's parameters cannot be read; give each once".into())
    })
}

/// The page's date: `as_of` when given, else today.
fn when(state: &AppState, query: &PageQuery) -> Result<When, PageError> {
    match given(&query.as_of) {
        Some(text) => {
            let date = parse_date("as_of", text).map_err(|p| PageError::BadRequest(p.message))?;
            Ok(When { date, asked: true })
        }
        None => Ok(When { date: state.clock.today(), asked: false }),
    }
}

/// The plan a page names, or a 404 page (an id that cannot be one names no plan).
async fn find_plan(state: &AppState, id: &str) -> Result<StoredPlan, PageError> {
    let unknown = || PageError::NotFound(format!("There is no plan with the id “{id}”."));
    let id = PlanId::new(id).map_err(|_| unknown())?;
    load_plan(state, &id).await.map_err(|err| match err {
        crate::ApiError::NotFound(_) => unknown(),
        other => PageError::from(other),
    })
}

/// The plans, a page of 50 at a time, with their two ratings.
async fn plan_list(
    viewer: Viewer,
    State(state): State<AppState>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    const PER_PAGE: u32 = 50;
    let query = read_query(query)?;
    let when = when(&state, &query)?;
    let number = match given(&query.page) {
        None => 1,
        Some(text) => text.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            PageError::BadRequest(format!("“{text}” is not a page number; pages count from 1"))
        })?,
    };
    let offset = (number - 1).saturating_mul(u64::from(PER_PAGE));
    let store = state.store.clone();
    let plans = blocking(move || store.plans(PER_PAGE, offset)).await?;
    let list = heavy(&state, move || {
        Ok::<_, crate::ApiError>(view::plan_list(&plans, when, number, PER_PAGE))
    })
    .await?;
    page(StatusCode::OK, "plans.html", &viewer, minijinja::context! { list => render::data(&list) })
}

/// Every plan rated together (those with `tag` when given).
async fn portfolio_page(
    viewer: Viewer,
    State(state): State<AppState>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let query = read_query(query)?;
    let when = when(&state, &query)?;
    let tag = given(&query.tag).map(str::to_owned);
    let store = state.store.clone();
    let built = heavy(&state, move || {
        let plans = store.all_plans()?;
        Ok::<_, crate::ApiError>(view::portfolio_page(&plans, when, tag.as_deref()))
    })
    .await?;
    page(
        StatusCode::OK,
        "portfolio.html",
        &viewer,
        minijinja::context! { portfolio => render::data(&built) },
    )
}

/// A plan's page, its tree filtered by the query.
async fn plan_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let query = read_query(query)?;
    let when = when(&state, &query)?;
    let filter = filter::Filter::read(&query).map_err(PageError::BadRequest)?;
    let stored = find_plan(&state, &id).await?;
    let mut built =
        heavy(&state, move || Ok::<_, crate::ApiError>(view::plan_page(&stored, when, &filter)))
            .await?;
    // The chart is the report's own SVG, its text escaped by it: placed as it is.
    let chart = built.trend_chart.take().map(minijinja::Value::from_safe_string);
    page(
        StatusCode::OK,
        "plan.html",
        &viewer,
        minijinja::context! { plan => render::data(&built), trend_chart => chart },
    )
}

/// An action's page with its log.
async fn action_page(
    viewer: Viewer,
    State(state): State<AppState>,
    Path((id, key)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let query = read_query(query)?;
    let when = when(&state, &query)?;
    let stored = find_plan(&state, &id).await?;
    let no_action = || {
        PageError::NotFound(format!(
            "Plan “{}” has no action with the key “{key}”.",
            stored.plan.id
        ))
    };
    let key = Key::new(&key).map_err(|_| no_action())?;
    let nth = match given(&query.n) {
        None => 1,
        Some(text) => text.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            PageError::BadRequest(format!(
                "n is {text:?}: give 1 for the first action with the key, 2 for the second…"
            ))
        })?,
    };
    let action = view::action_page(&stored, when, &key, nth).ok_or_else(no_action)?;
    page(
        StatusCode::OK,
        "action.html",
        &viewer,
        minijinja::context! { action => render::data(&action) },
    )
}

/// The dashboard's stylesheet: the same for everyone, cached for an hour.
async fn stylesheet() -> Response {
    let mut response = (StatusCode::OK, render::stylesheet()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A date as a reader writes it: `30 June 2015`.
pub(crate) fn date_text(date: NaiveDate) -> String {
    ragplan_core::uk_date(date).to_string()
}

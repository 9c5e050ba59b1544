//! `GET /v1/portfolio`: every plan rated together.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ragplan_core::rate;
use ragplan_report::Portfolio;

use crate::AppState;
use crate::auth::{Caller, Reader};
use crate::dto::PortfolioQuery;
use crate::error::ApiError;
use crate::extract::QueryParams;

use crate::routes::{as_of, json_response, policy};
use crate::server::heavy;

/// Every plan rated together as of a date (`ragplan-portfolio/1`): each plan's
/// delivery and outcome ratings with counts, reasons and data gaps, the worst
/// actions across the plans with their reasons, and the plans rolled up under the
/// policy's plan rule. `tag` keeps the plans with that tag.
#[utoipa::path(get, path = "/v1/portfolio", tag = "plans", params(PortfolioQuery),
    responses((status = 200, description = "The plans rated together (ragplan-portfolio/1)",
        content_type = "application/json", body = Object)))]
pub(crate) async fn portfolio(
    _: Caller<Reader>,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let date = as_of(&state, query.as_of.as_deref())?;
    let (policy, _) = policy(query.policy.as_deref())?;
    let store = state.store.clone();
    let portfolio = heavy(&state, move || -> Result<Portfolio, ApiError> {
        let mut plans = store.all_plans()?;
        plans.retain(|p| p.plan.kept_by_tag(query.tag.as_deref()));
        let ratings: Vec<_> = plans.iter().map(|p| rate(&p.plan, &policy, date)).collect();
        Ok(Portfolio::build(&ratings, &policy, date))
    })
    .await?;
    json_response(StatusCode::OK, &portfolio)
}

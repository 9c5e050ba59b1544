//! Owners across plans: every action a named person, role or agency is accountable
//! or responsible for, in every stored plan.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use ragplan_core::{Action, Dimension, Policy, name_finds, rate};

use crate::auth::{Caller, Reader};
use crate::dto::{OwnerAction, OwnerActions};
use crate::error::ApiError;
use crate::extract::Params;
use crate::routes::json_response;
use crate::store::StoredPlan;
use crate::{AppState, blocking};

/// Every action in `plans` that `name` holds, with its rating as of `as_of`.
fn held_actions(plans: &[StoredPlan], name: &str, as_of: NaiveDate) -> Vec<OwnerAction> {
    let policy = Policy::default();
    let mut actions = Vec::new();
    for stored in plans {
        let plan = &stored.plan;
        let holds = |a: &Action| {
            if a.accountable.iter().any(|o| name_finds(&o.name, name)) {
                Some("accountable")
            } else if a.responsible.iter().any(|o| name_finds(&o.name, name)) {
                Some("responsible")
            } else {
                None
            }
        };
        if !plan.actions().any(|a| holds(a).is_some()) {
            continue;
        }
        // Only the actions' own ratings are needed: no reasons, no document.
        let ratings = rate(plan, &policy, as_of);
        for rated in ratings.actions() {
            let Some(action) = rated.action() else { continue };
            let Some(held_as) = holds(action) else { continue };
            actions.push(OwnerAction {
                plan_id: plan.id.to_string(),
                plan_title: plan.title.clone(),
                key: action.key.to_string(),
                title: action.title.clone(),
                held_as: held_as.to_owned(),
                status: action.status.map(|s| s.as_str().to_owned()),
                timescale: action.timescale.text.clone(),
                due: action.timescale.due,
                delivery_rating: rated.rating(Dimension::Delivery).as_str().to_owned(),
            });
        }
    }
    actions
}

/// Every action the owner holds, across plans, with its rating as of today.
#[utoipa::path(get, path = "/v1/owners/{name}/actions", tag = "owners",
    params(("name" = String, Path, description = "The owner's name, as written in the plans (case is ignored)")),
    responses((status = 200, description = "The owner's actions", body = OwnerActions)))]
pub(crate) async fn owner_actions(
    _: Caller<Reader>,
    State(state): State<AppState>,
    Params(name): Params<String>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let plans = blocking(move || store.all_plans()).await?;
    let as_of = state.clock.today();
    let actions = held_actions(&plans, &name, as_of);
    if actions.is_empty() {
        return Err(ApiError::NotFound(format!("no action in any plan is held by {name:?}")));
    }
    json_response(StatusCode::OK, &OwnerActions { owner: name, as_of, actions })
}

//! Tokens, for admins: list them (never their secrets), create one (its secret shown
//! once, in the answer), revoke one.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::dto::{CreateTokenRequest, CreatedToken, TokenList, TokenView};
use crate::error::{ApiError, FieldProblem};
use crate::extract::{Params, json_text, malformed};
use crate::routes::json_response;
use crate::store::TokenInfo;
use crate::{AppState, Caller, Role, blocking, create_token};

fn view(t: TokenInfo) -> TokenView {
    TokenView {
        id: t.id,
        name: t.name,
        role: t.role,
        created_at: t.created_at,
        revoked_at: t.revoked_at,
    }
}

/// Every token, revoked ones too, oldest first; never a secret.
#[utoipa::path(get, path = "/v1/tokens", tag = "tokens",
    responses((status = 200, description = "The tokens", body = TokenList)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let store = state.store.clone();
    let tokens = blocking(move || store.tokens()).await?;
    let items = tokens.into_iter().map(view).collect();
    Ok(json_response(StatusCode::OK, &TokenList { items }))
}

/// Creates a token. Its secret is in this answer only; the store keeps its hash.
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens",
    request_body(content = CreateTokenRequest, content_type = "application/json"),
    responses((status = 201, description = "The new token, with its secret (shown once)", body = CreatedToken)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let text = json_text(request, &state).await?;
    let body: CreateTokenRequest =
        ragplan_core::document::from_json_with_path(&text).map_err(malformed)?;
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::Validation {
            detail: "the token needs a name".into(),
            errors: vec![FieldProblem::new("name", "say who or what uses the token")],
        });
    }
    let (store, at) = (state.store.clone(), state.clock.now());
    let (info, token) =
        blocking(move || create_token(store.as_ref(), &name, body.role, at)).await?;
    let created = CreatedToken { token: view(info), secret: token.secret };
    Ok(json_response(StatusCode::CREATED, &created))
}

/// Revokes a token: from now on it is refused with 401.
#[utoipa::path(delete, path = "/v1/tokens/{token_id}", tag = "tokens",
    params(("token_id" = i64, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked")))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Params(token_id): Params<String>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let not_found = || ApiError::NotFound(format!("no active token has the id {token_id}"));
    let id: i64 = token_id.parse().map_err(|_| not_found())?;
    let (store, at) = (state.store.clone(), state.clock.now());
    if !blocking(move || store.revoke_token(id, at)).await? {
        return Err(not_found());
    }
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

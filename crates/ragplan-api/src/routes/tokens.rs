//! Tokens, for admins: list them (never their secrets), create one (its secret shown
//! once, in the answer), revoke one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::auth::{Admin, Caller};
use crate::dto::{CreateTokenRequest, CreatedToken, TokenList, TokenView};
use crate::error::{ApiError, FieldProblem};
use crate::extract::{Json, Params};
use crate::routes::{json_response, no_content};
use crate::{AppState, blocking};

/// Every token, revoked ones too, oldest first; never a secret.
#[utoipa::path(get, path = "/v1/tokens", tag = "tokens",
    responses((status = 200, description = "The tokens", body = TokenList)))]
pub(crate) async fn list_tokens(
    _: Caller<Admin>,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let tokens = blocking(move || store.tokens()).await?;
    let items = tokens.into_iter().map(TokenView::from).collect();
    json_response(StatusCode::OK, &TokenList { items })
}

/// Creates a token. Its secret is in this answer only; the store keeps its hash.
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens",
    request_body(content = CreateTokenRequest, content_type = "application/json"),
    responses((status = 201, description = "The new token, with its secret (shown once)", body = CreatedToken)))]
pub(crate) async fn create_token(
    _: Caller<Admin>,
    State(state): State<AppState>,
    Json(body): Json<CreateTokenRequest>,
) -> Result<Response, ApiError> {
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::Validation {
            detail: "the token needs a name".into(),
            errors: vec![FieldProblem::new("name", "say who or what uses the token")],
        });
    }
    let (store, at) = (state.store.clone(), state.clock.now());
    let (info, token) =
        blocking(move || crate::create_token(store.as_ref(), &name, body.role, at)).await?;
    json_response(StatusCode::CREATED, &CreatedToken { token: info.into(), secret: token.secret })
}

/// Revokes a token: from now on it is refused with 401.
#[utoipa::path(delete, path = "/v1/tokens/{token_id}", tag = "tokens",
    params(("token_id" = i64, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked")))]
pub(crate) async fn revoke(
    _: Caller<Admin>,
    State(state): State<AppState>,
    Params(token_id): Params<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(format!("no active token has the id {token_id}"));
    let id: i64 = token_id.parse().map_err(|_| not_found())?;
    let (store, at) = (state.store.clone(), state.clock.now());
    if !blocking(move || store.revoke_token(id, at)).await? {
        return Err(not_found());
    }
    Ok(no_content())
}

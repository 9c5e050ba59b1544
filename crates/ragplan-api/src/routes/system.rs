//! The public routes (`/healthz`, the OpenAPI document) and the answers for unknown
//! routes and methods.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;

use crate::dto::Health;
use crate::error::ApiError;
use crate::routes::{bytes_response, json_response};
use crate::{AppState, blocking};

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, description = "The server and its database answer", body = Health)))]
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    blocking(move || store.check()).await?;
    let health = Health {
        status: "ok".into(),
        database: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    json_response(StatusCode::OK, &health)
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "system",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub(crate) async fn openapi_json() -> Result<Response, ApiError> {
    let json = crate::openapi::json()?;
    Ok(bytes_response(StatusCode::OK, "application/json", json.into()))
}

/// No such route.
pub(crate) async fn no_route(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no route {}", uri.path()))
}

/// The route exists, but not with this method.
pub(crate) async fn no_method(uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{} does not take this method", uri.path()))
}

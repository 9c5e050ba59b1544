//! The public routes (`/healthz`, the OpenAPI document) and the answers for unknown
//! routes and methods.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

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

/// No such route: a problem, or for a browser asking outside `/v1/` the dashboard's
/// 404 page.
pub(crate) async fn no_route(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    let api = path == "/v1" || path.starts_with("/v1/") || path == "/healthz";
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if browser && !api {
        return crate::dashboard::not_found_page("There is no page at this address.");
    }
    ApiError::NotFound(format!("no route {path}")).into_response()
}

/// The route exists, but not with this method.
pub(crate) async fn no_method(uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{} does not take this method", uri.path()))
}

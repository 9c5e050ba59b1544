//! The API's own extractors, so that every malformed request gets a problem body
//! (never axum's plain-text rejection): JSON bodies with the JSON path of the
//! problem, raw bodies with the size limit, query and path parameters, and
//! `If-Match`.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, FieldProblem};

/// The body's bytes, whatever its type; over the limit is 413.
#[derive(Debug)]
pub(crate) struct RawBody(pub Bytes);

impl FromRequest<AppState> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<RawBody, ApiError> {
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(RawBody(bytes)),
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::PayloadTooLarge { limit: state.max_body })
            }
            Err(err) => Err(ApiError::MalformedBody {
                detail: format!("the request body cannot be read: {}", err.body_text()),
                errors: Vec::new(),
            }),
        }
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "application/json" || v.ends_with("+json")
        })
        .unwrap_or(false)
}

/// The raw text of a JSON body, checked only for its `Content-Type`.
pub(crate) async fn json_text(request: Request, state: &AppState) -> Result<String, ApiError> {
    if !is_json(request.headers()) {
        return Err(ApiError::UnsupportedMediaType(
            "send the body as JSON with Content-Type: application/json".into(),
        ));
    }
    let RawBody(bytes) = RawBody::from_request(request, state).await?;
    String::from_utf8(bytes.to_vec()).map_err(|e| ApiError::MalformedBody {
        detail: format!("the body is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        errors: Vec::new(),
    })
}

/// A body that does not read as `T`, with where.
pub(crate) fn malformed(err: ragplan_core::DocumentError) -> ApiError {
    let at = if err.path == "." { String::new() } else { err.path.clone() };
    ApiError::MalformedBody {
        detail: err.to_string(),
        errors: vec![FieldProblem::new(at, err.message.clone())],
    }
}

/// Query parameters; a bad one is 400 naming it.
#[derive(Debug)]
pub(crate) struct QueryParams<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| QueryParams(q))
            .map_err(|e| ApiError::BadRequest(format!("bad query: {}", e.body_text())))
    }
}

/// Path parameters; a bad one is 400.
#[derive(Debug)]
pub(crate) struct Params<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| Params(p))
            .map_err(|e| ApiError::BadRequest(format!("bad path: {}", e.body_text())))
    }
}

/// Checks `If-Match` against the plan's current version: 428 when missing, 412 when
/// it names another version (or none: `*` is not accepted, a write must say which
/// version it read).
pub(crate) fn check_if_match(headers: &HeaderMap, current: u64) -> Result<u64, ApiError> {
    let values: Vec<&str> =
        headers.get_all(header::IF_MATCH).iter().map(|v| v.to_str().unwrap_or("")).collect();
    if values.is_empty() {
        return Err(ApiError::PreconditionRequired { current });
    }
    let sent = values.join(", ");
    let matches = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|tag| tag.parse::<u64>().is_ok_and(|v| v == current));
    if matches { Ok(current) } else { Err(ApiError::PreconditionFailed { sent, current }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn if_match_cases() {
        let cases: &[(&[&str], Result<u64, u16>)] = &[
            (&[], Err(428)),
            (&["\"3\""], Ok(3)),
            (&["W/\"3\""], Ok(3)),
            (&["3"], Ok(3)),
            (&["\"1\", \"3\""], Ok(3)),
            (&["\"2\""], Err(412)),
            (&["*"], Err(412)),
            (&["garbage"], Err(412)),
        ];
        for (values, expected) in cases {
            let got = check_if_match(&headers(values), 3).map_err(|e| e.problem().status);
            assert_eq!(&got, expected, "{values:?}");
        }
    }
}

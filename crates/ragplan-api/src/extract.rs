//! The API's own extractors, so that every malformed request gets a problem body
//! (never axum's plain-text rejection): JSON bodies with the JSON path of the
//! problem, raw bodies with the size limit, query and path parameters, and
//! `If-Match`.

use std::fmt;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use ragplan_core::{Key, PlanId};
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

/// The raw text of a JSON body, checked only for its `Content-Type` (415) and for
/// being UTF-8.
#[derive(Debug)]
pub(crate) struct JsonText(pub String);

impl FromRequest<AppState> for JsonText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<JsonText, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON with Content-Type: application/json".into(),
            ));
        }
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        String::from_utf8(bytes.to_vec()).map(JsonText).map_err(|e| ApiError::MalformedBody {
            detail: format!("the body is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
            errors: Vec::new(),
        })
    }
}

/// A JSON body read as `T`; the first problem is 400 with its JSON path.
#[derive(Debug)]
pub(crate) struct Json<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Json<T>, ApiError> {
        let JsonText(text) = JsonText::from_request(request, state).await?;
        ragplan_core::document::from_json_with_path(&text).map(Json).map_err(malformed)
    }
}

/// A JSON object read as `T` field by field: a field whose value has the right JSON
/// type but does not read (a rating word that is not one, a date not written
/// `YYYY-MM-DD`, a number out of range) is left out of `T` and listed in `unread`, so
/// that the answer can name every such field together with what the plan refuses.
/// A body that is not of the documented shape (not JSON, an unknown field, a string
/// where a number belongs) is 400 at its first problem.
#[derive(Debug)]
pub(crate) struct Fields<T> {
    pub body: T,
    pub unread: Vec<FieldProblem>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Fields<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Fields<T>, ApiError> {
        let JsonText(text) = JsonText::from_request(request, state).await?;
        read_fields(&text)
    }
}

/// serde's words for a body that is not of the expected shape, as opposed to a value
/// that does not read.
const SHAPE_ERRORS: &[&str] =
    &["invalid type:", "unknown field", "missing field", "duplicate field", "invalid length"];

fn is_shape_error(message: &str) -> bool {
    SHAPE_ERRORS.iter().any(|prefix| message.starts_with(prefix))
}

fn read_fields<T: DeserializeOwned>(text: &str) -> Result<Fields<T>, ApiError> {
    let err = match ragplan_core::document::from_json_with_path::<T>(text) {
        Ok(body) => return Ok(Fields { body, unread: Vec::new() }),
        Err(err) if is_shape_error(&err.message) => return Err(malformed(err)),
        Err(err) => err,
    };
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| malformed(err.clone()))?;
    let mut unread = Vec::new();
    // Each turn takes out one field that does not read; a body has few fields.
    loop {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(body) => return Ok(Fields { body, unread }),
            Err(err) => err,
        };
        let at: String = err.path().to_string();
        let message: String = err.into_inner().to_string();
        let removed = !is_shape_error(&message)
            && value.as_object_mut().and_then(|fields| fields.remove(&at)).is_some();
        if removed {
            unread.push(FieldProblem::new(at, message));
        } else if message.starts_with("missing field") && !unread.is_empty() {
            // A required field that did not read: it is listed already.
            return Err(ApiError::Validation {
                detail: format!(
                    "the body was refused: {}",
                    ragplan_core::count(unread.len(), "problem")
                ),
                errors: unread,
            });
        } else {
            let at = if at == "." { String::new() } else { at };
            let detail =
                if at.is_empty() { message.clone() } else { format!("at {at}: {message}") };
            return Err(ApiError::MalformedBody {
                detail,
                errors: vec![FieldProblem::new(at, message)],
            });
        }
    }
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

/// A plan id from the path; one that cannot be an id is simply not found.
pub(crate) fn plan_id(text: &str) -> Result<PlanId, ApiError> {
    PlanId::new(text).map_err(|_| ApiError::NotFound(format!("no plan has the id {text:?}")))
}

/// The plan a path names (`/v1/plans/{id}/…`).
#[derive(Debug)]
pub(crate) struct PlanPath(pub PlanId);

impl FromRequestParts<AppState> for PlanPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Params(id) = Params::<String>::from_request_parts(parts, state).await?;
        plan_id(&id).map(PlanPath)
    }
}

/// `{id}` and `{key}` of a path, the key named as a `noun` (`action`, `node`) when it
/// cannot be one: such a key is simply not found.
async fn id_and_key(
    parts: &mut Parts,
    state: &AppState,
    noun: &str,
) -> Result<(PlanId, Key), ApiError> {
    let Params((id, key)) = Params::<(String, String)>::from_request_parts(parts, state).await?;
    let id = plan_id(&id)?;
    let key = Key::new(&key)
        .map_err(|_| ApiError::NotFound(format!("plan {id} has no {noun} with the key {key:?}")))?;
    Ok((id, key))
}

/// The action a path names (`/v1/plans/{id}/actions/{key}…`).
#[derive(Debug)]
pub(crate) struct ActionPath {
    pub id: PlanId,
    pub key: Key,
}

impl FromRequestParts<AppState> for ActionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (id, key) = id_and_key(parts, state, "action").await?;
        Ok(ActionPath { id, key })
    }
}

/// The node a path names (`/v1/plans/{id}/nodes/{key}…`): one of the plan's
/// objectives, sub-objectives or actions.
#[derive(Debug, Clone)]
pub(crate) struct NodePath {
    pub id: PlanId,
    pub key: Key,
}

impl FromRequestParts<AppState> for NodePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (id, key) = id_and_key(parts, state, "node").await?;
        Ok(NodePath { id, key })
    }
}

/// The route a request came through, such as `POST /v1/plans/{id}/reimport`: what
/// the audit log records.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    method: Method,
    path: String,
}

impl FromRequestParts<AppState> for Route {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Route, ApiError> {
        let path = match parts.extensions.get::<MatchedPath>() {
            Some(matched) => matched.as_str().to_owned(),
            None => parts.uri.path().to_owned(),
        };
        Ok(Route { method: parts.method.clone(), path })
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Checks `If-Match` against the plan's current version: 428 when missing, 412 when
/// it names another version (or none: `*` is not accepted, a write must say which
/// version it read). The comparison is strong (RFC 9110, 13.1.1): only a quoted
/// entity-tag matches, never a weak one (`W/"3"`) nor an unquoted number.
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
        .filter_map(|tag| tag.trim().strip_prefix('"')?.strip_suffix('"'))
        .any(|tag| tag == current.to_string());
    if matches { Ok(current) } else { Err(ApiError::PreconditionFailed { sent, current }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[serde(default)]
        n: Option<u8>,
        #[serde(default)]
        required: Option<bool>,
    }

    #[test]
    fn fields_that_do_not_read_are_listed_and_shape_errors_are_400() {
        let read = |text: &str| {
            read_fields::<Body>(text)
                .map(|f| (f.body.n.filter(|_| f.body.required != Some(false)), f.unread.len()))
                .map_err(|e| e.kind())
        };
        assert_eq!(read(r#"{"n": 3, "required": true}"#), Ok((Some(3), 0)));
        assert_eq!(read(r#"{"n": 300}"#), Ok((None, 1)));
        assert_eq!(read(r#"{"n": "three"}"#), Err(crate::ErrorKind::MalformedBody));
        assert_eq!(read(r#"{"n": 300, "other": 1}"#), Err(crate::ErrorKind::MalformedBody));
        assert_eq!(read(r#"{"n": 300, "required": "yes"}"#), Err(crate::ErrorKind::MalformedBody));
        assert_eq!(read("{"), Err(crate::ErrorKind::MalformedBody));
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    /// `If-Match: W/"13"` and an unquoted `14` were accepted as the versions they
    /// name; RFC 9110 asks a strong comparison of quoted entity-tags.
    #[test]
    fn a_weak_or_unquoted_if_match_was_accepted() {
        for sent in ["W/\"13\"", "13", "w/\"13\"", "\"13", "\"+13\"", "\"013\""] {
            let got = check_if_match(&headers(&[sent]), 13).map_err(|e| e.problem().status);
            assert_eq!(got, Err(412), "{sent}");
        }
        assert_eq!(check_if_match(&headers(&["\"13\""]), 13).ok(), Some(13));
    }

    #[test]
    fn if_match_cases() {
        let cases: &[(&[&str], Result<u64, u16>)] = &[
            (&[], Err(428)),
            (&["\"3\""], Ok(3)),
            // Strong comparison: a weak tag and an unquoted number never match.
            (&["W/\"3\""], Err(412)),
            (&["3"], Err(412)),
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

/// The measure a path names (`/v1/plans/{id}/measures/{key}…`).
#[derive(Debug, Clone)]
pub(crate) struct MeasurePath {
    pub id: PlanId,
    pub key: Key,
}

impl FromRequestParts<AppState> for MeasurePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (id, key) = id_and_key(parts, state, "measure").await?;
        Ok(MeasurePath { id, key })
    }
}

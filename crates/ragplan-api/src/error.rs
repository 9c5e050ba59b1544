//! Every error the API returns, and the one table that maps each to its HTTP status,
//! problem type and title (`application/problem+json`, RFC 9457).
//!
//! User errors say what was wrong and where (a JSON path, a key, a query parameter).
//! Internal errors are logged with their detail and answered with a bare 500 whose
//! body says nothing about the inside.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ragplan_core::ApplyError;
use ragplan_core::{ChangeKind, Field};
use ragplan_import::ImportError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::dto::{field_named, wire_name};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// What kind of error: one row of [`ERROR_TABLE`] each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// No `Authorization: Bearer` token, or one that is unknown or revoked.
    Unauthorized,
    /// A valid token whose role does not allow the route.
    Forbidden,
    /// No such plan, action, owner or route.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// A plan with that id already exists.
    Conflict,
    /// A write without `If-Match`.
    PreconditionRequired,
    /// A write whose `If-Match` is not the plan's current version.
    PreconditionFailed,
    /// A request body that is not JSON, or not the expected shape.
    MalformedBody,
    /// A query parameter, path parameter or header that cannot be read.
    BadRequest,
    /// A well-formed request the plan refuses (every problem is listed).
    ValidationFailed,
    /// A body larger than the server's limit.
    PayloadTooLarge,
    /// A body sent with the wrong `Content-Type`.
    UnsupportedMediaType,
    /// The work asked for took longer than the server allows, or the server is
    /// busy with as much heavy work as it takes at once.
    Unavailable,
    /// Something went wrong inside the server; the detail is in its log.
    Internal,
}

/// One row of the error table.
#[derive(Debug, Clone, Copy)]
pub struct ErrorRow {
    /// The error.
    pub kind: ErrorKind,
    /// The HTTP status.
    pub status: StatusCode,
    /// The problem `type` URI.
    pub type_uri: &'static str,
    /// The problem `title`: the same for every error of the kind.
    pub title: &'static str,
}

macro_rules! error_table {
    ($($kind:ident => $status:ident, $slug:literal, $title:literal;)*) => {
        /// The one table mapping each [`ErrorKind`] to its status, type and title.
        pub const ERROR_TABLE: &[ErrorRow] = &[
            $(ErrorRow {
                kind: ErrorKind::$kind,
                status: StatusCode::$status,
                type_uri: concat!("urn:ragplan:problem:", $slug),
                title: $title,
            },)*
        ];

        impl ErrorKind {
            /// This kind's row of [`ERROR_TABLE`].
            pub fn row(self) -> &'static ErrorRow {
                let mut i = 0;
                $(
                    if let ErrorKind::$kind = self {
                        return &ERROR_TABLE[i];
                    }
                    i += 1;
                )*
                let _ = i;
                &ERROR_TABLE[ERROR_TABLE.len() - 1]
            }
        }
    };
}

error_table! {
    Unauthorized => UNAUTHORIZED, "unauthorized", "A valid bearer token is needed";
    Forbidden => FORBIDDEN, "forbidden", "The token's role does not allow this";
    NotFound => NOT_FOUND, "not-found", "Not found";
    MethodNotAllowed => METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed";
    Conflict => CONFLICT, "conflict", "Already exists";
    PreconditionRequired => PRECONDITION_REQUIRED, "precondition-required", "If-Match is required";
    PreconditionFailed => PRECONDITION_FAILED, "precondition-failed", "The plan has changed since it was read";
    MalformedBody => BAD_REQUEST, "malformed-body", "The request body cannot be read";
    BadRequest => BAD_REQUEST, "bad-request", "The request cannot be read";
    ValidationFailed => UNPROCESSABLE_ENTITY, "validation-failed", "The request was refused";
    PayloadTooLarge => PAYLOAD_TOO_LARGE, "payload-too-large", "The request body is too large";
    UnsupportedMediaType => UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported Content-Type";
    Unavailable => SERVICE_UNAVAILABLE, "unavailable", "The server could not do this in time";
    Internal => INTERNAL_SERVER_ERROR, "internal", "Internal server error";
}

/// One problem in a refused request, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The JSON path (`delivery_rating`, `objectives[0].actions[2]`), query parameter
    /// or action key the problem is at; empty for the whole body.
    pub at: String,
    /// What is wrong there.
    pub message: String,
}

impl FieldProblem {
    /// A problem at `at`.
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> FieldProblem {
        FieldProblem { at: at.into(), message: message.into() }
    }
}

/// The `application/problem+json` body (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// The problem type URI, from the error table.
    #[serde(rename = "type")]
    pub type_uri: &'static str,
    /// The problem title, from the error table.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// Every problem found, with where it is (validation errors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The plan's current version (412 only): read the plan again and retry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
}

/// An error answered as a problem.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No token, or a bad or revoked one.
    #[error("{0}")]
    Unauthorized(String),
    /// The token's role is not enough.
    #[error("this needs the {needed} role; the token has the {has} role")]
    Forbidden {
        /// The role the route needs.
        needed: &'static str,
        /// The token's role.
        has: &'static str,
    },
    /// Nothing there.
    #[error("{0}")]
    NotFound(String),
    /// Wrong method for the route.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Already exists.
    #[error("{0}")]
    Conflict(String),
    /// Missing `If-Match`.
    #[error("send If-Match with the plan's ETag; the current version is {current}")]
    PreconditionRequired {
        /// The plan's current version.
        current: u64,
    },
    /// Stale `If-Match`.
    #[error("If-Match is {sent} but the plan is at version {current}; read it again and retry")]
    PreconditionFailed {
        /// What the client sent.
        sent: String,
        /// The plan's current version.
        current: u64,
    },
    /// The body cannot be read.
    #[error("{detail}")]
    MalformedBody {
        /// What is wrong.
        detail: String,
        /// Where: the JSON path of the problem.
        errors: Vec<FieldProblem>,
    },
    /// A parameter or header cannot be read.
    #[error("{0}")]
    BadRequest(String),
    /// The request is refused; every problem listed.
    #[error("{detail}")]
    Validation {
        /// A summary.
        detail: String,
        /// Every problem with where it is.
        errors: Vec<FieldProblem>,
    },
    /// Body over the limit.
    #[error("the request body is over the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Wrong content type.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Heavy work (an import, an assessment, a report) that did not finish within
    /// the server's deadline.
    #[error(
        "the work did not finish within the server's limit of {seconds} seconds; try a \
         smaller source or try again later"
    )]
    TooSlow {
        /// The deadline, in seconds.
        seconds: u64,
    },
    /// The database cannot be reached now (or a write's connection was lost, so
    /// whether it was made is unknown until the plan is read again); answered 503
    /// with `Retry-After`.
    #[error("the database is unavailable; try again shortly")]
    StoreUnavailable(String),
    /// Something inside failed; the text is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The kind: which row of the table answers this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Unauthorized(_) => ErrorKind::Unauthorized,
            ApiError::Forbidden { .. } => ErrorKind::Forbidden,
            ApiError::NotFound(_) => ErrorKind::NotFound,
            ApiError::MethodNotAllowed(_) => ErrorKind::MethodNotAllowed,
            ApiError::Conflict(_) => ErrorKind::Conflict,
            ApiError::PreconditionRequired { .. } => ErrorKind::PreconditionRequired,
            ApiError::PreconditionFailed { .. } => ErrorKind::PreconditionFailed,
            ApiError::MalformedBody { .. } => ErrorKind::MalformedBody,
            ApiError::BadRequest(_) => ErrorKind::BadRequest,
            ApiError::Validation { .. } => ErrorKind::ValidationFailed,
            ApiError::PayloadTooLarge { .. } => ErrorKind::PayloadTooLarge,
            ApiError::UnsupportedMediaType(_) => ErrorKind::UnsupportedMediaType,
            ApiError::TooSlow { .. } | ApiError::StoreUnavailable(_) => ErrorKind::Unavailable,
            ApiError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// A validation error with one problem.
    pub fn invalid(at: impl Into<String>, message: impl Into<String>) -> ApiError {
        let problem = FieldProblem::new(at, message);
        ApiError::Validation { detail: problem.message.clone(), errors: vec![problem] }
    }

    /// The problem body answered for this error.
    pub fn problem(&self) -> Problem {
        let row = self.kind().row();
        let detail = match self {
            ApiError::Internal(_) => "the server could not complete the request".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation { errors, .. } | ApiError::MalformedBody { errors, .. } => {
                errors.clone()
            }
            _ => Vec::new(),
        };
        let current_version = match self {
            ApiError::PreconditionFailed { current, .. } => Some(*current),
            _ => None,
        };
        Problem {
            type_uri: row.type_uri,
            title: row.title,
            status: row.status.as_u16(),
            detail,
            errors,
            current_version,
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(err: serde_json::Error) -> ApiError {
        ApiError::Internal(format!("serialising JSON: {err}"))
    }
}

/// An update or override the plan refused: 404 when no action has the key, else 422
/// with every problem at its field of the request body.
impl From<ApplyError> for ApiError {
    fn from(err: ApplyError) -> ApiError {
        refused(err.change, Err(err), Vec::new())
    }
}

/// What a write to an action comes to: `Ok` when the plan took it and every field of
/// the body read; otherwise 404 for an unknown key, or one 422 listing the fields that
/// did not read (`unread`) and every problem the plan found, in the body's field
/// order.
pub(crate) fn refused(
    change: ChangeKind,
    applied: Result<(), ApplyError>,
    unread: Vec<FieldProblem>,
) -> ApiError {
    let problems = match applied {
        Err(err) if err.is_unknown_key() => {
            let key = err.problems.iter().find(|p| p.is_unknown_key());
            return ApiError::NotFound(key.map_or_else(|| err.to_string(), |p| p.message.clone()));
        }
        Err(err) => err.problems,
        Ok(()) => Vec::new(),
    };
    let mut errors: Vec<(Option<Field>, FieldProblem)> = unread
        .into_iter()
        .map(|p| (field_named(&p.at), p))
        .chain(
            problems
                .into_iter()
                .map(|p| (Some(p.field), FieldProblem::new(wire_name(p.field), p.message))),
        )
        .collect();
    errors.sort_by_key(|(field, _)| *field);
    ApiError::Validation {
        detail: format!(
            "the {} was refused: {}",
            change.as_str(),
            ragplan_core::count(errors.len(), "problem")
        ),
        errors: errors.into_iter().map(|(_, p)| p).collect(),
    }
}

/// A source that cannot be imported: 422 at its row and column or JSON path.
impl From<ImportError> for ApiError {
    fn from(err: ImportError) -> ApiError {
        let at = match &err {
            ImportError::Parse { row, column, .. } => format!("row {row}, column {column}"),
            ImportError::Json(doc) => doc.path.clone(),
            ImportError::Limit { place, .. } => place.clone(),
            _ => String::new(),
        };
        let message = err.to_string();
        ApiError::Validation {
            detail: format!("the source cannot be imported: {message}"),
            errors: vec![FieldProblem::new(at, message)],
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) | ApiError::StoreUnavailable(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let problem = self.problem();
        let status = self.kind().row().status;
        let body = serde_json::to_vec(&problem).unwrap_or_else(|err| {
            tracing::error!(%err, "serialising a problem");
            INTERNAL_PROBLEM.as_bytes().to_vec()
        });
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        match &self {
            ApiError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::PreconditionFailed { current, .. } => {
                if let Ok(value) = HeaderValue::from_str(&crate::etag(*current)) {
                    headers.insert(header::ETAG, value);
                }
            }
            ApiError::StoreUnavailable(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// The body of a 500 when even the problem cannot be serialised.
const INTERNAL_PROBLEM: &str = r#"{"type":"urn:ragplan:problem:internal","title":"Internal server error","status":500,"detail":"the server could not complete the request"}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_row() {
        for row in ERROR_TABLE {
            assert_eq!(row.kind.row().kind, row.kind);
            assert!(row.status.is_client_error() || row.status.is_server_error());
        }
        let mut types: Vec<_> = ERROR_TABLE.iter().map(|r| r.type_uri).collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), ERROR_TABLE.len());
    }

    #[test]
    fn the_fallback_body_is_the_internal_problem() {
        let problem = ApiError::Internal(String::new()).problem();
        assert_eq!(serde_json::to_string(&problem).unwrap(), INTERNAL_PROBLEM);
    }

    #[test]
    fn internal_errors_do_not_leak() {
        let problem = ApiError::Internal("disk I/O error at /secret/path".into()).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("secret"));
    }
}

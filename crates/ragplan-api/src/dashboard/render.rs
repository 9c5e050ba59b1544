//! Writing the dashboard's pages: the templates (minijinja, every value HTML-escaped),
//! the stylesheet, the headers every page carries, and the error pages.
//!
//! Every page is sent with a Content-Security-Policy that allows no script, no frame
//! and no resource from elsewhere (the stylesheet is the server's own), with
//! `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (addresses carry
//! filters) and `Cache-Control: no-store` (what a reader may see is not kept by
//! browsers or proxies).

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use ragplan_core::Rating;
use ragplan_report::chip::palette;
use serde::Serialize;

use super::session::Viewer;
use crate::ApiError;

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("templates/layout.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("plans.html", include_str!("templates/plans.html")),
    ("portfolio.html", include_str!("templates/portfolio.html")),
    ("plan.html", include_str!("templates/plan.html")),
    ("action.html", include_str!("templates/action.html")),
    ("sign-in.html", include_str!("templates/sign-in.html")),
    ("error.html", include_str!("templates/error.html")),
];

/// The stylesheet's own rules; the chips' colours are added from the report's palette.
const STYLESHEET: &str = include_str!("templates/dashboard.css");

/// The page of last resort, when even the error template fails.
const FALLBACK_PAGE: &str = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
<title>Error — ragplan</title></head><body><main><h1>The page could not be made</h1>\
<p>The server's log says why.</p></main></body></html>";

/// The Content-Security-Policy of every page.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build();
        if let Ok(syntax) = syntax {
            env.set_syntax(syntax);
        }
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, source) in TEMPLATES {
            if let Err(err) = env.add_template(name, source) {
                // A shipped template that does not parse fails every test of its page.
                tracing::error!(%err, template = name, "a dashboard template does not parse");
            }
        }
        env
    })
}

/// The stylesheet: its own rules, then one rule per rating with the report's colours.
pub(crate) fn stylesheet() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let mut css = STYLESHEET.to_owned();
        for rating in Rating::ALL {
            let c = palette(rating);
            css.push_str(&format!(
                ".chip-{} {{ background: {}; border-color: {}; color: {}; }}\n",
                rating.as_str(),
                c.fill,
                c.border,
                c.text
            ));
        }
        css
    })
}

/// A value for a template, from anything serialisable.
pub(crate) fn data<T: Serialize>(value: &T) -> Value {
    Value::from(Serde(value))
}

/// An HTML response with the headers every page carries.
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Renders the template `name` with `values` and who is viewing.
fn render(name: &str, viewer: &Viewer, values: Value) -> Result<String, minijinja::Error> {
    let template = environment().get_template(name)?;
    template.render(context! { viewer => data(viewer), ..values })
}

/// The page `name`, answered with `status`.
///
/// # Errors
/// [`PageError::Internal`] when the template fails (a bug, logged).
pub(crate) fn page(
    status: StatusCode,
    name: &str,
    viewer: &Viewer,
    values: Value,
) -> Result<Response, PageError> {
    render(name, viewer, values).map(|body| html(status, body)).map_err(|err| {
        PageError::Internal(ApiError::Internal(format!("dashboard template {name}: {err:#}")))
    })
}

/// Why a page cannot be shown, answered as an HTML page.
#[derive(Debug)]
pub(crate) enum PageError {
    /// No such plan or action: 404.
    NotFound(String),
    /// An address whose parameters do not read: 400.
    BadRequest(String),
    /// Anything else: the API's error (500, or 503 when the work took too long).
    Internal(ApiError),
}

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> PageError {
        match err {
            ApiError::NotFound(message) => PageError::NotFound(message),
            ApiError::BadRequest(message) => PageError::BadRequest(message),
            other => PageError::Internal(other),
        }
    }
}

/// An error page: its status, heading and what to do.
fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let viewer = Viewer::anonymous();
    let values = context! { heading => heading, message => message, status => status.as_u16() };
    let body = render("error.html", &viewer, values).unwrap_or_else(|err| {
        tracing::error!(%err, "the dashboard's error template failed");
        FALLBACK_PAGE.to_owned()
    });
    html(status, body)
}

/// The 404 page for `message`.
pub(crate) fn not_found_page(message: &str) -> Response {
    error_page(StatusCode::NOT_FOUND, "Not found", message)
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound(message) => not_found_page(&message),
            PageError::BadRequest(message) => {
                error_page(StatusCode::BAD_REQUEST, "This address cannot be read", &message)
            }
            PageError::Internal(err) => {
                let status = err.kind().row().status;
                if let ApiError::Internal(detail) = &err {
                    tracing::error!(%detail, "internal error on a dashboard page");
                }
                // What the API would say in its problem: never an internal detail.
                let detail = err.problem().detail;
                error_page(status, "The page could not be shown", &detail)
            }
        }
    }
}

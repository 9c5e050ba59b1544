//! Who may see the dashboard: a reader's token, entered once in the sign-in form and
//! kept in a cookie (one that can change plans is refused: a browser is not to keep
//! it); or anyone, with `serve --public-dashboard`.
//!
//! - The cookie is `ragplan_token`, `HttpOnly` (no script reads it), `SameSite=Strict`
//!   (no other site's page sends it), `Path=/`, for 7 days, and `Secure` when the
//!   request came through a proxy that says it was HTTPS (`X-Forwarded-Proto` or
//!   `Forwarded`): `ragplan serve` itself speaks plain HTTP, and a browser may keep
//!   no `Secure` cookie from plain-HTTP `http://127.0.0.1`.
//! - The token is checked on every page by the API's own [`authenticate`], as a
//!   bearer token is: a token revoked since it was entered stops working at once.
//! - The form is a POST; its answer never holds the token. A token that is unknown
//!   or revoked gets the form again, with 401 and a sentence saying so. A sign-in
//!   posted from another site's page (`Sec-Fetch-Site: cross-site`) is refused.
//! - After signing in the browser is sent back (303) to the page it asked for, only
//!   ever a path of this server.

use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::render::{PageError, page};
use crate::auth::{Role, authenticate};
use crate::{ApiError, AppState};

/// The cookie holding the token.
pub(crate) const COOKIE: &str = "ragplan_token";

/// How long the cookie is kept: 7 days.
const COOKIE_SECONDS: u32 = 7 * 24 * 60 * 60;

/// Who is viewing a page: known by a token, or anyone (public dashboard).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Viewer {
    /// Signed in with a token (and so may sign out).
    pub signed_in: bool,
}

impl Viewer {
    /// Someone not signed in.
    pub(crate) fn anonymous() -> Viewer {
        Viewer { signed_in: false }
    }
}

/// The token in the request's cookie, if any.
fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Whether the request came through a proxy that received it over HTTPS.
fn came_over_https(headers: &HeaderMap) -> bool {
    let says = |name: &str, wanted: &dyn Fn(&str) -> bool| {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).any(wanted)
    };
    says("x-forwarded-proto", &|v| v.trim().eq_ignore_ascii_case("https"))
        || says("forwarded", &|v| {
            v.split([';', ',']).any(|part| part.trim().eq_ignore_ascii_case("proto=https"))
        })
}

/// The `Set-Cookie` value keeping `token`, or clearing the cookie when `None`.
fn set_cookie(token: Option<&str>, headers: &HeaderMap) -> Option<HeaderValue> {
    let secure = if came_over_https(headers) { "; Secure" } else { "" };
    let value = match token {
        Some(token) => format!(
            "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={COOKIE_SECONDS}{secure}"
        ),
        None => format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).ok()
}

/// Where to send the browser after signing in: a path of this server (never
/// `//elsewhere` or a full address), else the plan list.
fn local_path(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The sign-in form: `next` is where to go after, `problem` the sentence to show.
fn sign_in_page(
    status: StatusCode,
    next: &str,
    problem: Option<&str>,
) -> Result<Response, PageError> {
    let values = context! { next => next, problem => problem };
    page(status, "sign-in.html", &Viewer::anonymous(), values)
}

/// The path and query the request asked for.
fn asked_for(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned())
}

/// A page's viewer: anyone on a public dashboard, else the holder of a valid token in
/// the cookie. Without one the page is the sign-in form (401), never the data; a
/// cookie whose token no longer works is cleared.
impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        let Some(token) = cookie_token(&parts.headers).map(str::to_owned) else {
            if state.public_dashboard {
                return Ok(Viewer::anonymous());
            }
            let next = asked_for(parts);
            return Err(sign_in_page(StatusCode::UNAUTHORIZED, &next, None).into_response());
        };
        match authenticate(state, &token, Role::Reader).await {
            Ok(_) => Ok(Viewer { signed_in: true }),
            Err(ApiError::Unauthorized(_) | ApiError::Forbidden { .. }) => {
                if state.public_dashboard {
                    return Ok(Viewer::anonymous());
                }
                let next = asked_for(parts);
                let problem = "The token kept by this browser is no longer valid (it may have \
                               been revoked). Enter a current token.";
                let mut response =
                    sign_in_page(StatusCode::UNAUTHORIZED, &next, Some(problem)).into_response();
                if let Some(clear) = set_cookie(None, &parts.headers) {
                    response.headers_mut().insert(header::SET_COOKIE, clear);
                }
                Err(response)
            }
            Err(other) => Err(PageError::from(other).into_response()),
        }
    }
}

/// `next` of the sign-in form's address.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// GET `/login`: the sign-in form.
pub(crate) async fn sign_in_form(
    query: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let next = local_path(query.as_ref().ok().and_then(|q| q.next.as_deref()));
    sign_in_page(StatusCode::OK, &next, None)
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub(crate) struct SignIn {
    token: String,
    #[serde(default)]
    next: Option<String>,
}

/// POST `/login`: checks the token (a reader's only) and keeps it in the cookie,
/// then sends the browser on (303); an unknown or revoked token gets the form again
/// with 401. The token is never written into a page.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SignIn>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    if !from_this_dashboard(&headers) {
        return Err(PageError::BadRequest(
            "a sign-in must be sent from this dashboard's own form".into(),
        ));
    }
    let Ok(Form(form)) = form else {
        let problem = "The form did not arrive whole. Enter the token again.";
        return sign_in_page(StatusCode::BAD_REQUEST, "/", Some(problem));
    };
    let next = local_path(form.next.as_deref());
    let token = form.token.trim();
    // A token is `rp_` and hex digits: anything else is no token, and never reaches a
    // header.
    let well_formed =
        !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let checked = if well_formed {
        authenticate(&state, token, Role::Reader).await
    } else {
        Err(ApiError::Unauthorized(String::new()))
    };
    match checked {
        Ok(info) if info.role != Role::Reader => {
            // The cookie keeps the token for a week: one that can change plans is not
            // to be kept in a browser.
            let problem = "That token can change plans, and the dashboard keeps its token in \
                           a cookie: sign in with a reader token (ragplan token create --role \
                           reader).";
            sign_in_page(StatusCode::FORBIDDEN, &next, Some(problem))
        }
        Ok(_) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            let cookie = set_cookie(Some(token), &headers);
            let location = HeaderValue::from_str(&next).ok();
            if let (Some(cookie), Some(location)) = (cookie, location) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
                response.headers_mut().insert(header::LOCATION, location);
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                return Ok(response);
            }
            Err(PageError::Internal(ApiError::Internal("a sign-in header is not valid".into())))
        }
        Err(ApiError::Unauthorized(_) | ApiError::Forbidden { .. }) => {
            let problem = "That token is not valid: it is unknown or has been revoked. Check it \
                           and try again, or ask the board's administrator for a reader token.";
            sign_in_page(StatusCode::UNAUTHORIZED, &next, Some(problem))
        }
        Err(other) => Err(PageError::from(other)),
    }
}

/// POST `/logout`: forgets the token and goes back to the plan list (which, on a
/// dashboard that is not public, is the sign-in form).
pub(crate) async fn sign_out(headers: HeaderMap) -> Response {
    if !from_this_dashboard(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
    if let Some(clear) = set_cookie(None, &headers) {
        response.headers_mut().insert(header::SET_COOKIE, clear);
    }
    response
}

/// Whether a form post comes from this dashboard's own page: a browser that says
/// where the request comes from (`Sec-Fetch-Site`) says `same-origin` (or `none`, typed
/// by the user), and an `Origin` it sends names this server's host (`null`, sent under
/// the pages' referrer policy, names none). A client that sends neither (curl, an
/// older browser) is taken at its word.
fn from_this_dashboard(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let site_ok = text("sec-fetch-site")
        .is_none_or(|v| v.eq_ignore_ascii_case("same-origin") || v.eq_ignore_ascii_case("none"));
    // The pages' `Referrer-Policy: no-referrer` makes a browser send `Origin: null`
    // with its forms: that names no site, and Sec-Fetch-Site speaks for it.
    let origin = text("origin").filter(|o| *o != "null");
    let origin_ok = match (origin, text("host")) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            authority.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => false,
    };
    site_ok && origin_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_of_this_server_is_gone_to_after_signing_in() {
        let table: &[(Option<&str>, &str)] = &[
            (None, "/"),
            (Some("/plans/p?rating=red"), "/plans/p?rating=red"),
            (Some("//evil.example/"), "/"),
            (Some("https://evil.example/"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/a\nb"), "/"),
            (Some(""), "/"),
        ];
        for (next, want) in table {
            assert_eq!(local_path(*next), *want, "{next:?}");
        }
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_behind_https() {
        let plain = HeaderMap::new();
        let cookie = set_cookie(Some("rp_ab"), &plain).unwrap();
        assert_eq!(
            cookie,
            "ragplan_token=rp_ab; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800"
        );
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(
            set_cookie(Some("rp_ab"), &proxied).unwrap().to_str().unwrap().ends_with("; Secure")
        );
        let mut forwarded = HeaderMap::new();
        forwarded.insert("forwarded", HeaderValue::from_static("for=192.0.2.1;proto=https"));
        assert!(came_over_https(&forwarded));
        let cleared = set_cookie(None, &plain).unwrap();
        assert!(cleared.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; ragplan_token=rp_1 ; x=y"),
        );
        assert_eq!(cookie_token(&headers), Some("rp_1"));
        headers.insert(header::COOKIE, HeaderValue::from_static("ragplan_token="));
        assert_eq!(cookie_token(&headers), None);
    }
}

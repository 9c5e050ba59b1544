//! HTTP around the routes: cross-origin requests from the origins `ragplan serve
//! --cors-origin` names, response compression, and `If-None-Match` on a GET answered
//! 304 when the representation's `ETag` matches.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer for `origins` (`https://intranet.example.gov.uk`), or none when
/// no origin is named: then only pages of the API's own origin call it, and a
/// preflight is answered as any unknown method is. An origin that is not a valid
/// header value is refused by the caller ([`cors_origin`]).
pub(crate) fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                header::IF_NONE_MATCH,
            ])
            .expose_headers([header::ETAG, header::LOCATION])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}

/// An origin as `--cors-origin` gives it, checked: `scheme://host[:port]`, no path
/// (a trailing `/` is dropped).
///
/// # Errors
/// A message naming the origin when it is not one.
pub fn cors_origin(text: &str) -> Result<String, String> {
    let origin = text.trim().trim_end_matches('/');
    let scheme_ok = origin.starts_with("https://") || origin.starts_with("http://");
    let rest = origin.split_once("://").map_or("", |(_, r)| r);
    if !scheme_ok || rest.is_empty() || rest.contains('/') {
        return Err(format!(
            "{text:?} is not an origin; write it as scheme://host[:port], such as \
             https://intranet.example.gov.uk"
        ));
    }
    HeaderValue::from_str(origin)
        .map(|_| origin.to_owned())
        .map_err(|_| format!("{text:?} is not an origin"))
}

/// Whether `Accept-Encoding` in `headers` prefers gzip, read as tower-http's
/// compression reads it for every other response: `gzip` (or `x-gzip`) named with a
/// quality above zero and not below `identity`'s when that is named; an entry whose
/// quality does not read ([`thousandths`]) is left out, and `*` names nothing.
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    let (mut gzip, mut identity) = (None::<u16>, None::<u16>);
    let items = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for item in items {
        let (name, quality) = match item.split_once(';') {
            None => (item.trim(), Some(1000)),
            Some((name, q)) => (name.trim(), thousandths(q.trim())),
        };
        let Some(quality) = quality else { continue };
        let best = |old: Option<u16>| Some(old.map_or(quality, |o| o.max(quality)));
        if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            gzip = best(gzip);
        } else if name.eq_ignore_ascii_case("identity") {
            identity = best(identity);
        }
    }
    gzip.is_some_and(|g| g > 0 && identity.is_none_or(|i| g >= i))
}

/// A quality parameter (`q=0.5`) in thousandths, as RFC 9110 (12.4.2) writes it:
/// `0` with up to three decimals, or `1` with up to three zeros.
fn thousandths(param: &str) -> Option<u16> {
    let value = param.strip_prefix("q=").or_else(|| param.strip_prefix("Q="))?;
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction = fraction.bytes().chain(std::iter::repeat(b'0')).take(3);
    let fraction = fraction.fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    match whole {
        "0" => Some(fraction),
        "1" if fraction == 0 => Some(1000),
        _ => None,
    }
}

/// Answers a GET or HEAD whose `If-None-Match` names the response's `ETag` (or is
/// `*`) with 304 Not Modified and no body, keeping the `ETag`, `Vary` and
/// `Cache-Control`.
pub(crate) async fn not_modified(request: Request, next: Next) -> Response {
    let conditional = matches!(*request.method(), Method::GET | Method::HEAD)
        .then(|| request.headers().get(header::IF_NONE_MATCH).cloned())
        .flatten();
    let response = next.run(request).await;
    let Some(wanted) = conditional else { return response };
    if response.status() != StatusCode::OK || !matches_etag(&wanted, response.headers()) {
        return response;
    }
    let mut unchanged = Response::new(Body::empty());
    *unchanged.status_mut() = StatusCode::NOT_MODIFIED;
    // What a 200 would have said of the representation (RFC 9110, 15.4.5).
    for name in [header::ETAG, header::VARY, header::CACHE_CONTROL] {
        for value in response.headers().get_all(&name) {
            unchanged.headers_mut().append(name.clone(), value.clone());
        }
    }
    unchanged
}

/// Whether `If-None-Match: wanted` names the `ETag` of `headers`, compared weakly
/// (RFC 9110, 13.1.2: `W/"3"` matches `"3"`).
fn matches_etag(wanted: &HeaderValue, headers: &HeaderMap) -> bool {
    let Some(etag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = bare(etag);
    wanted.to_str().is_ok_and(|list| list.split(',').any(|t| t.trim() == "*" || bare(t) == etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_sent_when_the_client_prefers_it() {
        let accepts = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            accepts_gzip(&headers)
        };
        assert!(accepts("gzip"));
        assert!(accepts("br;q=0.9, GZIP;q=0.5"));
        assert!(accepts("x-gzip"));
        assert!(accepts("identity;q=0.5, gzip"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("gzip;q=0.000, identity"));
        assert!(!accepts("identity, gzip;q=0.1"));
        assert!(!accepts("gzip;q=x"));
        assert!(!accepts("gzip;q=2"));
        assert!(!accepts("gzip;q=.5"));
        assert!(!accepts("gzip;q=0.0001"));
        assert!(!accepts("gzip;q=0.5;x=y"));
        assert!(accepts("gzip;q=0.001, identity;q=0"));
        assert!(accepts("gzip;q=1.000"));
        assert!(!accepts("*"));
        assert!(!accepts("br, deflate"));
        assert!(!accepts(""));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn an_etag_matches_weakly_and_in_a_list() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, HeaderValue::from_static("\"3\""));
        let wants = |v: &'static str| matches_etag(&HeaderValue::from_static(v), &headers);
        assert!(wants("\"3\""));
        assert!(wants("W/\"3\""));
        assert!(wants("\"1\", \"3\""));
        assert!(wants("*"));
        assert!(!wants("\"4\""));
    }

    #[test]
    fn an_origin_has_a_scheme_and_a_host_and_no_path() {
        assert!(cors_origin("https://intranet.example.gov.uk").is_ok());
        assert!(cors_origin("http://localhost:3000/").is_ok());
        for bad in ["intranet.example.gov.uk", "https://", "https://a.example/page", "ftp://a"] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
    }
}

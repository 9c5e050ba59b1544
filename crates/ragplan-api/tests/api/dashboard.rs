//! The read-only dashboard: its pages, filters, sign-in with a cookie, public mode,
//! escaping, headers and 404s.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

use crate::common::{SMALL_PLAN, TestApp, TestResponse};

/// A browser's GET of `path`, with the dashboard's cookie when given a token.
async fn browse(app: &TestApp, path: &str, token: Option<&str>) -> TestResponse {
    let mut request = Request::get(path).header("accept", "text/html");
    if let Some(token) = token {
        request = request.header("cookie", format!("theme=dark; ragplan_token={token}"));
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The sign-in form posted with `fields` (already form-encoded).
async fn sign_in(app: &TestApp, fields: &str) -> TestResponse {
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(fields.to_owned()))
        .unwrap();
    app.send(request).await
}

/// A page, checked to be HTML with the dashboard's headers.
fn page(response: &TestResponse) -> String {
    assert_eq!(response.header("content-type"), "text/html; charset=utf-8", "{}", response.text());
    assert!(response.header("content-security-policy").contains("default-src 'none'"));
    assert_eq!(response.header("x-content-type-options"), "nosniff");
    assert_eq!(response.header("cache-control"), "no-store");
    response.text()
}

/// An `href="…"` as the templates escape it: `/` is written `&#x2f;` too.
fn escaped(text: &str) -> String {
    let Some((before, rest)) = text.split_once("href=\"") else { return text.to_owned() };
    let (href, after) = rest.split_once('"').unwrap_or((rest, ""));
    format!("{before}href=\"{}\"{after}", href.replace('/', "&#x2f;"))
}

/// The small plan in an app whose dashboard is public.
async fn public_app() -> TestApp {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    TestApp::with_small_plan_in(app).await
}

/// The rows of the plan page's tree: the `<th scope="row">` of each `table.tree`.
fn tree_keys(html: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for table in html.split("<table class=\"tree\">").skip(1) {
        let table = table.split("</table>").next().unwrap_or_default();
        for row in table.split("<th scope=\"row\">").skip(1) {
            keys.push(row.split('<').next().unwrap_or_default().to_owned());
        }
    }
    keys
}

#[tokio::test]
async fn without_a_cookie_every_page_is_the_sign_in_form() {
    let app = TestApp::with_small_plan().await;
    for path in ["/", "/plans/small", "/plans/small/actions/1.1.1", "/plans/nope"] {
        let response = browse(&app, path, None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{path}");
        let html = page(&response);
        assert!(html.contains(r#"<form method="post" action="/login""#), "{path}: {html}");
        assert!(
            html.contains(&escaped(
                &format!(r#"name="next" value="{path}""#).replace('/', "&#x2f;")
            )),
            "{path}"
        );
        assert!(!html.contains("Small test plan") && !html.contains("Prevent"), "{path}");
    }
}

#[tokio::test]
async fn signing_in_keeps_the_token_in_an_http_only_cookie() {
    let app = TestApp::with_small_plan().await;
    let token = app.tokens.reader.clone();
    let response = sign_in(&app, &format!("token={token}&next=%2Fplans%2Fsmall")).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    assert_eq!(response.header("location"), "/plans/small");
    let cookie = response.header("set-cookie");
    assert_eq!(
        cookie,
        format!("ragplan_token={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800")
    );
    assert!(!response.text().contains(&token));
    // The cookie opens the pages.
    let plans = browse(&app, "/", Some(&token)).await;
    assert_eq!(plans.status, StatusCode::OK);
    let html = page(&plans);
    assert!(html.contains(&escaped(r#"<a href="/plans/small">Small test plan"#)), "{html}");
    assert!(html.contains(r#"<form method="post" action="/logout">"#));
    // Behind a proxy that received it over HTTPS, the cookie is Secure.
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!("token={token}")))
        .unwrap();
    let secure = app.send(request).await;
    assert!(secure.header("set-cookie").ends_with("; Secure"), "{:?}", secure.headers);
    assert_eq!(secure.header("location"), "/");
}

#[tokio::test]
async fn a_bad_token_gets_the_form_again_with_401_and_is_never_echoed() {
    let app = TestApp::with_small_plan().await;
    let revoked = app.tokens.revoked.clone();
    let cases = [
        "rp_0000000000000000000000000000000000000000000000000000000000000000".to_owned(),
        revoked,
        "<script>alert(1)</script>".to_owned(),
        String::new(),
    ];
    for token in cases {
        let fields = format!("token={}", token.replace('<', "%3C").replace('>', "%3E"));
        let response = sign_in(&app, &fields).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{token}");
        let html = page(&response);
        assert!(html.contains("That token is not valid"), "{html}");
        assert!(token.is_empty() || !html.contains(&token), "{token} echoed");
        assert!(response.headers.get("set-cookie").is_none());
    }
}

#[tokio::test]
async fn a_revoked_token_in_the_cookie_is_cleared() {
    let app = TestApp::with_small_plan().await;
    let response = browse(&app, "/plans/small", Some(&app.tokens.revoked)).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert!(page(&response).contains("no longer valid"));
    assert!(response.header("set-cookie").contains("Max-Age=0"));
    let unknown = browse(&app, "/", Some("rp_nothing")).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_sign_in_from_another_site_is_refused() {
    let app = TestApp::with_small_plan().await;
    let request = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("token={}", app.tokens.reader)))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(response.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn signing_out_forgets_the_cookie() {
    let app = TestApp::with_small_plan().await;
    let request = Request::post("/logout").body(Body::empty()).unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/");
    assert!(response.header("set-cookie").starts_with("ragplan_token=; HttpOnly"));
}

#[tokio::test]
async fn the_cookie_does_not_open_the_json_api() {
    let app = TestApp::with_small_plan().await;
    let response = browse(&app, "/v1/plans", Some(&app.tokens.reader)).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    response.problem();
}

#[tokio::test]
async fn a_public_dashboard_needs_no_token() {
    let app = public_app().await;
    let response = browse(&app, "/", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let html = page(&response);
    assert!(html.contains("Small test plan"));
    assert!(!html.contains("Sign out"));
    // The plan's two ratings, each with its shape and word.
    assert!(html.contains(
        r#"<span class="chip chip-red"><span class="shape" aria-hidden="true">■</span> RED</span>"#
    ));
    // The API still needs its token.
    let api = app.get("/v1/plans", None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_plan_page_shows_the_tree_exceptions_trend_and_movement() {
    let app = public_app().await;
    let response = browse(&app, "/plans/small", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let html = page(&response);
    assert_eq!(tree_keys(&html), ["1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2.1"]);
    for text in [
        "<h2 id=\"headline-h\">Headline</h2>",
        "<h2 id=\"exceptions-h\">Exceptions</h2>",
        "<h2 id=\"trend-h\">Trend</h2>",
        "<h2 id=\"movement-h\">Movement since 31 March 2015</h2>",
        "All 4 actions.",
        r#"<a href="/plans/small/actions/1.1.1">Information sharing agreement to be in place"#,
        // The overdue action is in the exceptions, linked.
        r#"<caption id="exceptions-overdue-caption">Overdue (1)</caption>"#,
    ] {
        assert!(html.contains(&escaped(text)), "{text} not in {html}");
    }
}

#[tokio::test]
async fn each_filter_keeps_the_actions_it_names() {
    let app = public_app().await;
    let table: &[(&str, &[&str])] = &[
        ("rating=red", &["1.1", "1.1.1"]),
        ("rating=green", &["2.1"]),
        ("rating=amber_red", &[]),
        ("owner=jayne+hutchings", &["1.1", "1.1.1", "1.1.2"]),
        ("owner=Workforce", &["1.2", "1.2.1"]),
        ("partner=police", &["1.1", "1.1.1"]),
        ("partner=social+care", &["2.1"]),
        ("flag=overdue", &["1.1", "1.1.1"]),
        ("rating=green&partner=health", &[]),
        ("owner=Jayne+Hutchings&rating=complete", &["1.1", "1.1.2"]),
        // An empty field is as if left out, as the form sends it.
        ("rating=&owner=&partner=&flag=", &["1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2.1"]),
    ];
    for (query, want) in table {
        let response = browse(&app, &format!("/plans/small?{query}"), None).await;
        assert_eq!(response.status, StatusCode::OK, "{query}");
        let html = page(&response);
        assert_eq!(tree_keys(&html), *want, "{query}");
        let actions = want.iter().filter(|k| k.matches('.').count() == 2 || **k == "2.1").count();
        if !query.starts_with("rating=&") {
            let verb = if actions == 1 { "matches" } else { "match" };
            assert!(html.contains(&format!("{actions} of 4 actions {verb}.")), "{query}");
        }
    }
    // The form shows what was asked for.
    let html = browse(&app, "/plans/small?rating=red&owner=Jayne", None).await.text();
    assert!(html.contains(r#"<option value="red" selected>Red</option>"#), "{html}");
    assert!(html.contains(r#"value="Jayne""#));
    assert!(!html.contains("No action matches these filters."));
    let none = browse(&app, "/plans/small?rating=amber_red", None).await.text();
    assert!(none.contains("No action matches these filters."));
}

#[tokio::test]
async fn a_filter_that_names_no_rating_or_flag_is_a_400_page() {
    let app = public_app().await;
    for (query, says) in [
        ("rating=purple", "“purple” is not a rating"),
        ("flag=late", "“late” is not a flag"),
        ("as_of=30%2F06%2F2015", "is not a date"),
        ("rating=red&rating=green", "give each once"),
    ] {
        let response = browse(&app, &format!("/plans/small?{query}"), None).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page(&response).contains(says), "{query}: {}", response.text());
    }
}

#[tokio::test]
async fn the_action_page_shows_its_ratings_reasons_and_log() {
    let app = public_app().await;
    let response = browse(&app, "/plans/small/actions/1.1.1", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let html = page(&response);
    for text in [
        "Information sharing agreement to be in place<",
        "was due 31 May 2015 and is not complete (30 days overdue)",
        "<dt>Accountable</dt><dd>Jayne Hutchings</dd>",
        "<dt>Partners</dt><dd>Police; Health</dd>",
        r#"<tr><th scope="row">1 June 2015</th><td>Jayne Hutchings</td><td>Delivery Green</td><td></td></tr>"#,
        r#"<a href="/plans/small#objective-1">1 Prevent</a>"#,
        r#"<a href="/plans/small#row-1.1">1.1 Data</a>"#,
    ] {
        assert!(html.contains(&escaped(text)), "{text} not in {html}");
    }
    // An as-of date is carried on by the links.
    let earlier = browse(&app, "/plans/small/actions/1.1.1?as_of=2015-05-15", None).await;
    let html = page(&earlier);
    assert!(
        html.contains(&escaped(r#"<a href="/plans/small?as_of=2015-05-15">Small test plan</a>"#))
    );
    assert!(html.contains("15 May 2015"));
    // Before its only update, nothing is logged.
    assert!(html.contains("Nothing is logged on this action yet."), "{html}");
}

/// Bug: an action's progress note (a tracker's Comments column, `note` in the plan)
/// was in the plan the API served but on no page of the dashboard: the action's
/// page showed its status and evidence, not what the last report said. The page now
/// shows the latest note, an update's or the source's.
#[tokio::test]
async fn the_action_page_left_out_the_progress_note() {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    let noted = SMALL_PLAN.replace(
        r#""evidence": ["MASH minutes"],"#,
        r#""evidence": ["MASH minutes"], "note": "Funding agreed with the CCG","#,
    );
    assert_ne!(noted, SMALL_PLAN);
    let response = app.post_json("/v1/plans", Some(&app.tokens.editor), &noted, None).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let html = page(&browse(&app, "/plans/small/actions/2.1", None).await);
    let want = "<dt>Latest note</dt><dd>Funding agreed with the CCG</dd>";
    assert!(html.contains(&escaped(want)), "{html}");
    // An action with no note shows no empty line for one.
    let html = page(&browse(&app, "/plans/small/actions/1.1.1", None).await);
    assert!(!html.contains("Latest note"), "{html}");
}

#[tokio::test]
async fn an_unknown_plan_or_action_is_a_404_page() {
    let app = public_app().await;
    for (path, says) in [
        ("/plans/nope", "There is no plan with the id “nope”."),
        ("/plans/small/actions/9.9", "Plan “small” has no action with the key “9.9”."),
        // A sub-objective is no action.
        ("/plans/small/actions/1.1", "has no action with the key “1.1”"),
        ("/plans/bad%20id", "There is no plan with the id"),
        ("/nothing-here", "There is no page at this address."),
    ] {
        let response = browse(&app, path, None).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page(&response).contains(says), "{path}: {}", response.text());
    }
    // A client that does not ask for HTML still gets a problem outside /v1/.
    let response = app.get("/nothing-here", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    response.problem();
}

#[tokio::test]
async fn a_hostile_plan_is_escaped_everywhere() {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    let hostile = SMALL_PLAN
        .replace("Small test plan", "<script>alert('plan')</script>")
        .replace("Set up the MASH", "\\\"><img src=x onerror=alert(1)>")
        .replace("Mandie Watson", "<b>Mandie</b> & co")
        .replace("MASH minutes", "</td></tr></table><script>x()</script>");
    let response = app.post_json("/v1/plans", Some(&app.tokens.editor), &hostile, None).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    for path in ["/", "/plans/small", "/plans/small/actions/2.1", "/plans/small?owner=%3Cb%3E"] {
        let html = page(&browse(&app, path, None).await);
        assert!(!html.contains("<script>"), "{path}: {html}");
        assert!(!html.contains("<img"), "{path}");
        assert!(!html.contains("<b>"), "{path}");
        assert!(
            html.contains("&lt;script&gt;alert(&#x27;plan&#x27;)&lt;&#x2f;script&gt;"),
            "{path}: {html}"
        );
    }
    let action = browse(&app, "/plans/small/actions/2.1", None).await.text();
    assert!(action.contains("&lt;b&gt;Mandie&lt;&#x2f;b&gt; &amp; co"), "{action}");
}

#[tokio::test]
async fn the_stylesheet_is_served_to_anyone() {
    let app = TestApp::new();
    let response = app.request(Method::GET, "/dashboard.css", None, None, None, "").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "text/css; charset=utf-8");
    assert!(response.text().contains(".chip-amber { background: #ffe08a;"));
}

#[tokio::test]
async fn the_plan_list_pages_and_says_when_there_is_no_plan() {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    let html = page(&browse(&app, "/", None).await);
    assert!(html.contains("No plan is stored yet."), "{html}");
    let response = browse(&app, "/?page=0", None).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
}

/// A page past the last said "No plan is stored yet" of a store holding plans.
#[tokio::test]
async fn a_page_past_the_last_says_there_is_no_such_page() {
    let app = public_app().await;
    let html = page(&browse(&app, "/?page=2", None).await);
    assert!(!html.contains("No plan is stored yet."), "{html}");
    assert!(
        html.contains("There is no page 2: the one plan stored is on the first page."),
        "{html}"
    );
    assert!(html.contains(&escaped(r#"<a href="/?page=1">The first page</a>"#)), "{html}");
}

#[tokio::test]
async fn the_plan_page_of_the_small_plan() {
    let app = public_app().await;
    let response = browse(&app, "/plans/small?as_of=2015-06-30", None).await;
    assert_eq!(response.status, StatusCode::OK);
    insta::assert_snapshot!(page(&response));
}

#[tokio::test]
async fn the_plan_list_is_fifty_plans_a_page() {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    for n in 0..51 {
        let plan = SMALL_PLAN.replace("\"id\": \"small\"", &format!("\"id\": \"small-{n:02}\""));
        let created = app.post_json("/v1/plans", Some(&app.tokens.editor), &plan, None).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    }
    let first = page(&browse(&app, "/?as_of=2015-06-30", None).await);
    assert!(first.contains("Plans 1–50 of 51"), "{first}");
    assert!(
        first.contains(r#"<a href="&#x2f;?page=2&amp;as_of=2015-06-30" rel="next">"#),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""));
    let second = page(&browse(&app, "/?page=2&as_of=2015-06-30", None).await);
    assert!(second.contains("Plans 51–51 of 51"), "{second}");
    assert!(second.contains(r#"<a href="&#x2f;?page=1&amp;as_of=2015-06-30" rel="prev">"#));
    assert!(!second.contains("rel=\"next\""));
}

/// Of two actions sharing a key, the dashboard linked both to the first, and the
/// second could not be opened.
#[tokio::test]
async fn two_actions_sharing_a_key_each_open_on_their_own_page() {
    let app = TestApp::with_state(|state| state.with_public_dashboard(true));
    // 2.1 takes 1.1.1's key, and 1.1.2 depends on 1.2.1 (an action page with a
    // dependency once failed to render: its list could not be written).
    let shared = SMALL_PLAN
        .replace("\"key\": \"2.1\"", "\"key\": \"1.1.1\"")
        .replace("\"key\": \"1.1.2\",", "\"key\": \"1.1.2\", \"depends_on\": [\"1.2.1\"],");
    assert_eq!(shared.matches("\"key\": \"1.1.1\"").count(), 2);
    assert!(shared.contains("\"depends_on\": [\"1.2.1\"]"));
    let response = app.post_json("/v1/plans", Some(&app.tokens.editor), &shared, None).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let plan = page(&browse(&app, "/plans/small?as_of=2015-06-30", None).await);
    let first = escaped("href=\"/plans/small/actions/1.1.1?as_of=2015-06-30\"");
    let second = escaped("href=\"/plans/small/actions/1.1.1?as_of=2015-06-30&amp;n=2\"");
    assert!(plan.contains(&first), "{plan}");
    assert!(plan.contains(&second), "{plan}");
    let title = |html: &str| {
        html.split("<h1>")
            .nth(1)
            .unwrap_or_default()
            .split("</h1>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let one = page(&browse(&app, "/plans/small/actions/1.1.1?as_of=2015-06-30", None).await);
    assert!(title(&one).contains("Information sharing agreement"), "{}", title(&one));
    let two = page(&browse(&app, "/plans/small/actions/1.1.1?as_of=2015-06-30&n=2", None).await);
    assert!(title(&two).contains("Set up the MASH"), "{}", title(&two));
    // Each names the other: a key alone does not say which action is meant.
    for html in [&one, &two] {
        assert!(html.contains("2 actions share the key 1.1.1"), "{html}");
        assert!(html.contains("Set up the MASH") && html.contains("Information sharing"));
    }
    let depending = page(&browse(&app, "/plans/small/actions/1.1.2?as_of=2015-06-30", None).await);
    assert!(depending.contains("<dt>Depends on</dt>"), "{depending}");
    assert!(
        depending
            .contains(&escaped("href=\"/plans/small/actions/1.2.1?as_of=2015-06-30\">1.2.1</a>")),
        "{depending}"
    );
    for (n, status) in [
        ("3", StatusCode::NOT_FOUND),
        ("0", StatusCode::BAD_REQUEST),
        ("x", StatusCode::BAD_REQUEST),
    ] {
        let response = browse(&app, &format!("/plans/small/actions/1.1.1?n={n}"), None).await;
        assert_eq!(response.status, status, "n={n}");
    }
}

/// An admin's token signed in was kept for a week in the browser's cookie, and a
/// sign-out or a sign-in could be posted from a sibling site.
#[tokio::test]
async fn only_a_readers_token_is_kept_and_only_this_dashboards_forms_are_taken() {
    let app = TestApp::with_small_plan().await;
    for token in [app.tokens.editor.clone(), app.tokens.admin.clone()] {
        let response = sign_in(&app, &format!("token={token}")).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        assert!(response.headers.get("set-cookie").is_none());
        let html = page(&response);
        assert!(html.contains("sign in with a reader token"), "{html}");
        assert!(!html.contains(&token));
    }
    let post = |path: &str, site: Option<&str>, origin: Option<&str>| {
        let mut request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "dash.example:8787");
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.body(Body::from(format!("token={}", app.tokens.reader))).unwrap()
    };
    for path in ["/login", "/logout"] {
        for (site, origin) in [
            (Some("same-site"), None),
            (Some("cross-site"), None),
            (None, Some("https://evil.example")),
            (Some("same-origin"), Some("http://other.example:8787")),
        ] {
            let response = app.send(post(path, site, origin)).await;
            assert!(response.status.is_client_error(), "{path} {site:?} {origin:?}");
            assert!(response.headers.get("set-cookie").is_none(), "{path} {site:?} {origin:?}");
        }
        // `null` is what a browser sends under the pages' no-referrer policy.
        for origin in ["http://dash.example:8787", "null"] {
            let ours = app.send(post(path, Some("same-origin"), Some(origin))).await;
            assert_eq!(ours.status, StatusCode::SEE_OTHER, "{path} {origin}: {}", ours.text());
        }
    }
}

/// Every plan together: the small plan and a tagged copy of it, as they stood on
/// 30 June 2015 — the roll-up with its reasons, each plan linked, the worst actions
/// linked to their pages; `tag` keeps the tagged one; the plan list links here; a
/// hostile title is escaped.
#[tokio::test]
async fn the_portfolio_page_rates_every_plan_together() {
    let app = public_app().await;
    let mut other: serde_json::Value = serde_json::from_str(SMALL_PLAN).unwrap();
    other["id"] = "other".into();
    other["title"] = "<script>alert(1)</script> board".into();
    other["tags"] = serde_json::json!(["North"]);
    let created =
        app.post_json("/v1/plans", Some(&app.tokens.editor), &other.to_string(), None).await;
    assert_eq!(created.status, StatusCode::CREATED);

    let response = browse(&app, "/portfolio?as_of=2015-06-30", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let html = page(&response);
    insta::assert_snapshot!(html);
    assert!(!html.contains("<script>"));
    assert!(html.contains(&escaped(r#"<a href="/plans/small?as_of=2015-06-30">"#)), "{html}");

    let tagged = page(&browse(&app, "/portfolio?as_of=2015-06-30&tag=north", None).await);
    assert!(tagged.contains("1 plan, each rated"), "{tagged}");
    assert!(tagged.contains("tagged “north”"), "{tagged}");
    assert!(!tagged.contains(&escaped(r#"<a href="/plans/small?as_of=2015-06-30">"#)));

    let list = page(&browse(&app, "/?as_of=2015-06-30", None).await);
    assert!(list.contains(&escaped(r#"<a href="/portfolio?as_of=2015-06-30">"#)), "{list}");
    let bad = browse(&app, "/portfolio?as_of=June", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

//! No input makes the server fail: any body, JSON or not, sent as an update or an
//! override, gets an answer from the error table (or success), never a 500.

use axum::http::StatusCode;
use proptest::prelude::*;

use crate::common::TestApp;

fn answer(body: &str, path: &str, put: bool) -> StatusCode {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let app = TestApp::with_small_plan().await;
        let token = Some(app.tokens.editor.as_str());
        let response = if put {
            app.put_json(path, token, body, Some("\"1\"")).await
        } else {
            app.post_json(path, token, body, Some("\"1\"")).await
        };
        if !response.status.is_success() {
            response.problem();
        }
        response.status
    })
}

/// JSON-ish text: objects with the update's field names and odd values.
fn update_like() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "delivery_rating",
        "outcome_rating",
        "status",
        "progress",
        "note",
        "evidence",
        "by",
        "on",
        "rating",
        "justification",
        "colour",
    ]);
    let value = prop_oneof![
        Just("null".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[a-zA-Z0-9/ -]{0,12}".prop_map(|s| format!("{s:?}")),
        Just("\"2015-06-30\"".to_owned()),
        Just("[]".to_owned()),
    ];
    prop::collection::vec((field, value), 0..6).prop_map(|pairs| {
        let fields: Vec<String> = pairs.iter().map(|(f, v)| format!("{f:?}: {v}")).collect();
        format!("{{{}}}", fields.join(", "))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_update_body_is_answered_from_the_table(body in prop_oneof![update_like(), ".{0,40}"]) {
        let status = answer(&body, "/v1/plans/small/actions/1.2.1/updates", false);
        prop_assert!(
            [201, 400, 422].contains(&status.as_u16()),
            "{body} -> {status}"
        );
    }

    #[test]
    fn any_override_body_is_answered_from_the_table(body in prop_oneof![update_like(), ".{0,40}"]) {
        let status = answer(&body, "/v1/plans/small/actions/1.2.1/override", true);
        prop_assert!([200, 400, 422].contains(&status.as_u16()), "{body} -> {status}");
    }
}

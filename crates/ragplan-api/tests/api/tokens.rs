//! Tokens managed by an admin through the API.

use axum::http::{Method, StatusCode};

use crate::common::TestApp;

#[tokio::test]
async fn an_admin_creates_lists_and_revokes_tokens() {
    let app = TestApp::new();
    let admin = Some(app.tokens.admin.as_str());
    let body = r#"{"name": "performance-dashboard", "role": "reader"}"#;
    let created = app.post_json("/v1/tokens", admin, body, None).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let created = created.json();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("rp_") && secret.len() == 67);
    // Four tokens were made by the test app (1 to 4); this is the fifth.
    insta::assert_json_snapshot!(created["token"], @r#"
    {
      "created_at": "2015-06-30T12:00:00Z",
      "id": 5,
      "name": "performance-dashboard",
      "revoked_at": null,
      "role": "reader"
    }
    "#);

    // The new token reads, and may not write.
    assert_eq!(app.get("/v1/plans", Some(&secret)).await.status, StatusCode::OK);
    let write = app.post_json("/v1/tokens", Some(&secret), body, None).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(
        write.problem()["detail"],
        "this needs the admin role; the token has the reader role"
    );

    // The list never shows a secret.
    let list = app.get("/v1/tokens", admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.text().contains("rp_"));
    let names: Vec<String> = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["dashboard", "case-system", "board-admin", "old-intranet", "performance-dashboard"]
    );

    let revoke = app.request(Method::DELETE, "/v1/tokens/5", admin, None, None, "").await;
    assert_eq!(revoke.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/v1/plans", Some(&secret)).await.status, StatusCode::UNAUTHORIZED);
    let again = app.request(Method::DELETE, "/v1/tokens/5", admin, None, None, "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let nonsense = app.request(Method::DELETE, "/v1/tokens/five", admin, None, None, "").await;
    assert_eq!(nonsense.status, StatusCode::NOT_FOUND);

    let unnamed =
        app.post_json("/v1/tokens", admin, r#"{"name": " ", "role": "editor"}"#, None).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_role =
        app.post_json("/v1/tokens", admin, r#"{"name": "x", "role": "owner"}"#, None).await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_role.problem()["errors"][0]["at"], "role");
}

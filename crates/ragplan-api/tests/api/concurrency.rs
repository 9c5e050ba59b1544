//! No lost updates: 200 clients at once each read the plan and post an update with
//! the `If-Match` they read. Every request gets 201 or 412, and every 201 is in the
//! stored plan.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::http::StatusCode;

use crate::common::TestApp;

const N_CLIENTS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_clients_lose_nothing() {
    let app = Arc::new(TestApp::with_small_plan().await);
    let path = "/v1/plans/small/actions/2.1/updates";
    let before = app.get("/v1/plans/small/actions/2.1", Some(&app.tokens.reader)).await.json();
    let n_before = before["action"]["updates"].as_array().unwrap().len();

    let mut tasks = Vec::new();
    for client in 0..N_CLIENTS {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let token = Some(app.tokens.editor.as_str());
            let read = app.get("/v1/plans/small", token).await;
            let etag = read.header("etag").to_owned();
            let body = format!(
                r#"{{"by": "Client {client}", "note": "note {client}", "on": "2015-06-30"}}"#
            );
            let response = app.post_json(path, token, &body, Some(&etag)).await;
            (client, response.status, response.header("etag").to_owned())
        }));
    }
    let mut succeeded = BTreeSet::new();
    let mut new_versions = BTreeSet::new();
    let mut n_stale = 0;
    for task in tasks {
        let (client, status, etag) = task.await.unwrap();
        match status {
            StatusCode::CREATED => {
                succeeded.insert(client);
                assert!(new_versions.insert(etag), "two successes made the same version");
            }
            StatusCode::PRECONDITION_FAILED => n_stale += 1,
            other => panic!("client {client} got {other}"),
        }
    }
    assert!(!succeeded.is_empty());
    assert_eq!(succeeded.len() + n_stale, N_CLIENTS);

    let after = app.get("/v1/plans/small/actions/2.1", Some(&app.tokens.reader)).await;
    assert_eq!(after.header("etag"), format!("\"{}\"", 1 + succeeded.len()));
    let updates = after.json()["action"]["updates"].as_array().unwrap().clone();
    assert_eq!(updates.len() - n_before, succeeded.len(), "entries added == successes");
    let logged: BTreeSet<usize> = updates[n_before..]
        .iter()
        .map(|u| u["note"].as_str().unwrap().trim_start_matches("note ").parse().unwrap())
        .collect();
    assert_eq!(logged, succeeded, "every success is in the stored plan, and nothing else");

    let history =
        app.get("/v1/plans/small/history?limit=500", Some(&app.tokens.reader)).await.json();
    assert_eq!(history["total"].as_u64(), Some(1 + succeeded.len() as u64));
}

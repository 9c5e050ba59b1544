//! The dashboard's pages for a generated 500-action plan, answered by the router
//! in-process: the store read, the plan rated as it stood and as it stood at the end
//! of the last quarter, the report gathered (exceptions, movement, trend) and the page
//! written. The target is at most 20 ms for the plan page.
//!
//! Run with `cargo bench -p ragplan-api --bench dashboard -- --warm-up-time 1 --measurement-time 5`.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use ragplan_core::generate::synthetic_plan;
use tower::ServiceExt;

fn dashboard_500(c: &mut Criterion) {
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread().enable_all().build() else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let plan = synthetic_plan(500, 5, 1);
    let id = plan.id.to_string();
    let Some((app, _)) = common::serve(&runtime, dir.path(), &plan, true) else { return };

    // One GET, read whole: the page's bytes as a browser gets them.
    let get = |path: String| {
        let app = app.clone();
        async move {
            let request = Request::get(path).body(Body::empty()).unwrap_or_default();
            let response = app.oneshot(request).await.ok()?;
            assert_eq!(response.status(), StatusCode::OK);
            let body = response.into_body().collect().await.ok()?.to_bytes();
            Some(body.len())
        }
    };
    let mut group = c.benchmark_group("dashboard_500");
    let page = format!("/plans/{id}");
    group.bench_function("plan_page", |b| b.iter(|| runtime.block_on(get(page.clone()))));
    let filtered = format!("/plans/{id}?rating=red&flag=overdue");
    group.bench_function("plan_page_filtered", |b| {
        b.iter(|| runtime.block_on(get(filtered.clone())))
    });
    let action = format!("/plans/{id}/actions/1.1.1");
    group.bench_function("action_page", |b| b.iter(|| runtime.block_on(get(action.clone()))));
    group.bench_function("plan_list", |b| b.iter(|| runtime.block_on(get("/".to_owned()))));
    group.finish();
}

criterion_group!(benches, dashboard_500);
criterion_main!(benches);

//! `POST …/actions/1.1.1/updates` on a generated 500-action plan, answered by the
//! router in-process on a SQLite store: the plan read, the If-Match checked, the
//! update recorded with its audit entry (one transaction, fsynced), and the action's
//! ratings answered. Measured with the action's log already holding 0, 1,000 and
//! 10,000 entries: the target is a cost that does not grow with the log.
//!
//! Each measurement records only a few hundred updates (about 550 with the warm-up:
//! 10 samples of 330–385 updates in all), so that the log stays near the length it
//! is named after: the `log_0` case is of logs of up to a few hundred entries.
//!
//! Run with `cargo bench -p ragplan-api --bench update`.

mod common;

use std::cell::Cell;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ragplan_api::etag;
use ragplan_core::generate::synthetic_plan;
use ragplan_core::{Key, Rating, Update};
use tower::ServiceExt;

const BODY: &str = r#"{"by": "Load test", "note": "progress checked", "delivery_rating": "amber"}"#;

fn update_500(c: &mut Criterion) {
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread().enable_all().build() else {
        return;
    };
    let mut group = c.benchmark_group("update_500");
    // Few updates in each measurement, so that the log stays near the length the
    // measurement is named after: 10 samples, a few hundred updates in all.
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(100));
    group.measurement_time(Duration::from_millis(200));
    for entries in [0usize, 1_000, 10_000] {
        let Ok(dir) = tempfile::tempdir() else { return };
        let mut plan = synthetic_plan(500, 5, 1);
        let key: Key = "1.1.1".parse().unwrap_or_else(|_| unreachable!("a plain key"));
        let first = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
        if let Some(action) = plan.action_mut(&key) {
            action.updates.extend((0..entries).map(|i| {
                let mut update = Update::new(first, format!("Officer {}", i % 7));
                update.delivery = Some(Rating::Amber);
                update.note = Some(format!("progress checked, round {i}"));
                update
            }));
        }
        let id = plan.id.to_string();
        let Some((app, bearer)) = common::serve(&runtime, dir.path(), &plan, false) else {
            return;
        };
        let version = Cell::new(1u64);
        let path = format!("/v1/plans/{id}/actions/1.1.1/updates");
        group.bench_function(format!("log_{entries}"), |b| {
            b.iter(|| {
                let request = Request::post(&path)
                    .header("authorization", &bearer)
                    .header("content-type", "application/json")
                    .header(header::IF_MATCH, etag(version.get()))
                    .body(Body::from(BODY))
                    .unwrap_or_default();
                let response = runtime.block_on(app.clone().oneshot(request));
                assert!(matches!(response, Ok(ref r) if r.status() == StatusCode::CREATED));
                version.set(version.get() + 1);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, update_500);
criterion_main!(benches);

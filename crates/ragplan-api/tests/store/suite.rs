//! The contract every store keeps, run unchanged against each store: versions that
//! only go up, stale writes refused, changes that read back whole, an append-only
//! audit log, tokens by hash, concurrent writers of one version of which exactly one
//! succeeds, and a second store on the same database that reads every write at once.
//!
//! A store's test target gives a [`Fixture`] and calls [`store_suite!`] with it.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use ragplan_api::store::copy::{TableDigest, copy, digests};
use ragplan_api::store::{AuditRecord, PlanChange};
use ragplan_api::{OpenedStore, Role, SqliteStore, Store, StoreError, first_admin_token};
use ragplan_core::{Action, Key, Objective, Override, Plan, PlanId, Rating, Update};

/// One fresh, empty database and the stores opened on it.
pub trait Fixture {
    /// A store on the fixture's database (a second call opens a second store on the
    /// same database, as a second server would).
    fn try_open(&self) -> Result<OpenedStore, StoreError>;
    /// [`Fixture::try_open`], which must succeed.
    fn open(&self) -> Arc<dyn Store> {
        self.opened().store()
    }
    /// [`Fixture::try_open`], which must succeed, as the store it opened.
    fn opened(&self) -> OpenedStore {
        self.try_open().unwrap_or_else(|e| panic!("the store does not open: {e}"))
    }
    /// Runs `sql` on the database directly, past the store.
    fn execute(&self, sql: &str) -> Result<(), String>;
    /// Marks the database as migrated by a ragplan newer than this one.
    fn make_schema_newer(&self);
}

pub fn audit(summary: &str) -> AuditRecord {
    AuditRecord {
        at: Utc.with_ymd_and_hms(2015, 6, 1, 9, 0, 0).unwrap(),
        who: "test".into(),
        route: "TEST".into(),
        summary: summary.into(),
        before: None,
        after: Some("{\"a\":1}".into()),
    }
}

fn plan(id: &str, title: &str) -> Plan {
    Plan::new(PlanId::new(id).unwrap(), title)
}

/// A plan with one action, 1.1, for changes to be recorded on.
fn plan_with_action(id: &str) -> Plan {
    let mut plan = plan(id, "A");
    let mut objective = Objective::new(Key::new("1").unwrap(), "Objective");
    objective.actions.push(Action::new(Key::new("1.1").unwrap(), "Act"));
    plan.objectives.push(objective);
    plan
}

fn change(n: u32) -> PlanChange {
    let on = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(n.into());
    let key = Key::new("1.1").unwrap();
    if n.is_multiple_of(10) {
        let ov = Override::new(Rating::Amber, "Chair", on, format!("judgement {n}")).unwrap();
        return PlanChange::ActionOverride { key, ov };
    }
    let mut update = Update::new(on, format!("Officer {n}"));
    update.note = Some(format!("note {n}"));
    update.progress = Some((n % 101) as u8);
    PlanChange::Update { key, update, today: on }
}

pub fn versions_advance_and_stale_writes_are_refused(f: &dyn Fixture) {
    let store = f.open();
    let id = PlanId::new("p").unwrap();
    assert_eq!(store.create_plan(plan("p", "A"), audit("create")).unwrap().version, 1);
    assert!(matches!(
        store.create_plan(plan("p", "A"), audit("again")),
        Err(StoreError::Exists(_))
    ));
    assert_eq!(store.replace_plan(plan("p", "B"), 1, audit("b")).unwrap().version, 2);
    assert!(matches!(
        store.replace_plan(plan("p", "C"), 1, audit("c")),
        Err(StoreError::Stale { expected: 1, current: 2 })
    ));
    assert!(matches!(
        store.replace_plan(plan("q", "C"), 1, audit("c")),
        Err(StoreError::NotFound(_))
    ));
    let stored = store.plan(&id).unwrap().unwrap();
    assert_eq!((stored.plan.title.as_str(), stored.version), ("B", 2));
    assert!(matches!(store.delete_plan(&id, 1, audit("x")), Err(StoreError::Stale { .. })));
    store.delete_plan(&id, 2, audit("delete")).unwrap();
    assert!(store.plan(&id).unwrap().is_none());
    let history = store.history(&id, 10, 0).unwrap();
    let summaries: Vec<_> = history.items.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(summaries, ["create", "b", "delete"]);
    assert_eq!(
        history.items.iter().map(|e| e.version).collect::<Vec<_>>(),
        [Some(1), Some(2), None]
    );
    assert_eq!(history.items[0].after, Some(serde_json::json!({"a": 1})));
    assert_eq!(history.total, 3);
    // Created again, the plan goes on from version 2: "p" at version 1 or 2 names
    // only the documents it named before.
    assert_eq!(store.create_plan(plan("p", "D"), audit("create again")).unwrap().version, 3);
    assert!(matches!(
        store.replace_plan(plan("p", "E"), 1, audit("e")),
        Err(StoreError::Stale { expected: 1, current: 3 })
    ));
}

pub fn changes_read_back_whole_across_compaction(f: &dyn Fixture) {
    let store = f.open();
    let mut plan = plan_with_action("p");
    store.create_plan(plan.clone(), audit("create")).unwrap();
    let n = 2 * ragplan_api::store::WHOLE_EVERY as u32 + 5;
    for i in 1..=n {
        let change = change(i);
        change.apply_to(&mut plan).unwrap();
        let stored = store.record_change(plan.clone(), &change, u64::from(i), audit("u")).unwrap();
        assert_eq!(stored.version, u64::from(i) + 1);
    }
    let err = store.record_change(plan.clone(), &change(n + 1), 1, audit("late"));
    assert!(matches!(err, Err(StoreError::Stale { expected: 1, .. })), "{err:?}");
    // A store opened afresh reads it from the database, not from memory.
    let fresh = f.open();
    let read = fresh.plan(&plan.id).unwrap().unwrap();
    assert_eq!(read.version, u64::from(n) + 1);
    assert_eq!(*read.plan, plan);
    assert_eq!(&*read.document(), plan.to_json().as_str());
    assert_eq!(read.plan.actions().next().map(|a| a.overrides.len()), Some(13));
    plan.title = "Renamed".into();
    fresh.replace_plan(plan.clone(), u64::from(n) + 1, audit("rename")).unwrap();
    assert_eq!(*f.open().plan(&plan.id).unwrap().unwrap().plan, plan);
    assert_eq!(f.open().history(&plan.id, 1, 0).unwrap().total, u64::from(n) + 2);
}

pub fn the_audit_log_is_append_only(f: &dyn Fixture) {
    let store = f.open();
    store.create_plan(plan("p", "A"), audit("create")).unwrap();
    for sql in ["DELETE FROM audit", "UPDATE audit SET who = 'someone else'"] {
        let err = f.execute(sql).unwrap_err();
        assert!(err.contains("the audit log is append-only"), "{sql}: {err}");
    }
    // The database itself answers: a harmless statement goes through.
    f.execute("SELECT 1").unwrap();
    let history = store.history(&PlanId::new("p").unwrap(), 10, 0).unwrap();
    assert_eq!((history.total, history.items[0].who.as_str()), (1, "test"));
}

pub fn tokens_are_found_by_hash_and_revoked_once(f: &dyn Fixture) {
    let store = f.open();
    let at = Utc.with_ymd_and_hms(2015, 6, 1, 9, 0, 0).unwrap();
    let token = store.create_token("dashboard", Role::Reader, "abc", at).unwrap();
    let second = store.create_token("cabinet", Role::Editor, "abd", at).unwrap();
    assert!(second.id > token.id);
    assert_eq!(store.token_by_hash("abc").unwrap().unwrap().name, "dashboard");
    assert_eq!(store.token_by_hash("abd").unwrap().unwrap().role, Role::Editor);
    assert!(store.token_by_hash("abe").unwrap().is_none());
    assert!(store.revoke_token(token.id, at).unwrap());
    assert!(!store.revoke_token(token.id, at).unwrap());
    assert!(!store.revoke_token(9999, at).unwrap());
    let tokens = store.tokens().unwrap();
    assert_eq!(
        tokens.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["dashboard", "cabinet"]
    );
    assert_eq!(tokens[0].revoked_at.as_deref(), Some("2015-06-01T09:00:00Z"));
    assert!(tokens[1].revoked_at.is_none());
}

/// Servers starting together on one empty database each ask for the first token:
/// exactly one gets it (the first-admin-token race, in which each saw no token and
/// made its own), and once a token is held, revoked or not, none is made. The
/// first round goes through `first_admin_token`, as `ragplan serve` starts.
pub fn of_servers_starting_together_one_makes_the_first_token(f: &dyn Fixture) {
    let at = Utc.with_ymd_and_hms(2015, 6, 1, 9, 0, 0).unwrap();
    let stores: Vec<_> = (0..6).map(|_| f.open()).collect();
    let start = std::sync::Barrier::new(stores.len());
    let made: Vec<Option<i64>> = std::thread::scope(|s| {
        let handles: Vec<_> = stores
            .iter()
            .map(|store| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    first_admin_token(store.as_ref(), at).unwrap().map(|(info, _)| info.id)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first: Vec<_> = made.iter().flatten().collect();
    assert_eq!(first.len(), 1, "{made:?}");
    let tokens = stores[0].tokens().unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        (tokens[0].id, tokens[0].role, tokens[0].name.as_str()),
        (*first[0], Role::Admin, "admin")
    );
    // Revoked, it is still a token: no server makes another.
    assert!(stores[0].revoke_token(tokens[0].id, at).unwrap());
    let made: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(i, store)| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    store.create_first_token("admin", Role::Admin, &format!("again-{i}"), at)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
    });
    assert!(made.iter().all(Option::is_none), "{made:?}");
    assert_eq!(stores[0].tokens().unwrap().len(), 1);
}

pub fn plans_are_listed_by_id_a_page_at_a_time(f: &dyn Fixture) {
    let store = f.open();
    // In byte order, whatever the database's collation: upper case before lower.
    for id in ["c", "a", "B", "b"] {
        store.create_plan(plan(id, &format!("Plan {id}")), audit("create")).unwrap();
    }
    let page = store.plans(2, 1).unwrap();
    assert_eq!(page.total, 4);
    let ids: Vec<_> = page.items.iter().map(|p| p.plan.id.to_string()).collect();
    assert_eq!(ids, ["a", "b"]);
    let all: Vec<_> = store.all_plans().unwrap().iter().map(|p| p.plan.id.to_string()).collect();
    assert_eq!(all, ["B", "a", "b", "c"]);
    store.check().unwrap();
}

/// Writers racing on one version of a plan: exactly one succeeds, every other is
/// refused as stale, and the audit log holds one entry per success.
pub fn of_writers_racing_on_one_version_one_wins(f: &dyn Fixture) {
    let stores = [f.open(), f.open()];
    let plan = plan_with_action("p");
    stores[0].create_plan(plan.clone(), audit("create")).unwrap();
    for round in 1..=5u32 {
        let expected = u64::from(round);
        let results: Vec<Result<u64, StoreError>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let store = &stores[i % 2];
                    let mut mine = store.plan(&plan.id).unwrap().unwrap().plan.as_ref().clone();
                    s.spawn(move || {
                        let change = change(round * 100 + i as u32 + 1);
                        change.apply_to(&mut mine).unwrap();
                        store
                            .record_change(mine, &change, expected, audit("race"))
                            .map(|p| p.version)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won, [&(expected + 1)], "{results:?}");
        for r in &results {
            if let Err(e) = r {
                assert!(
                    matches!(e, StoreError::Stale { expected: x, current } if *x == expected && *current == expected + 1),
                    "{e}"
                );
            }
        }
    }
    let history = stores[1].history(&plan.id, 100, 0).unwrap();
    assert_eq!(history.total, 6);
    let read = f.open().plan(&plan.id).unwrap().unwrap();
    assert_eq!((read.version, read.plan.actions().next().unwrap().updates.len()), (6, 5));
}

/// A plan written through one store is read at its new version through another on
/// the same database at once, whatever the other kept in memory.
pub fn a_write_through_one_store_is_read_through_another_at_once(f: &dyn Fixture) {
    let (one, two) = (f.open(), f.open());
    let mut plan = plan_with_action("p");
    one.create_plan(plan.clone(), audit("create")).unwrap();
    assert_eq!(two.plan(&plan.id).unwrap().unwrap().version, 1);
    for v in 1..=3u32 {
        let change = change(v);
        change.apply_to(&mut plan).unwrap();
        one.record_change(plan.clone(), &change, u64::from(v), audit("u")).unwrap();
        let read = two.plan(&plan.id).unwrap().unwrap();
        assert_eq!((read.version, &*read.plan), (u64::from(v) + 1, &plan));
    }
    one.delete_plan(&plan.id, 4, audit("delete")).unwrap();
    assert!(two.plan(&plan.id).unwrap().is_none());
    assert_eq!(two.plans(10, 0).unwrap().total, 0);
}

/// Text the user gave is kept: a plan holding quotes, non-Latin letters and a NUL
/// character reads back exactly (from its document); an audit summary keeps the
/// rest of its text, its NUL written U+FFFD where the database's text cannot hold
/// one (PostgreSQL).
pub fn odd_text_is_kept(f: &dyn Fixture) {
    let store = f.open();
    let title = "Plan \"A\" — Ōsaka ‘café’ \u{0} end";
    store.create_plan(plan("p", title), audit("created \u{0} 'it'")).unwrap();
    let read = f.open().plan(&PlanId::new("p").unwrap()).unwrap().unwrap();
    assert_eq!(read.plan.title, title);
    let history = store.history(&read.plan.id, 1, 0).unwrap();
    let summary = history.items[0].summary.as_str();
    assert!(summary == "created \u{0} 'it'" || summary == "created \u{fffd} 'it'", "{summary:?}");
}

pub fn a_newer_schema_is_refused(f: &dyn Fixture) {
    drop(f.open());
    f.make_schema_newer();
    let err = f.try_open().map(|_| ()).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("schema is version 99"), "{err}");
}

/// A store holding some of everything: plans with recorded changes and without,
/// a deleted one, the audit log of each, tokens, one revoked.
fn populate(store: &dyn Store) {
    let mut plan = plan_with_action("p");
    store.create_plan(plan.clone(), audit("create p")).unwrap();
    for i in 1..=5 {
        let change = change(i * 5);
        change.apply_to(&mut plan).unwrap();
        store.record_change(plan.clone(), &change, u64::from(i), audit("u")).unwrap();
    }
    store.create_plan(plan_with_action("q"), audit("create q")).unwrap();
    store.create_plan(plan_with_action("gone"), audit("create gone")).unwrap();
    store.delete_plan(&PlanId::new("gone").unwrap(), 1, audit("delete gone")).unwrap();
    let at = Utc.with_ymd_and_hms(2015, 6, 1, 9, 0, 0).unwrap();
    let old = store.create_token("old", Role::Admin, "hash-old", at).unwrap();
    store.create_token("board", Role::Reader, "hash-board", at).unwrap();
    store.revoke_token(old.id, at).unwrap();
}

/// A deployment moved into this store from a SQLite file and out again into another
/// holds every table exactly (counts and digests equal at each step); the store
/// copied into serves it, numbering new audit entries and tokens after the copied
/// ones; a store that holds something is not copied into.
pub fn a_copy_holds_every_table_exactly(f: &dyn Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let source = OpenedStore::open(dir.path().join("source.db").as_os_str()).unwrap();
    populate(source.store().as_ref());
    let want: Vec<TableDigest> = digests(&source).unwrap();
    assert_eq!(want.iter().map(|d| d.rows).collect::<Vec<_>>(), [2, 2, 5, 9, 2]);
    let target = f.opened();
    assert_eq!(copy(&source, &target).unwrap(), want);
    let back = OpenedStore::open(dir.path().join("back.db").as_os_str()).unwrap();
    assert_eq!(copy(&target, &back).unwrap(), want);
    let err = copy(&source, &target).unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty(_)), "{err}");
    assert!(err.to_string().contains("2 rows in plans"), "{err}");

    let store = f.open();
    let from = SqliteStore::open(dir.path().join("source.db")).unwrap();
    let id = PlanId::new("p").unwrap();
    assert_eq!(*store.plan(&id).unwrap().unwrap().plan, *from.plan(&id).unwrap().unwrap().plan);
    assert_eq!(store.tokens().unwrap(), from.tokens().unwrap());
    assert_eq!(store.history(&id, 100, 0).unwrap().items, from.history(&id, 100, 0).unwrap().items);
    let at = Utc.with_ymd_and_hms(2015, 7, 1, 9, 0, 0).unwrap();
    let token = store.create_token("new", Role::Editor, "hash-new", at).unwrap();
    assert_eq!(token.id, 3);
    let plan = store.plan(&id).unwrap().unwrap();
    store.replace_plan(plan.plan.as_ref().clone(), plan.version, audit("after the copy")).unwrap();
    let last = store.history(&id, 100, 0).unwrap().items.last().unwrap().seq;
    assert_eq!(last, 10);
}

/// One `#[test]` for each part of the contract, on the fixture `$fixture()` makes.
#[macro_export]
macro_rules! store_suite {
    ($fixture:expr) => {
        $crate::store_suite!(@tests $fixture;
            versions_advance_and_stale_writes_are_refused,
            changes_read_back_whole_across_compaction,
            the_audit_log_is_append_only,
            tokens_are_found_by_hash_and_revoked_once,
            of_servers_starting_together_one_makes_the_first_token,
            plans_are_listed_by_id_a_page_at_a_time,
            of_writers_racing_on_one_version_one_wins,
            a_write_through_one_store_is_read_through_another_at_once,
            odd_text_is_kept,
            a_newer_schema_is_refused,
            a_copy_holds_every_table_exactly,
        );
    };
    (@tests $fixture:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let fixture = $fixture();
                $crate::suite::$name(&fixture);
            }
        )*
    };
}

//! Several `ragplan serve` processes on one PostgreSQL database, as behind a load
//! balancer: conflicting writes from many clients across them, one of them killed
//! at random moments, PostgreSQL stopped and started under load, and reads through
//! one server of what another wrote. Built with the `postgres-tests` feature; each
//! test makes a database of its own on the server `RAGPLAN_TEST_POSTGRES` names
//! (with `psql`) and fails, never skips, without one. `RAGPLAN_TEST_PG_STOP` and
//! `RAGPLAN_TEST_PG_START` are the shell commands that stop and start that server
//! (`.ci/postgres.sh` sets all three).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use crate::server::{Server, Xorshift, http};

/// Held for reading by each test, and for writing by the one that stops the
/// PostgreSQL server the others use.
static SERVER: RwLock<()> = RwLock::new(());

/// A database of its own on the test server, dropped at the end.
struct Database {
    _server: Option<RwLockReadGuard<'static, ()>>,
    admin: String,
    name: String,
    url: String,
    dir: tempfile::TempDir,
}

fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

impl Database {
    fn new() -> Database {
        Database::made(Some(SERVER.read().unwrap_or_else(|e| e.into_inner())))
    }

    fn made(server: Option<RwLockReadGuard<'static, ()>>) -> Database {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let admin = std::env::var("RAGPLAN_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!(
                "RAGPLAN_TEST_POSTGRES must name a PostgreSQL server to test against \
                 (postgres://user@127.0.0.1:5432/postgres); .ci/postgres.sh starts one"
            )
        });
        let name = format!(
            "ragplan_instances_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        psql(&admin, &format!("CREATE DATABASE {name}")).unwrap_or_else(|e| {
            panic!("cannot make a test database on RAGPLAN_TEST_POSTGRES: {e}")
        });
        let root = admin.rsplit_once('/').map_or(admin.as_str(), |(root, _)| root);
        let url = format!("{root}/{name}");
        Database { _server: server, admin, name, url, dir: tempfile::tempdir().unwrap() }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("servers.log")
    }

    /// Starts a server on the database.
    fn serve(&self) -> Server {
        Server::start(Path::new(&self.url), &self.log())
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = psql(&self.admin, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

const PLAN: &str = r#"{"format": "ragplan/1", "id": "shared", "title": "Shared plan",
  "objectives": [{"key": "1", "title": "Prevent", "actions": [{"key": "1.1", "title": "Agree the protocol"}]}]}"#;

/// Starts `n` servers on a fresh database (the first makes the admin token) with the
/// plan `shared` stored through the first.
fn servers(db: &Database, n: usize) -> (Vec<Server>, String) {
    let first = db.serve();
    let token = first.first_token.clone().expect("the first start prints an admin token");
    let headers = [("Content-Type", "application/json")];
    assert_eq!(first.json("POST", "/v1/plans", &token, &headers, PLAN).0, 201);
    let mut all = vec![first];
    all.extend((1..n).map(|_| db.serve()));
    assert!(all[1..].iter().all(|s| s.first_token.is_none()), "a second admin token was made");
    (all, token)
}

/// The notes of the shared plan's action, and its version, read through `server`.
fn notes_and_version(server: &Server, token: &str) -> (Vec<String>, u64) {
    let (status, etag, plan) = server.json("GET", "/v1/plans/shared", token, &[], "");
    assert_eq!(status, 200, "{plan}");
    let notes = plan["objectives"][0]["actions"][0]["updates"]
        .as_array()
        .map(|u| u.iter().map(|u| u["note"].as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default();
    (notes, etag.trim_matches('"').parse().unwrap())
}

fn update(addr: &str, token: &str, etag: &str, note: &str) -> std::io::Result<u16> {
    let body = format!(r#"{{"by": "Lead officer", "note": "{note}", "on": "2015-06-30"}}"#);
    let headers = [("Content-Type", "application/json"), ("If-Match", etag)];
    let path = "/v1/plans/shared/actions/1.1/updates";
    http(addr, "POST", path, Some(token), &headers, body.as_bytes()).map(|r| r.0)
}

/// The audit entries of the shared plan, read through `server`.
fn audit_total(server: &Server, token: &str) -> u64 {
    let (_, _, history) = server.json("GET", "/v1/plans/shared/history?limit=1", token, &[], "");
    history["total"].as_u64().unwrap()
}

/// 200 clients spread over three servers each read the plan's version and post an
/// update naming it: every one is answered 201 or 412, and the 201s are exactly the
/// audit entries and the updates in the stored plan, which every server reads alike.
#[test]
fn two_hundred_clients_on_three_servers_lose_no_update() {
    let db = Database::new();
    let (servers, token) = servers(&db, 3);
    let addrs: Vec<String> = servers.iter().map(|s| s.addr.clone()).collect();
    let won = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..200)
        .map(|i| {
            let (addrs, token, won) = (addrs.clone(), token.clone(), won.clone());
            std::thread::spawn(move || {
                let read = &addrs[i % 3];
                let (_, headers, _) =
                    http(read, "GET", "/v1/plans/shared", Some(&token), &[], b"").unwrap();
                let etag = crate::server::header(&headers, "etag");
                let note = format!("client {i}");
                let status = update(&addrs[(i + 1) % 3], &token, &etag, &note).unwrap();
                assert!(status == 201 || status == 412, "client {i}: {status}");
                if status == 201 {
                    won.lock().unwrap().push(note);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let won = won.lock().unwrap().clone();
    assert!(!won.is_empty());
    for server in &servers {
        let (notes, version) = notes_and_version(server, &token);
        assert_eq!(notes.len(), won.len());
        assert!(won.iter().all(|n| notes.contains(n)), "{won:?} against {notes:?}");
        assert_eq!(version, 1 + won.len() as u64);
        assert_eq!(audit_total(server, &token), 1 + won.len() as u64);
    }
}

/// A plan written through one server is read at its new version through the others
/// at once: its document, its ETag and its assessment.
#[test]
fn a_write_through_one_server_is_read_through_the_others_at_once() {
    let db = Database::new();
    let (servers, token) = servers(&db, 3);
    for round in 1..=5u64 {
        let writer = &servers[(round as usize) % 3];
        let status =
            update(&writer.addr, &token, &format!("\"{round}\""), &format!("round {round}"));
        assert_eq!(status.unwrap(), 201);
        for server in &servers {
            let (notes, version) = notes_and_version(server, &token);
            assert_eq!((version, notes.len() as u64), (round + 1, round));
            let path = "/v1/plans/shared/assessment?as_of=2015-06-30";
            let (status, etag, _) = server.json("GET", path, &token, &[], "");
            assert_eq!(status, 200);
            assert!(etag.contains(&format!("{}", round + 1)), "{etag}");
        }
    }
}

/// One of three servers is killed with SIGKILL at random moments while writes go
/// through it (20 times, started again each time): every acknowledged write is in
/// the plan, and the other two answer throughout.
#[test]
fn a_server_killed_mid_write_loses_nothing_acknowledged_and_the_others_serve_on() {
    let db = Database::new();
    let (mut servers, token) = servers(&db, 3);
    let mut rng = Xorshift(0x5EED_2026_1207);
    let mut acknowledged: Vec<String> = Vec::new();
    let mut n = 0;
    for round in 0..20 {
        let victim = servers.remove(0);
        let n_writes = 1 + rng.below(5);
        let mut in_flight = None;
        for i in 0..=n_writes {
            n += 1;
            let note = format!("write {n}");
            let (_, version) = notes_and_version(&victim, &token);
            let (addr, token) = (victim.addr.clone(), token.clone());
            let handle = std::thread::spawn(move || {
                let status = update(&addr, &token, &format!("\"{version}\""), &note).ok();
                (note, status)
            });
            if i == n_writes {
                in_flight = Some(handle);
            } else {
                let (note, status) = handle.join().unwrap();
                assert_eq!(status, Some(201), "round {round}: {note}");
                acknowledged.push(note);
            }
        }
        if rng.below(2) == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(5)));
        }
        victim.kill();
        if let Some((note, Some(201))) = in_flight.map(|h| h.join().unwrap()) {
            acknowledged.push(note);
        }
        for other in &servers {
            let (notes, version) = notes_and_version(other, &token);
            assert_eq!(version, 1 + notes.len() as u64, "round {round}");
            for note in &acknowledged {
                assert!(notes.contains(note), "round {round}: {note} was lost");
            }
        }
        servers.push(db.serve());
    }
    assert!(acknowledged.len() >= 40, "{} writes acknowledged", acknowledged.len());
    let (notes, _) = notes_and_version(&servers[0], &token);
    assert_eq!(audit_total(&servers[0], &token), 1 + notes.len() as u64);
}

fn shell(variable: &str) {
    let command = std::env::var(variable)
        .unwrap_or_else(|_| panic!("{variable} must be the shell command for it"));
    let status = Command::new("sh").args(["-c", &command]).status().unwrap();
    assert!(status.success(), "{variable} ({command}) failed: {status}");
}

/// PostgreSQL stopped and started again while three clients write through two
/// servers: while it is down every request is answered (503 with Retry-After, not a
/// hang), no server stops, the service comes back by itself, and every acknowledged
/// write is in the plan; a write answered 503 is in it whole or not at all.
#[test]
fn postgres_stopped_and_started_under_load_loses_nothing_acknowledged() {
    let _alone = SERVER.write().unwrap_or_else(|e| e.into_inner());
    let db = Database::made(None);
    let (servers, token) = servers(&db, 2);
    let addrs: Vec<String> = servers.iter().map(|s| s.addr.clone()).collect();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Vec::<(String, u16)>::new()));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (addrs, token, stop, outcomes) =
                (addrs.clone(), token.clone(), stop.clone(), outcomes.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let addr = &addrs[(w + i) % addrs.len()];
                    let started = Instant::now();
                    let Ok((status, headers, _)) =
                        http(addr, "GET", "/v1/plans/shared", Some(&token), &[], b"")
                    else {
                        panic!("writer {w}: the server did not answer");
                    };
                    assert!(started.elapsed() < Duration::from_secs(15), "a read hung");
                    if status != 200 {
                        assert_eq!(status, 503, "writer {w}");
                        assert_eq!(crate::server::header(&headers, "retry-after"), "1");
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    }
                    let etag = crate::server::header(&headers, "etag");
                    let note = format!("writer {w} write {i}");
                    let status = update(addr, &token, &etag, &note).expect("no answer");
                    assert!(matches!(status, 201 | 412 | 503), "writer {w}: {status}");
                    outcomes.lock().unwrap().push((note, status));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    shell("RAGPLAN_TEST_PG_STOP");
    std::thread::sleep(Duration::from_secs(2));
    let down = outcomes.lock().unwrap().len();
    let (status, headers, _) = http(&addrs[0], "GET", "/healthz", None, &[], b"").unwrap();
    assert_eq!((status, crate::server::header(&headers, "retry-after").as_str()), (503, "1"));
    shell("RAGPLAN_TEST_PG_START");
    // Back by itself: a write succeeds through each server within a bounded wait.
    let back = Instant::now();
    while outcomes.lock().unwrap()[down..].iter().filter(|(_, s)| *s == 201).count() < 6 {
        assert!(back.elapsed() < Duration::from_secs(30), "the service did not come back");
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    for server in &servers {
        let (notes, version) = notes_and_version(server, &token);
        assert_eq!(version, 1 + notes.len() as u64);
        assert_eq!(audit_total(server, &token), 1 + notes.len() as u64);
        for (note, status) in &outcomes {
            let n = notes.iter().filter(|n| *n == note).count();
            match status {
                201 => assert_eq!(n, 1, "{note} acknowledged but not stored once"),
                412 => assert_eq!(n, 0, "{note} refused but stored"),
                _ => assert!(n <= 1, "{note} stored twice"),
            }
        }
    }
    let acknowledged = outcomes.iter().filter(|(_, s)| *s == 201).count();
    assert!(acknowledged >= 6, "{outcomes:?}");
}

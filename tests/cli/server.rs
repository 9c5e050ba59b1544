//! `ragplan serve` and `ragplan token` as a real process on 127.0.0.1 with an
//! ephemeral port: the end-to-end path (import, update, assessment, HTML report), and
//! the crash test (SIGKILL at random moments; every acknowledged write survives).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::{ragplan, repo_root};

/// How many times the crash test kills the server.
const N_KILLS: usize = 20;

/// An HTTP reply: status, headers, body.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A running `ragplan serve`.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    /// The admin token printed on first start, if this start printed one.
    pub(crate) first_token: Option<String>,
}

impl Server {
    /// Starts the server on `db`, reads the lines it prints at start, and waits until
    /// `/healthz` answers (a bounded number of tries).
    pub(crate) fn start(db: &Path, log: &Path) -> Server {
        let log = File::options().create(true).append(true).open(log).unwrap();
        Server::start_with(db, Stdio::from(log), &[])
    }

    /// [`Server::start`] with its standard error going to `stderr` and more flags.
    fn start_with(db: &Path, stderr: Stdio, flags: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ragplan"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(flags)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut first_token = None;
        let addr = loop {
            let line = lines.next().expect("the server stopped before listening").unwrap();
            if line.contains("shown only once") {
                first_token = Some(lines.next().unwrap().unwrap());
            } else if let Some(rest) = line.strip_prefix("ragplan API listening on http://") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        let server = Server { child, addr, first_token };
        let ready = (0..200)
            .any(|_| server.call("GET", "/healthz", None, &[], b"").is_ok_and(|r| r.0 == 200));
        assert!(ready, "/healthz never answered");
        server
    }

    /// One HTTP/1.1 request with `Connection: close`: (status, headers, body).
    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Reply> {
        http(&self.addr, method, path, token, headers, body)
    }

    pub(crate) fn json(
        &self,
        method: &str,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String, Value) {
        let (status, headers, body) =
            self.call(method, path, Some(token), headers, body.as_bytes()).unwrap();
        let etag = header(&headers, "etag");
        let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        (status, etag, value)
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn stop(mut self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "the server did not exit cleanly: {exit}");
    }

    /// SIGKILL: no chance to finish anything.
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    /// A test that fails, or ends without stopping its server, leaves none running.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub(crate) fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok((status, headers, response[split + 4..].to_vec()))
}

#[test]
fn import_update_assess_and_report_through_the_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let (db, log) = (dir.path().join("ragplan.db"), dir.path().join("server.log"));
    let server = Server::start(&db, &log);
    let admin = server.first_token.clone().expect("first start prints an admin token");
    assert!(admin.starts_with("rp_"));

    // `ragplan token create` prints the new token alone on its last line.
    let out = ragplan()
        .args(["token", "create", "--role", "editor", "--name", "case-system", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let editor = stdout.lines().last().unwrap().to_owned();
    assert!(editor.starts_with("rp_") && editor.len() == 67, "{stdout}");

    let tsv =
        std::fs::read(repo_root().join("examples/plans/coventry-cse-delivery-plan.tsv")).unwrap();
    let (status, headers, body) = server
        .call(
            "POST",
            "/v1/plans/import?format=tsv&id=coventry-cse",
            Some(&editor),
            &[("Content-Type", "text/tab-separated-values")],
            &tsv,
        )
        .unwrap();
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    assert_eq!(header(&headers, "etag"), "\"1\"");
    let imported: Value = serde_json::from_slice(&body).unwrap();
    let key = imported["plan"]["objectives"][0]["sub_objectives"][0]["actions"][0]["key"]
        .as_str()
        .unwrap()
        .to_owned();

    let update = r#"{"delivery_rating": "amber", "note": "Protocol drafted", "by": "CSE coordinator", "on": "2015-06-29"}"#;
    let path = format!("/v1/plans/coventry-cse/actions/{key}/updates");
    let json = [("Content-Type", "application/json"), ("If-Match", "\"1\"")];
    let (status, etag, body) = server.json("POST", &path, &editor, &json, update);
    assert_eq!(status, 201, "{body}");
    assert_eq!(etag, "\"2\"");
    assert_eq!(body["action"]["action_rag"], "amber");
    // The same write again with the old version is refused.
    let (status, _, body) = server.json("POST", &path, &editor, &json, update);
    assert_eq!((status, body["current_version"].as_u64()), (412, Some(2)));

    let (status, etag, assessment) =
        server.json("GET", "/v1/plans/coventry-cse/assessment?as_of=2015-06-30", &admin, &[], "");
    assert_eq!((status, etag.as_str()), (200, "\"2\""));
    assert_eq!(assessment["format"], "ragplan-assessment/2");
    assert_eq!(assessment["as_of"], "2015-06-30");
    let node = assessment["nodes"][0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["children"].as_array().cloned().unwrap_or_default().into_iter().chain([c.clone()])
        })
        .find(|n| n["key"] == key.as_str())
        .expect("the updated action is in the assessment");
    assert_eq!(node["delivery"]["reported"], "amber", "{node}");

    let (status, headers, html) = server
        .call(
            "GET",
            "/v1/plans/coventry-cse/report?format=html&as_of=2015-06-30",
            Some(&admin),
            &[],
            b"",
        )
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert!(html.starts_with(b"<!DOCTYPE html>"));

    server.stop();
    // The request log has the requests, and no token.
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("/v1/plans/coventry-cse/assessment"), "{log}");
    assert!(!log.contains(&admin) && !log.contains(&editor), "a token reached the log");
    assert!(!log.contains("rp_"), "{log}");

    // A second start finds the token and prints none.
    let again = Server::start(&db, &dir.path().join("second.log"));
    assert!(again.first_token.is_none());
    let (status, etag, _) = again.json("GET", "/v1/plans/coventry-cse", &admin, &[], "");
    assert_eq!((status, etag.as_str()), (200, "\"2\""));
    again.stop();

    // token list and revoke.
    let list = ragplan().args(["token", "list", "--db"]).arg(&db).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("case-system") && !list.contains("rp_"), "{list}");
    let revoke = ragplan().args(["token", "revoke", "2", "--db"]).arg(&db).output().unwrap();
    assert!(revoke.status.success());
    let revoke_again = ragplan().args(["token", "revoke", "2", "--db"]).arg(&db).output().unwrap();
    assert_eq!(revoke_again.status.code(), Some(2));
}

/// A small deterministic pseudo-random sequence (xorshift), so a failing run can be
/// repeated.
pub(crate) struct Xorshift(pub(crate) u64);

impl Xorshift {
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const CRASH_PLAN: &str = r#"{"format": "ragplan/1", "id": "crash", "title": "Crash test plan",
  "objectives": [{"key": "1", "title": "Prevent", "actions": [{"key": "1.1", "title": "Agree the protocol"}]}]}"#;

/// One write of the crash test: an update carrying a unique note, or a new plan.
#[derive(Debug, Clone)]
enum CrashWrite {
    Note(String),
    Plan(String),
}

fn send_write(addr: &str, token: &str, write: &CrashWrite, if_match: Option<&str>) -> Option<u16> {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(etag) = if_match {
        headers.push(("If-Match", etag));
    }
    let (path, body) = match write {
        CrashWrite::Note(note) => (
            "/v1/plans/crash/actions/1.1/updates".to_owned(),
            format!(r#"{{"by": "Crash test", "note": "{note}", "on": "2015-06-30"}}"#),
        ),
        CrashWrite::Plan(id) => (
            "/v1/plans".to_owned(),
            format!(r#"{{"format": "ragplan/1", "id": "{id}", "title": "Plan {id}"}}"#),
        ),
    };
    http(addr, "POST", &path, Some(token), &headers, body.as_bytes()).ok().map(|r| r.0)
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let (db, log) = (dir.path().join("ragplan.db"), dir.path().join("server.log"));
    let mut rng = Xorshift(0x5EED_2015_0630);
    let mut token: Option<String> = None;
    let mut acknowledged: Vec<CrashWrite> = Vec::new();
    let mut n_writes = 0;
    for round in 0..=N_KILLS {
        let server = Server::start(&db, &log);
        let token = token.get_or_insert_with(|| server.first_token.clone().unwrap()).clone();

        if round == 0 {
            let headers = [("Content-Type", "application/json")];
            let (status, _, _) = server.json("POST", "/v1/plans", &token, &headers, CRASH_PLAN);
            assert_eq!(status, 201);
        } else {
            // After the restart: every acknowledged write is there, and the plan is
            // whole (its document reads, and its version, update log and audit log
            // agree).
            let (status, etag, plan) = server.json("GET", "/v1/plans/crash", &token, &[], "");
            assert_eq!(status, 200, "round {round}");
            let notes: Vec<String> = plan["objectives"][0]["actions"][0]["updates"]
                .as_array()
                .map(|u| u.iter().map(|u| u["note"].as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            assert_eq!(etag, format!("\"{}\"", 1 + notes.len()), "round {round}");
            let (_, _, history) =
                server.json("GET", "/v1/plans/crash/history?limit=500", &token, &[], "");
            assert_eq!(history["total"].as_u64(), Some(1 + notes.len() as u64), "round {round}");
            for write in &acknowledged {
                match write {
                    CrashWrite::Note(note) => {
                        assert!(notes.contains(note), "round {round}: {note} was lost")
                    }
                    CrashWrite::Plan(id) => {
                        let (status, _, _) =
                            server.json("GET", &format!("/v1/plans/{id}"), &token, &[], "");
                        assert_eq!(status, 200, "round {round}: plan {id} was lost");
                    }
                }
            }
        }
        if round == N_KILLS {
            server.stop();
            break;
        }

        // A random number of acknowledged writes, then one more still in flight when
        // the server is killed (kept only if its answer came back).
        let n_acknowledged = 1 + rng.below(6);
        let mut in_flight = None;
        for i in 0..=n_acknowledged {
            n_writes += 1;
            let write = if rng.below(4) == 0 {
                CrashWrite::Plan(format!("plan-{n_writes}"))
            } else {
                CrashWrite::Note(format!("write {n_writes}"))
            };
            let etag = match write {
                CrashWrite::Note(_) => {
                    Some(server.json("GET", "/v1/plans/crash", &token, &[], "").1)
                }
                CrashWrite::Plan(_) => None,
            };
            let (addr, token) = (server.addr.clone(), token.clone());
            let handle = std::thread::spawn(move || {
                let status = send_write(&addr, &token, &write, etag.as_deref());
                (write, status)
            });
            if i == n_acknowledged {
                in_flight = Some(handle);
            } else {
                let (write, status) = handle.join().unwrap();
                assert_eq!(status, Some(201), "{write:?}");
                acknowledged.push(write);
            }
        }
        server.kill();
        if let Some(handle) = in_flight {
            let (write, status) = handle.join().unwrap();
            if status == Some(201) {
                acknowledged.push(write);
            }
        }
    }
    assert!(acknowledged.len() >= 2 * N_KILLS, "{} writes acknowledged", acknowledged.len());
}

/// When standard error could not be written (the log's disk full), every request got
/// no answer at all: the logger panicked inside the request middleware. Here the log
/// goes to `/dev/full`, where every write fails, and the server answers as ever.
#[cfg(target_os = "linux")]
#[test]
fn a_full_log_disk_left_every_request_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    let full = File::options().write(true).open("/dev/full").unwrap();
    let server = Server::start_with(&dir.path().join("ragplan.db"), Stdio::from(full), &[]);
    let token = server.first_token.clone().unwrap();
    for _ in 0..5 {
        assert_eq!(server.call("GET", "/healthz", None, &[], b"").unwrap().0, 200);
        let (status, _, list) = server.json("GET", "/v1/plans", &token, &[], "");
        assert_eq!(status, 200, "{list}");
        let (status, _, _) = server.json("GET", "/v1/plans/none", &token, &[], "");
        assert_eq!(status, 404);
    }
    server.stop();
}

/// Reads from `stream` until the server closes it or answers; `true` when it did
/// either within `wait`, `false` when the read timed out with the connection open.
fn closed_or_answered(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 512];
    match stream.read(&mut buf) {
        Ok(n) => n == 0 || buf[..n].starts_with(b"HTTP/1.1 "),
        Err(e) => {
            !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        }
    }
}

/// Whether any of `streams` is closed or answered within `wait`, each tried in turn
/// without blocking.
fn any_closed(streams: &mut [TcpStream], wait: Duration) -> bool {
    for s in streams.iter() {
        s.set_nonblocking(true).unwrap();
    }
    let deadline = std::time::Instant::now() + wait;
    let mut buf = [0u8; 512];
    loop {
        for s in streams.iter_mut() {
            match s.read(&mut buf) {
                Ok(n) if n == 0 || buf[..n].starts_with(b"HTTP/1.1 ") => return true,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return true,
            }
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// 1,100 idle sockets locked every client out: there were no header, body or idle
/// timeouts and no connection limit. Past the limit a connection is now closed at
/// once, and `/healthz` answers again as soon as the others are gone. (The header
/// timeout is ten minutes here, so a connection closed within the wait was closed
/// by the limit.)
#[test]
fn idle_clients_past_the_limit_locked_every_client_out() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--max-connections", "8", "--header-timeout", "600"];
    let server = Server::start_with(&dir.path().join("ragplan.db"), Stdio::null(), &flags);
    let mut idle: Vec<TcpStream> = (0..9)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
            s
        })
        .collect();
    // Which of the nine is refused depends on when the server let go of the
    // connection that asked `/healthz` at start: on a loaded machine that can come
    // after the first of these was accepted, and then one of the first eight is the
    // one over the limit. One of the nine is closed, whichever it is.
    assert!(
        any_closed(&mut idle, Duration::from_secs(60)),
        "all nine were kept open past a limit of eight"
    );
    drop(idle);
    // The server notices the closed sockets when it next reads them: asked again until
    // it answers, for at most 30 seconds (200 quick tries could all come before that
    // on a loaded machine).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let back = loop {
        if server.call("GET", "/healthz", None, &[], b"").is_ok_and(|r| r.0 == 200) {
            break true;
        }
        if std::time::Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(back, "/healthz did not answer within 30 s of the idle clients going");
    server.stop();
}

/// A client that never finished its headers held its connection for ever. It is
/// now closed at the header timeout (1 s here; the wait allows a minute).
#[test]
fn a_client_that_never_finished_its_headers_was_kept_for_ever() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--header-timeout", "1"];
    let server = Server::start_with(&dir.path().join("ragplan.db"), Stdio::null(), &flags);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert!(closed_or_answered(&mut slow, Duration::from_secs(60)), "the slow client was kept");
    assert_eq!(server.call("GET", "/healthz", None, &[], b"").unwrap().0, 200);
    server.stop();
}

/// SIGTERM never finished while a half-sent request was open. Shutdown now waits
/// for requests in flight only as long as its grace period, then exits cleanly.
#[cfg(unix)]
#[test]
fn sigterm_never_finished_while_a_half_sent_request_was_open() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--shutdown-grace", "1", "--body-timeout", "600"];
    let mut server = Server::start_with(&dir.path().join("ragplan.db"), Stdio::null(), &flags);
    let token = server.first_token.clone().unwrap();
    let mut half = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"format\""
    );
    half.write_all(head.as_bytes()).unwrap();
    let kill = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status();
    assert!(kill.is_ok_and(|s| s.success()));
    // Waits at most 30 s (the grace period is 1 s) for the process to end.
    let exited = (0..300).find_map(|_| {
        let status = server.child.try_wait().unwrap();
        if status.is_none() {
            std::thread::park_timeout(Duration::from_millis(100));
        }
        status
    });
    match exited {
        Some(status) => assert!(status.success(), "{status}"),
        None => {
            server.child.kill().unwrap();
            panic!("the server did not stop within 30 s of SIGTERM");
        }
    }
    drop(half);
}

/// The ids of the plans a server holds, read with `token`.
fn plan_ids(server: &Server, token: &str) -> Vec<String> {
    let (status, _, list) = server.json("GET", "/v1/plans", token, &[], "");
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().cloned().unwrap_or_default();
    items.iter().filter_map(|p| p["id"].as_str().map(str::to_owned)).collect()
}

/// A plan posted to `server` with the id `id`.
fn post_plan(server: &Server, token: &str, id: &str) {
    let plan = format!(r#"{{"format": "ragplan/2", "id": "{id}", "title": "Plan {id}"}}"#);
    let json = [("Content-Type", "application/json")];
    let (status, _, body) = server.json("POST", "/v1/plans", token, &json, &plan);
    assert_eq!(status, 201, "{body}");
}

/// After SIGTERM, a copy of `ragplan.db` alone (without its `-wal` file) missed the
/// writes still in the write-ahead log. A clean stop now checkpoints it; and `ragplan
/// backup` copies the database while the server runs.
#[test]
fn a_copy_of_the_database_alone_after_sigterm_missed_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ragplan.db");
    let server = Server::start_with(&db, Stdio::null(), &[]);
    let token = server.first_token.clone().unwrap();
    for id in ["one", "two", "three"] {
        post_plan(&server, &token, id);
    }
    let backup = dir.path().join("backup.db");
    ragplan().args(["backup", "--db"]).arg(&db).arg("--to").arg(&backup).assert().success();
    post_plan(&server, &token, "four");
    server.stop();

    let copies = tempfile::tempdir().unwrap();
    let copy = copies.path().join("ragplan.db");
    std::fs::copy(&db, &copy).unwrap();
    let from_copy = Server::start_with(&copy, Stdio::null(), &[]);
    let mut ids = plan_ids(&from_copy, &token);
    ids.sort();
    assert_eq!(ids, ["four", "one", "three", "two"]);
    from_copy.stop();

    let from_backup = Server::start_with(&backup, Stdio::null(), &[]);
    let mut ids = plan_ids(&from_backup, &token);
    ids.sort();
    assert_eq!(ids, ["one", "three", "two"], "the backup holds what was written before it");
    from_backup.stop();
    // A backup over its own database is refused.
    ragplan()
        .args(["backup", "--db"])
        .arg(&db)
        .arg("--to")
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the output is the input"));
}

/// One `GET /healthz` on a fresh connection, every step bounded by `bound`
/// (connecting, writing, reading): `Ok(status)` when it answered within each bound.
fn healthz_within(addr: &str, bound: Duration) -> std::io::Result<u16> {
    let addr: std::net::SocketAddr =
        addr.parse().map_err(|e| std::io::Error::other(format!("{e}")))?;
    let mut stream = TcpStream::connect_timeout(&addr, bound)?;
    stream.set_read_timeout(Some(bound))?;
    stream.set_write_timeout(Some(bound))?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    let status = String::from_utf8_lossy(&head[9..12]).parse().unwrap_or(0);
    Ok(status)
}

/// A client that sends `head` and then one byte of `body` at a time, slowly, until
/// `stop` is set or the server closes the connection; the waits between bytes are
/// the client's hostility, not a timing the test depends on.
fn trickle(addr: &str, head: String, stop: &std::sync::atomic::AtomicBool) {
    use std::sync::atomic::Ordering;
    let Ok(mut stream) = TcpStream::connect(addr) else { return };
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    while !stop.load(Ordering::Relaxed) {
        if stream.write_all(b" ").is_err() {
            return;
        }
        std::thread::park_timeout(Duration::from_millis(100));
    }
}

/// Issue 15's acceptance test: while workbooks and Word documents that decompress
/// or declare far past the limits are uploaded from several threads at once, and
/// slow clients hold connections with half-sent headers and trickled bodies, and two
/// large honest imports keep the pool for heavy work busy, `/healthz` answers every
/// time within a second; every bomb is refused 4xx or 503 as problem+json, and the
/// honest imports are stored; afterwards the server still answers, holds no plan the
/// bombs made, and the plan written before is at the same version with the same
/// content.
#[test]
fn healthz_answers_within_a_second_while_bombs_and_slow_clients_arrive() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use crate::bombs;

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(&dir.path().join("ragplan.db"), Stdio::null(), &[]);
    let token = server.first_token.clone().unwrap();
    let json = [("Content-Type", "application/json")];
    let (status, etag, _) =
        server.json("POST", "/v1/plans", &token, &json, crate::common::SMALL_PLAN);
    assert_eq!(status, 201);
    let before = server.call("GET", "/v1/plans/small", Some(&token), &[], b"").unwrap();
    assert_eq!(before.0, 200);

    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let bombs: Vec<(&str, &str, Vec<u8>)> = vec![
        ("strings", xlsx, bombs::workbook_declaring_strings(100_000_000_000)),
        ("whole-sheet", xlsx, bombs::workbook_spanning_the_whole_sheet()),
        ("long-string", xlsx, bombs::workbook_with_a_long_string(160)),
        ("long-paragraph", docx, bombs::docx_with_a_long_paragraph(300)),
        ("lying-size", docx, bombs::docx_lying_about_its_size(300)),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let bombs_left = Arc::new(AtomicUsize::new(0));
    let mut slow = Vec::new();
    // Half-sent headers, held open.
    let half: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(b"POST /v1/plans HTTP/1.1\r\nHost: x\r\nContent-Le").unwrap();
            s
        })
        .collect();
    // Bodies trickled a byte at a time.
    for i in 0..8 {
        let (addr, stop) = (server.addr.clone(), stop.clone());
        let head = format!(
            "POST /v1/plans/import?format=tsv&id=trickle-{i} HTTP/1.1\r\nHost: x\r\n\
             Authorization: Bearer {token}\r\nContent-Length: 100000\r\n\r\n"
        );
        slow.push(std::thread::spawn(move || trickle(&addr, head, &stop)));
    }
    // Three rounds of every bomb, each round from its own threads, as imports and as
    // re-imports of the plan.
    let mut uploads = Vec::new();
    for round in 0..3 {
        for (name, media, bytes) in &bombs {
            let path = if round == 1 {
                "/v1/plans/small/reimport".to_owned()
            } else {
                format!("/v1/plans/import?id=bomb-{name}-{round}")
            };
            let (addr, token, media, bytes) =
                (server.addr.clone(), token.clone(), media.to_string(), bytes.clone());
            let (name, left) = (name.to_string(), bombs_left.clone());
            left.fetch_add(1, Ordering::SeqCst);
            uploads.push(std::thread::spawn(move || {
                let headers = [("Content-Type", media.as_str()), ("If-Match", "\"1\"")];
                let reply = http(&addr, "POST", &path, Some(&token), &headers, &bytes);
                left.fetch_sub(1, Ordering::SeqCst);
                (
                    name,
                    path,
                    reply.map(|(status, headers, body)| {
                        (status, header(&headers, "content-type"), body)
                    }),
                )
            }));
        }
    }
    // Honest heavy work beside them: two imports of a 20,000-row table, which keep
    // the pool for heavy work busy for seconds.
    let mut table = String::from("Objective\tActions\tAction RAG\tAccountable\tTimescale\n");
    for i in 0..20_000 {
        table.push_str(&format!("Objective {}\tAction {i}\tGreen\tWMP\tMarch 2016\n", i / 100));
    }
    let mut honest = Vec::new();
    for i in 0..2 {
        let (addr, token, table, left) =
            (server.addr.clone(), token.clone(), table.clone(), bombs_left.clone());
        left.fetch_add(1, Ordering::SeqCst);
        honest.push(std::thread::spawn(move || {
            let path = format!("/v1/plans/import?format=tsv&id=big-{i}");
            let reply = http(&addr, "POST", &path, Some(&token), &[], table.as_bytes());
            left.fetch_sub(1, Ordering::SeqCst);
            reply.map(|r| r.0)
        }));
    }
    // `/healthz`, again and again until every upload is answered, each within a second.
    let mut polls = 0;
    while bombs_left.load(Ordering::SeqCst) > 0 || polls < 20 {
        let answer = healthz_within(&server.addr, Duration::from_secs(1));
        assert!(matches!(answer, Ok(200)), "poll {polls}: /healthz answered {answer:?}");
        polls += 1;
    }
    for upload in uploads {
        let (name, path, reply) = upload.join().unwrap();
        let (status, media, body) = reply.unwrap_or_else(|e| panic!("{name} at {path}: {e}"));
        let body = String::from_utf8_lossy(&body);
        assert!((400..500).contains(&status) || status == 503, "{name} at {path}: {status} {body}");
        assert_eq!(media, "application/problem+json", "{name} at {path}: {body}");
    }
    for import in honest {
        assert_eq!(import.join().unwrap().ok(), Some(201));
    }
    stop.store(true, Ordering::Relaxed);
    for client in slow {
        client.join().unwrap();
    }
    drop(half);

    assert_eq!(healthz_within(&server.addr, Duration::from_secs(1)).ok(), Some(200));
    let mut ids = plan_ids(&server, &token);
    ids.sort();
    assert_eq!(ids, ["big-0", "big-1", "small"]);
    let after = server.call("GET", "/v1/plans/small", Some(&token), &[], b"").unwrap();
    assert_eq!(after.0, 200);
    assert_eq!(header(&after.1, "etag"), etag);
    assert_eq!(after.2, before.2, "the plan's content changed");
    server.stop();
}

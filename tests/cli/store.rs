//! `ragplan store copy`: a deployment moved to another store, every table checked.

use crate::common::ragplan;

/// A database with tokens copied into a new file: the copy prints each table's count
/// and digest and serves the same tokens; copying into it again is refused, as is a
/// source that does not exist.
#[test]
fn a_store_is_copied_whole_into_an_empty_one_only() {
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (dir.path().join("from.db"), dir.path().join("to.db"));
    for name in ["board", "case-system"] {
        let out = ragplan()
            .args(["token", "create", "--role", "reader", "--name", name, "--db"])
            .arg(&from)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let copy = |from: &std::path::Path| {
        ragplan().args(["store", "copy", "--from"]).arg(from).arg("--to").arg(&to).output().unwrap()
    };
    let out = copy(&from);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let tokens = stdout.lines().find(|l| l.trim_start().starts_with("tokens")).unwrap();
    assert!(tokens.contains(" 2 rows  sha256 "), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.contains(" rows  sha256 ")).count(), 5, "{stdout}");
    let list = |db: &std::path::Path| {
        let out = ragplan().args(["token", "list", "--db"]).arg(db).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(list(&to), list(&from));

    let again = copy(&from);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8(again.stderr).unwrap();
    assert!(err.contains("the target store is not empty: it holds 2 rows in tokens"), "{err}");
    let missing = copy(&dir.path().join("missing.db"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8(missing.stderr).unwrap().contains("missing.db: no such database"));
}

/// A database named by a URL no store reads, or a PostgreSQL URL given to `ragplan
/// backup`, is refused in one line that never shows the URL's password.
#[test]
fn a_database_url_is_refused_without_showing_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 3] = [
        &["token", "list", "--db", "pg://board:s3cret@db.internal/ragplan"],
        &["store", "copy", "--from", "mysql://board:s3cret@db.internal/x", "--to", "b.db"],
        &["backup", "--db", "postgres://board:s3cret@db.internal/ragplan", "--to", "b.db"],
    ];
    for args in cases {
        let out = ragplan().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("s3cret"), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    let out = ragplan().args(cases[0]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("pg://board:***@db.internal/ragplan: not a database ragplan reads"),
        "{err}"
    );
    let out = ragplan().current_dir(dir.path()).args(cases[2]).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("pg_dump"));
    assert!(!dir.path().join("b.db").exists(), "a refused copy left a file behind");
}

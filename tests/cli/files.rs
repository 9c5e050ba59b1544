//! The files ragplan writes: an output never destroys an input, a device or FIFO is
//! written into, a symbolic link is written through, temporary files left by a killed
//! write are removed, and concurrent writers to one plan lose nothing.

use std::path::Path;

use predicates::prelude::*;

use crate::common::{SMALL_PLAN, ragplan};

/// A directory holding the small plan as `plan.json`.
fn plan_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, SMALL_PLAN).unwrap_or_else(|e| panic!("{e}"));
    (dir, plan)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `import X -o X`, `export p.json -o p.json` and `report p.json -o p.json` once
/// replaced their input with their output. Each is now refused, naming both, and
/// the input is left as it was.
#[test]
fn an_output_naming_the_input_destroyed_it() {
    let (dir, plan) = plan_dir();
    let tsv = dir.path().join("plan.tsv");
    let table = "Actions\tAction RAG\tTimescale\nTrain taxi drivers\tGreen\tMay 2015\n";
    std::fs::write(&tsv, table).unwrap_or_else(|e| panic!("{e}"));
    let runs: [(&[&str], &Path); 3] = [
        (&["import", "plan.tsv", "-o", "plan.tsv"], &tsv),
        (&["export", "plan.json", "-o", "plan.json"], &plan),
        (&["report", "plan.json", "--format", "md", "-o", "./plan.json"], &plan),
    ];
    for (args, input) in runs {
        let before = read(input);
        ragplan()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the output is the input"));
        assert_eq!(read(input), before, "{args:?} changed its input");
    }
}

/// `ragplan report plan.json -o /dev/null` once replaced the device with a regular
/// file: the atomic write renamed a new file over whatever `-o` named. A path that is
/// not a regular file is now written into; shown here with a FIFO, read while it is
/// written.
#[cfg(unix)]
#[test]
fn an_output_to_a_device_replaced_it_with_a_file() {
    use std::os::unix::fs::FileTypeExt as _;
    let (dir, plan) = plan_dir();
    let fifo = dir.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo))
    };
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--format", "md", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    // Checked first: were the FIFO replaced, the reader would wait for ever.
    let kind = std::fs::symlink_metadata(&fifo).unwrap_or_else(|e| panic!("{e}")).file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced");
    let written = reader.join().unwrap_or_else(|_| panic!("reader")).unwrap_or_default();
    let to_stdout = ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--format", "md"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written.as_bytes(), to_stdout.stdout.as_slice());
}

/// `-o link.json` once replaced the symbolic link with a file. The link's target
/// is now written and the link kept; the same for a plan updated through a link.
#[cfg(unix)]
#[test]
fn an_output_through_a_symlink_replaced_the_link() {
    let (dir, plan) = plan_dir();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("plan.json", &link).unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .args(["update"])
        .arg(&link)
        .args(["1.1.1", "--note", "Through the link", "--by", "R Eaves", "--on", "2015-06-20"])
        .assert()
        .success();
    let is_link = std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink());
    assert!(is_link, "the link was replaced");
    assert!(read(&plan).contains("Through the link"));
    // An export to the link writes its target too.
    let table_link = dir.path().join("table-link.tsv");
    std::os::unix::fs::symlink("table.tsv", &table_link).unwrap_or_else(|e| panic!("{e}"));
    ragplan().args(["export"]).arg(&plan).arg("-o").arg(&table_link).assert().success();
    assert!(std::fs::symlink_metadata(&table_link).is_ok_and(|m| m.file_type().is_symlink()));
    let to_stdout =
        ragplan().args(["export"]).arg(&plan).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&dir.path().join("table.tsv")).as_bytes(), to_stdout.stdout.as_slice());
}

/// A write killed before its rename once left a plan-sized `.plan.json.*.tmp` file
/// behind for good. The next write to the plan removes it; a temporary file that a
/// write in progress holds locked is left alone.
#[test]
fn a_killed_write_left_its_temporary_file_behind() {
    let (dir, plan) = plan_dir();
    let left = dir.path().join(".plan.json.AbC123.tmp");
    std::fs::write(&left, SMALL_PLAN).unwrap_or_else(|e| panic!("{e}"));
    let busy = dir.path().join(".plan.json.XyZ789.tmp");
    std::fs::write(&busy, SMALL_PLAN).unwrap_or_else(|e| panic!("{e}"));
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    for path in [&left, &busy] {
        let file =
            std::fs::File::options().write(true).open(path).unwrap_or_else(|e| panic!("{e}"));
        file.set_modified(old).unwrap_or_else(|e| panic!("{e}"));
    }
    let held = std::fs::File::open(&busy).unwrap_or_else(|e| panic!("{e}"));
    held.lock().unwrap_or_else(|e| panic!("{e}"));
    ragplan()
        .args(["update"])
        .arg(&plan)
        .args(["1.1.1", "--note", "Later", "--by", "R Eaves", "--on", "2015-06-20"])
        .assert()
        .success();
    assert!(!left.exists(), "the left temporary file is still there");
    assert!(busy.exists(), "a locked temporary file was removed");
    drop(held);
}

/// Forty `ragplan update` runs on one plan at once once all exited 0 while 38 of
/// their updates were lost: each read the plan, and the last to write won. Each now
/// holds a lock on the plan while it reads, changes and writes it, so every update is
/// in the plan.
#[test]
fn concurrent_updates_to_one_plan_were_lost() {
    let (_dir, plan) = plan_dir();
    let runs: Vec<_> = (0..40)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_ragplan"))
                .arg("update")
                .arg(&plan)
                .args(["1.2.1", "--note", &format!("Update number {i}."), "--by", "R Eaves"])
                .args(["--on", "2015-06-20"])
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let written = read(&plan);
    for i in 0..40 {
        assert!(written.contains(&format!("Update number {i}.")), "update {i} was lost");
    }
}

/// An output that is a hard link to the input is the input too: refused.
#[cfg(unix)]
#[test]
fn an_output_hard_linked_to_the_input_destroyed_it() {
    let (dir, plan) = plan_dir();
    let linked = dir.path().join("linked.json");
    std::fs::hard_link(&plan, &linked).unwrap_or_else(|e| panic!("{e}"));
    let before = read(&plan);
    ragplan()
        .args(["export"])
        .arg(&plan)
        .arg("-o")
        .arg(&linked)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the output is the input"));
    assert_eq!(read(&plan), before);
}

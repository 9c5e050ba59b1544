//! Every committed fuzz corpus file and every crash the fuzzers found, replayed on
//! stable through the same property check the fuzz target runs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ragplan_fuzz_props::Target;

/// `fuzz/` at the repository root.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Runs `target` on every file of `dir` and lists each failure.
fn replay(target: Target, dir: &Path) -> (usize, Vec<String>) {
    let files = files(dir);
    let failures = files
        .iter()
        .filter_map(|path| {
            let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            target.check(&data).err().map(|v| format!("{}: {v}", path.display()))
        })
        .collect();
    (files.len(), failures)
}

#[test]
fn every_corpus_file_keeps_its_targets_property() {
    let mut failures = Vec::new();
    for target in Target::ALL {
        let (n, failed) = replay(target, &fuzz_dir().join("corpus").join(target.name()));
        assert!(n > 0, "fuzz/corpus/{target} has no seed");
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_crash_found_by_fuzzing_stays_fixed() {
    let mut failures = Vec::new();
    for target in Target::ALL {
        failures.extend(replay(target, &fuzz_dir().join("regressions").join(target.name())).1);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_fuzz_folder_and_file_is_a_target() {
    let names: BTreeSet<&str> = Target::ALL.iter().map(|t| t.name()).collect();
    for folder in ["corpus", "regressions"] {
        for entry in fs::read_dir(fuzz_dir().join(folder)).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(names.contains(name.as_str()), "fuzz/{folder}/{name} names no target");
        }
    }
    for path in files(&fuzz_dir().join("fuzz_targets")) {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        assert!(names.contains(stem.as_str()), "{} is not in Target::ALL", path.display());
    }
    for name in &names {
        let file = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(file.is_file(), "no fuzz target {}", file.display());
    }
}

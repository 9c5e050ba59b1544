//! Reading a `PLAN` argument: a `ragplan` JSON document (`ragplan/2`, or `ragplan/1` before it), or any source
//! `ragplan import` reads, imported on the fly with its diagnostics on standard error;
//! for `ragplan diff`, a saved assessment document too.

use std::path::Path;

use anyhow::Context as _;
use ragplan_core::{Key, Plan, Snapshot};
use ragplan_import::Limits;

/// `--limit NAME=VALUE`, the flag of every command that imports a source: what the
/// source may ask of the machine, each limit by its name.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// Set an import limit (repeatable), e.g. `--limit rows=100000`; --help lists
    /// the limits and their defaults. A source past one is refused, naming it.
    #[arg(long = "limit", value_name = "NAME=VALUE", value_parser = parse_limit,
        long_help = limits_help())]
    pub limit: Vec<(&'static str, u64)>,
}

impl LimitArgs {
    /// The default limits with those given set.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        for &(name, value) in &self.limit {
            // The name was checked when the flag was read.
            let _ = limits.set(name, value);
        }
        limits
    }
}

fn parse_limit(text: &str) -> Result<(&'static str, u64), String> {
    ragplan_import::parse_limit(text).map_err(|e| e.to_string())
}

/// The long help of `--limit`: every limit, its default, unit and what it bounds.
fn limits_help() -> String {
    let mut help = String::from(
        "Set an import limit (repeatable), e.g. `--limit rows=100000`. A source past a \
         limit is refused with an error naming the limit, the value found and where. The \
         limits, with their defaults:",
    );
    for info in Limits::ALL {
        help.push_str(&format!("\n  {info}"));
    }
    help
}

/// A plan read from a file, with how many import warnings it took to read it.
#[derive(Debug)]
pub struct Loaded {
    /// The plan.
    pub plan: Plan,
    /// Import warnings printed on standard error (0 for a `ragplan` JSON document).
    pub n_warnings: usize,
}

/// Reads a whole input file (`-` is standard input), refusing directories and empty
/// files with a message that names the file.
///
/// # Errors
/// When the file is missing, unreadable, a directory or empty.
pub fn read_source(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .context("standard input: cannot read")?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            anyhow::bail!("standard input: nothing was given");
        }
        return Ok(bytes);
    }
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a plan file", path.display());
    }
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        anyhow::bail!("{}: the file is empty", path.display());
    }
    Ok(bytes)
}

/// [`read_source`] for a source to import: a file larger than the `input_bytes`
/// limit is refused from its size, before it is read.
///
/// # Errors
/// As [`read_source`], and for a file past the limit, naming the file and the limit.
pub fn read_import_source(path: &Path, limits: &Limits) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() != "-"
        && let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        limits.check_input_len(meta.len()).map_err(|e| anyhow::anyhow!("{}: {e}", shown(path)))?;
    }
    read_source(path)
}

/// [`read_import_source`] for a `.json` name's `PLAN`, which is read as a plan
/// document and not imported; [`read_source`] otherwise.
fn read_plan_source(path: &Path, limits: &Limits) -> anyhow::Result<Vec<u8>> {
    let json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json { read_source(path) } else { read_import_source(path, limits) }
}

/// Whether `bytes` (from `path`) look like a JSON document: a `.json` name, or a first
/// non-blank character of `{`.
fn is_json(path: &Path, bytes: &[u8]) -> bool {
    let by_name = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    by_name || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Whether `bytes` (from `path`) are read as a `ragplan` JSON document: JSON
/// ([`is_json`]) that is not an array of records, which is imported as a table.
fn is_plan_document(path: &Path, bytes: &[u8]) -> bool {
    is_json(path, bytes) && !ragplan_import::is_json_records(bytes)
}

/// How a `PLAN` argument is named in messages: its path, or `standard input` for `-`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" { "standard input".to_owned() } else { path.display().to_string() }
}

/// `bytes` as UTF-8 text without a byte-order mark; the error names the file and the
/// first byte that is not UTF-8.
fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> anyhow::Result<&'a str> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(body)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text (byte {})", shown(path), e.valid_up_to()))
}

/// Reads a `ragplan` JSON document from `bytes`; errors name the file and JSON path.
fn plan_from_json(path: &Path, bytes: &[u8]) -> anyhow::Result<Plan> {
    Plan::from_json(utf8_text(path, bytes)?).map_err(|e| anyhow::anyhow!("{}: {e}", shown(path)))
}

/// Reads the plan in `path`: a `ragplan` JSON document (`ragplan/2`, or `ragplan/1` before it), or a source `ragplan import`
/// reads (TSV, CSV, XLSX, Markdown, a recommendation list), imported on the fly. Each
/// import warning is printed on standard error, prefixed with the file name.
///
/// # Errors
/// When the file cannot be read, or is neither a plan document nor an importable
/// source; the message names the file and where in it.
pub fn load_plan(path: &Path, limits: &Limits) -> anyhow::Result<Loaded> {
    let bytes = read_plan_source(path, limits)?;
    if is_plan_document(path, &bytes) {
        return Ok(Loaded { plan: plan_from_json(path, &bytes)?, n_warnings: 0 });
    }
    import_source(path, bytes, limits)
}

/// A saved assessment document (`ragplan-assessment/2` or `/1`): the ratings it
/// holds, and the title of the plan it rated.
#[derive(Debug)]
pub struct Saved {
    /// Every node's ratings, as saved.
    pub snapshot: Snapshot,
    /// The rated plan's title.
    pub title: String,
}

/// What `ragplan diff` compares on each side: a plan to rate, or a saved assessment.
#[derive(Debug)]
pub enum PlanOrSaved {
    /// A plan, to be rated.
    Plan(Box<Loaded>),
    /// An assessment saved by `ragplan status --format json`.
    Saved(Saved),
}

/// Reads `path` as a saved assessment document when its `format` says it is one
/// (`ragplan-assessment/…`), else as a plan ([`load_plan`]).
///
/// # Errors
/// As [`load_plan`]; for an assessment document, when it is not one of the versions
/// ragplan reads, naming the file and JSON path.
pub fn load_plan_or_saved(path: &Path, limits: &Limits) -> anyhow::Result<PlanOrSaved> {
    /// The fields that tell a saved assessment from a plan, and name its plan.
    #[derive(serde::Deserialize)]
    struct Head {
        format: Option<String>,
        plan: Option<HeadPlan>,
    }
    #[derive(serde::Deserialize)]
    struct HeadPlan {
        title: Option<String>,
    }
    let bytes = read_plan_source(path, limits)?;
    if !is_plan_document(path, &bytes) {
        return import_source(path, bytes, limits).map(|l| PlanOrSaved::Plan(Box::new(l)));
    }
    let text = utf8_text(path, &bytes)?;
    let head: Option<Head> = serde_json::from_str(text).ok();
    match head {
        Some(Head { format: Some(format), plan }) if format.starts_with("ragplan-assessment/") => {
            let snapshot = Snapshot::from_saved_json(text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", shown(path)))?;
            let title = plan.and_then(|p| p.title).unwrap_or_default();
            Ok(PlanOrSaved::Saved(Saved { snapshot, title }))
        }
        _ => Ok(PlanOrSaved::Plan(Box::new(Loaded {
            plan: plan_from_json(path, &bytes)?,
            n_warnings: 0,
        }))),
    }
}

/// The options a source named `path` is imported on the fly with.
pub fn import_options(path: &Path, limits: &Limits) -> ragplan_import::ImportOptions {
    ragplan_import::ImportOptions::default()
        .with_file_name(path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .with_limits(*limits)
}

/// How many import warnings a subcommand other than `import` shows before it sums up.
const ON_THE_FLY_WARNINGS: usize = 5;

/// Imports a non-JSON source through `ragplan-import`, printing its warnings on
/// standard error (the info-level notes are left to `ragplan import`).
fn import_source(path: &Path, bytes: Vec<u8>, limits: &Limits) -> anyhow::Result<Loaded> {
    let options = import_options(path, limits);
    let imported = ragplan_import::import_owned(bytes, &options, &mut |_, _| {})
        .map_err(|e| anyhow::anyhow!("{}: {e}", shown(path)))?;
    let n_warnings = print_on_the_fly(path, &imported.diagnostics);
    Ok(Loaded { plan: imported.plan, n_warnings })
}

/// Prints the warnings among the `diagnostics` of a source imported on the fly, the
/// first few and then how many more, and says how many there are.
pub fn print_on_the_fly(path: &Path, diagnostics: &[ragplan_import::Diagnostic]) -> usize {
    // On the fly only the guesses are shown; `ragplan import` shows every note too.
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == ragplan_import::Severity::Warning)
        .cloned()
        .collect();
    print_capped(path, &warnings, ON_THE_FLY_WARNINGS, |more, _| {
        format!("… and {more} more warnings; `ragplan import {}` lists them all", shown(path))
    });
    warnings.len()
}

/// Prints each import diagnostic on standard error as `FILE: warning[code] row R,
/// column "C": message`.
pub fn print_diagnostics(path: &Path, diagnostics: &[ragplan_import::Diagnostic]) {
    for diagnostic in diagnostics {
        crate::output::print_stderr(&format!("{}: {diagnostic}", shown(path)));
    }
}

/// Prints the first `max` diagnostics (all when `max` is 0) as [`print_diagnostics`]
/// does, then, when some are left, one line that `tail` writes from how many are
/// left and their counts by code (`12 owner-split, 3 text-row`).
pub fn print_capped(
    path: &Path,
    diagnostics: &[ragplan_import::Diagnostic],
    max: usize,
    tail: impl FnOnce(usize, &str) -> String,
) {
    let max = if max == 0 { diagnostics.len() } else { max };
    let (shown_now, rest) = diagnostics.split_at(max.min(diagnostics.len()));
    print_diagnostics(path, shown_now);
    if rest.is_empty() {
        return;
    }
    let mut by_code: Vec<(&str, usize)> = Vec::new();
    for d in rest {
        match by_code.iter_mut().find(|(code, _)| *code == d.code.as_str()) {
            Some((_, n)) => *n += 1,
            None => by_code.push((d.code.as_str(), 1)),
        }
    }
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let counts: Vec<String> = by_code.iter().map(|(code, n)| format!("{n} {code}")).collect();
    crate::output::print_stderr(&format!(
        "{}: {}",
        shown(path),
        tail(rest.len(), &counts.join(", "))
    ));
}

/// Reads the roll-up policy in `path`, or the default policy when there is none.
///
/// # Errors
/// When the file cannot be read or is not a policy; the message names the file and
/// JSON path.
pub fn load_policy(path: Option<&Path>) -> anyhow::Result<ragplan_core::Policy> {
    let Some(path) = path else { return Ok(ragplan_core::Policy::default()) };
    let bytes = read_source(path)?;
    ragplan_core::Policy::from_json(utf8_text(path, &bytes)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", shown(path)))
}

/// Reads the `ragplan` JSON document in `path` for a subcommand that writes it back
/// (`update`, `override`). Other sources are refused: writing JSON over a TSV would
/// lose the analyst's table.
///
/// # Errors
/// When the file cannot be read or is not a `ragplan` JSON document.
pub fn load_plan_document(path: &Path) -> anyhow::Result<Plan> {
    if path.as_os_str() == "-" {
        anyhow::bail!("a plan on standard input cannot be written back; name the plan file");
    }
    let bytes = read_source(path)?;
    if !is_plan_document(path, &bytes) {
        anyhow::bail!(
            "{}: not a ragplan JSON document, so it cannot be written back; import it \
             first: ragplan import {} -o plan.json",
            path.display(),
            path.display()
        );
    }
    plan_from_json(path, &bytes)
}

/// The key a person gave on the command line, as the plan holds it: the given key
/// when a node has it, else the one [`Plan::resolve_key`] finds, said on standard
/// error (`R7 is taken as R7.1, the one action under it`). When none is found the
/// given key is kept, and the change fails naming the nearest keys.
pub fn resolve_key(plan: &Plan, given: &Key, action: bool) -> Key {
    use ragplan_core::KeyMatch;
    match plan.resolve_key(given, action) {
        Some((key, KeyMatch::Exact)) => key,
        Some((key, how)) => {
            let why = match how {
                KeyMatch::OnlyActionUnder => "the one action under it",
                _ => "the one key that differs from it only in case",
            };
            crate::output::print_stderr(&format!("{given} is taken as {key}, {why}"));
            key
        }
        None => given.clone(),
    }
}

/// What a change to a plan file came to, in words for the user.
pub enum Changed {
    /// The change was made and the plan is to be written back.
    Recorded(String),
    /// Nothing changed; the file is left as it is.
    Unchanged(String),
}

impl From<String> for Changed {
    fn from(said: String) -> Changed {
        Changed::Recorded(said)
    }
}

/// Loads the plan document at `path` under its lock, makes `change` (which says what
/// it recorded, or that nothing changed), writes the plan back atomically when it
/// changed, and tells the user.
pub fn change_plan<C: Into<Changed>>(
    path: &Path,
    change: impl FnOnce(&mut Plan) -> anyhow::Result<C>,
) -> anyhow::Result<std::process::ExitCode> {
    // Held until the plan is written back: a concurrent change waits for this one.
    let _lock = crate::output::lock_plan(path)?;
    let mut plan = load_plan_document(path)?;
    let changed = change(&mut plan).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let said = match changed.into() {
        Changed::Recorded(said) => {
            crate::output::write_plan(Some(path), &plan)?;
            said
        }
        Changed::Unchanged(said) => said,
    };
    crate::output::print_stderr(&format!("{said} in {}", path.display()));
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// No bytes under any of the names a user might give panic the loader: each is a
        /// plan or an error that names the file.
        #[test]
        fn any_bytes_load_or_fail_naming_the_file(
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            name in prop::sample::select(vec!["p.json", "p.tsv", "p.csv", "p.md", "p.txt", "p.xlsx", "p"]),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            if let Err(e) = load_plan(&path, &Limits::default()) {
                prop_assert!(format!("{e:#}").contains(name), "{e:#}");
            }
        }

        /// A plan document cut anywhere fails with the file named, and never panics.
        #[test]
        fn truncated_documents_fail_cleanly(cut in 0_usize..2_000) {
            let text = ragplan_core::generate::synthetic_plan(5, 2, 3).to_json();
            let cut = text.char_indices().map(|(i, _)| i).take_while(|i| *i <= cut).last().unwrap_or(0);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("plan.json");
            std::fs::write(&path, &text[..cut]).unwrap();
            let result = load_plan(&path, &Limits::default());
            if cut < text.trim_end().len() {
                let err = result.err().map(|e| format!("{e:#}")).unwrap_or_default();
                prop_assert!(err.contains("plan.json"), "{err}");
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_allowed_and_a_table_is_not_written_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let text = ragplan_core::generate::synthetic_plan(3, 1, 1).to_json();
        std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
        assert_eq!(load_plan_document(&path).unwrap().n_actions(), 3);
        let tsv = dir.path().join("plan.tsv");
        std::fs::write(&tsv, "Actions\tAction RAG\nDo it\tGreen\n").unwrap();
        let err = load_plan_document(&tsv).unwrap_err().to_string();
        assert!(err.contains("cannot be written back"), "{err}");
        assert!(load_plan_document(Path::new("-")).is_err());
    }
}

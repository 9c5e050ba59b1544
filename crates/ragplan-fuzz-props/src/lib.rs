//! The properties ragplan's fuzz targets check, in one place: the cargo-fuzz crate in
//! `fuzz/` calls [`Target::check`] on every input libFuzzer makes, and this crate's
//! `replay` test calls it on every committed corpus file and every crash found, on
//! stable, so `cargo test --workspace` keeps them.
//!
//! # Overview
//!
//! Each [`Target`] is one entry point of ragplan given arbitrary bytes. Its check
//! returns a [`Violation`] when the code under test breaks a promise it makes — not
//! only "no panic", but the property of that part: an import keeps every word of
//! its source and round-trips through its JSON, a plan document reads back to
//! itself, every rated node has a reason, every report format is well formed. A
//! panic in ragplan's code is found by the caller (libFuzzer, or the test harness).
//!
//! # Example
//!
//! ```
//! use ragplan_fuzz_props::Target;
//!
//! assert_eq!(Target::Timescale.name(), "timescale");
//! assert!(Target::Timescale.check(b"Q3 2015/16").is_ok());
//! assert!(Target::ImportTsv.check(b"Ref\tAction\tRAG\n1\tTrain staff\tGreen\n").is_ok());
//! ```
#![deny(missing_docs)]

mod assess;
mod import;
mod model;

use std::fmt;

/// One fuzz target: an entry point of ragplan and the property it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `Timescale::parse` of any text: the text kept, the dates ordered, the JSON
    /// read back equal.
    Timescale,
    /// `Rating`, `Status` and `Scale` from any text: what parses reads back from its
    /// own words, and a refusal quotes the input.
    Rating,
    /// `Plan::from_json`: a plan read writes canonical JSON that reads back equal.
    PlanJson,
    /// `Policy::from_json`: a policy read writes JSON that reads back equal.
    PolicyJson,
    /// The TSV importer.
    ImportTsv,
    /// The CSV importer.
    ImportCsv,
    /// The XLSX importer.
    ImportXlsx,
    /// The DOCX importer.
    ImportDocx,
    /// The Markdown importer.
    ImportMarkdown,
    /// The text importer (recommendation lists, resolutions and whole papers).
    ImportText,
    /// The JSON importer (records, or a ragplan document).
    ImportJson,
    /// A TSV table re-imported into the bundled Coventry plan, and into itself.
    Reimport,
    /// `rate` with any policy, on any plan, on any date.
    Assess,
    /// Every report format of a plan rated with any policy.
    Report,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 14] = [
        Target::Timescale,
        Target::Rating,
        Target::PlanJson,
        Target::PolicyJson,
        Target::ImportTsv,
        Target::ImportCsv,
        Target::ImportXlsx,
        Target::ImportDocx,
        Target::ImportMarkdown,
        Target::ImportText,
        Target::ImportJson,
        Target::Reimport,
        Target::Assess,
        Target::Report,
    ];

    /// The target's name: its file in `fuzz/fuzz_targets/` and its folders in
    /// `fuzz/corpus/` and `fuzz/regressions/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Timescale => "timescale",
            Target::Rating => "rating",
            Target::PlanJson => "plan_json",
            Target::PolicyJson => "policy_json",
            Target::ImportTsv => "import_tsv",
            Target::ImportCsv => "import_csv",
            Target::ImportXlsx => "import_xlsx",
            Target::ImportDocx => "import_docx",
            Target::ImportMarkdown => "import_markdown",
            Target::ImportText => "import_text",
            Target::ImportJson => "import_json",
            Target::Reimport => "reimport",
            Target::Assess => "assess",
            Target::Report => "report",
        }
    }

    /// Runs the target on `data` and checks its property.
    ///
    /// # Errors
    /// A [`Violation`] naming the promise `data` made ragplan break.
    pub fn check(self, data: &[u8]) -> Result<(), Violation> {
        use ragplan_import::SourceFormat;
        match self {
            Target::Timescale => model::timescale(data),
            Target::Rating => model::rating(data),
            Target::PlanJson => model::plan_json(data),
            Target::PolicyJson => model::policy_json(data),
            Target::ImportTsv => import::import(data, SourceFormat::Tsv),
            Target::ImportCsv => import::import(data, SourceFormat::Csv),
            Target::ImportXlsx => import::import(data, SourceFormat::Xlsx),
            Target::ImportDocx => import::import(data, SourceFormat::Docx),
            Target::ImportMarkdown => import::import(data, SourceFormat::Markdown),
            Target::ImportText => import::import(data, SourceFormat::Text),
            Target::ImportJson => import::import(data, SourceFormat::Json),
            Target::Reimport => import::reimport(data),
            Target::Assess => assess::assess(data),
            Target::Report => assess::report(data),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A promise broken: what was expected, and what happened instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

/// `Ok` when `holds`, else a [`Violation`] saying `what`.
fn ensure(holds: bool, what: impl FnOnce() -> String) -> Result<(), Violation> {
    if holds { Ok(()) } else { Err(Violation(what())) }
}

//! The importers and re-import.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use ragplan_core::{LintCode, Plan, Rating, Scale, validate};
use ragplan_import::{
    ExportFormat, ImportOptions, Imported, ReimportOptions, SourceFormat, export, words,
};

use crate::model::plan_round_trips;
use crate::{Violation, ensure};

/// The bundled example plan as a table: the stored plan a re-import merges into.
const COVENTRY_TSV: &[u8] =
    include_bytes!("../../../examples/plans/coventry-cse-delivery-plan.tsv");

/// Imports `data` as `format`. A source that imports gives a plan that round-trips
/// through its JSON; from a table or list (not a ragplan document), no two nodes share
/// a key, no rating is off the plan's scale, its TSV export imports with as many
/// actions, and every word of a text source read whole is in the plan or a
/// diagnostic. A refusal says something.
pub(crate) fn import(data: &[u8], format: SourceFormat) -> Result<(), Violation> {
    let options = ImportOptions::for_format(format);
    let imported = match ragplan_import::import(data, &options) {
        Ok(imported) => imported,
        Err(e) => return ensure(!e.to_string().is_empty(), || "an empty refusal".to_owned()),
    };
    plan_round_trips(&imported.plan)?;
    if is_plan_document(data, format) {
        return Ok(());
    }
    built_plan_is_valid(&imported.plan)?;
    export_imports(&imported.plan)?;
    let read_whole = !imported.diagnostics.iter().any(|d| d.code == "paper-extract");
    if let Some(source) = source_words(data, format)
        && read_whole
    {
        no_word_lost(&source, &imported)?;
    }
    Ok(())
}

/// Whether the importer reads `data` as a ragplan document, taken as it is.
fn is_plan_document(data: &[u8], format: SourceFormat) -> bool {
    format == SourceFormat::Json && data.trim_ascii_start().first() == Some(&b'{')
}

/// What an importer's plan cannot have: two nodes sharing a key (it renumbers a key
/// its source repeats), or an action's rating off the plan's scale (it takes the
/// scale of the ratings it reads) — except Complete (Blue) in a plan that also
/// reports Amber/Red or Amber/Green, which takes DCA5 and is told so by validation.
fn built_plan_is_valid(plan: &Plan) -> Result<(), Violation> {
    let shared: Vec<String> = validate(plan)
        .into_iter()
        .filter(|l| l.code == LintCode::DuplicateKey)
        .map(|l| l.to_string())
        .collect();
    ensure(shared.is_empty(), || format!("an imported plan has {shared:?}\n{}", plan.to_json()))?;
    let off_scale = |r: &Rating| {
        let told = plan.scale == Scale::Dca5 && *r == Rating::Complete;
        !(plan.scale.allows(*r) || told)
    };
    for action in plan.actions() {
        let ratings = [action.action_rag, action.outcome_rag];
        ensure(!ratings.iter().flatten().any(off_scale), || {
            format!("{} is rated {ratings:?}, off the {:?} scale", action.key, plan.scale)
        })?;
    }
    Ok(())
}

/// The plan's TSV export imports, with as many actions.
fn export_imports(plan: &Plan) -> Result<(), Violation> {
    let table = export(plan, ExportFormat::Tsv);
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    match ragplan_import::import(table.as_bytes(), &options) {
        Ok(again) => ensure(again.plan.n_actions() == plan.n_actions(), || {
            format!(
                "the export of {} actions imports as {}:\n{table}",
                plan.n_actions(),
                again.plan.n_actions()
            )
        }),
        Err(e) => Err(Violation(format!("the export does not import: {e}\n{table}"))),
    }
}

/// The words of a text source (the strings, keys and numbers of a JSON one), when
/// cheap to tell: not for a workbook or a Word document, nor a source that is not
/// UTF-8.
fn source_words(data: &[u8], format: SourceFormat) -> Option<BTreeSet<String>> {
    let text = std::str::from_utf8(data).ok()?;
    match format {
        SourceFormat::Xlsx | SourceFormat::Docx | SourceFormat::Auto => None,
        SourceFormat::Json => {
            let value: serde_json::Value = serde_json::from_str(text).ok()?;
            let mut strings = Vec::new();
            json_words(&value, true, &mut strings);
            Some(strings.iter().flat_map(|s| words(s)).collect())
        }
        _ => Some(words(text).collect()),
    }
}

/// The strings of `value` (with its object keys and numbers when `all`).
fn json_words(value: &serde_json::Value, all: bool, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Number(n) if all => out.push(n.to_string()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_words(v, all, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if all {
                    out.push(k.clone());
                }
                json_words(v, all, out);
            }
        }
        _ => {}
    }
}

/// Every word of `source` is a word of the plan's JSON strings or of a
/// diagnostic's quoted text.
fn no_word_lost(source: &BTreeSet<String>, imported: &Imported) -> Result<(), Violation> {
    let json: serde_json::Value =
        serde_json::from_str(&imported.plan.to_json()).unwrap_or(serde_json::Value::Null);
    let mut strings = Vec::new();
    json_words(&json, false, &mut strings);
    strings.extend(imported.diagnostics.iter().filter_map(|d| d.text.clone()));
    let kept: BTreeSet<String> = strings.iter().flat_map(|s| words(s)).collect();
    let lost: Vec<&String> = source.difference(&kept).collect();
    ensure(lost.is_empty(), || format!("the import lost the words {lost:?}"))
}

/// The bundled example plan, imported once.
fn stored() -> Option<&'static Plan> {
    static STORED: OnceLock<Option<Plan>> = OnceLock::new();
    STORED
        .get_or_init(|| {
            let options = ImportOptions::for_format(SourceFormat::Tsv);
            ragplan_import::import(COVENTRY_TSV, &options).ok().map(|i| i.plan)
        })
        .as_ref()
}

/// A TSV table re-imported into the bundled plan keeps every stored action (marked
/// removed, not deleted), has no two nodes sharing a key, and round-trips through
/// its JSON; re-imported into itself it changes nothing.
pub(crate) fn reimport(data: &[u8]) -> Result<(), Violation> {
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    let Ok(newer) = ragplan_import::import(data, &options) else { return Ok(()) };
    let stored = stored().ok_or_else(|| Violation("the bundled plan does not import".into()))?;
    let merged = ragplan_import::reimport(stored, &newer.plan, &ReimportOptions::default());
    ensure(merged.plan.n_actions() >= stored.n_actions(), || {
        format!(
            "a re-import lost stored actions: {} of {}",
            merged.plan.n_actions(),
            stored.n_actions()
        )
    })?;
    plan_round_trips(&merged.plan)?;
    built_plan_is_valid(&merged.plan)?;
    let itself = ragplan_import::reimport(&newer.plan, &newer.plan, &ReimportOptions::default());
    ensure(itself.changes.is_empty(), || {
        format!("a plan re-imported into itself changes {:?}", itself.changes)
    })?;
    ensure(itself.plan.objectives == newer.plan.objectives, || {
        format!("a plan re-imported into itself is different:\n{}", itself.plan.to_json())
    })
}

//! `ragplan edit`: change a node's own fields — title, owners, partners, timescale,
//! start, dependencies, criticality, weight, review date — recorded in the plan's
//! change log, and write the plan back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Changes, Key};

use crate::{load, output};

/// Flags of `ragplan edit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan edit plan.json R3 --accountable \"Mandie Watson\" --timescale \"31 March 2016\" --by \"Scrutiny officer\"
  ragplan edit plan.json 1.2.1 --partner Police --partner Health --critical --by \"R Eaves\" --on 01/07/2015
  ragplan edit plan.json 2 --title \"Pursue perpetrators\" --weight 2 --by \"LSCB Business Manager\"

Each field given replaces the node's value (--accountable, --responsible, --partner
and --depends-on may be given more than once; --no-depends-on clears the
dependencies). Title, --critical/--not-critical and --weight apply to any node; the
other fields to actions only. The edit is recorded in the plan's change log with
every field's value before and after, shown by `ragplan log`, and the plan as it
stood before the edit's date is rated without it. KEY is read as `ragplan update`
reads it (R3 is the one action under recommendation R3, and said).

Exit codes: 0 recorded (or nothing changed, said); 2 bad usage, a plan that cannot
be read, an unknown key, or a refused edit, which lists every problem with its
field.")]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
    .args(["title", "accountable", "responsible", "partner", "timescale", "start",
           "depends_on", "no_depends_on", "critical", "not_critical", "weight", "review_date"])))]
pub struct Args {
    /// The plan (a ragplan JSON document), written back in place.
    pub plan: PathBuf,
    /// The node's key, such as R3, 1.2 or 1.2.1.
    pub key: Key,
    /// A new title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The node's fields.
    #[command(flatten)]
    pub fields: Fields,
    /// Who makes the edit.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The date of the edit (YYYY-MM-DD or DD/MM/YYYY, day first); default today.
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub on: Option<NaiveDate>,
}

/// The fields `ragplan edit` and `ragplan add` set, besides the title.
#[derive(Debug, Default, clap::Args)]
pub struct Fields {
    /// Who is answerable (the lead); repeat for several.
    #[arg(long, value_name = "NAME")]
    pub accountable: Vec<String>,
    /// Who does the work; repeat for several.
    #[arg(long, value_name = "NAME")]
    pub responsible: Vec<String>,
    /// An agency involved; repeat for several.
    #[arg(long, value_name = "NAME")]
    pub partner: Vec<String>,
    /// When it is due, as a plan writes it: `31 March 2016`, `Q3 2015/16`, `ongoing`.
    #[arg(long, value_name = "TEXT")]
    pub timescale: Option<String>,
    /// When the work starts (YYYY-MM-DD or DD/MM/YYYY, day first).
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub start: Option<NaiveDate>,
    /// An action that must finish first; repeat for several.
    #[arg(long, value_name = "KEY", conflicts_with = "no_depends_on")]
    pub depends_on: Vec<Key>,
    /// Clear the dependencies.
    #[arg(long)]
    pub no_depends_on: bool,
    /// Mark the node critical to its parent.
    #[arg(long, conflicts_with = "not_critical")]
    pub critical: bool,
    /// Mark the node not critical.
    #[arg(long)]
    pub not_critical: bool,
    /// The node's weight in its parent's roll-up (1 or more).
    #[arg(long, value_name = "N")]
    pub weight: Option<u32>,
    /// When ongoing work is next reviewed (YYYY-MM-DD or DD/MM/YYYY, day first).
    #[arg(long, value_name = "DATE", value_parser = output::parse_date)]
    pub review_date: Option<NaiveDate>,
}

impl Fields {
    /// The changes these flags make, with `title`; a flag not given changes nothing.
    pub fn changes(self, title: Option<String>) -> Changes {
        let owners = |names: Vec<String>| {
            given(names).map(|n| n.iter().map(|n| ragplan_import::classify_owner(n)).collect())
        };
        Changes {
            title,
            accountable: owners(self.accountable),
            responsible: owners(self.responsible),
            partners: given(self.partner),
            timescale: self.timescale,
            start: self.start,
            depends_on: if self.no_depends_on { Some(Vec::new()) } else { given(self.depends_on) },
            critical: match (self.critical, self.not_critical) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            weight: self.weight,
            review_date: self.review_date,
            measures: None,
        }
    }
}

/// The values given for a repeated flag: none means not changed.
fn given<T>(values: Vec<T>) -> Option<Vec<T>> {
    (!values.is_empty()).then_some(values)
}

/// Runs `ragplan edit`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Held until the plan is written back: a concurrent change waits for this one.
    let _lock = output::lock_plan(&args.plan)?;
    let mut plan = load::load_plan_document(&args.plan)?;
    let on = output::as_of_or_today(args.on);
    let changes = args.fields.changes(args.title);
    // An action first, as `update` finds it; else any node.
    let action = plan.resolve_key(&args.key, true).is_some();
    let key = load::resolve_key(&plan, &args.key, action);
    let changed = plan
        .edit(&key, changes, &args.by, on)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.plan.display()))?;
    if changed.is_empty() {
        output::print_stderr(&format!(
            "nothing changed: {key} already has those values in {}",
            args.plan.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    output::write_atomic(&args.plan, plan.to_json().as_bytes())?;
    let fields: Vec<&str> = changed.iter().map(|f| f.as_str()).collect();
    output::print_stderr(&format!(
        "recorded an edit of {key} ({}) on {} in {}",
        fields.join(", "),
        ragplan_core::uk_date(on),
        args.plan.display()
    ));
    Ok(ExitCode::SUCCESS)
}

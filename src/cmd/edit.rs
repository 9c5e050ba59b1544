//! `ragplan edit`: change a node's own fields — title, owners, partners, timescale,
//! start, dependencies, criticality, weight, review date, evidence, outcomes, and
//! an action's status before any update — recorded in the plan's change log, and
//! write the plan back atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use ragplan_core::{Changes, Key, Status};

use crate::load::{self, Changed};
use crate::output;

/// Flags of `ragplan edit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  ragplan edit plan.json R3 --accountable \"Mandie Watson\" --timescale \"31 March 2016\" \\
      --by \"Scrutiny officer\"
  ragplan edit plan.json 1.2.1 --partner Police --partner Health --critical \\
      --by \"R Eaves\" --on 01/07/2015
  ragplan edit plan.json 2 --title \"Pursue perpetrators\" --weight 2 --by \"LSCB Business Manager\"
  ragplan edit plan.json R5 --status in_progress --evidence \"Panel minutes, May 2015\" \\
      --by Analyst

Each field given replaces the node's value (--accountable, --responsible, --partner,
--depends-on, --evidence and --outcome may be given more than once; --no-depends-on,
--no-evidence and --no-outcomes clear them). Title, --critical/--not-critical and
--weight apply to any node; the other fields to actions only. --status sets where an
action stands until an update reports it; after that, `ragplan update` reports it.
The edit is recorded in the plan's change log with every field's value before and
after, shown by `ragplan log`, and the plan as it stood before the edit's date is
rated without it. KEY is read as `ragplan update` reads it (R3 is the one action
under recommendation R3, and said).

Exit codes: 0 recorded (or nothing changed, said); 2 bad usage, a plan that cannot
be read, an unknown key, or a refused edit, which lists every problem with its
field.")]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
    .args(["title", "accountable", "responsible", "partner", "timescale", "start",
           "depends_on", "no_depends_on", "critical", "not_critical", "weight", "review_date",
           "status", "evidence", "no_evidence", "outcome", "no_outcomes"])))]
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
    /// Where an action stands before any update reports it: not_started,
    /// in_progress, complete, cancelled, on_hold.
    #[arg(long, value_name = "S")]
    pub status: Option<Status>,
    /// What shows the action is done (minutes, a register); repeat for several.
    #[arg(long, value_name = "TEXT", conflicts_with = "no_evidence")]
    pub evidence: Vec<String>,
    /// Clear the evidence.
    #[arg(long)]
    pub no_evidence: bool,
    /// An intended effect of the action; repeat for several.
    #[arg(long, value_name = "TEXT", conflicts_with = "no_outcomes")]
    pub outcome: Vec<String>,
    /// Clear the outcomes.
    #[arg(long)]
    pub no_outcomes: bool,
}

impl Fields {
    /// The changes these flags make, with `title`; a flag not given changes nothing.
    pub fn changes(self, title: Option<String>) -> Changes {
        let owners = |names: Vec<String>| {
            given(names).map(|n| n.iter().map(|n| ragplan_import::classify_owner(n)).collect())
        };
        let list = |values: Vec<String>, clear: bool| {
            if clear { Some(Vec::new()) } else { given(values) }
        };
        Changes {
            status: self.status,
            title,
            accountable: owners(self.accountable),
            responsible: owners(self.responsible),
            partners: given(self.partner),
            timescale: self.timescale,
            start: self.start,
            depends_on: if self.no_depends_on { Some(Vec::new()) } else { given(self.depends_on) },
            evidence: list(self.evidence, self.no_evidence),
            outcomes: list(self.outcome, self.no_outcomes),
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
    let on = output::as_of_or_today(args.on);
    let changes = args.fields.changes(args.title);
    load::change_plan(&args.plan, |plan| {
        // An action first, as `update` finds it; else any node.
        let action = plan.resolve_key(&args.key, true).is_some();
        let key = load::resolve_key(plan, &args.key, action);
        let changed = plan.edit(&key, changes, &args.by, on)?;
        if changed.is_empty() {
            return Ok(Changed::Unchanged(format!(
                "nothing changed: {key} already has those values"
            )));
        }
        let fields: Vec<&str> = changed.iter().map(|f| f.as_str()).collect();
        Ok(Changed::Recorded(format!(
            "recorded an edit of {key} ({}) on {}",
            fields.join(", "),
            ragplan_core::uk_date(on)
        )))
    })
}

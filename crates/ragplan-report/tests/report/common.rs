//! Shared fixtures: the Coventry plan and small hand-built plans.

use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ragplan_core::{AsItStood, Plan, Policy, Ratings, Snapshot, rate};
use ragplan_report::{Report, ReportOptions};

/// A date.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

static POLICY: LazyLock<Policy> = LazyLock::new(Policy::default);

/// The default policy, which every test rates under.
pub fn policy() -> &'static Policy {
    &POLICY
}

/// The bundled Coventry CSE delivery plan
/// (`examples/plans/coventry-cse-delivery-plan.json`, with its dated updates).
pub fn coventry_plan() -> Plan {
    let path = repo_root().join("examples/plans/coventry-cse-delivery-plan.json");
    let text = std::fs::read_to_string(&path).unwrap();
    Plan::from_json(&text).unwrap()
}

/// A plan rated under the default policy as of `as_of`, with the snapshot of the
/// previous report rebuilt from the plan's own update log as of `previous`.
pub fn rated(
    plan: &Plan,
    as_of: NaiveDate,
    previous: Option<NaiveDate>,
) -> (Ratings<'_>, Option<Snapshot>) {
    let now = rate(plan, policy(), as_of);
    let before = previous.map(|d| Snapshot::from(&plan.as_it_stood(d).rate(policy())));
    (now, before)
}

/// The Coventry plan as it stood on 30 June 2015, and its report.
pub struct Coventry {
    /// The plan as it stood on 30 June 2015.
    pub stood: &'static AsItStood,
    /// Its report, compared with 31 March 2015.
    pub report: Report<'static>,
}

impl Coventry {
    /// The plan reported on.
    pub fn plan(&self) -> &Plan {
        self.stood.plan()
    }

    /// Its ratings as of 30 June 2015: what the report was built from.
    pub fn ratings(&self) -> Ratings<'_> {
        self.stood.rate(policy())
    }
}

/// The Coventry report as of 30 June 2015 compared with 31 March 2015, as `ragplan
/// report --as-of 2015-06-30 --previous 2015-03-31` makes it: the plan as it stood on
/// 30 June, and as it stood on 31 March rebuilt from its update log.
pub fn coventry_report() -> Coventry {
    let stood = leak(coventry_plan().as_it_stood(day(2015, 6, 30)));
    let (now, before) = rated(stood.plan(), stood.date(), Some(day(2015, 3, 31)));
    let report = Report::build(leak(now), before.as_ref(), &ReportOptions::default());
    Coventry { stood, report }
}

/// The report of `plan` as of `as_of` with the default options, with no previous
/// report.
pub fn report_of(plan: Plan, as_of: NaiveDate) -> Report<'static> {
    let plan = leak(plan);
    let (now, _) = rated(plan, as_of, None);
    Report::build(leak(now), None, &ReportOptions::default())
}

/// `value` for as long as the test runs: a report borrows the ratings it was built
/// from, which borrow their plan, and a fixture hands all three to its test.
pub fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// `bytes` as text.
pub fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// A text cell as it was before [`ragplan_report::csv::text_cell`], as the CSV docs
/// say a system reading it back gets it ([`ragplan_core::cell_text`]).
pub fn read_back(cell: &str) -> &str {
    ragplan_core::cell_text(cell)
}

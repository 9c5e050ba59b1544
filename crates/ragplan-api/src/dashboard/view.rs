//! What each dashboard page shows, gathered from a stored plan: the values the
//! templates render.
//!
//! A plan is rated as it stood on the page's date (`Plan::as_it_stood`, as the API's
//! report is) under the default policy. The plan page is `ragplan-report`'s
//! [`Report`] of it — headline, exceptions, movement since the end of the last
//! quarter, trend, each objective's rows — with links added and the rows the filter
//! does not keep left out; an action page reads the action's ratings, reasons and
//! notes from [`Ratings`] and its log from [`Plan::story`]. Nothing here rates
//! anything.

use std::collections::HashSet;

use chrono::NaiveDate;
use ragplan_core::{
    Dimension, Event, FinancialQuarter, Key, Node, Place, Plan, Policy, Rating, Ratings, Snapshot,
    Update, UpdateLog,
};
use ragplan_report::content::{Exception, Headline, MovedNode, TableRow, TrendPoint};
use ragplan_report::{Chip, Report, ReportOptions, svg};
use serde::Serialize;

use super::date_text;
use super::filter::Filter;
use crate::store::StoredPlan;

/// The date a page rates as of, and whether the address asked for it (then links
/// carry it on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct When {
    /// The date.
    pub date: NaiveDate,
    /// Whether `as_of` gave it (else it is today).
    pub asked: bool,
}

impl When {
    /// `2015-06-30` when asked for.
    fn param(self) -> Option<String> {
        self.asked.then(|| self.date.format("%Y-%m-%d").to_string())
    }

    /// `?as_of=2015-06-30` when asked for, else nothing.
    fn query(self) -> String {
        self.param().map(|d| format!("?as_of={d}")).unwrap_or_default()
    }
}

/// A plan's page address.
fn plan_href(id: &str, when: When) -> String {
    format!("/plans/{id}{}", when.query())
}

/// An action's page address. Ids and keys are ASCII letters, digits, `.`, `-` and
/// `_`: nothing to encode.
fn action_href(id: &str, key: &str, when: When) -> String {
    format!("/plans/{id}/actions/{key}{}", when.query())
}

/// The address of the `nth` (from 1) of the actions that share `key`, in plan order:
/// `?n=2` names the second; the first needs none.
fn nth_action_href(id: &str, key: &str, nth: usize, when: When) -> String {
    with_nth(action_href(id, key, when), nth)
}

/// An action's address `href` made to name the `nth` (from 1) action with its key.
fn with_nth(href: String, nth: usize) -> String {
    match (nth > 1, href.contains('?')) {
        (false, _) => href,
        (true, true) => format!("{href}&n={nth}"),
        (true, false) => format!("{href}?n={nth}"),
    }
}

/// The plan list.
#[derive(Debug, Serialize)]
pub(crate) struct PlanList {
    as_of_text: String,
    plans: Vec<PlanLine>,
    total: u64,
    first: u64,
    last: u64,
    previous_href: Option<String>,
    next_href: Option<String>,
    /// The page's number, from 1.
    number: u64,
    first_page_href: String,
    portfolio_href: String,
}

/// One plan in the list.
#[derive(Debug, Serialize)]
struct PlanLine {
    id: String,
    title: String,
    href: String,
    n_actions: usize,
    delivery: Chip,
    outcome: Chip,
    updated: String,
}

/// The plans of page `number` (from 1) of the store, `per_page` a page, each rated
/// as it stood then.
pub(crate) fn plan_list(
    page: &crate::store::Page<StoredPlan>,
    when: When,
    number: u64,
    per_page: u32,
) -> PlanList {
    let offset = (number - 1).saturating_mul(u64::from(per_page));
    let policy = Policy::default();
    let plans: Vec<PlanLine> = page
        .items
        .iter()
        .map(|stored| {
            let plan = &stored.plan;
            let then = plan.as_it_stood(when.date);
            let ratings = then.rate(&policy);
            let whole = ratings.whole();
            let updated = stored
                .updated_at
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map_or_else(|| stored.updated_at.clone(), date_text);
            PlanLine {
                id: plan.id.to_string(),
                title: plan.title.clone(),
                href: plan_href(plan.id.as_str(), when),
                n_actions: plan.n_actions(),
                delivery: whole.rating(Dimension::Delivery).into(),
                outcome: whole.rating(Dimension::Outcome).into(),
                updated,
            }
        })
        .collect();
    let n = plans.len() as u64;
    let link = |page: u64| {
        let mut query = vec![format!("page={page}")];
        if let Some(date) = when.param() {
            query.push(format!("as_of={date}"));
        }
        format!("/?{}", query.join("&"))
    };
    PlanList {
        as_of_text: date_text(when.date),
        plans,
        total: page.total,
        first: if n == 0 { 0 } else { offset + 1 },
        last: offset + n,
        previous_href: (number > 1 && offset < page.total).then(|| link(number - 1)),
        next_href: (offset + n < page.total).then(|| link(number + 1)),
        number,
        first_page_href: link(1),
        portfolio_href: format!("/portfolio{}", when.query()),
    }
}

/// The portfolio page: every plan (with the tag asked for) rated together.
#[derive(Debug, Serialize)]
pub(crate) struct PortfolioPage {
    as_of_text: String,
    tag: Option<String>,
    n_plans: usize,
    delivery: Chip,
    outcome: Chip,
    actions_text: String,
    n_actions: u32,
    reasons: Vec<String>,
    plans: Vec<PortfolioLine>,
    worst: Vec<WorstLine>,
    n_worst: u32,
    all_href: String,
}

/// One plan on the portfolio page.
#[derive(Debug, Serialize)]
struct PortfolioLine {
    id: String,
    title: String,
    href: String,
    tags: Vec<String>,
    delivery: Chip,
    outcome: Chip,
    counts_text: String,
    n_actions: u32,
}

/// One of the worst actions on the portfolio page.
#[derive(Debug, Serialize)]
struct WorstLine {
    plan_title: String,
    plan_href: String,
    key: String,
    title: String,
    href: String,
    rating: Chip,
    reason: String,
}

/// The plans of `stored` with `tag` (all when none), each as it stood on the page's
/// date, rated together under the default policy ([`ragplan_report::Portfolio`]).
pub(crate) fn portfolio_page(
    stored: &[StoredPlan],
    when: When,
    tag: Option<&str>,
) -> PortfolioPage {
    let policy = Policy::default();
    let stood: Vec<_> = stored
        .iter()
        .filter(|s| s.plan.kept_by_tag(tag))
        .map(|s| s.plan.as_it_stood(when.date))
        .collect();
    let ratings: Vec<Ratings<'_>> = stood.iter().map(|s| s.rate(&policy)).collect();
    let portfolio = ragplan_report::Portfolio::build(&ratings, &policy, when.date);
    let plans = portfolio
        .plans
        .iter()
        .map(|p| PortfolioLine {
            href: plan_href(&p.id, when),
            id: p.id.clone(),
            title: p.title.clone(),
            tags: p.tags.clone(),
            delivery: p.delivery,
            outcome: p.outcome,
            counts_text: p.counts.text(),
            n_actions: p.counts.total,
        })
        .collect();
    let worst = portfolio
        .worst
        .iter()
        .take(WORST_ON_PAGE)
        .map(|a| WorstLine {
            plan_title: a.plan_title.clone(),
            plan_href: plan_href(&a.plan_id, when),
            href: action_href(&a.plan_id, &a.key, when),
            key: a.key.clone(),
            title: a.title.clone(),
            rating: a.rating,
            reason: a.reason.clone(),
        })
        .collect();
    PortfolioPage {
        as_of_text: portfolio.as_of_text,
        tag: tag.map(str::to_owned),
        n_plans: portfolio.plans.len(),
        delivery: portfolio.rollup.delivery,
        outcome: portfolio.rollup.outcome,
        actions_text: portfolio.rollup.actions.text(),
        n_actions: portfolio.rollup.actions.total,
        reasons: portfolio.rollup.reasons,
        plans,
        worst,
        n_worst: portfolio.n_worst,
        all_href: format!("/portfolio{}", when.query()),
    }
}

/// How many of the worst actions the portfolio page lists.
const WORST_ON_PAGE: usize = 20;

/// A plan's page.
#[derive(Debug, Serialize)]
pub(crate) struct PlanPage {
    id: String,
    title: String,
    owner_body: Option<String>,
    period: Option<String>,
    href: String,
    as_of: Option<String>,
    as_of_text: String,
    quarter: String,
    policy: String,
    headline: Headline,
    /// The trend chart (SVG), placed as it is.
    #[serde(skip)]
    pub trend_chart: Option<String>,
    trend: Vec<TrendPoint>,
    movement: Movement,
    exceptions: Vec<ExceptionList>,
    filter: FilterView,
    objectives: Vec<ObjectiveView>,
}

/// A text with the address of its action's page, when there is one to go to.
#[derive(Debug, Serialize)]
struct LinkedText {
    item: String,
    href: Option<String>,
}

/// Something with the address of its action's page, when it is an action.
#[derive(Debug, Serialize)]
struct Linked<T> {
    #[serde(flatten)]
    item: T,
    href: Option<String>,
}

/// The movement since the end of the last quarter.
#[derive(Debug, Serialize)]
struct Movement {
    since_text: String,
    groups: Vec<MovedGroup>,
    unchanged_text: String,
}

#[derive(Debug, Serialize)]
struct MovedGroup {
    name: &'static str,
    nodes: Vec<Linked<MovedNode>>,
}

#[derive(Debug, Serialize)]
struct ExceptionList {
    heading: &'static str,
    anchor: String,
    items: Vec<Linked<Exception>>,
}

/// The filter form as filled in, and what it keeps.
#[derive(Debug, Serialize)]
struct FilterView {
    active: bool,
    rating: &'static str,
    owner: String,
    partner: String,
    flag: &'static str,
    ratings: Vec<Choice>,
    flags: Vec<Choice>,
    owners: Vec<String>,
    partners: Vec<String>,
    shown: usize,
    total: usize,
    /// This page's address with the filter, for links back to it.
    href: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
}

/// An objective and the rows of its table the filter keeps.
#[derive(Debug, Serialize)]
struct ObjectiveView {
    key: String,
    title: String,
    strand: Option<String>,
    delivery: Chip,
    outcome: Chip,
    counts_text: String,
    n_counted: u32,
    reasons: Vec<String>,
    rows: Vec<Linked<TableRow>>,
}

/// The end of the quarter before the one holding `date`: what "since the last
/// quarter" compares with.
fn last_quarter_end(date: NaiveDate) -> NaiveDate {
    FinancialQuarter::of(date).previous().end()
}

/// The plan's page as it stood on `when`, its tree filtered by `filter`.
pub(crate) fn plan_page(stored: &StoredPlan, when: When, filter: &Filter) -> PlanPage {
    let policy = Policy::default();
    let then = stored.plan.as_it_stood(when.date);
    let ratings = then.rate(&policy);
    let previous = last_quarter_end(when.date);
    let before = Snapshot::from(&stored.plan.as_it_stood(previous).rate(&policy));
    let mut options = ReportOptions::default();
    // The page shows the tree, not a row per action.
    options.action_rows = false;
    let report = Report::build(&ratings, Some(&before), &options);
    let id = report.plan.id.clone();
    let actions: HashSet<&str> = then.plan().actions().map(|a| a.key.as_str()).collect();
    let link = |key: &str, is_action: bool| {
        (is_action && actions.contains(key)).then(|| action_href(&id, key, when))
    };
    let exceptions = report
        .exceptions
        .into_iter()
        .map(|group| ExceptionList {
            heading: group.heading,
            anchor: group.anchor,
            items: group
                .items
                .iter()
                .cloned()
                .map(|item| {
                    let href = link(&item.key, true);
                    Linked { item, href }
                })
                .collect(),
        })
        .collect();
    let movement = report.movement.map(|m| {
        let groups = m
            .groups()
            .into_iter()
            .map(|(name, nodes)| MovedGroup {
                name,
                nodes: nodes
                    .iter()
                    .map(|node| {
                        let href = link(&node.key, node.kind == "action");
                        Linked { item: node.clone(), href }
                    })
                    .collect(),
            })
            .collect();
        Movement {
            since_text: date_text(m.previous_as_of),
            groups,
            unchanged_text: m.unchanged_text,
        }
    });
    let (objectives, shown) = objectives(&ratings, report.objectives, filter, &link);
    let total = ratings.actions().count();
    let as_of = when.param();
    let filter_view = FilterView {
        active: filter.is_active(),
        rating: filter.rating.map_or("", Rating::as_str),
        owner: filter.owner.clone().unwrap_or_default(),
        partner: filter.partner.clone().unwrap_or_default(),
        flag: filter.flag.map_or("", |f| f.as_str()),
        ratings: rating_choices(then.plan()),
        flags: ragplan_core::Flag::ALL
            .into_iter()
            .map(|f| Choice { value: f.as_str(), label: f.label() })
            .collect(),
        owners: report.owners.into_iter().map(|h| h.name).collect(),
        partners: report.partners.into_iter().map(|h| h.name).collect(),
        shown,
        total,
        href: format!("/plans/{id}{}", filter.query(as_of.as_deref())),
    };
    PlanPage {
        href: plan_href(&id, when),
        id,
        title: report.title,
        owner_body: report.plan.owner_body,
        period: report.plan.period,
        as_of,
        as_of_text: report.as_of_text,
        quarter: report.quarter,
        policy: report.policy,
        headline: report.headline,
        trend_chart: svg::trend_chart(&report.trend),
        trend: report.trend,
        // Always some: the report was built with a previous snapshot.
        movement: movement.unwrap_or_else(|| Movement {
            since_text: date_text(previous),
            groups: Vec::new(),
            unchanged_text: String::new(),
        }),
        exceptions,
        filter: filter_view,
        objectives,
    }
}

/// The ratings the filter offers: those of the plan's scale, with Complete and Not
/// rated, which any plan can have.
fn rating_choices(plan: &Plan) -> Vec<Choice> {
    Rating::ALL
        .into_iter()
        .filter(|r| plan.scale.allows(*r) || matches!(r, Rating::Complete | Rating::NotRated))
        .map(|r| Choice { value: r.as_str(), label: r.label() })
        .collect()
}

/// Each objective with the rows the filter keeps (a sub-objective's row when one of
/// its actions is kept), and how many actions are kept. The report's rows are in the
/// order of `Ratings::nodes`, which says which node each row is.
fn objectives(
    ratings: &Ratings<'_>,
    sections: Vec<ragplan_report::content::ObjectiveSection>,
    filter: &Filter,
    link: &dyn Fn(&str, bool) -> Option<String>,
) -> (Vec<ObjectiveView>, usize) {
    let active = filter.is_active();
    let mut views: Vec<ObjectiveView> = Vec::new();
    let mut sections = sections.into_iter();
    let mut rows: std::sync::Arc<[TableRow]> = std::sync::Arc::default();
    let mut next_row = 0;
    let mut pending_sub: Option<TableRow> = None;
    let mut shown = 0;
    // How many actions with each key the walk has met, filtered out or not.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for node in ratings.nodes() {
        let Some(at) = node.plan_node() else { continue };
        if let Node::Objective(_) = at.node {
            let Some(section) = sections.next() else { break };
            (rows, next_row) = (section.rows, 0);
            pending_sub = None;
            views.push(ObjectiveView {
                key: section.key,
                title: section.title,
                strand: section.strand,
                delivery: section.delivery.rating,
                outcome: section.outcome.rating,
                counts_text: section.delivery.counts.text(),
                n_counted: section.delivery.counts.total,
                reasons: section.delivery.reasons,
                rows: Vec::new(),
            });
            continue;
        }
        let (Some(row), Some(view)) = (rows.get(next_row).cloned(), views.last_mut()) else {
            continue;
        };
        next_row += 1;
        match at.node {
            Node::SubObjective(_) if active => pending_sub = Some(row),
            Node::SubObjective(_) => view.rows.push(Linked { item: row, href: None }),
            _ if filter.keeps(&node) => {
                if at.depth == 2
                    && let Some(sub) = pending_sub.take()
                {
                    view.rows.push(Linked { item: sub, href: None });
                }
                // The n-th action with this key in plan order gets the address of
                // that one, not of the first that shares its key.
                let nth = seen.entry(row.key.clone()).and_modify(|n| *n += 1).or_insert(1);
                let href = link(&row.key, true).map(|href| with_nth(href, *nth));
                view.rows.push(Linked { item: row, href });
                shown += 1;
            }
            _ => {}
        }
    }
    if active {
        views.retain(|v| !v.rows.is_empty());
    }
    (views, shown)
}

/// An action's page.
#[derive(Debug, Serialize)]
pub(crate) struct ActionPage {
    plan_id: String,
    plan_title: String,
    plan_href: String,
    objective: Option<Crumb>,
    sub_objective: Option<Crumb>,
    key: String,
    title: String,
    description: Option<String>,
    as_of_text: String,
    delivery: RatingView,
    outcome: RatingView,
    notes: Vec<String>,
    flags: Vec<String>,
    status: String,
    progress: Option<u8>,
    /// The latest progress note: an update's, or the one the source reported.
    latest_note: Option<String>,
    start: Option<String>,
    timescale: String,
    due: Option<String>,
    review: Option<String>,
    accountable: Vec<String>,
    responsible: Vec<String>,
    partners: Vec<String>,
    evidence: Vec<String>,
    outcomes: Vec<String>,
    depends_on: Vec<LinkedText>,
    log: Vec<LogEntry>,
    /// Every action that shares this one's key, when several do, with its address:
    /// a key alone does not say which one is meant.
    sharing: Vec<LinkedText>,
}

/// A node above the action, with the address of its place on the plan's page.
#[derive(Debug, Serialize)]
struct Crumb {
    key: String,
    title: String,
    href: String,
}

/// One dimension of the action: its rating, the rating reported, and why.
#[derive(Debug, Serialize)]
struct RatingView {
    rating: Chip,
    reported: Option<Chip>,
    reasons: Vec<String>,
}

/// One entry of the action's log.
#[derive(Debug, Serialize)]
struct LogEntry {
    on: String,
    by: String,
    what: String,
    note: String,
}

/// The page of the `nth` (from 1) action with `key` in plan order as it stood on
/// `when`; none when the plan has no such action then.
pub(crate) fn action_page(
    stored: &StoredPlan,
    when: When,
    key: &Key,
    nth: usize,
) -> Option<ActionPage> {
    let policy = Policy::default();
    let then = stored.plan.as_it_stood(when.date);
    let plan = then.plan();
    let with_key: Vec<(usize, &ragplan_core::Action)> =
        plan.actions().enumerate().filter(|(_, a)| &a.key == key).collect();
    let position = with_key.get(nth.checked_sub(1)?)?.0;
    let ratings = then.rate(&policy);
    let node = ratings.node(Place::Action(position))?;
    let action = node.action()?;
    let id = plan.id.as_str();
    let page = plan_href(id, when);
    let crumb = |place: Place| {
        ratings.node(place).and_then(|n| {
            let key = n.key()?.to_string();
            let anchor = match place {
                Place::Objective(_) => format!("#objective-{key}"),
                _ => format!("#row-{key}"),
            };
            Some(Crumb { title: n.title().to_owned(), href: format!("{page}{anchor}"), key })
        })
    };
    let parent = node.plan_node().map_or(Place::Plan, |at| at.parent);
    let (objective, sub_objective) = match parent {
        Place::SubObjective(_) => {
            let grand = ratings.node(parent).and_then(|n| n.plan_node()).map(|n| n.parent);
            (grand.and_then(crumb), crumb(parent))
        }
        place => (crumb(place), None),
    };
    let dimension = |d: Dimension| RatingView {
        rating: node.rating(d).into(),
        reported: node.reported(d).map(Chip::from),
        reasons: node.reasons(d).iter().map(ToString::to_string).collect(),
    };
    let names = |owners: &[ragplan_core::Owner]| owners.iter().map(ToString::to_string).collect();
    let depends_on = action
        .depends_on
        .iter()
        .map(|k| {
            let href =
                plan.actions().any(|a| &a.key == k).then(|| action_href(id, k.as_str(), when));
            LinkedText { item: k.to_string(), href }
        })
        .collect();
    let sharing = if with_key.len() > 1 {
        with_key
            .iter()
            .enumerate()
            .map(|(n, (_, a))| LinkedText {
                item: a.title.clone(),
                href: Some(nth_action_href(id, key.as_str(), n + 1, when)),
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(ActionPage {
        plan_id: id.to_owned(),
        plan_title: plan.title.clone(),
        plan_href: page.clone(),
        objective,
        sub_objective,
        key: action.key.to_string(),
        title: action.title.clone(),
        description: action.description.clone(),
        as_of_text: date_text(when.date),
        delivery: dimension(Dimension::Delivery),
        outcome: dimension(Dimension::Outcome),
        notes: node.notes().iter().map(ToString::to_string).collect(),
        flags: node.flags().iter().map(|f| f.label().to_owned()).collect(),
        status: action.status.map(|s| s.label().to_owned()).unwrap_or_default(),
        progress: action.progress,
        latest_note: action.latest_note().map(str::to_owned),
        start: action.start.map(date_text),
        timescale: action.timescale.text.clone(),
        due: action.timescale.due.map(date_text),
        review: action.review_date.map(date_text),
        accountable: names(&action.accountable),
        responsible: names(&action.responsible),
        partners: action.partners.clone(),
        evidence: action.evidence.clone(),
        outcomes: action.outcomes.clone(),
        depends_on,
        log: log(plan, key, &action.updates),
        sharing,
    })
}

/// The action's log: its story (edits, updates, overrides, withdrawals, in the
/// core's order), or its updates alone when the key is not one node's.
fn log(plan: &Plan, key: &Key, updates: &UpdateLog) -> Vec<LogEntry> {
    let events = match plan.story(key) {
        Ok(story) => story.events,
        Err(_) => updates.iter().map(Event::Update).collect(),
    };
    events.iter().map(log_entry).collect()
}

fn log_entry(event: &Event<'_>) -> LogEntry {
    let on = date_text(event.on());
    match event {
        Event::Update(u) => LogEntry {
            on,
            by: u.by.clone(),
            what: update_text(u),
            note: u.note.clone().unwrap_or_default(),
        },
        Event::Edit { by, changes, .. } => {
            let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
            LogEntry {
                on,
                by: (*by).to_owned(),
                what: format!("Edited: {}", fields.join(", ")),
                note: String::new(),
            }
        }
        Event::Override { by, rating, justification, .. } => LogEntry {
            on,
            by: (*by).to_owned(),
            what: format!("Override: rated {}", rating.label()),
            note: (*justification).to_owned(),
        },
        Event::Withdrawal { by, rating, justification, overridden_on, .. } => LogEntry {
            on,
            by: (*by).to_owned(),
            what: format!(
                "Override of {} ({}) withdrawn",
                date_text(*overridden_on),
                rating.label()
            ),
            note: (*justification).to_owned(),
        },
        _ => LogEntry { on, by: String::new(), what: "Logged".to_owned(), note: String::new() },
    }
}

/// What an update reported, in words: `delivery Amber; status in progress; 40% done`.
fn update_text(update: &Update) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(r) = update.delivery {
        parts.push(format!("delivery {}", r.label()));
    }
    if let Some(r) = update.outcome {
        parts.push(format!("outcome {}", r.label()));
    }
    if let Some(s) = update.status {
        parts.push(format!("status {}", s.label()));
    }
    if let Some(p) = update.progress {
        parts.push(format!("{p}% done"));
    }
    if let Some(e) = &update.evidence {
        parts.push(format!("evidence: {e}"));
    }
    if parts.is_empty() { "Progress noted".to_owned() } else { capitalised(&parts.join("; ")) }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

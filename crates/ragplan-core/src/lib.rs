//! The model of a multi-agency action plan, and the engine that rates it
//! Red / Amber / Green with reasons a councillor can read.
//!
//! `ragplan-core` is pure: it reads no clock, no file, no network and no environment.
//! Everything that depends on "today" takes an `as_of` date.
//!
//! # Overview
//!
//! - [`Plan`] → [`Objective`] → [`SubObjective`] → [`Action`]: the shape of a delivery
//!   plan, with owners, partners, evidence, outcomes, a [`Timescale`], a log of
//!   [`Update`]s and an optional [`Override`].
//! - [`Rating`] and [`Scale`]: RAG, BRAG and the five-point DCA, parsed from the
//!   spellings plans use.
//! - [`Timescale`]: free text resolved to a period and due date (day-first dates, UK
//!   financial years and quarters).
//! - The `ragplan/2` JSON document: [`Plan::from_json`], [`Plan::to_json`] and
//!   [`document::plan_json_schema`].
//! - The engine: [`rate`] under a [`Policy`] gives [`Ratings`], the one result:
//!   every node's ratings, counts, flags and [`Reason`]s, read by the node's
//!   [`Place`] ([`Plan::nodes`] walks them). [`document::AssessmentDocument`] is its
//!   `ragplan-assessment/2` JSON counterpart. [`validate()`] gives [`Lint`]s;
//!   [`compare`] gives the [`Movement`] between two [`Snapshot`]s; [`Plan::apply`],
//!   [`Plan::set_override`], [`Plan::as_at`] and [`Plan::as_it_stood`] change and
//!   rewind a plan; [`DependencyGraph`] orders actions by their dependencies.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use ragplan_core::{Action, Key, Objective, Owner, Plan, PlanId, Rating, Timescale};
//!
//! let mut plan = Plan::new(PlanId::new("cse-2015")?, "CSE delivery plan");
//! let mut objective = Objective::new(Key::new("1")?, "Prevent");
//! let mut action = Action::new(Key::new("1.1")?, "Information sharing agreement in place");
//! action.accountable.push(Owner::person("Jayne Hutchings"));
//! action.timescale = Timescale::parse("May 2015");
//! action.action_rag = Some("Red".parse()?);
//! objective.actions.push(action);
//! plan.objectives.push(objective);
//!
//! assert_eq!(plan.n_actions(), 1);
//! let due = plan.action(&Key::new("1.1")?).and_then(|a| a.timescale.due);
//! assert_eq!(due, NaiveDate::from_ymd_opt(2015, 5, 31));
//!
//! // The canonical document round-trips.
//! let json = plan.to_json();
//! assert!(json.contains(r#""format": "ragplan/2""#));
//! assert_eq!(Plan::from_json(&json)?, plan);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Assessing a plan
//!
//! [`rate`] rates every action, sub-objective, objective and the plan on delivery
//! (the Action RAG) and outcome (the Outcome RAG) as of a date, under a [`Policy`],
//! and gives every rating its [`Reason`]s. By default an action's rating is the worse
//! of the reported one and the one worked out from its dates, so a Green typed next
//! to an overdue action does not survive roll-up.
//!
//! ```
//! use chrono::NaiveDate;
//! use ragplan_core::{Action, Dimension, Flag, Key, Objective, Place, Plan, PlanId, Policy, Rating};
//! use ragplan_core::{Timescale, rate};
//!
//! let mut plan = Plan::new(PlanId::new("cse-2015")?, "CSE delivery plan");
//! let mut objective = Objective::new(Key::new("1")?, "Prevent");
//! let mut action = Action::new(Key::new("1.1.2")?, "Information sharing agreement to be in place");
//! action.timescale = Timescale::parse("May 2015");
//! action.action_rag = Some(Rating::Green);
//! objective.actions.push(action);
//! plan.objectives.push(objective);
//!
//! let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
//! let policy = Policy::default();
//! let ratings = rate(&plan, &policy, as_of);
//! let action = ratings.node(Place::Action(0)).unwrap();
//! assert_eq!(action.rating(Dimension::Delivery), Rating::Red);
//! assert!(action.has(Flag::Overdue));
//! assert_eq!(
//!     action.reasons(Dimension::Delivery)[0].to_string(),
//!     "Red because action 1.1.2 \"Information sharing agreement to be in place\" was due \
//!      31 May 2015 and is not complete (30 days overdue)."
//! );
//! assert_eq!(ratings.whole().rating(Dimension::Delivery), Rating::Red);
//! assert_eq!(ratings.whole().counts(Dimension::Delivery).red, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod add;
mod apply;
pub mod blocks;
pub mod document;
mod edit;
mod engine;
pub mod generate;
mod graph;
mod holder;
mod key;
mod log;
mod movement;
mod plan;
mod policy;
mod rating;
mod reason;
mod remove;
mod stood;
mod story;
mod text;
mod timescale;
mod validate;
mod vocab;
mod walk;

pub use add::NewNode;
pub use apply::{ApplyError, ChangeKind, Field, KeyMatch, Problem};
pub use document::{DocumentError, FormatTag, PLAN_FORMAT, PLAN_FORMAT_1};
pub use edit::{Changes, Edit, FieldChange};
pub use engine::rollup::roll_up_ratings;
pub use engine::{NodeRating, PlanRollup, Ratings, rate};
pub use graph::{DependencyGraph, MissingDependency};
pub use holder::{holder_key, name_finds};
pub use key::{IdError, Key, PlanId};
pub use log::UpdateLog;
pub use movement::{Change, Movement, NodeMovement, RatingMove, Snapshot, SnapshotNode, compare};
pub use plan::{
    Action, Direction, Imported, Measure, NodeRatings, Objective, Override, Owner, OwnerKind, Plan,
    Reading, SubObjective, UnmappedNote, Update, Withdrawal, fit_list,
};
pub use policy::{Policy, ProgressThresholds, RatingSource, RollupRule, Unreported};
pub use rating::{ParseRatingError, ParseScaleError, ParseStatusError, Rating, Scale, Status};
pub use reason::{
    BlockedByReason, Cause, CauseRef, ChildNoun, ChildRef, Driving, DueNextQuarterReason,
    MeasureOffTargetReason, MeasureOnTargetReason, OverriddenReason, ParentOverriddenReason,
    Reason, WithoutOverrideReason,
};
pub use stood::{AsItStood, PreviousAfterAsOf, check_previous};
pub use story::{Event, Story};
pub use text::{FORMULA_STARTS, cell_text, count, text_cell, uk_date};
pub use timescale::{
    FinancialQuarter, Timescale, TimescaleKind, financial_year_of, fold_lookalikes,
};
pub use validate::{Lint, LintCode, Severity, validate};
pub use vocab::{Dimension, Flag, NodeKind, RatingCounts};
pub use walk::{Node, Place, PlanNode};

/// The crate README's example, run as a doctest so that it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

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
//! - The `ragplan/1` JSON document: [`Plan::from_json`], [`Plan::to_json`] and
//!   [`document::plan_json_schema`].
//! - The engine: [`assess`] under a [`Policy`] gives an [`Assessment`] (the
//!   `ragplan-assessment/1` document) with [`Reason`]s for every rating; [`validate()`]
//!   gives [`Lint`]s; [`compare`] gives the [`Movement`] between two assessments;
//!   [`Plan::apply`], [`Plan::set_override`] and [`Plan::as_at`] change and rewind a
//!   plan; [`DependencyGraph`] orders actions by their dependencies.
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
//! assert!(json.contains(r#""format": "ragplan/1""#));
//! assert_eq!(Plan::from_json(&json)?, plan);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Assessing a plan
//!
//! [`assess`] rates every action, sub-objective, objective and the plan on delivery
//! (the Action RAG) and outcome (the Outcome RAG) as of a date, under a [`Policy`],
//! and gives every rating its [`Reason`]s. By default an action's rating is the worse
//! of the reported one and the one worked out from its dates, so a Green typed next
//! to an overdue action does not survive roll-up.
//!
//! ```
//! use chrono::NaiveDate;
//! use ragplan_core::{Action, Flag, Key, Objective, Plan, PlanId, Policy, Rating, Timescale, assess};
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
//! let assessment = assess(&plan, &Policy::default(), as_of);
//! let action = assessment.node(&Key::new("1.1.2")?).unwrap();
//! assert_eq!(action.delivery.rating, Rating::Red);
//! assert!(action.has(Flag::Overdue));
//! assert_eq!(
//!     action.delivery.reasons[0].to_string(),
//!     "Red because action 1.1.2 \"Information sharing agreement to be in place\" was due \
//!      31 May 2015 and is not complete (30 days overdue)."
//! );
//! assert_eq!(assessment.delivery.rating, Rating::Red);
//! assert_eq!(assessment.delivery.counts.red, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod apply;
pub mod assessment;
pub mod document;
pub mod generate;
pub mod graph;
pub mod key;
pub mod movement;
pub mod plan;
pub mod policy;
pub mod rating;
pub mod ratings;
pub mod reason;
mod rollup;
pub mod timescale;
pub mod validate;

pub use apply::ApplyError;
pub use assessment::{
    ASSESSMENT_FORMAT, Assessment, AssessmentFormat, DimensionAssessment, Engine, Flag,
    NodeAssessment, NodeKind, PlanRef, RatingCounts, assess, rate,
};
pub use document::{DocumentError, FormatTag, PLAN_FORMAT};
pub use graph::{DependencyGraph, MissingDependency};
pub use key::{IdError, Key, PlanId};
pub use movement::{Change, Movement, NodeMovement, RatingMove, compare};
pub use plan::{
    Action, Direction, Measure, NodeRatings, Objective, Override, OverrideError, Owner, OwnerKind,
    Plan, Reading, SubObjective, UnmappedNote, Update,
};
pub use policy::{Policy, ProgressThresholds, RatingSource, RollupRule};
pub use rating::{ParseRatingError, ParseScaleError, ParseStatusError, Rating, Scale, Status};
pub use ratings::{ActionRating, Ratings};
pub use reason::{ChildNoun, ChildRef, Dimension, Driving, Reason};
pub use timescale::{FinancialQuarter, Timescale, TimescaleKind};
pub use validate::{Lint, LintCode, Severity, validate};

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
#![deny(missing_docs)]

pub mod document;
pub mod key;
pub mod plan;
pub mod rating;
pub mod timescale;

pub use document::{DocumentError, FormatTag, PLAN_FORMAT};
pub use key::{IdError, Key, PlanId};
pub use plan::{
    Action, Direction, Measure, NodeRatings, Objective, Override, OverrideError, Owner, OwnerKind,
    Plan, Reading, SubObjective, UnmappedNote, Update,
};
pub use rating::{ParseRatingError, ParseScaleError, ParseStatusError, Rating, Scale, Status};
pub use timescale::{FinancialQuarter, Timescale, TimescaleKind};

//! Synthetic plans of any size for benches, tests and demonstrations:
//! [`synthetic_plan`] is deterministic in its seed and reads no clock.

use chrono::NaiveDate;

use crate::key::{Key, PlanId};
use crate::plan::{Action, Objective, Owner, Plan, SubObjective, Update};
use crate::rating::{Rating, Status};
use crate::timescale::Timescale;

/// How many actions a generated sub-objective holds at most.
pub const ACTIONS_PER_SUB_OBJECTIVE: usize = 10;

/// SplitMix64: a small, well-mixed, seeded generator; enough for synthetic data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with `percent` % chance.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const TIMESCALES: [&str; 12] = [
    "April 2015",
    "May 2015",
    "June 2015",
    "Q1 2015/16",
    "Q2 2015/16",
    "Q3 2015/16",
    "Q4 2015/16",
    "2015/16",
    "March/April 2016",
    "31/07/2015",
    "Ongoing",
    "TBC",
];

const OWNERS: [&str; 6] = ["CSE coordinator", "WMP", "Health", "Education", "LSCB", "Social Care"];

/// A plan of `n_actions` actions spread evenly over `n_objectives` objectives (at
/// least one), each objective's actions grouped into sub-objectives of at most
/// [`ACTIONS_PER_SUB_OBJECTIVE`]. Keys are positional (`"3.2.7"`).
///
/// The same arguments always give the same plan. The mix is that of a live plan in
/// 2015/16: timescales from April 2015 to March 2016 (some ongoing or TBC), a spread
/// of statuses and reported ratings, some progress, updates, evidence, dependencies
/// on earlier actions of the same objective, critical actions and weights.
///
/// # Example
/// ```
/// use ragplan_core::generate::synthetic_plan;
/// let plan = synthetic_plan(1_000, 10, 42);
/// assert_eq!(plan.n_actions(), 1_000);
/// assert_eq!(plan.objectives.len(), 10);
/// assert_eq!(plan, synthetic_plan(1_000, 10, 42));
/// ```
pub fn synthetic_plan(n_actions: usize, n_objectives: usize, seed: u64) -> Plan {
    let mut rng = SplitMix(seed);
    let n_objectives = n_objectives.max(1);
    let id = PlanId::new(&format!("synthetic-{n_actions}-{n_objectives}-{seed}"))
        .unwrap_or_else(|_| PlanId::slug("synthetic"));
    let mut plan = Plan::new(id, format!("Synthetic plan of {n_actions} actions"));
    plan.metadata.insert("generator".into(), format!("synthetic_plan seed {seed}").into());
    let timescales: Vec<Timescale> = TIMESCALES.iter().map(|t| Timescale::parse(t)).collect();
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2015, m, d).unwrap_or_default();
    let fy_start = day(4, 1);

    for o in 0..n_objectives {
        let n_here = n_actions / n_objectives + usize::from(o < n_actions % n_objectives);
        let o_key = Key::positional(None, o);
        let mut objective = Objective::new(o_key.clone(), format!("Objective {}", o + 1));
        objective.node.critical = rng.chance(5);
        let n_subs = n_here.div_ceil(ACTIONS_PER_SUB_OBJECTIVE);
        let mut made = 0;
        for s in 0..n_subs {
            let s_key = Key::positional(Some(&o_key), s);
            let mut sub = SubObjective::new(s_key.clone(), format!("Sub-objective {s_key}"));
            sub.node.weight = rng.chance(10).then_some(2);
            if rng.chance(10) {
                sub.node.reported_delivery = Some(Rating::Green);
            }
            let n_in_sub = (n_here - made).min(ACTIONS_PER_SUB_OBJECTIVE);
            for a in 0..n_in_sub {
                let key = Key::positional(Some(&s_key), a);
                let mut action = Action::new(key.clone(), format!("Action {key}"));
                action.timescale = timescales[rng.below(TIMESCALES.len() as u64) as usize].clone();
                action.status = Some(match rng.below(100) {
                    0..=24 => Status::NotStarted,
                    25..=74 => Status::InProgress,
                    75..=89 => Status::Complete,
                    90..=94 => Status::OnHold,
                    _ => Status::Cancelled,
                });
                action.action_rag = match rng.below(10) {
                    0 => None,
                    1..=2 => Some(Rating::Red),
                    3..=5 => Some(Rating::Amber),
                    _ => Some(Rating::Green),
                };
                action.outcome_rag = match rng.below(10) {
                    0..=3 => None,
                    4 => Some(Rating::Red),
                    5..=6 => Some(Rating::Amber),
                    _ => Some(Rating::Green),
                };
                if action.status == Some(Status::InProgress) && rng.chance(50) {
                    action.start = Some(fy_start);
                    action.progress = Some(rng.below(101) as u8);
                }
                action.accountable.push(Owner::role(OWNERS[rng.below(6) as usize]));
                if rng.chance(30) {
                    action.responsible.push(Owner::role("Officer"));
                }
                if action.action_rag == Some(Rating::Green) && rng.chance(70) {
                    action.evidence.push("Minutes of the LSCB meeting".into());
                }
                if rng.chance(50) {
                    let mut update =
                        Update::new(day(1 + rng.below(9) as u32 + 3, 1), "Lead officer");
                    update.delivery = action.action_rag;
                    action.updates.push(update);
                }
                if a > 0 && rng.chance(5) {
                    let earlier = rng.below(a as u64) as usize;
                    action.depends_on.push(Key::positional(Some(&s_key), earlier));
                }
                action.critical = rng.chance(2);
                action.weight = rng.chance(10).then_some(3);
                sub.actions.push(action);
            }
            made += n_in_sub;
            objective.sub_objectives.push(sub);
        }
        plan.objectives.push(objective);
    }
    plan
}

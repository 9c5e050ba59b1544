//! Many plans rated together: each plan's two ratings and counts, the worst actions
//! across all of them with their reasons, and a roll-up of the plans under the
//! policy's plan rule. What `ragplan status --portfolio` and `GET /v1/portfolio`
//! show, as JSON `ragplan-portfolio/1`.

use chrono::NaiveDate;
use ragplan_core::{Dimension, Flag, Policy, Rating, Ratings, roll_up_ratings, uk_date};
use serde::Serialize;

use crate::build::{data_gaps, first_reason_of};
use crate::chip::Chip;
use crate::content::{Counts, Gap, actions_text};

/// The `format` tag of a portfolio's JSON.
pub const PORTFOLIO_FORMAT: &str = "ragplan-portfolio/1";

/// Plans rated together, as of one date under one policy. Built by
/// [`Portfolio::build`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Portfolio {
    /// Always [`PORTFOLIO_FORMAT`].
    pub format: &'static str,
    /// The date the plans are rated as of.
    pub as_of: NaiveDate,
    /// `as_of` as a reader writes it: `"30 June 2015"`.
    pub as_of_text: String,
    /// The rating policy, named in words.
    pub policy: String,
    /// The plans rolled up together.
    pub rollup: PortfolioRollup,
    /// Each plan, in the order given (by id from the API and the dashboard; in the
    /// order of the files named, a folder's in name order, from the CLI).
    pub plans: Vec<PortfolioPlan>,
    /// The worst actions across the plans: by delivery rating, worst first (Red,
    /// then Amber/Red, …, Not rated last), then plan by plan in plan order; at most
    /// [`Portfolio::WORST`]. Complete, cancelled and removed actions are not listed.
    pub worst: Vec<PortfolioAction>,
    /// How many actions rated Red, Amber/Red or Amber the plans hold in all (`worst`
    /// lists the first of them).
    pub n_worst: u32,
}

/// The plans rolled up together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioRollup {
    /// The plans' delivery ratings rolled up under the policy's plan rule.
    pub delivery: Chip,
    /// Their outcome ratings, likewise.
    pub outcome: Chip,
    /// The plans, counted by their delivery rating.
    pub plans: Counts,
    /// Every plan's actions together, counted by delivery rating.
    pub actions: Counts,
    /// Why the portfolio has its delivery rating, one sentence each.
    pub reasons: Vec<String>,
}

/// One plan of a portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioPlan {
    /// The plan's identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The body that owns it.
    pub owner_body: Option<String>,
    /// Its tags (region, board, theme).
    pub tags: Vec<String>,
    /// Its delivery rating.
    pub delivery: Chip,
    /// Its outcome rating.
    pub outcome: Chip,
    /// Its actions counted by delivery rating.
    pub counts: Counts,
    /// Why it has its delivery rating, one sentence each.
    pub reasons: Vec<String>,
    /// What it does not say of its actions ([`crate::data_gaps`]).
    pub gaps: Vec<Gap>,
}

/// An action among a portfolio's worst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioAction {
    /// The plan it is in.
    pub plan_id: String,
    /// That plan's title.
    pub plan_title: String,
    /// The action's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its delivery rating.
    pub rating: Chip,
    /// Why, one sentence: the first reason for its delivery rating.
    pub reason: String,
}

/// The delivery ratings the worst list holds.
const LISTED: [Rating; 3] = [Rating::Red, Rating::AmberRed, Rating::Amber];

impl Portfolio {
    /// How many actions the worst list names at most.
    pub const WORST: usize = 50;

    /// The portfolio of `plans` (each rated as of `as_of` under `policy`), rolled up
    /// under `policy.plan`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Policy, generate::synthetic_plan, rate};
    /// use ragplan_report::Portfolio;
    ///
    /// let policy = Policy::default();
    /// let june = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    /// let plans: Vec<_> = (1..=3).map(|seed| synthetic_plan(40, 3, seed)).collect();
    /// let ratings: Vec<_> = plans.iter().map(|p| rate(p, &policy, june)).collect();
    /// let portfolio = Portfolio::build(&ratings, &policy, june);
    /// assert_eq!(portfolio.plans.len(), 3);
    /// assert_eq!(portfolio.rollup.plans.total, 3);
    /// let each: u32 = portfolio.plans.iter().map(|p| p.counts.total).sum();
    /// assert_eq!(portfolio.rollup.actions.total, each);
    /// assert!(portfolio.worst.iter().all(|a| a.rating.rating == ragplan_core::Rating::Red
    ///     || a.rating.rating == ragplan_core::Rating::AmberRed
    ///     || a.rating.rating == ragplan_core::Rating::Amber));
    /// ```
    pub fn build(plans: &[Ratings<'_>], policy: &Policy, as_of: NaiveDate) -> Portfolio {
        let mut rows = Vec::with_capacity(plans.len());
        let mut actions = Counts::default();
        let mut plan_counts = Counts::default();
        for ratings in plans {
            let whole = ratings.whole();
            let plan = ratings.plan();
            let counts: Counts = (&whole.counts(Dimension::Delivery)).into();
            actions.by_rating.merge(&counts.by_rating);
            actions.total += counts.total;
            plan_counts.add(whole.rating(Dimension::Delivery));
            rows.push(PortfolioPlan {
                id: plan.id.to_string(),
                title: plan.title.clone(),
                owner_body: plan.owner_body.clone(),
                tags: plan.tags.clone(),
                delivery: whole.rating(Dimension::Delivery).into(),
                outcome: whole.rating(Dimension::Outcome).into(),
                counts,
                reasons: whole
                    .reasons(Dimension::Delivery)
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                gaps: data_gaps(ratings).1,
            });
        }
        let (worst, n_worst) = worst(plans);
        let rating_of = |d: Dimension| {
            let each: Vec<Rating> = plans.iter().map(|r| r.whole().rating(d)).collect();
            roll_up_ratings(policy.plan, policy, &each)
        };
        let delivery = rating_of(Dimension::Delivery);
        Portfolio {
            format: PORTFOLIO_FORMAT,
            as_of,
            as_of_text: uk_date(as_of).to_string(),
            policy: policy.describe(),
            rollup: PortfolioRollup {
                delivery: delivery.into(),
                outcome: rating_of(Dimension::Outcome).into(),
                reasons: rollup_reasons(delivery, policy, &rows, &plan_counts),
                plans: plan_counts,
                actions,
            },
            plans: rows,
            worst,
            n_worst,
        }
    }
}

/// The worst actions across `plans` (at most [`Portfolio::WORST`]) and how many
/// there are.
fn worst(plans: &[Ratings<'_>]) -> (Vec<PortfolioAction>, u32) {
    let mut listed = Vec::new();
    let mut n = 0u32;
    for rating in LISTED {
        for ratings in plans {
            let plan = ratings.plan();
            for node in ratings.actions() {
                if node.is_left_out() || node.has(Flag::Removed) {
                    continue;
                }
                if node.rating(Dimension::Delivery) != rating {
                    continue;
                }
                n += 1;
                if listed.len() < Portfolio::WORST {
                    listed.push(PortfolioAction {
                        plan_id: plan.id.to_string(),
                        plan_title: plan.title.clone(),
                        key: node.key().map(ToString::to_string).unwrap_or_default(),
                        title: node.title().to_owned(),
                        rating: rating.into(),
                        reason: first_reason_of(&node),
                    });
                }
            }
        }
    }
    (listed, n)
}

/// `names` as a list in words: `A, B and C`; the first five, then how many more.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() > SHOWN {
        return format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN);
    }
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

/// Why the portfolio has its delivery rating: the rule, how the plans stand, and
/// the plans at the worst rating among them.
fn rollup_reasons(
    delivery: Rating,
    policy: &Policy,
    plans: &[PortfolioPlan],
    counts: &Counts,
) -> Vec<String> {
    if plans.is_empty() {
        return vec!["Not rated: the portfolio holds no plan.".to_owned()];
    }
    let n = plans.len();
    let noun = if n == 1 { "plan" } else { "plans" };
    let mut reasons = vec![format!(
        "{} by the plan roll-up rule, {}, over {n} {noun}: {}.",
        delivery.label(),
        policy.plan,
        counts.text()
    )];
    if let Some(worst) = plans.iter().map(|p| p.delivery.rating).min_by_key(|r| r.severity()) {
        let at: Vec<&PortfolioPlan> = plans.iter().filter(|p| p.delivery.rating == worst).collect();
        let names: Vec<String> = at.iter().map(|p| format!("{} ({})", p.title, p.id)).collect();
        let actions = actions_text(at.iter().map(|p| u64::from(p.counts.total)).sum());
        let rated = if worst == Rating::NotRated {
            "not rated".to_owned()
        } else {
            format!("rated {}", worst.label())
        };
        reasons.push(match names.as_slice() {
            [one] => format!("{one} is {rated}, with {actions}."),
            _ => format!("{} are {rated}, with {actions} between them.", listed(&names)),
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use ragplan_core::generate::synthetic_plan;
    use ragplan_core::rate;

    #[test]
    fn lists_in_words() {
        let names = |n: usize| (1..=n).map(|i| format!("P{i}")).collect::<Vec<_>>();
        assert_eq!(listed(&names(1)), "P1");
        assert_eq!(listed(&names(2)), "P1 and P2");
        assert_eq!(listed(&names(3)), "P1, P2 and P3");
        assert_eq!(listed(&names(7)), "P1, P2, P3, P4, P5 and 2 more");
    }

    /// One plan's roll-up said "Rated Red is …, with 40 actions between them".
    #[test]
    fn one_plan_was_said_to_have_actions_between_them() {
        let policy = Policy::default();
        let june = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
        let plan = synthetic_plan(40, 3, 1);
        let ratings = [rate(&plan, &policy, june)];
        let portfolio = Portfolio::build(&ratings, &policy, june);
        let second = &portfolio.rollup.reasons[1];
        let rating = portfolio.plans[0].delivery.rating.label();
        let n = portfolio.plans[0].counts.total;
        assert_eq!(
            second,
            &format!("{} ({}) is rated {rating}, with {n} actions.", plan.title, plan.id),
        );
    }
}

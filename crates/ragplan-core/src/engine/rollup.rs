//! The roll-up of a parent's children under a [`RollupRule`] and the policy's
//! exclusions: the rating, and on request the reasons naming the children that
//! drive it.

use std::borrow::Cow;

use crate::key::Key;
use crate::policy::{Policy, RollupRule};
use crate::rating::Rating;
use crate::reason::{ChildNoun, Driving, Reason};

/// A child as the roll-up sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Child<'a> {
    pub key: &'a Key,
    /// A reference to the `String`, so that filling a child reads nothing of the
    /// title until a reason names it.
    pub title: &'a String,
    pub rating: Rating,
    pub critical: bool,
    pub weight: u32,
    /// Cancelled or removed: never counted.
    pub excluded: bool,
}

/// The rating a child counts as, or none when it is left out.
fn counted_as(policy: &Policy, c: &Child<'_>) -> Option<Rating> {
    if c.excluded { None } else { rating_counted_as(policy, c.rating) }
}

/// The rating a child rated `rating` counts as in roll-up, or none when the policy
/// leaves it out.
pub(crate) fn rating_counted_as(policy: &Policy, rating: Rating) -> Option<Rating> {
    match rating {
        Rating::Complete => policy.complete_counts_as_green.then_some(Rating::Green),
        Rating::NotRated => policy.not_rated_counts_as_amber.then_some(Rating::Amber),
        r => Some(r),
    }
}

/// The children counted, by score (Red 0 … Green 4), and those left out.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    counted: u32,
    left_out: u32,
    complete: u32,
    considered: u32,
    per_rating: [u32; 5],
}

fn tally(policy: &Policy, children: &[Child<'_>]) -> Tally {
    let mut t = Tally::default();
    for c in children {
        if !c.excluded && c.rating == Rating::Complete {
            t.complete += 1;
        }
        if !c.excluded && (c.rating != Rating::NotRated || policy.not_rated_counts_as_amber) {
            t.considered += 1;
        }
        match counted_as(policy, c).and_then(Rating::score) {
            Some(score) => {
                t.counted += 1;
                t.per_rating[usize::from(score)] += 1;
            }
            None => t.left_out += 1,
        }
    }
    t
}

/// Which case of the roll-up decided a parent's rating.
#[derive(Debug, Clone, Copy)]
enum Decision {
    AllComplete,
    CriticalRed,
    NothingToCount,
    /// The rule's rating; for `mean_score`, the mean.
    Rule(Rating, f64),
}

impl Decision {
    fn rating(self) -> Rating {
        match self {
            Decision::AllComplete => Rating::Complete,
            Decision::CriticalRed => Rating::Red,
            Decision::NothingToCount => Rating::NotRated,
            Decision::Rule(rating, _) => rating,
        }
    }
}

fn decide(rule: RollupRule, policy: &Policy, children: &[Child<'_>], t: &Tally) -> Decision {
    if t.complete > 0 && t.complete == t.considered {
        return Decision::AllComplete;
    }
    if children.iter().any(|c| !c.excluded && c.critical && c.rating == Rating::Red) {
        return Decision::CriticalRed;
    }
    if t.counted == 0 {
        return Decision::NothingToCount;
    }
    let per_rating = &t.per_rating;
    match rule {
        RollupRule::WorstOf => {
            let worst = per_rating.iter().position(|n| *n > 0).unwrap_or(4) as u8;
            Decision::Rule(Rating::from_score(worst), 0.0)
        }
        RollupRule::Majority => {
            let most = per_rating.iter().copied().max().unwrap_or(0);
            // The worst of the most common: scores run red (0) to green (4).
            let winner = per_rating.iter().position(|n| *n == most).unwrap_or(0);
            Decision::Rule(Rating::from_score(winner as u8), 0.0)
        }
        RollupRule::MeanScore { green_from, amber_from } => {
            let mut sum: u64 = 0;
            let mut total: u64 = 0;
            for c in children {
                if let Some(score) = counted_as(policy, c).and_then(Rating::score) {
                    sum += u64::from(score) * u64::from(c.weight);
                    total += u64::from(c.weight);
                }
            }
            let mean = if total == 0 {
                // Every counted child weighs nothing: fall back to the plain mean.
                let plain: u32 = per_rating.iter().enumerate().map(|(s, n)| s as u32 * n).sum();
                f64::from(plain) / f64::from(t.counted)
            } else {
                sum as f64 / total as f64
            };
            let rating = if mean >= green_from {
                Rating::Green
            } else if mean >= amber_from {
                Rating::Amber
            } else {
                Rating::Red
            };
            Decision::Rule(rating, mean)
        }
        RollupRule::Share { red_from_percent, green_from_percent } => {
            let (red, green) = (per_rating[0], per_rating[4]);
            // In u64: a node may hold more than 42 million children.
            let at_least = |n: u32, percent: u8| {
                u64::from(n) * 100 >= u64::from(percent) * u64::from(t.counted)
            };
            let rating = if red > 0 && at_least(red, red_from_percent) {
                Rating::Red
            } else if red == 0 && at_least(green, green_from_percent) {
                Rating::Green
            } else {
                Rating::Amber
            };
            Decision::Rule(rating, 0.0)
        }
    }
}

/// Whether `children` roll up under `rule` by the rule itself, not by one of the cases
/// every rule shares (all complete, a critical Red, nothing to count).
pub(crate) fn decided_by_rule(rule: RollupRule, policy: &Policy, children: &[Child<'_>]) -> bool {
    matches!(decide(rule, policy, children, &tally(policy, children)), Decision::Rule(..))
}

/// The rating `children` roll up to under `rule` and the policy's exclusions.
pub(crate) fn roll_up_rating(rule: RollupRule, policy: &Policy, children: &[Child<'_>]) -> Rating {
    decide(rule, policy, children, &tally(policy, children)).rating()
}

/// The rating `ratings` roll up to under `rule` and `policy`'s exclusions (Complete
/// counted as Green, Not rated as Amber or left out, as the policy says), each
/// counted alike: how a portfolio rolls its plans up, by the rules a plan rolls its
/// objectives up by.
///
/// # Example
/// ```
/// use ragplan_core::{Policy, Rating, RollupRule, roll_up_ratings};
/// let policy = Policy::default();
/// let plans = [Rating::Green, Rating::Amber, Rating::Red];
/// assert_eq!(roll_up_ratings(RollupRule::WorstOf, &policy, &plans), Rating::Red);
/// let all_green = [Rating::Green, Rating::Complete];
/// assert_eq!(roll_up_ratings(RollupRule::Majority, &policy, &all_green), Rating::Green);
/// ```
pub fn roll_up_ratings(rule: RollupRule, policy: &Policy, ratings: &[Rating]) -> Rating {
    // A child's key and title are read only for reasons, which this never makes.
    let (Ok(key), title) = (Key::new("1"), String::new()) else { return Rating::NotRated };
    let children: Vec<Child<'_>> = ratings
        .iter()
        .map(|&rating| Child {
            key: &key,
            title: &title,
            rating,
            critical: false,
            weight: 1,
            excluded: false,
        })
        .collect();
    roll_up_rating(rule, policy, &children)
}

/// Rolls `children` up under `rule` and the policy's exclusions: the rating and its
/// reasons (never empty).
pub(crate) fn roll_up<'a>(
    rule: RollupRule,
    policy: &Policy,
    noun: ChildNoun,
    children: &[Child<'a>],
) -> (Rating, Vec<Reason<'a>>) {
    let t = tally(policy, children);
    let decision = decide(rule, policy, children, &t);
    let rating = decision.rating();
    let counted = t.counted;
    let driving_of = |rating: Rating| {
        let mut driving = Driving::default();
        for c in children {
            if counted_as(policy, c) == Some(rating) {
                driving.push(c.key, c.title);
            }
        }
        driving
    };
    let reason = match (decision, rule) {
        (Decision::AllComplete, _) => Reason::AllComplete { noun, counted: t.complete },
        (Decision::CriticalRed, _) => {
            let critical = children
                .iter()
                .filter(|c| !c.excluded && c.critical && c.rating == Rating::Red)
                .map(|c| Reason::CriticalChild {
                    noun,
                    key: Cow::Borrowed(c.key),
                    title: Cow::Borrowed(c.title.as_str()),
                })
                .collect();
            return (rating, critical);
        }
        (Decision::NothingToCount, _) => Reason::NothingToCount {
            noun,
            left_out: t.left_out,
            not_rated_actions: 0,
            left_out_actions: 0,
        },
        (Decision::Rule(..), RollupRule::WorstOf) => {
            Reason::WorstChild { rating, noun, counted, driving: driving_of(rating) }
        }
        (Decision::Rule(..), RollupRule::Majority) => {
            let most = t.per_rating.iter().copied().max().unwrap_or(0);
            let winner = rating.score().map_or(0, usize::from);
            let tied_with = (winner + 1..5)
                .filter(|s| t.per_rating[*s] == most)
                .map(|s| Rating::from_score(s as u8))
                .collect();
            Reason::MostCommon { rating, noun, counted, tied_with, driving: driving_of(rating) }
        }
        (Decision::Rule(_, mean), RollupRule::MeanScore { green_from, amber_from }) => {
            let lowest_score = t.per_rating.iter().position(|n| *n > 0).unwrap_or(4) as u8;
            let lowest = if rating == Rating::Green {
                Driving::default()
            } else {
                driving_of(Rating::from_score(lowest_score))
            };
            Reason::MeanScore { rating, noun, counted, mean, green_from, amber_from, lowest }
        }
        (Decision::Rule(..), RollupRule::Share { red_from_percent, green_from_percent }) => {
            let driving =
                if rating == Rating::Green { Driving::default() } else { driving_of(Rating::Red) };
            Reason::Share {
                rating,
                noun,
                counted,
                red: t.per_rating[0],
                green: t.per_rating[4],
                red_from_percent,
                green_from_percent,
                driving,
            }
        }
    };
    (rating, vec![reason])
}

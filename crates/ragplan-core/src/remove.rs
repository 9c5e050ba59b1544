//! Taking a node out of a plan as a recorded change: [`Plan::remove_node`] marks the
//! node removed, with every node under it, and logs an [`Edit`] of
//! [`Field::Removed`] for each, so that the plan keeps its history, the plan as it
//! stood before the date still has the node, and movement reports it as removed.

use chrono::NaiveDate;

use crate::apply::{ApplyError, ChangeKind, Field, Problem, find_node};
use crate::edit::Edit;
use crate::key::Key;
use crate::plan::Plan;
use crate::walk::Place;

impl Plan {
    /// Marks the node with `key` (an objective, sub-objective or action) removed,
    /// with every sub-objective and action under it that is not removed already,
    /// and logs each removal on `on` with `justification`. A removed node stays in
    /// the plan, left out of roll-up and counts; it takes no more updates, edits or
    /// judgements. Returns the keys marked, the node's first.
    ///
    /// # Errors
    /// [`ApplyError`] listing every problem: no node or several have the key (with
    /// the nearest keys), the node is removed already, no justification, no `by`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use ragplan_core::{Action, Key, Objective, Plan, PlanId};
    /// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
    /// let mut objective = Objective::new(Key::new("R3")?, "Recommendation 3");
    /// objective.actions.push(Action::new(Key::new("R3.1")?, "Review the protocol"));
    /// plan.objectives.push(objective);
    /// let on = NaiveDate::from_ymd_opt(2015, 9, 1).unwrap();
    /// let key = Key::new("R3")?;
    /// let marked = plan.remove_node(&key, "Merged into R4", "Scrutiny officer", on)?;
    /// assert_eq!(marked, [Key::new("R3")?, Key::new("R3.1")?]);
    /// assert!(plan.action(&Key::new("R3.1")?).unwrap().removed);
    /// // As it stood in August, before the removal, the recommendation was in force.
    /// let august = plan.as_at(NaiveDate::from_ymd_opt(2015, 8, 31).unwrap());
    /// assert!(!august.objectives[0].node.removed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_node(
        &mut self,
        key: &Key,
        justification: &str,
        by: &str,
        on: NaiveDate,
    ) -> Result<Vec<Key>, ApplyError> {
        let found = find_node(self, key, "node", |_| true);
        let mut problems = Vec::new();
        let place = match found {
            Ok(node) => {
                if node.is_removed() {
                    let kind = node.kind().label();
                    problems
                        .push(Problem::new(Field::Key, format!("{kind} {key} is removed already")));
                }
                Some(node.place)
            }
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        let justification = justification.trim();
        if justification.is_empty() {
            problems.push(Problem::new(Field::Justification, "record why the node is removed"));
        }
        if by.trim().is_empty() {
            problems.push(Problem::new(Field::By, "say who removed the node"));
        }
        ApplyError::check(ChangeKind::Removal, Some(key), place, problems)?;
        let Some(place) = place else { return Ok(Vec::new()) };
        let marked = self.mark_removed(place);
        for marked_key in &marked {
            let with = (marked_key != key).then_some(key);
            self.edits.push(Edit::removed(marked_key.clone(), justification, with, on, by));
        }
        Ok(marked)
    }

    /// Marks the node at `place` and every node under it removed; returns the keys of
    /// those that were not removed before, the node's first.
    fn mark_removed(&mut self, place: Place) -> Vec<Key> {
        let mut marked = Vec::new();
        let mut mark = |removed: &mut bool, key: &Key| {
            if !*removed {
                *removed = true;
                marked.push(key.clone());
            }
        };
        let subs = self.objectives.iter_mut().flat_map(|o| &mut o.sub_objectives);
        match place {
            Place::Plan => {}
            Place::Objective(o) => {
                if let Some(o) = self.objectives.get_mut(o) {
                    mark(&mut o.node.removed, &o.key);
                    for a in &mut o.actions {
                        mark(&mut a.removed, &a.key);
                    }
                    for s in &mut o.sub_objectives {
                        mark(&mut s.node.removed, &s.key);
                        for a in &mut s.actions {
                            mark(&mut a.removed, &a.key);
                        }
                    }
                }
            }
            Place::SubObjective(s) => {
                if let Some(s) = { subs }.nth(s) {
                    mark(&mut s.node.removed, &s.key);
                    for a in &mut s.actions {
                        mark(&mut a.removed, &a.key);
                    }
                }
            }
            Place::Action(a) => {
                if let Some(a) = self.actions_mut().nth(a) {
                    mark(&mut a.removed, &a.key);
                }
            }
        }
        marked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::PlanId;
    use crate::plan::{Action, Objective, SubObjective};
    use serde_json::{Value, json};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, m, d).unwrap()
    }

    fn k(text: &str) -> Key {
        Key::new(text).unwrap()
    }

    fn plan() -> Plan {
        let mut plan = Plan::new(PlanId::new("p").unwrap(), "Plan");
        let mut objective = Objective::new(k("1"), "Prevent");
        let mut sub = SubObjective::new(k("1.1"), "Schools");
        sub.actions.push(Action::new(k("1.1.1"), "Train staff"));
        sub.actions.push(Action::new(k("1.1.2"), "Audit"));
        objective.sub_objectives.push(sub);
        plan.objectives.push(objective);
        plan
    }

    #[test]
    fn a_sub_objective_is_removed_with_its_actions_and_each_removal_is_logged() {
        let mut plan = plan();
        let marked = plan.remove_node(&k("1.1"), "Merged", "Analyst", day(9, 1)).unwrap();
        assert_eq!(marked, [k("1.1"), k("1.1.1"), k("1.1.2")]);
        assert!(plan.nodes().skip(1).all(|n| n.is_removed()));
        let with: Vec<&Value> = plan.edits.iter().map(|e| &e.changes[0].after["with"]).collect();
        assert_eq!(with, [&Value::Null, &json!("1.1"), &json!("1.1")]);
        let before = plan.as_at(day(8, 31));
        assert!(before.nodes().all(|n| !n.is_removed()));
    }

    #[test]
    fn an_action_removed_before_its_sub_objective_keeps_its_own_removal() {
        let mut plan = plan();
        plan.remove_node(&k("1.1.2"), "Done elsewhere", "Analyst", day(7, 1)).unwrap();
        let marked = plan.remove_node(&k("1.1"), "Merged", "Analyst", day(9, 1)).unwrap();
        assert_eq!(marked, [k("1.1"), k("1.1.1")]);
        let august = plan.as_at(day(8, 31));
        let removed: Vec<&str> =
            august.nodes().filter(|n| n.is_removed()).map(|n| n.key().as_str()).collect();
        assert_eq!(removed, ["1.1.2"]);
    }

    #[test]
    fn a_removal_lists_every_problem() {
        let mut plan = plan();
        plan.remove_node(&k("1.1.1"), "Gone", "Analyst", day(7, 1)).unwrap();
        let err = plan.remove_node(&k("1.1.1"), " ", "", day(8, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "action 1.1.1: the removal was refused: key: action 1.1.1 is removed already; \
             by: say who removed the node; justification: record why the node is removed"
        );
        let err = plan.remove_node(&k("1.1.3"), "Gone", "Analyst", day(8, 1)).unwrap_err();
        assert!(err.is_unknown_key(), "{err}");
    }
}

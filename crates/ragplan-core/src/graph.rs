//! The [`DependencyGraph`] of a plan's actions: which action must be done before
//! which, in what order to rate them, and the cycles and missing keys that make a
//! plan invalid.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::key::Key;
use crate::plan::{Action, Plan};

/// An action that depends on a key no action of the plan has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingDependency {
    /// The action that names the dependency.
    pub action: Key,
    /// The key no action has.
    pub missing: Key,
}

/// The hash of a key's text: rustc-hash's Fx, which reads nothing random and is
/// cheap on short texts (every key of a plan is hashed when it is validated). Equal texts have equal hashes; unequal texts may too, so a
/// match is always confirmed by comparing the texts.
pub(crate) fn key_hash(text: &str) -> u64 {
    FxBuildHasher.hash_one(text)
}

/// Keys found by their hash: per key, the high 32 bits of its hash above its number
/// (its place in the list indexed), sorted. The keys of one hash lie together, in
/// the order of their numbers.
///
/// Only texts decide: wherever two hashes meet, the texts are compared, so no result
/// depends on the hash. A plan crafted so that its keys' hashes collide can at worst
/// slow its own assessment. Sorting numbers and scanning the runs beats a hash table
/// here: 161 ms for the duplicates among 1.1M keys, against 534 ms for hashbrown's
/// `HashTable` and 756 ms for an `FxHashMap<&str, u32>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyIndex {
    entries: Vec<u64>,
}

impl KeyIndex {
    /// The index of `texts`, numbered from 0 in order, hashed with `hash`. There are
    /// fewer than 2³² of them: a plan that large would not fit in memory.
    pub(crate) fn new<'t>(
        texts: impl Iterator<Item = &'t str>,
        hash: &impl Fn(&str) -> u64,
    ) -> KeyIndex {
        let mut entries: Vec<u64> =
            texts.enumerate().map(|(number, text)| entry(hash(text), number)).collect();
        entries.sort_unstable();
        KeyIndex { entries }
    }

    /// How many keys the index holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The keys of this index, then those of `more` numbered on after them.
    pub(crate) fn join(&self, more: &KeyIndex) -> KeyIndex {
        let offset = self.len() as u64;
        let mut entries = Vec::with_capacity(self.len() + more.len());
        entries.extend_from_slice(&self.entries);
        entries.extend(more.entries.iter().map(|e| e + offset));
        // Two sorted runs, which the stable sort finds and merges in one pass.
        entries.sort();
        KeyIndex { entries }
    }

    /// The numbers of the keys that share their hash with another, hash by hash, each
    /// run in the order of the numbers.
    pub(crate) fn runs(&self) -> impl Iterator<Item = impl Iterator<Item = usize> + '_> + '_ {
        self.entries
            .chunk_by(|a, b| a >> 32 == b >> 32)
            .filter(|run| run.len() > 1)
            .map(|run| run.iter().map(|&e| number(e)))
    }
}

/// The entry of the key of number `number` and hash `hash` in a [`KeyIndex`].
fn entry(hash: u64, number: usize) -> u64 {
    hash >> 32 << 32 | number as u64
}

/// The number of the key of an entry of a [`KeyIndex`].
fn number(entry: u64) -> usize {
    entry as u32 as usize
}

/// The graph of dependencies between a plan's actions.
///
/// Actions are numbered by their position in [`Plan::actions`]. When two actions share
/// a key, dependencies on that key point at the first.
///
/// # Example
/// ```
/// use ragplan_core::{Action, DependencyGraph, Key, Objective, Plan, PlanId};
/// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
/// let mut objective = Objective::new(Key::new("1")?, "Objective");
/// let a = Action::new(Key::new("1.1")?, "Agree the protocol");
/// let mut b = Action::new(Key::new("1.2")?, "Train staff in the protocol");
/// b.depends_on.extend([Key::new("1.1")?, Key::new("1.9")?]);
/// objective.actions.extend([a, b]);
/// plan.objectives.push(objective);
///
/// let graph = DependencyGraph::new(&plan);
/// let missing = &graph.missing()[0];
/// assert_eq!((missing.action.as_str(), missing.missing.as_str()), ("1.2", "1.9"));
/// # Ok::<(), ragplan_core::IdError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DependencyGraph<'a> {
    keys: Vec<&'a Key>,
    /// Where each action's prerequisites start in `targets`: those of the action at
    /// position `i` are `targets[starts[i]..starts[i + 1]]`. Empty when no action
    /// depends on another.
    starts: Vec<u32>,
    /// The positions of the prerequisites of every action, action by action, each
    /// action's in `depends_on` order.
    targets: Vec<usize>,
    missing: Vec<MissingDependency>,
    /// Every position, prerequisites first; the actions of a cycle together.
    order: Vec<usize>,
    /// The actions of each cycle, in plan order.
    cycles: Vec<Vec<usize>>,
    /// Per action, the index of its cycle in `cycles`, if it is in one; empty when the
    /// plan has no cycle.
    cycle_of: Vec<Option<u32>>,
}

impl<'a> DependencyGraph<'a> {
    /// Builds the graph of `plan`'s actions.
    pub fn new(plan: &'a Plan) -> DependencyGraph<'a> {
        let actions: Vec<&Action> = plan.actions().collect();
        DependencyGraph::from_actions(&actions)
    }

    /// Builds the graph of `actions`, numbered by their position in the slice.
    pub(crate) fn from_actions(actions: &[&'a Action]) -> DependencyGraph<'a> {
        DependencyGraph::hashing(actions).0
    }

    /// [`DependencyGraph::from_actions`], giving back too the [`KeyIndex`] of the
    /// actions' keys (numbered by position) when the graph needed one to find the
    /// actions depended on: none when no action depends on another.
    pub(crate) fn hashing(actions: &[&'a Action]) -> (DependencyGraph<'a>, Option<KeyIndex>) {
        DependencyGraph::hashed(actions, &key_hash)
    }

    /// [`DependencyGraph::hashing`], with `hash` as the hash of key texts (any function
    /// will do: equal hashes only lead to the keys being compared).
    fn hashed(
        actions: &[&'a Action],
        hash: &impl Fn(&str) -> u64,
    ) -> (DependencyGraph<'a>, Option<KeyIndex>) {
        let n = actions.len();
        let mut graph = DependencyGraph {
            keys: Vec::with_capacity(n),
            starts: Vec::new(),
            targets: Vec::new(),
            missing: Vec::new(),
            order: Vec::new(),
            cycles: Vec::new(),
            cycle_of: Vec::new(),
        };
        // One pass over the actions: every key, and every dependency.
        let mut named: Vec<(usize, &'a Key)> = Vec::new();
        for (i, a) in actions.iter().enumerate() {
            graph.keys.push(&a.key);
            // Most actions depend on nothing: a plain loop costs them nothing.
            for dep in &a.depends_on {
                named.push((i, dep));
            }
        }
        if named.is_empty() {
            graph.order = (0..n).collect();
            return (graph, None);
        }
        // (`hash` serves the duplicate-key index, which validation now builds itself.)
        let _ = hash;
        // The keys depended on are few beside the plan's keys: a table of them stays
        // small (in cache), and one scan of the actions in plan order finds each
        // key's first holder. Every key of the plan is hashed here, so the hash is
        // rustc-hash's Fx: std's SipHash made this step 40% of `rate` at 1M actions.
        // The table compares texts, so a collision can only slow it.
        let mut first_holder: HashMap<&str, Option<usize>, FxBuildHasher> =
            HashMap::with_capacity_and_hasher(named.len(), FxBuildHasher);
        for (_, dep) in &named {
            first_holder.entry(dep.as_str()).or_insert(None);
        }
        for (i, key) in graph.keys.iter().enumerate() {
            if let Some(slot @ None) = first_holder.get_mut(key.as_str()) {
                *slot = Some(i);
            }
        }
        let holders: Vec<Option<usize>> = named
            .iter()
            .map(|(_, dep)| first_holder.get(dep.as_str()).copied().flatten())
            .collect();
        graph.link(actions, &named, &holders);
        (graph, None)
    }

    /// Records the dependencies `named` (each an action's position and a key it
    /// depends on), whose prerequisites are `holders` (the position of the first action
    /// with each key, if any), and orders the actions, prerequisites first.
    fn link(
        &mut self,
        actions: &[&'a Action],
        named: &[(usize, &'a Key)],
        holders: &[Option<usize>],
    ) {
        let n = actions.len();
        let graph = self;
        // The prerequisites of each action; the actions that have any, with how many
        // of them are not yet placed; and each dependency as (prerequisite, index of
        // the dependent in `waiting`).
        let mut starts: Vec<u32> = Vec::with_capacity(n + 1);
        let mut targets: Vec<usize> = Vec::with_capacity(named.len());
        let mut waiting: Vec<(usize, u32)> = Vec::new();
        let mut edges: Vec<(usize, u32)> = Vec::with_capacity(named.len());
        for (&(i, dep), &holder) in named.iter().zip(holders) {
            let Some(j) = holder else {
                graph.missing.push(MissingDependency {
                    action: actions[i].key.clone(),
                    missing: dep.clone(),
                });
                continue;
            };
            if starts.len() <= i {
                starts.resize(i + 1, targets.len() as u32);
                waiting.push((i, 0));
            }
            targets.push(j);
            let last = waiting.len() - 1;
            waiting[last].1 += 1;
            edges.push((j, last as u32));
        }
        starts.resize(n + 1, targets.len() as u32);
        graph.starts = starts;
        graph.targets = targets;

        // Kahn: an action is ready once all its prerequisites are placed. The actions
        // with none are placed first, in plan order; then each placed action's
        // dependents, in the order the dependencies were listed. One pass over the
        // edges orders the whole plan, so only what is left over, in or behind a
        // cycle, goes through petgraph; handing petgraph every action instead would
        // build a graph as large as the plan to order the few with prerequisites.
        edges.sort_by_key(|&(j, _)| j);
        let mut is_prerequisite = vec![0u64; n.div_ceil(64)];
        for &(j, _) in &edges {
            is_prerequisite[j / 64] |= 1 << (j % 64);
        }
        let mut order: Vec<usize> = Vec::with_capacity(n);
        let mut from = 0;
        for &(i, _) in &waiting {
            order.extend(from..i);
            from = i + 1;
        }
        order.extend(from..n);
        let mut next = 0;
        while next < order.len() {
            let placed = order[next];
            next += 1;
            if is_prerequisite[placed / 64] & (1 << (placed % 64)) == 0 {
                continue;
            }
            let first = edges.partition_point(|&(j, _)| j < placed);
            for &(_, d) in edges[first..].iter().take_while(|&&(j, _)| j == placed) {
                let (dependent, count) = &mut waiting[d as usize];
                *count -= 1;
                if *count == 0 {
                    order.push(*dependent);
                }
            }
        }

        // What is left is in a cycle or behind one: petgraph's strongly connected
        // components order it, prerequisites first.
        if order.len() < n {
            let left: Vec<usize> =
                waiting.iter().filter(|(_, count)| *count > 0).map(|&(i, _)| i).collect();
            let mut sub: DiGraph<usize, ()> = DiGraph::with_capacity(left.len(), 0);
            for &i in &left {
                sub.add_node(i);
            }
            for (k, &i) in left.iter().enumerate() {
                for &j in graph.prerequisite_positions(i) {
                    if let Ok(l) = left.binary_search(&j) {
                        // Edge `i → j`: i depends on j.
                        sub.add_edge(NodeIndex::new(k), NodeIndex::new(l), ());
                    }
                }
            }
            graph.cycle_of = vec![None; n];
            // Kosaraju lists components in reverse topological order of `i → j`
            // edges: prerequisites first. Its depth-first search keeps its own stack;
            // petgraph's Tarjan recurses once per action of a cycle, so a cycle
            // through 200,000 actions overflowed the thread's stack.
            for component in petgraph::algo::kosaraju_scc(&sub) {
                let mut members: Vec<usize> = component.iter().map(|c| sub[*c]).collect();
                members.sort_unstable();
                let is_cycle = members.len() > 1
                    || members
                        .first()
                        .is_some_and(|&m| graph.prerequisite_positions(m).contains(&m));
                order.extend_from_slice(&members);
                if is_cycle {
                    graph.cycles.push(members);
                }
            }
            graph.cycles.sort_by_key(|c| c.first().copied());
            for (c, members) in graph.cycles.iter().enumerate() {
                for &m in members {
                    graph.cycle_of[m] = Some(c as u32);
                }
            }
        }
        graph.order = order;
    }

    /// The dependencies on keys no action has, in plan order.
    pub fn missing(&self) -> &[MissingDependency] {
        &self.missing
    }

    /// Every position, prerequisites first.
    pub(crate) fn order_positions(&self) -> &[usize] {
        &self.order
    }

    /// Whether the actions at positions `a` and `b` are in the same cycle.
    pub(crate) fn same_cycle(&self, a: usize, b: usize) -> bool {
        match (self.cycle_of.get(a), self.cycle_of.get(b)) {
            (Some(Some(x)), Some(Some(y))) => x == y,
            _ => false,
        }
    }

    /// The positions of the prerequisites of the action at `position`.
    pub(crate) fn prerequisite_positions(&self, position: usize) -> &[usize] {
        match (self.starts.get(position), self.starts.get(position + 1)) {
            (Some(&from), Some(&to)) => self.targets.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many dependency cycles the plan has.
    pub(crate) fn n_cycles(&self) -> usize {
        self.cycles.len()
    }

    /// The keys of the actions of cycle `index` (cycles in plan order of their first
    /// action), in plan order; none when there is no such cycle.
    pub(crate) fn cycle_keys(&self, index: usize) -> impl Iterator<Item = &'a Key> + '_ {
        self.cycles.get(index).into_iter().flatten().filter_map(|&i| self.keys.get(i).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::new(text).expect("a valid key")
    }

    fn action(text: &str, depends_on: &[&str]) -> Action {
        let mut a = Action::new(key(text), "Agree the protocol");
        a.depends_on = depends_on.iter().map(|d| key(d)).collect();
        a
    }

    /// Hashes that make keys collide, some of them all the time.
    const COLLIDING: [fn(&str) -> u64; 3] =
        [|_| 0, |text| text.len() as u64, |text| u64::from(text.as_bytes()[0]) << 32];

    #[test]
    fn dependencies_are_exact_whatever_the_hash() {
        let actions = [
            action("1.1", &["1.3"]),
            action("1.2", &["1.1", "1.9"]),
            action("1.3", &["1.2"]),
            action("1.4", &["1.4", "1.1"]),
        ];
        let refs: Vec<&Action> = actions.iter().collect();
        let expected = DependencyGraph::from_actions(&refs);
        for hash in COLLIDING {
            let (graph, _) = DependencyGraph::hashed(&refs, &hash);
            assert_eq!(graph.targets, expected.targets);
            assert_eq!(graph.missing, expected.missing);
            assert_eq!(graph.order, expected.order);
            assert_eq!(graph.cycles, expected.cycles);
        }
    }

    #[test]
    fn a_dependency_on_a_shared_key_points_at_its_first_holder() {
        let actions = [action("1.1", &[]), action("1.2", &["1.1", "1.3"]), action("1.1", &["1.9"])];
        let refs: Vec<&Action> = actions.iter().collect();
        let graph = DependencyGraph::from_actions(&refs);
        assert_eq!(graph.prerequisite_positions(1), [0]);
        assert_eq!(graph.prerequisite_positions(2), [] as [usize; 0]);
        assert_eq!(graph.prerequisite_positions(3), [] as [usize; 0]);
        assert_eq!(graph.targets.len(), 1);
        let missing: Vec<(&str, &str)> =
            graph.missing().iter().map(|m| (m.action.as_str(), m.missing.as_str())).collect();
        assert_eq!(missing, [("1.2", "1.3"), ("1.1", "1.9")]);
    }

    #[test]
    fn actions_free_of_dependencies_come_first_then_their_dependents() {
        // 0 depends on 2 and 3; 1 on 0; 2 on nothing; 3 on 2; 4 on nothing.
        let actions = [
            action("a", &["c", "d"]),
            action("b", &["a"]),
            action("c", &[]),
            action("d", &["c"]),
            action("e", &[]),
        ];
        let refs: Vec<&Action> = actions.iter().collect();
        let graph = DependencyGraph::from_actions(&refs);
        assert_eq!(graph.order_positions(), [2, 4, 3, 0, 1]);
        assert_eq!(graph.n_cycles(), 0);
        assert!(!graph.same_cycle(0, 1));
    }

    #[test]
    fn actions_behind_a_cycle_follow_it() {
        // 1 and 2 depend on each other; 3 depends on 2; 4 on itself.
        let actions = [
            action("a", &[]),
            action("b", &["c"]),
            action("c", &["b"]),
            action("d", &["c"]),
            action("e", &["e"]),
        ];
        let refs: Vec<&Action> = actions.iter().collect();
        let graph = DependencyGraph::from_actions(&refs);
        let order = graph.order_positions();
        assert_eq!(order[0], 0);
        assert_eq!(order.len(), 5);
        let at = |p: usize| order.iter().position(|&o| o == p);
        assert!(at(3) > at(1) && at(3) > at(2));
        assert_eq!(graph.n_cycles(), 2);
        let cycle = |c: usize| graph.cycle_keys(c).map(Key::as_str).collect::<Vec<_>>();
        assert_eq!(cycle(0), ["b", "c"]);
        assert_eq!(cycle(1), ["e"]);
        assert!(cycle(2).is_empty());
        assert!(graph.same_cycle(1, 2));
        assert!(!graph.same_cycle(2, 3));
    }
}

//! The [`DependencyGraph`] of a plan's actions: which action must be done before
//! which, in what order to rate them, and the cycles and missing keys that make a
//! plan invalid.

use std::collections::HashMap;

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

/// A fast, unkeyed hasher (the Fx hash of rustc) for the short keys of a plan.
///
/// Keys come from the plan being rated and are at most 32 characters; a plan crafted
/// to collide can at worst slow its own assessment. Duplicate-key checks compare the
/// keys themselves wherever two hashes meet.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// No cycle: the marker in `cycle_of`.
const NO_CYCLE: u32 = u32::MAX;

/// The graph of dependencies between a plan's actions.
///
/// Actions are numbered by their position in [`Plan::actions`]. When two actions share
/// a key, dependencies on that key point at the first.
///
/// Actions free of cycles are ordered by a single pass over the edges (Kahn's
/// algorithm); only the actions left over, in or behind a cycle, go through petgraph's
/// strongly connected components, so a large plan with few dependencies costs little.
///
/// # Example
/// ```
/// use ragplan_core::{Action, DependencyGraph, Key, Objective, Plan, PlanId};
/// let mut plan = Plan::new(PlanId::new("p")?, "Plan");
/// let mut objective = Objective::new(Key::new("1")?, "Objective");
/// let mut a = Action::new(Key::new("1.1")?, "Agree the protocol");
/// let mut b = Action::new(Key::new("1.2")?, "Train staff in the protocol");
/// b.depends_on.push(Key::new("1.1")?);
/// a.depends_on.push(Key::new("1.2")?);
/// objective.actions.extend([a, b]);
/// plan.objectives.push(objective);
///
/// let graph = DependencyGraph::new(&plan);
/// assert_eq!(graph.cycles(), vec![vec![Key::new("1.1")?, Key::new("1.2")?]]);
/// # Ok::<(), ragplan_core::IdError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DependencyGraph<'a> {
    keys: Vec<&'a Key>,
    /// Per action, the positions of its prerequisites, in `depends_on` order.
    prerequisites: Vec<Vec<usize>>,
    missing: Vec<MissingDependency>,
    /// Every position, prerequisites first; the actions of a cycle together.
    order: Vec<usize>,
    /// The actions of each cycle, in plan order.
    cycles: Vec<Vec<usize>>,
    /// Per action, the index of its cycle in `cycles`, or [`NO_CYCLE`]; empty when
    /// the plan has no cycle.
    cycle_of: Vec<u32>,
}

impl<'a> DependencyGraph<'a> {
    /// Builds the graph of `plan`'s actions.
    pub fn new(plan: &'a Plan) -> DependencyGraph<'a> {
        let actions: Vec<&Action> = plan.actions().collect();
        DependencyGraph::from_actions(&actions)
    }

    /// Builds the graph of `actions`, numbered by their position in the slice.
    pub(crate) fn from_actions(actions: &[&'a Action]) -> DependencyGraph<'a> {
        let n = actions.len();
        let keys: Vec<&'a Key> = actions.iter().map(|a| &a.key).collect();
        let mut graph = DependencyGraph {
            keys,
            prerequisites: Vec::new(),
            missing: Vec::new(),
            order: Vec::new(),
            cycles: Vec::new(),
            cycle_of: Vec::new(),
        };
        if actions.iter().all(|a| a.depends_on.is_empty()) {
            graph.order = (0..n).collect();
            return graph;
        }

        // Only the keys something depends on need an index.
        let mut index: HashMap<&Key, usize, FxBuild> = HashMap::default();
        for a in actions {
            for dep in &a.depends_on {
                index.insert(dep, usize::MAX);
            }
        }
        for (i, a) in actions.iter().enumerate() {
            if let Some(slot) = index.get_mut(&a.key).filter(|s| **s == usize::MAX) {
                *slot = i;
            }
        }
        let mut prerequisites = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for (i, a) in actions.iter().enumerate() {
            for dep in &a.depends_on {
                match index.get(dep).copied().filter(|j| *j != usize::MAX) {
                    Some(j) => {
                        prerequisites[i].push(j);
                        dependents[j].push(i);
                    }
                    None => graph
                        .missing
                        .push(MissingDependency { action: a.key.clone(), missing: dep.clone() }),
                }
            }
        }

        // Kahn: an action is ready once all its prerequisites are placed.
        let mut waiting: Vec<usize> = prerequisites.iter().map(Vec::len).collect();
        let mut order: Vec<usize> = (0..n).filter(|i| waiting[*i] == 0).collect();
        let mut next = 0;
        while next < order.len() {
            let placed = order[next];
            next += 1;
            for &d in &dependents[placed] {
                waiting[d] -= 1;
                if waiting[d] == 0 {
                    order.push(d);
                }
            }
        }

        // What is left is in a cycle or behind one: petgraph's strongly connected
        // components order it, prerequisites first.
        if order.len() < n {
            let left: Vec<usize> = (0..n).filter(|i| waiting[*i] > 0).collect();
            let mut local = vec![u32::MAX; n];
            let mut sub: DiGraph<usize, ()> = DiGraph::with_capacity(left.len(), 0);
            for (k, &i) in left.iter().enumerate() {
                local[i] = k as u32;
                sub.add_node(i);
            }
            for &i in &left {
                for &j in &prerequisites[i] {
                    if local[j] != u32::MAX {
                        // Edge `i → j`: i depends on j.
                        sub.add_edge(
                            NodeIndex::new(local[i] as usize),
                            NodeIndex::new(local[j] as usize),
                            (),
                        );
                    }
                }
            }
            graph.cycle_of = vec![NO_CYCLE; n];
            // Tarjan lists components in reverse topological order of `i → j`
            // edges: prerequisites first.
            for component in petgraph::algo::tarjan_scc(&sub) {
                let mut members: Vec<usize> = component.iter().map(|c| sub[*c]).collect();
                members.sort_unstable();
                let is_cycle = members.len() > 1 || prerequisites[members[0]].contains(&members[0]);
                order.extend_from_slice(&members);
                if is_cycle {
                    graph.cycles.push(members);
                }
            }
            graph.cycles.sort_by_key(|c| c.first().copied());
            for (c, members) in graph.cycles.iter().enumerate() {
                for &m in members {
                    graph.cycle_of[m] = c as u32;
                }
            }
        }
        graph.prerequisites = prerequisites;
        graph.order = order;
        graph
    }

    /// How many actions the graph holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the plan has no actions.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys of the actions `key` depends on directly, in the order it lists them
    /// (dependencies on missing keys left out).
    pub fn prerequisites_of(&self, key: &Key) -> Vec<Key> {
        match self.position(key) {
            Some(i) => {
                self.prerequisite_positions(i).iter().map(|&j| self.keys[j].clone()).collect()
            }
            None => Vec::new(),
        }
    }

    /// The keys of the actions that depend directly on `key`, in plan order.
    pub fn dependents_of(&self, key: &Key) -> Vec<Key> {
        match self.position(key) {
            Some(i) => (0..self.keys.len())
                .filter(|&a| self.prerequisite_positions(a).contains(&i))
                .map(|a| self.keys[a].clone())
                .collect(),
            None => Vec::new(),
        }
    }

    /// The dependencies on keys no action has, in plan order.
    pub fn missing(&self) -> &[MissingDependency] {
        &self.missing
    }

    /// Each dependency cycle as the keys of the actions in it, in plan order; cycles
    /// listed in plan order of their first action. An action that depends on itself is
    /// a cycle of one.
    pub fn cycles(&self) -> Vec<Vec<Key>> {
        self.cycles.iter().map(|c| c.iter().map(|&i| self.keys[i].clone()).collect()).collect()
    }

    /// Every action's key, prerequisites before the actions that depend on them; the
    /// actions of a cycle are together, in plan order.
    pub fn order(&self) -> Vec<Key> {
        self.order.iter().map(|&i| self.keys[i].clone()).collect()
    }

    /// How many dependencies between actions of the plan the graph holds.
    pub fn n_dependencies(&self) -> usize {
        self.prerequisites.iter().map(Vec::len).sum()
    }

    /// Every position, prerequisites first.
    pub(crate) fn order_positions(&self) -> &[usize] {
        &self.order
    }

    /// Whether the actions at positions `a` and `b` are in the same cycle.
    pub(crate) fn same_cycle(&self, a: usize, b: usize) -> bool {
        match (self.cycle_of.get(a), self.cycle_of.get(b)) {
            (Some(&x), Some(&y)) => x != NO_CYCLE && x == y,
            _ => false,
        }
    }

    /// The positions of the prerequisites of the action at `position`.
    pub(crate) fn prerequisite_positions(&self, position: usize) -> &[usize] {
        self.prerequisites.get(position).map_or(&[], Vec::as_slice)
    }

    fn position(&self, key: &Key) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
    }
}

//! The [`DependencyGraph`] of a plan's actions: which action must be done before
//! which, in what order to rate them, and the cycles and missing keys that make a
//! plan invalid.

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
/// to collide can at worst slow its own assessment. Wherever two hashes meet, the keys
/// themselves are compared.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    /// The multiplier of the Fx hash.
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    /// Mixes one word into the hash.
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            // The last few bytes as one word, padded with zeros.
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The hash of a key's text, well mixed in every bit: the Fx hash of the text and its
/// length, finished with the MurmurHash3 mixer so that any slice of its bits can
/// index a table. Equal texts have equal hashes; unequal texts may too, so a match is
/// always confirmed by comparing the texts.
pub(crate) fn key_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = FxHasher(text.len() as u64);
    hasher.write(text.as_bytes());
    let mut h = hasher.finish();
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

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
    /// Per action, the index of its cycle in `cycles`, or [`NO_CYCLE`]; empty when
    /// the plan has no cycle.
    cycle_of: Vec<u32>,
}

/// Nobody found yet: the marker in [`Wanted::holders`].
const NOBODY: u32 = u32::MAX;

/// The keys the plan's actions depend on, each once, with the position of the first
/// action that has it.
///
/// An open-addressing table of the keys' hashes, and a one-bit-per-hash filter small
/// enough to stay in cache, so that the many actions nothing depends on are passed
/// over with a single lookup.
struct Wanted<'k> {
    /// Each key, in order of first mention.
    texts: Vec<&'k str>,
    /// The low 32 bits of the [`key_hash`] of each key.
    hashes: Vec<u32>,
    /// The position of the first action with each key, or [`NOBODY`].
    holders: Vec<u32>,
    /// Per slot, 0 when empty, else 1 + the key's index.
    slots: Vec<u32>,
    /// A set bit for each hash's low bits.
    filter: Vec<u64>,
}

impl<'k> Wanted<'k> {
    /// An empty set with room for `n` keys.
    fn with_capacity(n: usize) -> Wanted<'k> {
        let slots = (2 * n).next_power_of_two().max(16);
        let filter_bits = (8 * n).next_power_of_two().max(64);
        Wanted {
            texts: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            holders: Vec::with_capacity(n),
            slots: vec![0; slots],
            filter: vec![0; filter_bits / 64],
        }
    }

    /// The first slot to look at for `hash`.
    fn home(&self, hash: u32) -> usize {
        // Counted from the high bits: the filter counts from the low ones.
        hash.rotate_left(16) as usize & (self.slots.len() - 1)
    }

    /// The filter's word and bit for `hash`.
    fn filter_bit(&self, hash: u32) -> (usize, u64) {
        let bit = hash as usize & (self.filter.len() * 64 - 1);
        (bit / 64, 1 << (bit % 64))
    }

    /// The index of `text` (of hash `hash`), added if new.
    fn insert(&mut self, text: &'k str, hash: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = self.home(hash);
        loop {
            match self.slots[slot] {
                0 => {
                    let index = self.texts.len();
                    self.slots[slot] = index as u32 + 1;
                    self.texts.push(text);
                    self.hashes.push(hash);
                    self.holders.push(NOBODY);
                    let (word, bit) = self.filter_bit(hash);
                    self.filter[word] |= bit;
                    return index;
                }
                taken => {
                    let index = taken as usize - 1;
                    if self.hashes[index] == hash && self.texts[index] == text {
                        return index;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Calls `found` with the index of each wanted key of hash `hash`.
    fn candidates(&self, hash: u32, mut found: impl FnMut(usize)) {
        let (word, bit) = self.filter_bit(hash);
        if self.filter[word] & bit == 0 {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.home(hash);
        while let Some(index) = (self.slots[slot] as usize).checked_sub(1) {
            if self.hashes[index] == hash {
                found(index);
            }
            slot = (slot + 1) & mask;
        }
    }
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

    /// [`DependencyGraph::from_actions`], giving back too the low 32 bits of the
    /// [`key_hash`] of each action's key, worked out in the same pass over the
    /// actions.
    pub(crate) fn hashing(actions: &[&'a Action]) -> (DependencyGraph<'a>, Vec<u32>) {
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
        // One pass over the actions: every key and its hash, and every dependency.
        let mut hashes: Vec<u32> = Vec::with_capacity(n);
        let mut named: Vec<(usize, &'a Key)> = Vec::new();
        for (i, a) in actions.iter().enumerate() {
            graph.keys.push(&a.key);
            hashes.push(key_hash(a.key.as_str()) as u32);
            named.extend(a.depends_on.iter().map(|dep| (i, dep)));
        }
        if named.is_empty() {
            graph.order = (0..n).collect();
        } else {
            graph.link(actions, &hashes, &named);
        }
        (graph, hashes)
    }

    /// Resolves the dependencies `named` (each an action's position and a key it
    /// depends on) and orders the actions, prerequisites first.
    fn link(&mut self, actions: &[&'a Action], hashes: &[u32], named: &[(usize, &'a Key)]) {
        let n = actions.len();
        let graph = self;
        // The first action with each key something depends on.
        let mut wanted = Wanted::with_capacity(named.len());
        let wanted_index: Vec<usize> = named
            .iter()
            .map(|(_, dep)| wanted.insert(dep.as_str(), key_hash(dep.as_str()) as u32))
            .collect();
        // The actions whose key's hash is wanted, then (reading their keys in one
        // sweep rather than as each turns up) those whose key is.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (i, &hash) in hashes.iter().enumerate() {
            wanted.candidates(hash, |w| candidates.push((i, w)));
        }
        for (i, w) in candidates {
            if wanted.holders[w] == NOBODY && wanted.texts[w] == graph.keys[i].as_str() {
                wanted.holders[w] = i as u32;
            }
        }

        // The prerequisites of each action; the actions that have any, with how many
        // of them are not yet placed; and each dependency as (prerequisite, index of
        // the dependent in `waiting`).
        let mut starts: Vec<u32> = Vec::with_capacity(n + 1);
        let mut targets: Vec<usize> = Vec::with_capacity(named.len());
        let mut waiting: Vec<(usize, u32)> = Vec::new();
        let mut edges: Vec<(usize, u32)> = Vec::with_capacity(named.len());
        for (&(i, dep), &w) in named.iter().zip(&wanted_index) {
            match wanted.holders[w] {
                NOBODY => graph.missing.push(MissingDependency {
                    action: actions[i].key.clone(),
                    missing: dep.clone(),
                }),
                j => {
                    if starts.len() <= i {
                        starts.resize(i + 1, targets.len() as u32);
                        waiting.push((i, 0));
                    }
                    targets.push(j as usize);
                    let last = waiting.len() - 1;
                    waiting[last].1 += 1;
                    edges.push((j as usize, last as u32));
                }
            }
        }
        starts.resize(n + 1, targets.len() as u32);
        graph.starts = starts;
        graph.targets = targets;

        // Kahn: an action is ready once all its prerequisites are placed. The actions
        // with none are placed first, in plan order; then each placed action's
        // dependents, in the order the dependencies were listed.
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
            graph.cycle_of = vec![NO_CYCLE; n];
            // Tarjan lists components in reverse topological order of `i → j`
            // edges: prerequisites first.
            for component in petgraph::algo::tarjan_scc(&sub) {
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
                    graph.cycle_of[m] = c as u32;
                }
            }
        }
        graph.order = order;
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
        self.targets.len()
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
        match (self.starts.get(position), self.starts.get(position + 1)) {
            (Some(&from), Some(&to)) => self.targets.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many dependency cycles the plan has.
    pub(crate) fn n_cycles(&self) -> usize {
        self.cycles.len()
    }

    /// The keys of the actions of cycle `index` (as in [`DependencyGraph::cycles`]),
    /// in plan order; none when there is no such cycle.
    pub(crate) fn cycle_keys(&self, index: usize) -> impl Iterator<Item = &'a Key> + '_ {
        self.cycles.get(index).into_iter().flatten().filter_map(|&i| self.keys.get(i).copied())
    }

    fn position(&self, key: &Key) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
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

    #[test]
    fn wanted_keys_with_equal_hashes_stay_apart() {
        let mut wanted = Wanted::with_capacity(3);
        assert_eq!(wanted.insert("1.1", 7), 0);
        assert_eq!(wanted.insert("1.2", 7), 1);
        assert_eq!(wanted.insert("1.1", 7), 0);
        let mut found = Vec::new();
        wanted.candidates(7, |w| found.push(w));
        assert_eq!(found, [0, 1]);
    }

    #[test]
    fn a_dependency_on_a_shared_key_points_at_its_first_holder() {
        let actions = [action("1.1", &[]), action("1.2", &["1.1", "1.3"]), action("1.1", &["1.9"])];
        let refs: Vec<&Action> = actions.iter().collect();
        let graph = DependencyGraph::from_actions(&refs);
        assert_eq!(graph.prerequisite_positions(1), [0]);
        assert_eq!(graph.prerequisite_positions(2), [] as [usize; 0]);
        assert_eq!(graph.prerequisite_positions(3), [] as [usize; 0]);
        assert_eq!(graph.n_dependencies(), 1);
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

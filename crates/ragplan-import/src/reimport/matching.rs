//! Which stored action each action of a newer version is: passes from the surest
//! match to the loosest, each reading an index so that only plausible pairs are
//! compared (a thousand retitled actions cost a thousand look-ups, not a million
//! comparisons).

use std::collections::HashMap;

use ragplan_core::{Action, Key};

use super::normalise_title;

/// How alike (normalised Levenshtein) two titles must be for the last pass.
const CLOSE_TITLE: f64 = 0.8;

/// How alike the titles of two actions at one key must be for them to be one action
/// retitled.
const RETITLED: f64 = 0.4;

/// Titles of at most this many characters are compared with every title of that
/// length or shorter: too short for the bigram filter to say anything.
const SHORT_TITLE: usize = 3;

/// The stored action (by its index in `old`) each action of `new` is, in the order
/// given. By key alone; or, `by_title`, by the same normalised title, then at the
/// same key when the action looks retitled, then by a close title (similarity at
/// least [`CLOSE_TITLE`]). In each pass the actions of `new` are taken in order and
/// each is given the first stored action, in order, that is not taken and matches.
pub(super) fn match_actions(
    old: &[&Action],
    new: &[&Action],
    by_title: bool,
) -> Vec<Option<usize>> {
    let mut matching = Matching { matched: vec![None; new.len()], taken: vec![false; old.len()] };
    let mut at_key: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (o, action) in old.iter().enumerate() {
        at_key.entry(&action.key).or_default().push(o);
    }
    let at = |n: usize| at_key.get(&new[n].key).into_iter().flatten().copied();
    if !by_title {
        matching.pass(at, |_, _| true);
        return matching.matched;
    }
    let old_titles: Vec<String> = old.iter().map(|a| normalise_title(&a.title)).collect();
    let new_titles: Vec<String> = new.iter().map(|a| normalise_title(&a.title)).collect();

    let mut same_title: HashMap<&str, Vec<usize>> = HashMap::new();
    for (o, title) in old_titles.iter().enumerate() {
        same_title.entry(title.as_str()).or_default().push(o);
    }
    matching.pass(
        |n| same_title.get(new_titles[n].as_str()).into_iter().flatten().copied(),
        |_, _| true,
    );

    matching.pass(at, |o, n| looks_retitled(old[o], &old_titles[o], new[n], &new_titles[n]));

    let mut index = BigramIndex::new(&old_titles);
    matching.pass(
        |n| index.candidates(&new_titles[n]).into_iter(),
        |o, n| strsim::normalized_levenshtein(&old_titles[o], &new_titles[n]) >= CLOSE_TITLE,
    );
    matching.matched
}

/// Whether two actions at the same key are one action retitled: titles still alike,
/// or the same owners and timescale.
fn looks_retitled(old: &Action, old_title: &str, new: &Action, new_title: &str) -> bool {
    let same_rest = !(old.accountable.is_empty() && old.timescale.is_missing())
        && old.accountable == new.accountable
        && old.responsible == new.responsible
        && old.timescale.text == new.timescale.text;
    same_rest || strsim::normalized_levenshtein(old_title, new_title) >= RETITLED
}

/// The matches so far.
struct Matching {
    /// For each newer action, the stored one it is.
    matched: Vec<Option<usize>>,
    /// For each stored action, whether a newer one is it.
    taken: Vec<bool>,
}

impl Matching {
    /// One pass: each unmatched newer action `n`, in order, takes the first of its
    /// `candidates(n)` (stored indices, ascending) not taken for which `same(o, n)`.
    fn pass<I: Iterator<Item = usize>>(
        &mut self,
        mut candidates: impl FnMut(usize) -> I,
        same: impl Fn(usize, usize) -> bool,
    ) {
        for n in 0..self.matched.len() {
            if self.matched[n].is_some() {
                continue;
            }
            let found = candidates(n).find(|&o| !self.taken[o] && same(o, n));
            if let Some(o) = found {
                self.matched[n] = Some(o);
                self.taken[o] = true;
            }
        }
    }
}

/// The character pairs of a title, each with how often it occurs.
fn bigrams(title: &str) -> HashMap<[char; 2], u32> {
    let mut counts = HashMap::new();
    let mut chars = title.chars();
    let Some(mut previous) = chars.next() else { return counts };
    for c in chars {
        *counts.entry([previous, c]).or_insert(0) += 1;
        previous = c;
    }
    counts
}

/// The stored titles by their character pairs, to find the titles that may be
/// within [`CLOSE_TITLE`] of another.
///
/// Two titles within edit distance `k` of each other, the longer of length `L`,
/// share at least `L − 1 − 2k` character pairs (the q-gram lemma: an edit spoils at
/// most two pairs), and differ in length by at most `k`. A similarity of at least
/// 0.8 means `k ≤ L / 5`; the filter allows one edit more, so that no rounding can
/// leave out a title that passes. What passes the filter is then compared with
/// `strsim`, so the filter changes only the cost, never a match.
struct BigramIndex {
    /// For each character pair, the stored titles holding it, with how often.
    postings: HashMap<[char; 2], Vec<(usize, u32)>>,
    /// The length of each stored title, in characters.
    lengths: Vec<usize>,
    /// The stored titles of at most [`SHORT_TITLE`] characters.
    short: Vec<usize>,
    /// Pairs shared with the title being looked up, per stored title.
    shared: Vec<u32>,
    /// The stored titles `shared` counts for.
    touched: Vec<usize>,
}

impl BigramIndex {
    fn new(titles: &[String]) -> BigramIndex {
        let mut postings: HashMap<[char; 2], Vec<(usize, u32)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(titles.len());
        let mut short = Vec::new();
        for (o, title) in titles.iter().enumerate() {
            let length = title.chars().count();
            lengths.push(length);
            if length <= SHORT_TITLE {
                short.push(o);
            }
            for (pair, count) in bigrams(title) {
                postings.entry(pair).or_default().push((o, count));
            }
        }
        BigramIndex { postings, lengths, short, shared: vec![0; titles.len()], touched: Vec::new() }
    }

    /// The stored titles that may be close to `title`, ascending.
    fn candidates(&mut self, title: &str) -> Vec<usize> {
        let length = title.chars().count();
        for (pair, count) in bigrams(title) {
            for &(o, stored) in self.postings.get(&pair).into_iter().flatten() {
                if self.shared[o] == 0 {
                    self.touched.push(o);
                }
                self.shared[o] += stored.min(count);
            }
        }
        let mut out = if length <= SHORT_TITLE { self.short.clone() } else { Vec::new() };
        for o in self.touched.drain(..) {
            let longer = self.lengths[o].max(length);
            let edits = longer / 5 + 1;
            let shared = self.shared[o] as usize;
            if self.lengths[o].abs_diff(length) <= edits && shared + 1 + 2 * edits >= longer {
                out.push(o);
            }
            self.shared[o] = 0;
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ragplan_core::{Action, Key};

    use super::*;

    /// The passes as they were, comparing every pair: what the indexed passes must
    /// give.
    fn every_pair(old: &[&Action], new: &[&Action], by_title: bool) -> Vec<Option<usize>> {
        let mut matched: Vec<Option<usize>> = vec![None; new.len()];
        let mut taken = vec![false; old.len()];
        let mut pass = |same: &dyn Fn(&Action, &Action) -> bool| {
            for (n, new_action) in new.iter().enumerate() {
                if matched[n].is_some() {
                    continue;
                }
                if let Some(o) = (0..old.len()).find(|&o| !taken[o] && same(old[o], new_action)) {
                    matched[n] = Some(o);
                    taken[o] = true;
                }
            }
        };
        let title = |a: &Action| normalise_title(&a.title);
        if by_title {
            pass(&|a, b| title(a) == title(b));
            pass(&|a, b| a.key == b.key && looks_retitled(a, &title(a), b, &title(b)));
            pass(&|a, b| strsim::normalized_levenshtein(&title(a), &title(b)) >= CLOSE_TITLE);
        } else {
            pass(&|a, b| a.key == b.key);
        }
        matched
    }

    fn actions(titles: &[(u8, String)]) -> Vec<Action> {
        titles
            .iter()
            .map(|(k, t)| Action::new(Key::positional(None, usize::from(*k % 8)), t.clone()))
            .collect()
    }

    proptest! {
        /// Titles from a few short words, so that many are close, some equal and
        /// some short.
        #[test]
        fn the_index_finds_the_matches_comparing_every_pair_finds(
            old in prop::collection::vec((any::<u8>(), "(ab|ba|abc|cab|a|b| ){0,12}"), 0..24),
            new in prop::collection::vec((any::<u8>(), "(ab|ba|abc|cab|a|b| ){0,12}"), 0..24),
        ) {
            let (old, new) = (actions(&old), actions(&new));
            let old: Vec<&Action> = old.iter().collect();
            let new: Vec<&Action> = new.iter().collect();
            for by_title in [true, false] {
                prop_assert_eq!(match_actions(&old, &new, by_title), every_pair(&old, &new, by_title));
            }
        }
    }

    #[test]
    fn a_retitled_action_is_found_by_a_close_title() {
        let old =
            actions(&[(0, "Publish the CSE leaflet".into()), (1, "Train taxi drivers".into())]);
        let new =
            actions(&[(5, "Train all taxi drivers".into()), (6, "Publish a CSE leaflet".into())]);
        let old: Vec<&Action> = old.iter().collect();
        let new: Vec<&Action> = new.iter().collect();
        assert_eq!(match_actions(&old, &new, true), [Some(1), Some(0)]);
    }
}

//! An action's log of updates, kept so that a copy of a plan shares it: a plan is
//! copied to make a change (the API changes a copy of the plan it serves), and the
//! copy then copies one pointer for each 32 entries of a log, not the entries.

use std::fmt;
use std::ops::Index;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::plan::Update;

/// How many entries one shared piece of a log holds.
const CHUNK: usize = 32;

/// The dated log of an action's progress updates, oldest first: a list of
/// [`Update`]s that reads and serialises as one (`[update, …]` in a plan document),
/// kept in shared pieces of at most 32 entries so that a copy of it shares every
/// piece and an entry added to the copy copies at most one piece.
///
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Update, UpdateLog};
///
/// let on = NaiveDate::from_ymd_opt(2015, 6, 1).unwrap();
/// let mut log: UpdateLog = (0..100).map(|i| Update::new(on, format!("Officer {i}"))).collect();
/// let copy = log.clone();
/// log.push(Update::new(on, "Lead"));
/// assert_eq!((log.len(), copy.len()), (101, 100));
/// assert_eq!(log.last().map(|u| u.by.as_str()), Some("Lead"));
/// assert_eq!(log[99].by, "Officer 99");
/// ```
#[derive(Clone, Default)]
pub struct UpdateLog {
    /// Every piece but the last holds `CHUNK` entries; the last holds 1 to `CHUNK`.
    /// No piece is empty.
    chunks: Vec<Arc<Vec<Update>>>,
}

impl UpdateLog {
    /// An empty log.
    pub const fn new() -> UpdateLog {
        UpdateLog { chunks: Vec::new() }
    }

    /// How many entries the log holds.
    pub fn len(&self) -> usize {
        match self.chunks.last() {
            Some(last) => (self.chunks.len() - 1) * CHUNK + last.len(),
            None => 0,
        }
    }

    /// Whether the log holds no entry.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The entry at `index`, oldest first.
    pub fn get(&self, index: usize) -> Option<&Update> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    /// The latest entry logged.
    pub fn last(&self) -> Option<&Update> {
        self.chunks.last()?.last()
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> Iter<'_> {
        Iter { inner: self.chunks.iter().flat_map(|chunk| chunk.iter()), len: self.len() }
    }

    /// Adds `update` at the end of the log. Only the last piece is copied, when a
    /// copy of the log shares it.
    pub fn push(&mut self, update: Update) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(update),
            _ => self.chunks.push(Arc::new(vec![update])),
        }
    }

    /// Empties the log.
    pub fn clear(&mut self) {
        self.chunks.clear();
    }
}

impl From<Vec<Update>> for UpdateLog {
    fn from(mut entries: Vec<Update>) -> UpdateLog {
        if entries.len() <= CHUNK {
            // The usual log, of a few entries: kept as it came, without a copy.
            let chunks = if entries.is_empty() { Vec::new() } else { vec![Arc::new(entries)] };
            return UpdateLog { chunks };
        }
        let mut chunks = Vec::with_capacity(entries.len().div_ceil(CHUNK));
        let mut rest = entries.drain(..);
        loop {
            let chunk: Vec<Update> = rest.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            chunks.push(Arc::new(chunk));
        }
        UpdateLog { chunks }
    }
}

impl FromIterator<Update> for UpdateLog {
    fn from_iter<I: IntoIterator<Item = Update>>(entries: I) -> UpdateLog {
        let mut log = UpdateLog::new();
        log.extend(entries);
        log
    }
}

impl Extend<Update> for UpdateLog {
    fn extend<I: IntoIterator<Item = Update>>(&mut self, entries: I) {
        for update in entries {
            self.push(update);
        }
    }
}

impl Index<usize> for UpdateLog {
    type Output = Update;

    fn index(&self, index: usize) -> &Update {
        match self.get(index) {
            Some(update) => update,
            None => panic!("index {index} is past the end of a log of {} entries", self.len()),
        }
    }
}

impl PartialEq for UpdateLog {
    fn eq(&self, other: &UpdateLog) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl PartialEq<Vec<Update>> for UpdateLog {
    fn eq(&self, other: &Vec<Update>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for UpdateLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Each piece's entries in turn.
type Pieces<'a> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<Update>>>,
    std::slice::Iter<'a, Update>,
    fn(&'a Arc<Vec<Update>>) -> std::slice::Iter<'a, Update>,
>;

/// The entries of an [`UpdateLog`], oldest first.
#[derive(Clone)]
pub struct Iter<'a> {
    inner: Pieces<'a>,
    len: usize,
}

impl fmt::Debug for Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").field("len", &self.len).finish_non_exhaustive()
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Update;

    fn next(&mut self) -> Option<&'a Update> {
        let next = self.inner.next()?;
        self.len -= 1;
        Some(next)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let next = self.inner.next_back()?;
        self.len -= 1;
        Some(next)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a UpdateLog {
    type Item = &'a Update;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for UpdateLog {
    type Item = Update;
    type IntoIter = std::vec::IntoIter<Update>;

    /// The entries, oldest first: moved out of the pieces no copy shares, copied
    /// out of the others.
    fn into_iter(self) -> Self::IntoIter {
        let mut entries = Vec::with_capacity(self.len());
        for chunk in self.chunks {
            match Arc::try_unwrap(chunk) {
                Ok(owned) => entries.extend(owned),
                Err(shared) => entries.extend(shared.iter().cloned()),
            }
        }
        entries.into_iter()
    }
}

impl Serialize for UpdateLog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for UpdateLog {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UpdateLog, D::Error> {
        Vec::<Update>::deserialize(deserializer).map(UpdateLog::from)
    }
}

impl schemars::JsonSchema for UpdateLog {
    fn inline_schema() -> bool {
        Vec::<Update>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        Vec::<Update>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        Vec::<Update>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Vec::<Update>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn entry(i: usize) -> Update {
        let on = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
        Update::new(on, format!("Officer {i}"))
    }

    proptest! {
        /// Whatever is pushed onto a log and a copy of it, each reads as the list
        /// of its own entries, and the copy is untouched by what the other gains.
        #[test]
        fn a_log_reads_as_the_list_pushed(first in 0usize..100, more in 0usize..100) {
            let mut list: Vec<Update> = (0..first).map(entry).collect();
            let mut log = UpdateLog::from(list.clone());
            let copy = log.clone();
            let before = list.clone();
            for i in first..first + more {
                log.push(entry(i));
                list.push(entry(i));
            }
            prop_assert_eq!(log.len(), list.len());
            prop_assert!(log == list);
            prop_assert!(copy == before);
            prop_assert_eq!(log.iter().rev().cloned().collect::<Vec<_>>(),
                list.iter().rev().cloned().collect::<Vec<_>>());
            prop_assert_eq!(log.iter().len(), list.len());
            for (i, update) in list.iter().enumerate() {
                prop_assert_eq!(log.get(i), Some(update));
            }
            prop_assert_eq!(log.get(list.len()), None);
            prop_assert_eq!(log.last(), list.last());
            prop_assert_eq!(log.clone().into_iter().collect::<Vec<_>>(), list.clone());
            let collected: UpdateLog = list.iter().cloned().collect();
            prop_assert!(collected == log);
            let json = serde_json::to_string(&log).unwrap_or_default();
            prop_assert_eq!(&json, &serde_json::to_string(&list).unwrap_or_default());
            let read: UpdateLog = serde_json::from_str(&json).unwrap_or_default();
            prop_assert!(read == list);
        }
    }

    /// A copy shares the log's pieces: adding to one copies at most the last. (An
    /// update made on a copy of a plan copied every entry of every log.)
    #[test]
    fn an_update_on_a_copied_plan_copied_every_log_entry() {
        let mut log: UpdateLog = (0..1000).map(entry).collect();
        let copy = log.clone();
        log.push(entry(1000));
        let shared = log.chunks.iter().zip(&copy.chunks).filter(|(a, b)| Arc::ptr_eq(a, b));
        assert_eq!(shared.count(), copy.chunks.len() - 1);
        assert_eq!(copy.len(), 1000);
    }
}

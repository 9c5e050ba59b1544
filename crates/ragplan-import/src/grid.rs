//! The cells of one source row, kept in one buffer: a row of a table is two
//! allocations however many cells it has, not one a cell. A large plan's rows are
//! read whole before it is built, and let go one by one as it is; a cell is its text
//! and where it ends.

use std::fmt;
use std::ops::Index;

/// A row's cells, in order, each a `&str` into one buffer.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Cells {
    /// Every cell's text, one after another.
    text: String,
    /// Where each cell ends in `text`; it starts where the one before ends.
    ends: Vec<usize>,
}

impl Cells {
    /// No cells.
    pub(crate) fn new() -> Cells {
        Cells::default()
    }

    /// No cells, with room for `cells` cells of `bytes` bytes in all.
    pub(crate) fn with_capacity(cells: usize, bytes: usize) -> Cells {
        Cells { text: String::with_capacity(bytes), ends: Vec::with_capacity(cells) }
    }

    /// Adds a cell at the end.
    pub(crate) fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// How many cells.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none (a blank line).
    pub(crate) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index`, if there is one.
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.get(start..end)
    }

    /// The cells in order.
    pub(crate) fn iter(&self) -> Iter<'_> {
        Iter { cells: self, front: 0, back: self.len() }
    }

    /// Replaces the cell at `index` with `cell` (nothing when there is no such cell).
    pub(crate) fn set(&mut self, index: usize, cell: &str) {
        if index >= self.len() {
            return;
        }
        let old: Vec<String> = self.iter().map(str::to_owned).collect();
        *self = old.iter().enumerate().map(|(i, c)| if i == index { cell } else { c }).collect();
    }

    /// Keeps the first `len` cells.
    pub(crate) fn truncate(&mut self, len: usize) {
        if len < self.len() {
            self.ends.truncate(len);
            self.text.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }

    /// The cells joined by `separator`.
    pub(crate) fn join(&self, separator: &str) -> String {
        self.iter().collect::<Vec<_>>().join(separator)
    }
}

impl Index<usize> for Cells {
    type Output = str;

    /// The cell at `index`; callers check the length first, as with a slice.
    fn index(&self, index: usize) -> &str {
        match self.get(index) {
            Some(cell) => cell,
            None => panic!("cell {index} of a row of {}", self.len()),
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(cells: I) -> Cells {
        let mut out = Cells::new();
        for cell in cells {
            out.push(cell.as_ref());
        }
        out
    }
}

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Cells {
        let bytes = cells.iter().map(String::len).sum();
        let mut out = Cells::with_capacity(cells.len(), bytes);
        for cell in &cells {
            out.push(cell);
        }
        out
    }
}

impl fmt::Debug for Cells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Cells {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == *b)
    }
}

impl<'a> IntoIterator for &'a Cells {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The cells of a row in order ([`Cells::iter`]).
#[derive(Clone)]
pub(crate) struct Iter<'a> {
    cells: &'a Cells,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.cells.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.cells.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_pushed() {
        let mut cells = Cells::new();
        for cell in ["Prevent", "", "Mandie Watson", "£5 “quoted”"] {
            cells.push(cell);
        }
        assert_eq!(cells, ["Prevent", "", "Mandie Watson", "£5 “quoted”"]);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells.get(4), None);
        assert_eq!(&cells[2], "Mandie Watson");
        assert_eq!(cells.iter().next_back(), Some("£5 “quoted”"));
        assert_eq!(cells.join(" | "), "Prevent |  | Mandie Watson | £5 “quoted”");
        cells.set(1, "WMP");
        cells.set(9, "nothing");
        assert_eq!(cells, ["Prevent", "WMP", "Mandie Watson", "£5 “quoted”"]);
        cells.truncate(1);
        assert_eq!(cells, ["Prevent"]);
        assert!(Cells::new().is_empty());
    }

    proptest::proptest! {
        #[test]
        fn cells_keep_every_cell_as_given(given in proptest::collection::vec(".{0,6}", 0..8)) {
            let cells = Cells::from(given.clone());
            let back: Vec<&str> = cells.iter().collect();
            proptest::prop_assert_eq!(back, given.iter().map(String::as_str).collect::<Vec<_>>());
            proptest::prop_assert_eq!(cells.iter().len(), given.len());
        }
    }
}

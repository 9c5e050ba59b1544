//! Who holds an action: the one rule for matching a name someone types against the
//! owners and partners a plan names, used by every filter and every grouping.
//!
//! Names are compared after trimming, collapsing runs of white space and lowering
//! case. A name *is* a holder when the two are then equal ([`holder_key`] gives the
//! form to group by); a name someone types *finds* a holder when its words are a run
//! of whole words of the holder's name ("mandie" finds "Mandie Watson", "police"
//! finds "West Midlands Police", "man" finds neither).

use crate::plan::Action;

/// The form of a name that holders are grouped by: trimmed, single-spaced, lower
/// case.
///
/// # Example
/// ```
/// assert_eq!(ragplan_core::holder_key("  Mandie   WATSON "), "mandie watson");
/// ```
pub fn holder_key(name: &str) -> String {
    name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// Whether `query` finds the holder called `name`: its words are a run of whole
/// words of `name`, case and spacing aside. An empty query finds nobody.
///
/// # Example
/// ```
/// use ragplan_core::name_finds;
/// assert!(name_finds("Mandie Watson", "mandie"));
/// assert!(name_finds("LSCB Business Manager", "business manager"));
/// assert!(!name_finds("Mandie Watson", "man"));
/// assert!(!name_finds("Mandie Watson", ""));
/// ```
pub fn name_finds(name: &str, query: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let wanted: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

impl Action {
    /// Whether `query` finds one of the action's accountable or responsible owners.
    pub fn is_held_by(&self, query: &str) -> bool {
        self.accountable.iter().chain(&self.responsible).any(|o| name_finds(&o.name, query))
    }

    /// Whether `query` finds one of the partners the action involves.
    pub fn involves(&self, query: &str) -> bool {
        self.partners.iter().any(|p| name_finds(p, query))
    }
}

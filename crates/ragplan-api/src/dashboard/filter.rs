//! The plan page's filters: the actions of one delivery rating, held by an owner,
//! involving a partner or carrying a flag, read from the page's GET parameters.
//!
//! Each test is the core's: the rating and flags are the node's in [`Ratings`]
//! (`NodeRating::rating`, `NodeRating::has`), an owner is found by
//! [`Action::is_held_by`] and a partner by [`Action::involves`] (whole words of the
//! name, case and spacing aside).
//!
//! [`Ratings`]: ragplan_core::Ratings
//! [`Action::is_held_by`]: ragplan_core::Action::is_held_by
//! [`Action::involves`]: ragplan_core::Action::involves

use ragplan_core::{Dimension, Flag, NodeRating, Rating};

use super::{PageQuery, given};

/// What the tree shows: every action when nothing is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    /// Actions of this delivery rating.
    pub rating: Option<Rating>,
    /// Actions one of whose accountable or responsible owners this finds.
    pub owner: Option<String>,
    /// Actions one of whose partners this finds.
    pub partner: Option<String>,
    /// Actions carrying this flag.
    pub flag: Option<Flag>,
}

/// The rating a parameter names: its snake_case word (`amber_red`), or any spelling
/// plans use (`Amber/Red`).
fn rating_named(text: &str) -> Option<Rating> {
    Rating::ALL.into_iter().find(|r| r.as_str() == text).or_else(|| text.parse().ok())
}

/// The flag a parameter names: its snake_case word (`due_next_quarter`) or its words.
fn flag_named(text: &str) -> Option<Flag> {
    Flag::ALL.into_iter().find(|f| f.as_str() == text || f.label().eq_ignore_ascii_case(text))
}

impl Filter {
    /// The filter the query asks for.
    ///
    /// # Errors
    /// A sentence naming a rating or flag that is not one.
    pub(crate) fn read(query: &PageQuery) -> Result<Filter, String> {
        let rating = given(&query.rating)
            .map(|text| rating_named(text).ok_or_else(|| format!("“{text}” is not a rating")))
            .transpose()?;
        let flag = given(&query.flag)
            .map(|text| flag_named(text).ok_or_else(|| format!("“{text}” is not a flag")))
            .transpose()?;
        Ok(Filter {
            rating,
            owner: given(&query.owner).map(str::to_owned),
            partner: given(&query.partner).map(str::to_owned),
            flag,
        })
    }

    /// Whether it asks for anything.
    pub(crate) fn is_active(&self) -> bool {
        self != &Filter::default()
    }

    /// Whether the tree shows `node`, an action: it passes every test asked for.
    pub(crate) fn keeps(&self, node: &NodeRating<'_, '_>) -> bool {
        let Some(action) = node.action() else { return !self.is_active() };
        self.rating.is_none_or(|r| node.rating(Dimension::Delivery) == r)
            && self.owner.as_deref().is_none_or(|o| action.is_held_by(o))
            && self.partner.as_deref().is_none_or(|p| action.involves(p))
            && self.flag.is_none_or(|f| node.has(f))
    }

    /// The query string of the filter (and `as_of`, when given): `?rating=red&…`.
    pub(crate) fn query(&self, as_of: Option<&str>) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(date) = as_of {
            pairs.push(("as_of", date));
        }
        if let Some(r) = self.rating {
            pairs.push(("rating", r.as_str()));
        }
        if let Some(o) = &self.owner {
            pairs.push(("owner", o));
        }
        if let Some(p) = &self.partner {
            pairs.push(("partner", p));
        }
        if let Some(f) = self.flag {
            pairs.push(("flag", f.as_str()));
        }
        let parts: Vec<String> =
            pairs.iter().map(|(name, value)| format!("{name}={}", encode(value))).collect();
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// `text` percent-encoded for a query value (all but unreserved characters).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_and_flags_are_read_by_their_words() {
        assert_eq!(rating_named("amber_red"), Some(Rating::AmberRed));
        assert_eq!(rating_named("not_rated"), Some(Rating::NotRated));
        assert_eq!(rating_named("Red"), Some(Rating::Red));
        assert_eq!(rating_named("purple"), None);
        assert_eq!(flag_named("due_next_quarter"), Some(Flag::DueNextQuarter));
        assert_eq!(flag_named("never updated"), Some(Flag::NeverUpdated));
        assert_eq!(flag_named("late"), None);
    }

    #[test]
    fn a_filter_is_written_back_as_its_query() {
        let filter = Filter {
            rating: Some(Rating::Red),
            owner: Some("Mandie Watson".into()),
            partner: None,
            flag: Some(Flag::Overdue),
        };
        assert_eq!(
            filter.query(Some("2015-06-30")),
            "?as_of=2015-06-30&rating=red&owner=Mandie%20Watson&flag=overdue"
        );
        assert_eq!(Filter::default().query(None), "");
        assert_eq!(encode("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
    }
}

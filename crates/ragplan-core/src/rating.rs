//! Ratings ([`Rating`]), the scales a plan rates on ([`Scale`]) and action [`Status`].

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A RAG rating, as reported in a plan or worked out by the engine.
///
/// The five colours of the Delivery Confidence Assessment (red … green) have a score
/// order, red worst; `Complete` (Blue on a BRAG scale) and `NotRated` (Grey) stand
/// outside it, and the roll-up policy says how they count.
///
/// # Parsing
/// [`Rating::from_str`] accepts the spellings real plans use, case-insensitively and
/// ignoring stray spaces: `R`, `Amber/ Red`, `A-G`, `Yellow` (US trackers' amber),
/// `Blue`, `Completed`, `Grey`, `N/A`, `Not rated`….
///
/// # Example
/// ```
/// use ragplan_core::Rating;
/// assert_eq!("Amber/ Red".parse::<Rating>().unwrap(), Rating::AmberRed);
/// assert_eq!("g".parse::<Rating>().unwrap(), Rating::Green);
/// assert!(Rating::Red.is_worse_than(Rating::Amber));
/// // Exemption text is not a rating: the importer keeps it as a note.
/// let err = "No DCA".parse::<Rating>().unwrap_err();
/// assert_eq!(err.to_string(), "\"No DCA\" is not a rating (expected Red, Amber/Red, Amber, Amber/Green, Green, Complete or Not rated)");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Off track or failed.
    Red,
    /// Between Amber and Red (five-point scale).
    AmberRed,
    /// At risk.
    Amber,
    /// Between Amber and Green (five-point scale).
    AmberGreen,
    /// On track.
    Green,
    /// Complete (Blue on a BRAG scale).
    Complete,
    /// Not rated (Grey).
    NotRated,
}

/// A string that is not a rating.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a rating (expected Red, Amber/Red, Amber, Amber/Green, Green, Complete or Not rated)"
)]
pub struct ParseRatingError(pub String);

impl Rating {
    /// Every rating, worst first, then complete and not rated.
    pub const ALL: [Rating; 7] = [
        Rating::Red,
        Rating::AmberRed,
        Rating::Amber,
        Rating::AmberGreen,
        Rating::Green,
        Rating::Complete,
        Rating::NotRated,
    ];

    /// The score of a colour: red 0, amber/red 1, amber 2, amber/green 3, green 4.
    /// `None` for complete and not rated, which the roll-up policy places.
    pub fn score(self) -> Option<u8> {
        match self {
            Rating::Red => Some(0),
            Rating::AmberRed => Some(1),
            Rating::Amber => Some(2),
            Rating::AmberGreen => Some(3),
            Rating::Green => Some(4),
            Rating::Complete | Rating::NotRated => None,
        }
    }

    /// The colour with score `score` (0 red … 4 green); scores above 4 are green.
    pub fn from_score(score: u8) -> Rating {
        match score {
            0 => Rating::Red,
            1 => Rating::AmberRed,
            2 => Rating::Amber,
            3 => Rating::AmberGreen,
            _ => Rating::Green,
        }
    }

    /// Severity order used to pick the worst: red, amber/red, amber, amber/green,
    /// green, complete, not rated (lower is worse).
    pub fn severity(self) -> u8 {
        match self {
            Rating::Red => 0,
            Rating::AmberRed => 1,
            Rating::Amber => 2,
            Rating::AmberGreen => 3,
            Rating::Green => 4,
            Rating::Complete => 5,
            Rating::NotRated => 6,
        }
    }

    /// Whether `self` is strictly worse than `other` in [`Rating::severity`] order.
    pub fn is_worse_than(self, other: Rating) -> bool {
        self.severity() < other.severity()
    }

    /// The worse of two ratings.
    pub fn worse(self, other: Rating) -> Rating {
        if other.is_worse_than(self) { other } else { self }
    }

    /// The snake_case word used in JSON: `"amber_red"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Red => "red",
            Rating::AmberRed => "amber_red",
            Rating::Amber => "amber",
            Rating::AmberGreen => "amber_green",
            Rating::Green => "green",
            Rating::Complete => "complete",
            Rating::NotRated => "not_rated",
        }
    }

    /// The word a reader sees: `"Amber/Red"`.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Red => "Red",
            Rating::AmberRed => "Amber/Red",
            Rating::Amber => "Amber",
            Rating::AmberGreen => "Amber/Green",
            Rating::Green => "Green",
            Rating::Complete => "Complete",
            Rating::NotRated => "Not rated",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Lowercases, and folds every run of spaces, `/`, `-` and `_` into one `/`.
fn fold_rating_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_sep = false;
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '/' | '-' | '_' | '\\' | '–' | '—') {
            pending_sep = true;
        } else {
            if pending_sep && !out.is_empty() {
                out.push('/');
            }
            pending_sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

impl FromStr for Rating {
    type Err = ParseRatingError;

    fn from_str(text: &str) -> Result<Rating, ParseRatingError> {
        let folded = fold_rating_text(text);
        let rating = match folded.as_str() {
            "r" | "red" => Rating::Red,
            "a/r" | "amber/red" | "r/a" | "red/amber" | "ar" => Rating::AmberRed,
            "a" | "amber" | "yellow" | "y" => Rating::Amber,
            "a/g" | "amber/green" | "g/a" | "green/amber" | "ag" => Rating::AmberGreen,
            "g" | "green" => Rating::Green,
            "b" | "blue" | "complete" | "completed" | "done" => Rating::Complete,
            "grey" | "gray" | "n/a" | "na" | "not/rated" | "unrated" | "none" => Rating::NotRated,
            _ => return Err(ParseRatingError(text.to_owned())),
        };
        Ok(rating)
    }
}

/// The rating scale a plan uses: which [`Rating`]s it may hold.
///
/// # Example
/// ```
/// use ragplan_core::{Rating, Scale};
/// assert!(Scale::Brag.allows(Rating::Complete));
/// assert!(!Scale::Rag3.allows(Rating::AmberGreen));
/// assert_eq!("dca5".parse::<Scale>().unwrap(), Scale::Dca5);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Red, Amber, Green (and Not rated).
    #[default]
    Rag3,
    /// Red, Amber, Green and Blue for complete (and Not rated).
    Brag,
    /// The five-point Delivery Confidence Assessment: Red, Amber/Red, Amber,
    /// Amber/Green, Green (and Not rated).
    Dca5,
}

/// A string that is not a scale name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a scale (expected rag3, brag or dca5)")]
pub struct ParseScaleError(pub String);

impl Scale {
    /// Whether a plan on this scale may hold `rating`. Not rated is allowed on every
    /// scale.
    pub fn allows(self, rating: Rating) -> bool {
        match rating {
            Rating::Red | Rating::Amber | Rating::Green | Rating::NotRated => true,
            Rating::Complete => self == Scale::Brag,
            Rating::AmberRed | Rating::AmberGreen => self == Scale::Dca5,
        }
    }

    /// The ratings this scale allows, worst first.
    pub fn ratings(self) -> impl Iterator<Item = Rating> {
        Rating::ALL.into_iter().filter(move |r| self.allows(*r))
    }

    /// The snake_case name: `"rag3"`, `"brag"`, `"dca5"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Rag3 => "rag3",
            Scale::Brag => "brag",
            Scale::Dca5 => "dca5",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = ParseScaleError;
    fn from_str(text: &str) -> Result<Scale, ParseScaleError> {
        match fold_rating_text(text).replace('/', "").as_str() {
            "rag3" | "rag" => Ok(Scale::Rag3),
            "brag" => Ok(Scale::Brag),
            "dca5" | "dca" => Ok(Scale::Dca5),
            _ => Err(ParseScaleError(text.to_owned())),
        }
    }
}

/// Where an action stands.
///
/// # Example
/// ```
/// use ragplan_core::Status;
/// assert_eq!("In progress".parse::<Status>().unwrap(), Status::InProgress);
/// assert_eq!("on-hold".parse::<Status>().unwrap(), Status::OnHold);
/// assert!("maybe".parse::<Status>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Work has not started.
    #[default]
    NotStarted,
    /// Work is under way.
    InProgress,
    /// Done.
    Complete,
    /// Will not be done; left out of roll-up.
    Cancelled,
    /// Paused.
    OnHold,
}

/// A string that is not a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a status (expected not started, in progress, complete, cancelled or on hold)"
)]
pub struct ParseStatusError(pub String);

impl Status {
    /// The snake_case word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Complete => "complete",
            Status::Cancelled => "cancelled",
            Status::OnHold => "on_hold",
        }
    }

    /// The words a reader sees: `"in progress"`.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Complete => "complete",
            Status::Cancelled => "cancelled",
            Status::OnHold => "on hold",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Status {
    type Err = ParseStatusError;
    fn from_str(text: &str) -> Result<Status, ParseStatusError> {
        let status = match fold_rating_text(text).replace('/', "").as_str() {
            "notstarted" | "notyetstarted" | "planned" | "new" | "open" => Status::NotStarted,
            "inprogress" | "started" | "ongoing" | "underway" | "active" => Status::InProgress,
            "complete" | "completed" | "done" | "closed" | "achieved" => Status::Complete,
            "cancelled" | "canceled" | "withdrawn" | "dropped" => Status::Cancelled,
            "onhold" | "paused" | "deferred" => Status::OnHold,
            _ => return Err(ParseStatusError(text.to_owned())),
        };
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_parses() {
        let table: &[(&str, Rating)] = &[
            ("R", Rating::Red),
            ("Red", Rating::Red),
            ("RED", Rating::Red),
            ("A", Rating::Amber),
            ("Amber", Rating::Amber),
            ("Amber ", Rating::Amber),
            ("  amber\t", Rating::Amber),
            ("G", Rating::Green),
            ("Green", Rating::Green),
            ("Amber/Red", Rating::AmberRed),
            ("Amber/ Red", Rating::AmberRed),
            ("A/R", Rating::AmberRed),
            ("Amber-Red", Rating::AmberRed),
            ("Amber Red", Rating::AmberRed),
            ("Amber  /  Red", Rating::AmberRed),
            ("Amber/Green", Rating::AmberGreen),
            ("A/G", Rating::AmberGreen),
            ("A-G", Rating::AmberGreen),
            ("Amber-Green", Rating::AmberGreen),
            ("Yellow", Rating::Amber),
            ("Blue", Rating::Complete),
            ("Complete", Rating::Complete),
            ("Completed", Rating::Complete),
            ("Grey", Rating::NotRated),
            ("Gray", Rating::NotRated),
            ("N/A", Rating::NotRated),
            ("NA", Rating::NotRated),
            ("Not rated", Rating::NotRated),
            ("not_rated", Rating::NotRated),
            ("amber_green", Rating::AmberGreen),
        ];
        for (text, want) in table {
            assert_eq!(text.parse::<Rating>(), Ok(*want), "parsing {text:?}");
        }
    }

    #[test]
    fn exemption_text_is_refused_with_the_input_quoted() {
        for text in ["Data exempt under section 27", "No DCA", "Reset", "", "Greenish", "A/B"] {
            let err = text.parse::<Rating>().unwrap_err();
            assert_eq!(err.0, text);
            assert!(err.to_string().starts_with(&format!("{text:?} is not a rating")));
        }
    }

    #[test]
    fn json_words_round_trip() {
        for r in Rating::ALL {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(r.as_str().parse::<Rating>().unwrap(), r);
            assert_eq!(r.label().parse::<Rating>().unwrap(), r);
        }
    }

    #[test]
    fn order_and_scores() {
        assert_eq!(Rating::Red.worse(Rating::Green), Rating::Red);
        assert_eq!(Rating::Complete.worse(Rating::Green), Rating::Green);
        assert_eq!(Rating::NotRated.worse(Rating::Complete), Rating::Complete);
        for s in 0..=4 {
            assert_eq!(Rating::from_score(s).score(), Some(s));
        }
        assert_eq!(Rating::Complete.score(), None);
    }

    #[test]
    fn scales_allow() {
        let rag3: Vec<_> = Scale::Rag3.ratings().collect();
        assert_eq!(rag3, [Rating::Red, Rating::Amber, Rating::Green, Rating::NotRated]);
        let brag: Vec<_> = Scale::Brag.ratings().collect();
        assert_eq!(
            brag,
            [Rating::Red, Rating::Amber, Rating::Green, Rating::Complete, Rating::NotRated]
        );
        let dca: Vec<_> = Scale::Dca5.ratings().collect();
        assert_eq!(
            dca,
            [
                Rating::Red,
                Rating::AmberRed,
                Rating::Amber,
                Rating::AmberGreen,
                Rating::Green,
                Rating::NotRated
            ]
        );
        assert_eq!("BRAG".parse::<Scale>(), Ok(Scale::Brag));
        assert!("rag4".parse::<Scale>().is_err());
    }

    #[test]
    fn statuses_parse() {
        let table: &[(&str, Status)] = &[
            ("not started", Status::NotStarted),
            ("Not_Started", Status::NotStarted),
            ("in progress", Status::InProgress),
            ("In-Progress", Status::InProgress),
            ("Complete", Status::Complete),
            ("completed", Status::Complete),
            ("Cancelled", Status::Cancelled),
            ("canceled", Status::Cancelled),
            ("on hold", Status::OnHold),
        ];
        for (text, want) in table {
            assert_eq!(text.parse::<Status>(), Ok(*want), "parsing {text:?}");
        }
    }
}

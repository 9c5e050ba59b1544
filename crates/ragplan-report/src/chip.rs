//! How a rating is shown: a shape and a word on every chip, and the colours behind them.
//!
//! A rating is never carried by colour alone. Every place ragplan shows a rating — the
//! terminal, the HTML report, the spreadsheet — uses the same shape and word from
//! [`chip`], and colour only adds to them. The fills in [`palette`] are light and the
//! text on them dark, so the text meets WCAG AA contrast (at least 4.5:1); a test checks
//! every pair with [`contrast_ratio`].

use ragplan_core::Rating;
use serde::Serialize;

/// The shape and the upper-case word that stand for `rating` wherever it is shown.
///
/// | rating | shape | word |
/// |---|---|---|
/// | Red | ■ | RED |
/// | Amber/Red | ◆ | AMBER/RED |
/// | Amber | ▲ | AMBER |
/// | Amber/Green | ◐ | AMBER/GREEN |
/// | Green | ● | GREEN |
/// | Complete | ✓ | COMPLETE |
/// | Not rated | ○ | NOT RATED |
///
/// # Example
/// ```
/// use ragplan_core::Rating;
/// use ragplan_report::chip;
/// assert_eq!(chip(Rating::Red), ("■", "RED"));
/// assert_eq!(chip(Rating::NotRated), ("○", "NOT RATED"));
/// ```
pub fn chip(rating: Rating) -> (&'static str, &'static str) {
    match rating {
        Rating::Red => ("■", "RED"),
        Rating::AmberRed => ("◆", "AMBER/RED"),
        Rating::Amber => ("▲", "AMBER"),
        Rating::AmberGreen => ("◐", "AMBER/GREEN"),
        Rating::Green => ("●", "GREEN"),
        Rating::Complete => ("✓", "COMPLETE"),
        Rating::NotRated => ("○", "NOT RATED"),
    }
}

/// The colours of a rating: a light fill, a darker border, and the text colour used on
/// the fill. Colours are `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Colours {
    /// Background of a chip, a bar segment or a spreadsheet cell.
    pub fill: &'static str,
    /// Border of a chip; also the outline of a bar segment.
    pub border: &'static str,
    /// Text drawn on the fill.
    pub text: &'static str,
}

/// The dark text colour used on every fill.
pub const TEXT_ON_FILL: &str = "#1a1a1a";

/// The colours of `rating`. Fills are light, text is dark ([`TEXT_ON_FILL`]).
///
/// # Example
/// ```
/// use ragplan_core::Rating;
/// use ragplan_report::chip::{contrast_ratio, palette};
/// let c = palette(Rating::Amber);
/// assert!(contrast_ratio(c.text, c.fill).unwrap() >= 4.5);
/// ```
pub fn palette(rating: Rating) -> Colours {
    let (fill, border) = match rating {
        Rating::Red => ("#f4b6b0", "#a3231b"),
        Rating::AmberRed => ("#f9cfa6", "#9c4a00"),
        Rating::Amber => ("#ffe08a", "#7a5600"),
        Rating::AmberGreen => ("#e0eba0", "#5b6600"),
        Rating::Green => ("#b8e2bf", "#1d6b2f"),
        Rating::Complete => ("#bcd5f2", "#1f4f8f"),
        Rating::NotRated => ("#e4e4e4", "#5c5c5c"),
    };
    Colours { fill, border, text: TEXT_ON_FILL }
}

/// The 24-bit value of a `#rrggbb` colour, or `None` if it is not one.
pub fn rgb(colour: &str) -> Option<u32> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// The WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21), or `None` if either is
/// not a colour.
///
/// # Example
/// ```
/// use ragplan_report::chip::contrast_ratio;
/// let black_on_white = contrast_ratio("#000000", "#ffffff").unwrap();
/// assert!((black_on_white - 21.0).abs() < 1e-9);
/// assert_eq!(contrast_ratio("black", "#ffffff"), None);
/// ```
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (relative_luminance(rgb(a)?), relative_luminance(rgb(b)?));
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// WCAG 2 relative luminance of a 24-bit colour.
fn relative_luminance(rgb: u32) -> f64 {
    let channel = |shift: u32| {
        let c = f64::from((rgb >> shift) & 0xff) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
}

/// A rating as the report shows it: the rating, its shape and upper-case word
/// ([`chip`]), and the word in ordinary case ([`Rating::label`]).
///
/// Serialises as `{"rating": "amber_red", "shape": "◆", "word": "AMBER/RED", "label":
/// "Amber/Red"}`, so a template or another system has the same words and shapes. It
/// holds the rating alone (a report of a million actions holds millions of chips),
/// the shape and words being the rating's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chip {
    /// The rating (snake_case in JSON).
    pub rating: Rating,
}

impl Chip {
    /// The shape that goes with the word.
    pub fn shape(self) -> &'static str {
        chip(self.rating).0
    }

    /// The upper-case word.
    pub fn word(self) -> &'static str {
        chip(self.rating).1
    }

    /// The word in ordinary case: `"Amber/Red"`.
    pub fn label(self) -> &'static str {
        self.rating.label()
    }
}

impl From<Rating> for Chip {
    fn from(rating: Rating) -> Chip {
        Chip { rating }
    }
}

impl Serialize for Chip {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut chip = s.serialize_struct("Chip", 4)?;
        chip.serialize_field("rating", &self.rating)?;
        chip.serialize_field("shape", self.shape())?;
        chip.serialize_field("word", self.word())?;
        chip.serialize_field("label", self.label())?;
        chip.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fill_meets_wcag_aa_with_its_text() {
        for rating in Rating::ALL {
            let c = palette(rating);
            let ratio = contrast_ratio(c.text, c.fill).unwrap_or(0.0);
            assert!(ratio >= 4.5, "{rating}: text on fill is {ratio:.2}:1");
            // The border is dark enough to read as text on white, too (non-text 3:1
            // is the requirement; we hold borders to 4.5:1).
            let border = contrast_ratio(c.border, "#ffffff").unwrap_or(0.0);
            assert!(border >= 4.5, "{rating}: border on white is {border:.2}:1");
        }
    }

    /// A chip held its shape and words beside its rating, 56 bytes where the rating
    /// is one: 220 MB of a report of a million actions (two chips a row, one an
    /// exception). It holds the rating alone and serialises as before.
    #[test]
    fn a_chip_held_its_words_beside_its_rating() {
        assert_eq!(std::mem::size_of::<Chip>(), std::mem::size_of::<Rating>());
        let json = serde_json::to_string(&Chip::from(Rating::AmberRed)).unwrap();
        let (shape, word) = chip(Rating::AmberRed);
        assert_eq!(
            json,
            format!(
                r#"{{"rating":"amber_red","shape":"{shape}","word":"{word}","label":"Amber/Red"}}"#
            )
        );
    }

    #[test]
    fn shapes_and_words_are_distinct() {
        let mut shapes: Vec<_> = Rating::ALL.iter().map(|r| chip(*r).0).collect();
        let mut words: Vec<_> = Rating::ALL.iter().map(|r| chip(*r).1).collect();
        shapes.sort_unstable();
        shapes.dedup();
        words.sort_unstable();
        words.dedup();
        assert_eq!(shapes.len(), Rating::ALL.len());
        assert_eq!(words.len(), Rating::ALL.len());
        for r in Rating::ALL {
            assert_eq!(chip(r).1, r.label().to_uppercase());
        }
    }

    #[test]
    fn contrast_of_known_pairs() {
        // Reference values from the WCAG definition.
        let grey = contrast_ratio("#777777", "#ffffff").unwrap_or(0.0);
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
        assert_eq!(contrast_ratio("#fff", "#ffffff"), None);
        assert_eq!(rgb("#0a0B0c"), Some(0x0a0b0c));
    }
}

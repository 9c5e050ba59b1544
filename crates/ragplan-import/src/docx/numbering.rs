//! The numbers Word shows before list paragraphs (`w:numPr`): the level formats of
//! `word/numbering.xml` (`1.`, `a)`, `iv.`), counted per list (`w:numId`) and level
//! (`w:ilvl`) through the document, a level restarting when a shallower one moves on.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::{attr, local};

/// Levels of a list: Word has nine (0–8).
/// The longest level text (`w:lvlText`) read: longer ones are ignored.
const MAX_LABEL_TEXT: usize = 64;

const LEVELS: usize = 9;
/// The largest number shown as letters or Roman numerals; beyond, decimal.
const MAX_LETTERED: u32 = 26 * 8;
/// The largest start value taken from a document.
const MAX_START: u32 = 1_000_000;

/// How a level writes its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumFormat {
    Decimal,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

impl NumFormat {
    fn from_val(val: &str) -> NumFormat {
        match val {
            "lowerLetter" => NumFormat::LowerLetter,
            "upperLetter" => NumFormat::UpperLetter,
            "lowerRoman" => NumFormat::LowerRoman,
            "upperRoman" => NumFormat::UpperRoman,
            "bullet" => NumFormat::Bullet,
            "none" => NumFormat::None,
            _ => NumFormat::Decimal,
        }
    }

    fn write(self, n: u32) -> String {
        match self {
            NumFormat::LowerLetter | NumFormat::UpperLetter if (1..=MAX_LETTERED).contains(&n) => {
                // Word's letters go a … z, aa … zz, aaa …
                let letter = char::from(b'a' + ((n - 1) % 26) as u8);
                let text = letter.to_string().repeat(((n - 1) / 26 + 1) as usize);
                if self == NumFormat::UpperLetter { text.to_ascii_uppercase() } else { text }
            }
            NumFormat::LowerRoman | NumFormat::UpperRoman if (1..4000).contains(&n) => {
                let text = roman(n);
                if self == NumFormat::LowerRoman { text.to_ascii_lowercase() } else { text }
            }
            NumFormat::None | NumFormat::Bullet => String::new(),
            _ => n.to_string(),
        }
    }
}

fn roman(mut n: u32) -> String {
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: NumFormat,
    /// `%1.`, `(%2)`: `%n` is the number of level n.
    text: String,
}

impl Level {
    /// The level Word gives a list with no definition: `1.`, `a.`, `i.`, then `1.`.
    fn default_for(ilvl: usize) -> Level {
        let format = match ilvl % 3 {
            0 => NumFormat::Decimal,
            1 => NumFormat::LowerLetter,
            _ => NumFormat::LowerRoman,
        };
        Level { start: 1, format, text: format!("%{}.", ilvl + 1) }
    }
}

/// The list definitions of a document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// `w:numId` → `w:abstractNumId`.
    lists: HashMap<String, String>,
    /// (`w:abstractNumId`, level) → its level.
    levels: HashMap<(String, usize), Level>,
}

/// Reads `word/numbering.xml`. Never fails: what cannot be read is left out, and its
/// lists are numbered as Word numbers a list with no definition.
pub(super) fn parse(xml: &str) -> Numbering {
    let mut numbering = Numbering::default();
    let mut reader = Reader::from_str(xml);
    let mut abstract_id: Option<String> = None;
    let mut num_id: Option<String> = None;
    let mut level: Option<(usize, Level)> = None;
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "abstractNum" => abstract_id = None,
                    "num" => num_id = None,
                    "lvl" => {
                        if let (Some(id), Some((ilvl, lvl))) = (&abstract_id, level.take()) {
                            numbering.levels.insert((id.clone(), ilvl), lvl);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        match local(&e).as_str() {
            "abstractNum" if !empty => abstract_id = attr(&e, "abstractNumId"),
            "num" if !empty => num_id = attr(&e, "numId"),
            "abstractNumId" => {
                if let (Some(num), Some(id)) = (&num_id, attr(&e, "val")) {
                    numbering.lists.insert(num.clone(), id);
                }
            }
            "lvl" if !empty => {
                let ilvl = attr(&e, "ilvl").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                level = (ilvl < LEVELS).then(|| (ilvl, Level::default_for(ilvl)));
            }
            "start" => {
                if let (Some((_, lvl)), Some(v)) = (&mut level, attr(&e, "val")) {
                    lvl.start = v.parse::<u32>().map_or(1, |n| n.min(MAX_START));
                }
            }
            "numFmt" => {
                if let (Some((_, lvl)), Some(v)) = (&mut level, attr(&e, "val")) {
                    lvl.format = NumFormat::from_val(&v);
                }
            }
            "lvlText" => {
                // A list label is a few characters ("%1.%2."); a longer one is a
                // hostile file's, and the default label stands.
                if let (Some((_, lvl)), Some(v)) = (&mut level, attr(&e, "val"))
                    && v.len() <= MAX_LABEL_TEXT
                {
                    lvl.text = v;
                }
            }
            _ => {}
        }
    }
    numbering
}

/// What a list paragraph is shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Label {
    /// Its number as written: `1.`, `6a)`, `(iv)`.
    Number(String),
    /// A bullet.
    Bullet,
}

/// The numbers reached so far, per list.
#[derive(Debug, Default)]
pub(super) struct Counters {
    /// `w:numId` → the count of each level (0: not started).
    counts: HashMap<String, [u32; LEVELS]>,
}

impl Counters {
    /// Counts the next paragraph of list `num_id` at level `ilvl` and says what it is
    /// shown with; `None` for `w:numId` 0 (numbering switched off) or an empty label.
    pub(super) fn next(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        ilvl: usize,
    ) -> Option<Label> {
        if num_id == "0" {
            return None;
        }
        let ilvl = ilvl.min(LEVELS - 1);
        let abstract_id = numbering.lists.get(num_id);
        let level_of = |i: usize| {
            abstract_id
                .and_then(|id| numbering.levels.get(&(id.clone(), i)))
                .cloned()
                .unwrap_or_else(|| Level::default_for(i))
        };
        let this = level_of(ilvl);
        if this.format == NumFormat::Bullet {
            return Some(Label::Bullet);
        }
        let counts = self.counts.entry(num_id.to_owned()).or_insert([0; LEVELS]);
        counts[ilvl] = if counts[ilvl] == 0 { this.start } else { counts[ilvl].saturating_add(1) };
        for deeper in &mut counts[ilvl + 1..] {
            *deeper = 0;
        }
        let mut label = String::new();
        let mut rest = this.text.as_str();
        while let Some(at) = rest.find('%') {
            label.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            match after.chars().next().and_then(|c| c.to_digit(10)) {
                Some(d @ 1..=9) => {
                    let i = d as usize - 1;
                    let level = level_of(i);
                    let n = if counts[i] == 0 { level.start } else { counts[i] };
                    label.push_str(&level.format.write(n));
                    rest = &after[1..];
                }
                _ => {
                    label.push('%');
                    rest = after;
                }
            }
        }
        label.push_str(rest);
        let label = label.trim().to_owned();
        (!label.is_empty()).then_some(Label::Number(label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
        <w:abstractNum w:abstractNumId="7">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1%2)"/></w:lvl>
          <w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
      </w:numbering>"#;

    #[test]
    fn lists_are_numbered_as_word_shows_them() {
        let numbering = parse(NUMBERING);
        let mut counters = Counters::default();
        let mut next = |num: &str, ilvl| counters.next(&numbering, num, ilvl);
        let number = |s: &str| Some(Label::Number(s.to_owned()));
        assert_eq!(next("3", 0), number("1."));
        assert_eq!(next("3", 1), number("1a)"));
        assert_eq!(next("3", 1), number("1b)"));
        assert_eq!(next("3", 2), Some(Label::Bullet));
        assert_eq!(next("3", 0), number("2."));
        // A deeper level restarts after a shallower one.
        assert_eq!(next("3", 1), number("2a)"));
        // A list with no definition: 1., a., i.
        assert_eq!(next("9", 0), number("1."));
        assert_eq!(next("9", 1), number("a."));
        assert_eq!(next("9", 2), number("i."));
        assert_eq!(next("0", 0), None);
    }

    #[test]
    fn numbers_are_written_in_their_format() {
        assert_eq!(NumFormat::LowerLetter.write(28), "bb");
        assert_eq!(NumFormat::UpperRoman.write(14), "XIV");
        // Out of range for letters or numerals: decimal, never a huge string.
        assert_eq!(NumFormat::LowerLetter.write(u32::MAX), u32::MAX.to_string());
        assert_eq!(NumFormat::LowerRoman.write(0), "0");
    }
}

//! Validated identifiers: the [`Key`] of a node in a plan and the [`PlanId`] of a plan.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// Longest key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 32;
/// Longest plan id accepted, in bytes.
pub const MAX_PLAN_ID_LEN: usize = 128;

/// Why a string is not a valid [`Key`] or [`PlanId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string was empty (or only spaces).
    #[error("{what} is empty")]
    Empty {
        /// "key" or "plan id".
        what: &'static str,
    },
    /// The string was longer than allowed.
    #[error("{what} {text:?} is longer than {max} characters")]
    TooLong {
        /// "key" or "plan id".
        what: &'static str,
        /// The refused text.
        text: String,
        /// The limit.
        max: usize,
    },
    /// The string is `.` or `..`, which a URL path or a file name reads as a folder.
    #[error("{what} {text:?} is not allowed: `.` and `..` name folders in a path")]
    Dots {
        /// "key" or "plan id".
        what: &'static str,
        /// The refused text.
        text: String,
    },
    /// The string held a character that is not allowed.
    #[error("{what} {text:?} contains {found:?}; use letters, digits, '.', '-' and '_'")]
    BadChar {
        /// "key" or "plan id".
        what: &'static str,
        /// The refused text.
        text: String,
        /// The first character that is not allowed.
        found: char,
    },
}

fn check(what: &'static str, text: &str, max: usize) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty { what });
    }
    if text == "." || text == ".." {
        return Err(IdError::Dots { what, text: text.to_owned() });
    }
    if text.len() > max {
        return Err(IdError::TooLong { what, text: text.to_owned(), max });
    }
    if let Some(found) =
        text.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(IdError::BadChar { what, text: text.to_owned(), found });
    }
    Ok(())
}

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:expr, $pattern:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates `text` (surrounding spaces are trimmed).
            ///
            /// # Errors
            /// [`IdError`] when the text is empty, too long, or holds a character
            /// other than ASCII letters, digits, `.`, `-` and `_`.
            pub fn new(text: &str) -> Result<Self, IdError> {
                let text = text.trim();
                check($what, text, $max)?;
                Ok(Self(text.to_owned()))
            }

            /// The text of the identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::new(&s)
            }
        }

        impl From<$name> for String {
            fn from(k: $name) -> String {
                k.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "minLength": 1,
                    "maxLength": $max,
                    "pattern": $pattern,
                    "not": { "enum": [".", ".."] },
                })
            }
        }
    };
}

id_newtype!(
    /// The stable key of a node in a plan: `"1"`, `"1.2"`, `"1.2.3"` by position, or the
    /// plan's own numbering such as `"R7"` or `"6a"`.
    ///
    /// Keys are ASCII letters, digits, `.`, `-` and `_`, at most 32 characters, so that
    /// they can stand in a URL path and a spreadsheet cell unchanged.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::Key;
    /// let key: Key = "1.2.3".parse().unwrap();
    /// assert_eq!(key.as_str(), "1.2.3");
    /// assert_eq!(Key::new(" R7 ").unwrap().as_str(), "R7");
    /// // Invalid input is refused with a reason.
    /// assert!(Key::new("").is_err());
    /// assert!("1/2".parse::<Key>().unwrap_err().to_string().contains("'/'"));
    /// ```
    Key,
    "key",
    MAX_KEY_LEN,
    "^[A-Za-z0-9._-]+$"
);

id_newtype!(
    /// The identifier of a plan, such as `"coventry-cse-2015"`.
    ///
    /// Same alphabet as [`Key`], at most 128 characters.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::PlanId;
    /// assert_eq!(PlanId::new("coventry-cse").unwrap().to_string(), "coventry-cse");
    /// assert!(PlanId::new("two words").is_err());
    /// // `.` and `..` would name folders in a URL path.
    /// assert!(PlanId::new("..").is_err());
    /// ```
    PlanId,
    "plan id",
    MAX_PLAN_ID_LEN,
    "^[A-Za-z0-9._-]+$"
);

impl Key {
    /// The key of the `index`-th (0-based) child of `parent`, by position: `"1.2"` for
    /// the second child of `"1"`; the first level is `"1"`, `"2"`, ….
    pub fn positional(parent: Option<&Key>, index: usize) -> Key {
        use std::fmt::Write as _;
        let mut key = String::with_capacity(parent.map_or(0, |p| p.0.len() + 1) + 4);
        if let Some(p) = parent {
            key.push_str(&p.0);
            key.push('.');
        }
        let _ = write!(key, "{}", index + 1);
        Key(key)
    }
}

impl PlanId {
    /// A plan id made from free text (a title or a file name): lowercase letters and
    /// digits, other runs of characters replaced by `-`. Returns `"plan"` when nothing
    /// usable is left.
    pub fn slug(text: &str) -> PlanId {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let out = out.trim_matches('-');
        let mut out: String = out.chars().take(MAX_PLAN_ID_LEN).collect();
        while out.ends_with('-') {
            out.pop();
        }
        if out.is_empty() {
            out.push_str("plan");
        }
        PlanId(out)
    }
}

/// A key borrowed where a reason or a document takes one.
impl<'a> From<&'a Key> for Cow<'a, Key> {
    fn from(key: &'a Key) -> Cow<'a, Key> {
        Cow::Borrowed(key)
    }
}

/// A key owned where a reason or a document takes one.
impl From<Key> for Cow<'_, Key> {
    fn from(key: Key) -> Self {
        Cow::Owned(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_accept_plan_numbering() {
        for k in ["1", "1.2", "1.2.3", "R7", "6a", "J-2", "rec_11"] {
            assert_eq!(Key::new(k).unwrap().as_str(), k);
        }
    }

    #[test]
    fn keys_refuse_with_reason() {
        assert_eq!(Key::new("  ").unwrap_err(), IdError::Empty { what: "key" });
        assert_eq!(
            Key::new("1/2").unwrap_err().to_string(),
            "key \"1/2\" contains '/'; use letters, digits, '.', '-' and '_'"
        );
        assert!(matches!(Key::new(&"9".repeat(33)), Err(IdError::TooLong { .. })));
    }

    /// `.` and `..` were valid plan ids (and keys), which a URL path or a file name
    /// reads as folders.
    #[test]
    fn plan_ids_dot_and_dot_dot_were_valid() {
        for text in [".", "..", " .. "] {
            assert!(matches!(PlanId::new(text), Err(IdError::Dots { .. })), "{text:?}");
            assert!(matches!(Key::new(text), Err(IdError::Dots { .. })), "{text:?}");
        }
        assert!(PlanId::new("...").is_ok() && PlanId::new(".a").is_ok());
        let err = serde_json::from_str::<PlanId>("\"..\"").unwrap_err();
        assert!(err.to_string().contains("`.` and `..` name folders"), "{err}");
    }

    #[test]
    fn positional_keys_nest() {
        let one = Key::positional(None, 0);
        assert_eq!(one.as_str(), "1");
        assert_eq!(Key::positional(Some(&one), 1).as_str(), "1.2");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            PlanId::slug("Coventry CSE Delivery Plan").as_str(),
            "coventry-cse-delivery-plan"
        );
        assert_eq!(PlanId::slug("  ***  ").as_str(), "plan");
        assert_eq!(PlanId::slug("plan.tsv").as_str(), "plan-tsv");
    }

    #[test]
    fn serde_refuses_bad_key() {
        let err = serde_json::from_str::<Key>("\"a b\"").unwrap_err();
        assert!(err.to_string().contains("key \"a b\" contains ' '"), "{err}");
    }
}

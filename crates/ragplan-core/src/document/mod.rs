//! The JSON documents ragplan reads and writes, each a versioned promise: the
//! `ragplan/2` plan document (reading it, and the `ragplan/1` documents before it,
//! with errors that name the JSON path, writing it in one canonical form, and its
//! JSON Schema) and the
//! `ragplan-assessment/2` document written from a plan's [`crate::Ratings`].

mod assessment;
mod parallel;
mod pretty;
mod streamed;

pub use assessment::{
    ASSESSMENT_FORMAT, ASSESSMENT_FORMAT_1, AssessmentDocument, AssessmentFormat,
    DimensionDocument, FlagList, List, NodeDocument, PlanRef, ReasonDocument, ReasonList,
    assessment_json_schema,
};
pub use streamed::{JsonStyle, write_assessment, write_json};

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::plan::Plan;

/// The format name of the plan document ragplan writes.
pub const PLAN_FORMAT: &str = "ragplan/2";

/// The format name of the plan document before overrides became a dated record and
/// an action's status became optional. It is still read: its one `override` becomes
/// a one-entry record, and every status it holds is kept.
pub const PLAN_FORMAT_1: &str = "ragplan/1";

/// The `"format"` field of a plan document: `"ragplan/2"` is written, `"ragplan/1"`
/// and `"ragplan/2"` are read. Deserialising any other value is an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FormatTag;

impl Serialize for FormatTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(PLAN_FORMAT)
    }
}

impl<'de> Deserialize<'de> for FormatTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FormatTag, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        if text == PLAN_FORMAT || text == PLAN_FORMAT_1 {
            Ok(FormatTag)
        } else {
            Err(serde::de::Error::custom(format_args!(
                "format {text:?} is not supported (expected {PLAN_FORMAT:?} or {PLAN_FORMAT_1:?})"
            )))
        }
    }
}

impl JsonSchema for FormatTag {
    fn schema_name() -> Cow<'static, str> {
        "FormatTag".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "enum": [PLAN_FORMAT, PLAN_FORMAT_1] })
    }
}

/// A plan document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct DocumentError {
    /// The JSON path of the problem, such as `objectives[0].actions[2].colour`; empty
    /// for the document root.
    pub path: String,
    /// What is wrong there.
    pub message: String,
    /// Line of the problem in the text (1-based), when known.
    pub line: usize,
    /// Column of the problem in the text (1-based), when known.
    pub column: usize,
}

impl DocumentError {
    fn describe(&self) -> String {
        let at = if self.path.is_empty() || self.path == "." {
            String::new()
        } else {
            format!("at {}: ", self.path)
        };
        format!("{at}{} (line {}, column {})", self.message, self.line, self.column)
    }
}

/// Strips serde_json's own " at line L column C" tail; the location is kept apart.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Reads any serde type from JSON text, naming the JSON path of the first problem.
///
/// # Errors
/// [`DocumentError`] with the path, message, line and column.
pub fn from_json_with_path<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    // Read first without following the path, which costs a good part of the read of
    // a large document; only a document that does not read is read again, to name
    // where its first problem is.
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        DocumentError {
            path,
            message: strip_location(&inner.to_string()).to_owned(),
            line: inner.line(),
            column: inner.column(),
        }
    })?;
    de.end().map_err(|e| DocumentError {
        path: String::new(),
        message: strip_location(&e.to_string()).to_owned(),
        line: e.line(),
        column: e.column(),
    })?;
    Ok(value)
}

impl Plan {
    /// Reads a `ragplan/2` or `ragplan/1` document.
    ///
    /// # Errors
    /// [`DocumentError`] naming the JSON path of the first problem: a missing or
    /// unknown field, a rating word that is not one, a bad key, another format.
    ///
    /// # Example
    /// ```
    /// use ragplan_core::Plan;
    /// let plan = Plan::from_json(r#"{"format": "ragplan/1", "id": "p", "title": "Plan"}"#).unwrap();
    /// assert_eq!(plan.title, "Plan");
    ///
    /// let err = Plan::from_json(r#"{"format": "ragplan/1", "id": "p", "title": "Plan",
    ///     "objectives": [{"key": "1", "title": "O", "colour": "red"}]}"#).unwrap_err();
    /// assert_eq!(err.path, "objectives[0]");
    /// assert!(err.to_string().starts_with("at objectives[0]: unknown field `colour`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Plan, DocumentError> {
        if let Some(plan) = parallel::plan(text) {
            return Ok(plan);
        }
        from_json_with_path(text)
    }

    /// The canonical document: pretty-printed JSON with two-space indents and a final
    /// newline. Reading it back and writing it again gives the same bytes.
    pub fn to_json(&self) -> String {
        to_canonical_json(self)
    }

    /// Writes [`Plan::to_json`]'s document to `out`. A plan of 20,000 actions or
    /// more in several objectives has its objectives laid out by two threads when the
    /// machine has two cores; the bytes are the same.
    ///
    /// # Errors
    /// When `out` cannot be written.
    pub fn write_json<W: std::io::Write>(&self, mut out: W) -> std::io::Result<()> {
        parallel::write_plan(self, &mut out)
    }
}

/// Pretty JSON with a final newline: the one form ragplan writes documents in.
pub fn to_canonical_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    // Serialising these types cannot fail: no map has non-string keys and every
    // float is finite or written as null by serde_json.
    if let Err(e) = pretty::to_writer(&mut out, value) {
        return serde_json::json!({ "error": e.to_string() }).to_string();
    }
    out.push(b'\n');
    // serde_json writes only UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The JSON Schema (draft 2020-12) of the `ragplan/2` document, as canonical JSON.
pub fn plan_json_schema() -> String {
    let schema = schemars::schema_for!(Plan);
    to_canonical_json(&schema)
}

impl fmt::Display for FormatTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PLAN_FORMAT)
    }
}

//! The canonical layout of ragplan's JSON documents, serde_json's pretty form with
//! two-space indents, written a line at a time: serde_json's `PrettyFormatter` writes
//! a line's indent two bytes at a time, one write for each level, which is most of the
//! time spent laying out a large plan document.

use std::io;

use serde_json::ser::Formatter;

/// A line break and enough spaces for the deepest indent written in one piece:
/// `",\n"` and 126 levels of two spaces.
const LINES: [u8; 254] = {
    let mut lines = [b' '; 254];
    lines[0] = b',';
    lines[1] = b'\n';
    lines
};

/// Lays JSON out as `serde_json::ser::PrettyFormatter::new()` does, byte for byte.
#[derive(Debug, Default)]
pub(crate) struct Canonical {
    depth: usize,
    has_value: bool,
}

impl Canonical {
    /// Starts a new line (after a comma when `comma`) indented to the current depth.
    fn line<W: ?Sized + io::Write>(&self, out: &mut W, comma: bool) -> io::Result<()> {
        let start = usize::from(!comma);
        let wanted = 2 + 2 * self.depth;
        if wanted <= LINES.len() {
            return out.write_all(&LINES[start..wanted]);
        }
        out.write_all(&LINES[start..])?;
        let mut left = wanted - LINES.len();
        while left > 0 {
            let n = left.min(LINES.len() - 2);
            out.write_all(&LINES[2..2 + n])?;
            left -= n;
        }
        Ok(())
    }
}

impl Formatter for Canonical {
    fn begin_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out, false)?;
        }
        out.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(out, !first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out, false)?;
        }
        out.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(out, !first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` to `out` in the canonical layout, as it is laid out at `depth`
/// inside a document: an objective in a plan's `objectives` is at depth 2.
pub(crate) fn to_writer_at<T: serde::Serialize + ?Sized, W: io::Write>(
    out: W,
    value: &T,
    depth: usize,
) -> serde_json::Result<()> {
    let formatter = Canonical { depth, has_value: false };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
}

/// Writes `value` to `out` in the canonical layout.
pub(crate) fn to_writer<T: serde::Serialize + ?Sized, W: io::Write>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Canonical::default());
    value.serialize(&mut serializer)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    fn canonical(value: &Value) -> String {
        let mut out = Vec::new();
        super::to_writer(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-z\"\\\\\n é]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(8, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{0,4}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The canonical layout is serde_json's pretty layout, byte for byte.
        #[test]
        fn canonical_is_serde_jsons_pretty_layout(value in json()) {
            prop_assert_eq!(canonical(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }

    /// Past the deepest indent written in one piece the indent is written in parts,
    /// still the same bytes.
    #[test]
    fn a_deeper_document_than_one_line_holds_is_laid_out_the_same() {
        let mut value = Value::from(1);
        for depth in 0..300 {
            value = if depth % 2 == 0 {
                Value::Array(vec![value, Value::Null])
            } else {
                serde_json::json!({ "k": value, "z": [] })
            };
        }
        assert_eq!(canonical(&value), serde_json::to_string_pretty(&value).unwrap());
    }
}

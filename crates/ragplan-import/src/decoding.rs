//! Text sources' bytes decoded: UTF-8 with or without its byte-order mark, UTF-16
//! after its mark, and a Windows-1252 fallback for bytes that are not UTF-8, with one
//! diagnostic for the file.

use crate::{Diagnostic, DiagnosticCode};

/// A source's text, decoded.
pub(crate) struct Decoded<'b> {
    /// The text.
    pub text: std::borrow::Cow<'b, str>,
    /// Where in `text` the first byte that was not UTF-8 went (read as Windows-1252).
    pub first_fallback: Option<usize>,
    /// `UTF-16LE` or `UTF-16BE` when a byte-order mark said so.
    pub utf16: Option<&'static str>,
}

/// Decodes a text source: UTF-8 with or without its byte-order mark; UTF-16 (LE or
/// BE) after its byte-order mark; and any byte that is not UTF-8 read as
/// Windows-1252, where Excel on Windows saves `£`, `’` and `–`. Runs of valid UTF-8
/// are kept as they are, so a file that is UTF-8 but for a pasted line loses nothing.
pub(crate) fn decode_bytes(bytes: &[u8]) -> Decoded<'_> {
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[2..]);
        return Decoded {
            text: text.into_owned().into(),
            first_fallback: None,
            utf16: Some(encoding.name()),
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: text.into(), first_fallback: None, utf16: None };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut first_fallback = None;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                // The prefix was checked valid by `from_utf8` just now.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let n_bad = err.error_len().unwrap_or(after.len()).max(1).min(after.len());
                first_fallback.get_or_insert(text.len());
                let (decoded, _) =
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(&after[..n_bad]);
                text.push_str(&decoded);
                rest = &after[n_bad..];
            }
        }
    }
    Decoded { text: text.into(), first_fallback, utf16: None }
}

/// Decodes text (see [`decode_bytes`]), with one diagnostic for the file when bytes
/// were not UTF-8, naming the first row they were met on and, given the delimiter
/// of a table, the column.
pub(crate) fn decode<'b>(
    bytes: &'b [u8],
    delimiter: Option<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::borrow::Cow<'b, str> {
    report_decoding(decode_bytes(bytes), delimiter, diagnostics)
}

/// The text of `decoded`, after the diagnostics of how it was decoded.
pub(crate) fn report_decoding<'b>(
    decoded: Decoded<'b>,
    delimiter: Option<u8>,
    diagnostics: &mut Vec<Diagnostic>,
) -> std::borrow::Cow<'b, str> {
    if let Some(name) = decoded.utf16 {
        diagnostics.push(Diagnostic::info(
            DiagnosticCode::Encoding,
            format!("read as {name}, as its byte-order mark says"),
        ));
    }
    if let Some(at) = decoded.first_fallback {
        let before = &decoded.text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let mut diagnostic = Diagnostic::warning(
            DiagnosticCode::NotUtf8,
            "bytes that are not UTF-8 were read as Windows-1252 (as Excel on Windows \
             saves £ and curly quotes); save the file as UTF-8 to be sure",
        )
        .at_row(line);
        if let Some(d) = delimiter {
            let column = before[line_start..].bytes().filter(|&b| b == d).count() + 1;
            diagnostic = diagnostic.at_column(format!("column {column}"));
        }
        let end = decoded.text[at..].find('\n').map_or(decoded.text.len(), |i| at + i);
        diagnostic = diagnostic.with_text(decoded.text[line_start..end].trim_end().to_owned());
        diagnostics.push(diagnostic);
    }
    decoded.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_runs_are_kept_and_other_bytes_read_as_windows_1252() {
        let cases: &[(&[u8], &str, Option<usize>)] = &[
            (b"plain", "plain", None),
            (b"\xEF\xBB\xBFwith bom", "with bom", None),
            (b"\xA3500", "£500", Some(0)),
            ("café ".as_bytes(), "café ", None),
            (b"caf\xC3\xA9 \x93quoted\x94", "café \u{201c}quoted\u{201d}", Some(6)),
            (b"\xFF\xFEa\x00\xA3\x00", "a£", None),
            (b"\xFE\xFF\x00a\x00\xA3", "a£", None),
        ];
        for (bytes, text, first) in cases {
            let decoded = decode_bytes(bytes);
            assert_eq!((decoded.text.as_ref(), decoded.first_fallback), (*text, *first));
        }
    }
}

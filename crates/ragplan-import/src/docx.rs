//! Word documents (`.docx`): the zip opened with the `zip` crate and
//! `word/document.xml` read with `quick-xml`.
//!
//! A document holding a table with a recognisable header gives its rows to the
//! shared table builder, as the workbook reader does (`grid`: merged cells filled, a
//! table continued over pages joined); one without gives its paragraphs, list
//! numbers and all, to the recommendation-list reader as lines of text.
//!
//! Hostile documents are refused, never followed, at the [`Limits`](crate::Limits)
//! of the options: `word/document.xml` may not decompress past
//! `docx_document_bytes`, a cell covers at most `grid_span` columns, the document
//! holds at most `docx_parts` paragraphs, rows and cells, its tables at most
//! `docx_grid_cells` cells, rows of at most `columns` cells of at most `cell_bytes`,
//! and merged cells at most `filled_bytes` of copied text.

mod grid;
mod numbering;
mod xml;

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::limits::refused;
use crate::table::GridRow;
use crate::{Diagnostic, ImportError, ImportOptions};

/// The part of the zip that holds the document.
const DOCUMENT_PART: &str = "word/document.xml";

fn docx_error(message: impl Into<String>) -> ImportError {
    ImportError::Docx(message.into())
}

/// What a document gives the readers.
pub(crate) enum Content {
    /// Rows for the table builder.
    Rows(Vec<GridRow>),
    /// Lines of text for the recommendation-list reader.
    Text(String),
}

/// Whether the bytes are a zip holding `word/document.xml`. A zip too damaged to
/// list is one when the part's name stands in it.
pub(crate) fn looks_like_docx(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") {
        return false;
    }
    let listed = std::panic::catch_unwind(|| {
        ZipArchive::new(Cursor::new(bytes))
            .ok()
            .map(|zip| zip.index_for_name(DOCUMENT_PART).is_some())
    });
    match listed {
        Ok(Some(found)) => found,
        _ => bytes.windows(DOCUMENT_PART.len()).any(|w| w == DOCUMENT_PART.as_bytes()),
    }
}

/// Reads the document.
///
/// # Errors
/// [`ImportError::Docx`] when the zip cannot be read, holds no `word/document.xml`,
/// or holds one too large or not well formed.
pub(crate) fn read(
    bytes: &[u8],
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Content, ImportError> {
    // The zip reader is not ours: a damaged document is an error to report even if
    // it panics.
    let read = std::panic::AssertUnwindSafe(|| read_document(bytes, options, diagnostics));
    std::panic::catch_unwind(read)
        .unwrap_or_else(|_| Err(docx_error("the document is damaged and cannot be read")))
}

fn read_document(
    bytes: &[u8],
    options: &ImportOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Content, ImportError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| docx_error(format!("it is not a readable zip: {e}")))?;
    let limits = &options.limits;
    let document =
        part(&mut zip, DOCUMENT_PART, "docx_document_bytes", limits.docx_document_bytes)?
            .ok_or_else(|| {
                docx_error(format!("it holds no {DOCUMENT_PART}; is it a Word document?"))
            })?;
    let numbering_limit = limits.docx_numbering_bytes;
    let numbering =
        match part(&mut zip, "word/numbering.xml", "docx_numbering_bytes", numbering_limit) {
            Ok(Some(bytes)) => numbering::parse(&String::from_utf8_lossy(&bytes)),
            _ => numbering::Numbering::default(),
        };
    let document = crate::decoding::decode(&document, None, diagnostics);
    let blocks = xml::parse(&document, &numbering, limits, diagnostics)?;
    let has_header = blocks.iter().any(|b| match b {
        xml::Block::Table(t) => t.rows.iter().take(50).any(|r| {
            let cells: crate::grid::Cells = r.cells.iter().map(|c| c.text.as_str()).collect();
            grid::header_fields(&cells, &options.map).is_some()
        }),
        xml::Block::Paragraph(_) => false,
    });
    if has_header {
        return grid::rows(&blocks, &options.map, limits, diagnostics).map(Content::Rows);
    }
    Ok(Content::Text(text_lines(&blocks)))
}

/// The decompressed bytes of a part of the zip, if it is there, refused past the
/// limit `limit_name` of value `limit`.
fn part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit_name: &'static str,
    limit: u64,
) -> Result<Option<Vec<u8>>, ImportError> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(docx_error(format!("{name}: {e}"))),
    };
    let too_large = |size: u64| refused(limit_name, size, limit, format!("{name}, decompressed"));
    if file.size() > limit {
        return Err(too_large(file.size()));
    }
    let mut out = Vec::with_capacity(file.size().min(16 << 20) as usize);
    // The size a zip declares may lie: read no further than the limit.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| docx_error(format!("{name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(too_large(out.len() as u64));
    }
    Ok(Some(out))
}

/// The document as lines of text, one a paragraph or table row, on the line of its
/// row number: headings marked `#`, list paragraphs with their numbers, a row's
/// cells side by side.
fn text_lines(blocks: &[xml::Block]) -> String {
    let mut out = String::new();
    let mut line = 0;
    let mut put = |at: usize, text: &str| {
        while line + 1 < at {
            out.push('\n');
            line += 1;
        }
        out.push_str(&crate::field::one_line(text));
        out.push('\n');
        line += 1;
    };
    for block in blocks {
        match block {
            xml::Block::Paragraph(p) => {
                let shown = p.shown(true);
                if p.heading { put(p.line, &format!("# {shown}")) } else { put(p.line, &shown) }
            }
            xml::Block::Table(t) => {
                for row in &t.rows {
                    let cells: Vec<&str> = row
                        .cells
                        .iter()
                        .map(|c| c.text.as_str())
                        .filter(|c| !c.is_empty())
                        .collect();
                    put(row.line, &cells.join(" "));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use zip::ZipWriter;
    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(name: &str, text: &str) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let written = zip
            .start_file(name, SimpleFileOptions::default())
            .and_then(|()| zip.write_all(text.as_bytes()).map_err(Into::into))
            .and_then(|()| zip.finish());
        written.map(Cursor::into_inner).unwrap_or_default()
    }

    #[test]
    fn a_part_past_its_limit_is_refused_before_it_is_read_whole() {
        let bytes = zip_of(DOCUMENT_PART, &" ".repeat(4096));
        let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes.as_slice())) else {
            panic!("the test zip does not open")
        };
        let limit = "docx_document_bytes";
        let err = part(&mut zip, DOCUMENT_PART, limit, 1000).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "word/document.xml, decompressed: 4096 bytes, over the limit \
                 docx_document_bytes=1000 (decompressed bytes of word/document.xml)"
            )
        );
        let read = part(&mut zip, DOCUMENT_PART, limit, 4096);
        assert!(matches!(read, Ok(Some(b)) if b.len() == 4096));
        assert!(matches!(part(&mut zip, "word/numbering.xml", limit, 4096), Ok(None)));
    }

    #[test]
    fn a_zip_is_a_word_document_when_it_holds_word_document_xml() {
        let document = zip_of(DOCUMENT_PART, "<w:document/>");
        assert!(looks_like_docx(&document));
        assert!(!looks_like_docx(&zip_of("xl/workbook.xml", "<workbook/>")));
        // Too damaged to list, it is one when the part's name stands in it.
        assert!(looks_like_docx(&document[..document.len() / 2]));
        assert!(!looks_like_docx(b"PK\x03\x04 damaged"));
    }
}

//! A small writer of Word documents for tests and benches: a zip holding a minimal
//! `[Content_Types].xml`, `word/document.xml` and, when asked, other parts.
//! Cells and paragraphs are written as `w:t` text, escaped; a line break in a
//! cell's text starts a new paragraph of the cell.
#![allow(dead_code)]

use std::io::Write as _;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

/// XML-escaped text.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A run of text.
pub fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(text))
}

/// A paragraph of text (empty: an empty paragraph).
pub fn p(text: &str) -> String {
    if text.is_empty() { "<w:p/>".to_owned() } else { format!("<w:p>{}</w:p>", run(text)) }
}

/// A paragraph of list `num_id` at level `ilvl`.
pub fn numbered(num_id: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>{}</w:p>"#,
        run(text)
    )
}

/// A heading paragraph.
pub fn heading(text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>{}</w:p>"#, run(text))
}

/// A paragraph holding a page break.
pub fn page_break() -> String {
    r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#.to_owned()
}

/// A cell with these properties (`<w:gridSpan w:val="2"/>`, `<w:vMerge/>`…), its
/// text's lines as paragraphs.
pub fn tc_with(props: &str, text: &str) -> String {
    let paragraphs: String = text.split('\n').map(p).collect();
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

/// A cell.
pub fn tc(text: &str) -> String {
    tc_with("", text)
}

/// A row of cells already written.
pub fn tr_of(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// A row of plain cells.
pub fn tr(cells: &[&str]) -> String {
    tr_of(&cells.iter().map(|c| tc(c)).collect::<Vec<_>>())
}

/// A header row repeated on every page (`w:tblHeader`), in bold.
pub fn header_tr(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| {
            format!(
                r#"<w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p></w:tc>"#,
                esc(c)
            )
        })
        .collect();
    format!("<w:tr><w:trPr><w:tblHeader/></w:trPr>{cells}</w:tr>")
}

/// A table of rows already written.
pub fn tbl(rows: &[String]) -> String {
    format!("<w:tbl><w:tblPr/>{}</w:tbl>", rows.concat())
}

/// `word/document.xml` with this body.
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

/// A zip of these parts, deflated or stored.
pub fn zip_of(parts: &[(&str, &str)], method: CompressionMethod) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, text) in parts {
        zip.start_file(*name, options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// A Word document with this body and these other parts (`word/numbering.xml`…).
pub fn docx_with(body: &str, parts: &[(&str, &str)]) -> Vec<u8> {
    let document = document_xml(body);
    let mut all = vec![("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", &document)];
    all.extend_from_slice(parts);
    zip_of(&all, CompressionMethod::Deflated)
}

/// A Word document with this body.
pub fn docx(body: &str) -> Vec<u8> {
    docx_with(body, &[])
}

/// The rows of a tab-separated table as the delimited reader sees them: its line
/// and cells.
pub fn tsv_records(tsv: &str) -> Vec<(usize, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(b'\t')
        .from_reader(tsv.as_bytes());
    let bytes = tsv.as_bytes();
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            // A record's position may be the line break before it.
            let mut start = r.position().map_or(0, |p| p.byte() as usize);
            while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let line = 1 + bytes[..start.min(bytes.len())].iter().filter(|&&b| b == b'\n').count();
            (line, r.iter().map(str::to_owned).collect())
        })
        .collect()
}

/// The body of a Word document that is the twin of a tab-separated table: a line
/// of two or more cells a table row, a line of one a paragraph, a blank line an
/// empty paragraph (which ends a table, as a page break ends a table pasted into
/// Word) — so that each paragraph and row stands on the row number of its line.
pub fn body_from_tsv(tsv: &str) -> String {
    let mut body = String::new();
    let mut rows: Vec<String> = Vec::new();
    let mut line = 0;
    let end_table = |rows: &mut Vec<String>, body: &mut String| {
        if !rows.is_empty() {
            body.push_str(&tbl(rows));
            rows.clear();
        }
    };
    for (at, cells) in tsv_records(tsv) {
        while line + 1 < at {
            end_table(&mut rows, &mut body);
            body.push_str(&p(""));
            line += 1;
        }
        line = at;
        if cells.len() >= 2 {
            rows.push(tr(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
        } else {
            end_table(&mut rows, &mut body);
            body.push_str(&p(cells.first().map_or("", String::as_str)));
        }
    }
    end_table(&mut rows, &mut body);
    body
}

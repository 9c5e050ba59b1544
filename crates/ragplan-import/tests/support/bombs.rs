//! Sources made to ask the machine for more than it has — workbooks and Word
//! documents a few kilobytes long that declare or decompress to gigabytes — written
//! here part by part. Shared by the importer's hostile tests and the server's load
//! test (`tests/cli/server.rs`), which includes this file by path.
#![allow(dead_code)]

use std::io::Write as _;

use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets>
</workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"#;

/// A workbook of one sheet, with these shared strings and sheet data.
pub fn workbook(shared_strings: &str, sheet_data: &str, after_data: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData>{after_data}</worksheet>"#
    );
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", shared_strings),
        ("xl/worksheets/sheet1.xml", &sheet),
    ] {
        zip.start_file(name, options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// Shared strings: a header row's words and one action.
pub const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Actions</t></si><si><t>Action RAG</t></si><si><t>Train taxi drivers</t></si><si><t>Green</t></si></sst>"#;

/// A header row and one action.
pub const ROWS: &str = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>"#;

/// A workbook of a header row and one action, as `ROWS` and `STRINGS` hold them.
pub fn plain_workbook() -> Vec<u8> {
    workbook(STRINGS, ROWS, "")
}

/// A 1.9 KB workbook whose shared-string table declares `uniqueCount` strings.
pub fn workbook_declaring_strings(unique_count: u64) -> Vec<u8> {
    let strings =
        STRINGS.replace(r#"uniqueCount="4""#, &format!(r#"uniqueCount="{unique_count}""#));
    workbook(&strings, ROWS, "")
}

/// A workbook whose sheet has cells at A1 and XFD1048576: a range of 17 billion
/// cells, as the workbook reader would allocate it.
pub fn workbook_spanning_the_whole_sheet() -> Vec<u8> {
    let rows = format!(r#"{ROWS}<row r="1048576"><c r="XFD1048576" t="s"><v>3</v></c></row>"#);
    workbook(STRINGS, &rows, "")
}

/// Writes `text` as the zip's next part.
fn put(zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, text: &str) {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file(name, options).unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
}

/// `head`, then `mib` MiB of `x`, then `tail`, as the zip's next part: written in
/// pieces, so that only the compressed bytes are ever held.
fn put_long(
    zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    name: &str,
    head: &str,
    mib: usize,
    tail: &str,
) {
    put(zip, name, head);
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..mib {
        zip.write_all(&chunk).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.write_all(tail.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
}

/// A workbook under 1 MB whose sheet holds one inline string of `mib` MiB.
pub fn workbook_with_a_long_string(mib: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", STRINGS),
    ] {
        put(&mut zip, name, text);
    }
    let head = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    put_long(
        &mut zip,
        "xl/worksheets/sheet1.xml",
        head,
        mib,
        "</t></is></c></row></sheetData></worksheet>",
    );
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// The namespace of a Word document's body.
const WORD_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A Word document under 1 MB whose `word/document.xml` holds one paragraph of
/// `mib` MiB.
pub fn docx_with_a_long_paragraph(mib: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let head = format!(r#"<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>"#);
    put_long(&mut zip, "word/document.xml", &head, mib, "</w:t></w:r></w:p></w:body></w:document>");
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// A Word document of one table row whose cell says it spans `span` columns.
pub fn docx_with_a_wide_span(span: u64) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let body = format!(
        r#"<w:document xmlns:w="{WORD_NS}"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>Actions</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#
    );
    put(&mut zip, "word/document.xml", &body);
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// A Word document whose `word/document.xml` decompresses to `mib` MiB while its
/// zip's central directory says 1,000 bytes: a reader that trusts the declared size
/// reads on, so only reading no further than the limit stops it.
pub fn docx_lying_about_its_size(mib: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let head = format!(r#"<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>"#);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..mib {
        zip.write_all(&chunk).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap_or_else(|e| panic!("{e}"));
    let mut bytes = zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    // The uncompressed size of each central directory entry (offset 24) and local
    // header (offset 22), set to 1,000.
    for (signature, offset) in [(b"PK\x01\x02", 24), (b"PK\x03\x04", 22)] {
        let at: Vec<usize> =
            bytes.windows(4).enumerate().filter(|(_, w)| w == signature).map(|(i, _)| i).collect();
        for i in at {
            bytes[i + offset..i + offset + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
    }
    bytes
}

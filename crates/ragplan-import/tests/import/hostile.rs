//! Workbooks made to ask the machine for more than it has: each is refused with a
//! clear error, or read at the cost of the cells it really holds. The workbooks are
//! written here, part by part.

use std::io::Write as _;

use ragplan_import::{ImportError, ImportOptions, SourceFormat, import};
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
fn workbook(shared_strings: &str, sheet_data: &str, after_data: &str) -> Vec<u8> {
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
const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Actions</t></si><si><t>Action RAG</t></si><si><t>Train taxi drivers</t></si><si><t>Green</t></si></sst>"#;

/// A header row and one action.
const ROWS: &str = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>"#;

fn read(bytes: &[u8]) -> Result<ragplan_import::Imported, ImportError> {
    let options = ImportOptions { format: SourceFormat::Xlsx, ..ImportOptions::default() };
    import(bytes, &options)
}

#[test]
fn the_plain_workbook_these_are_made_from_imports() {
    let imported = read(&workbook(STRINGS, ROWS, "")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
}

/// A 1.9 KB workbook whose `sharedStrings.xml` declares `uniqueCount="100000000000"`
/// made the workbook reader ask for terabytes, and the process aborted.
#[test]
fn a_workbook_declaring_a_hundred_billion_strings_aborted_the_process() {
    let strings =
        STRINGS.replace(r#"count="4" uniqueCount="4""#, r#"count="4" uniqueCount="100000000000""#);
    let bytes = workbook(&strings, ROWS, "");
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let err = read(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("declares 100000000000 shared strings"), "{err}");
}

/// A workbook whose sheet has cells at A1 and XFD1048576 made the reader allocate
/// every cell between them, and the process aborted.
#[test]
fn a_workbook_with_cells_at_a1_and_xfd1048576_aborted_the_process() {
    let rows = format!(r#"{ROWS}<row r="1048576"><c r="XFD1048576" t="s"><v>3</v></c></row>"#);
    let err = read(&workbook(STRINGS, &rows, "")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("1048576 rows by 16384 columns"), "{err}");
}

/// A 2 KB workbook with 2,000 `<mergeCell ref="A1:ALL10000"/>` ran for over two
/// minutes: every region was filled cell by cell far past the sheet's edge. A region
/// now costs only the cells the sheet has.
#[test]
fn two_thousand_huge_merged_regions_ran_for_minutes() {
    let merges: String = (0..2_000).map(|_| r#"<mergeCell ref="A1:ALL10000"/>"#).collect();
    let after = format!(r#"<mergeCells count="2000">{merges}</mergeCells>"#);
    let imported = read(&workbook(STRINGS, ROWS, &after)).unwrap_or_else(|e| panic!("{e}"));
    // The merge's first cell ("Actions") is copied over the sheet's four cells: the
    // rows read as two header rows.
    assert!(imported.plan.n_actions() <= 1);
}

/// A 1 MB workbook holding one 1 GiB inline string peaked at 4.2 GB: the part is
/// now read as a stream no further than its limit and refused.
#[test]
fn a_one_gibibyte_string_in_a_small_workbook_took_gigabytes() {
    // Written in pieces: the test itself holds only the compressed workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", STRINGS),
    ] {
        zip.start_file(name, options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap_or_else(|e| panic!("{e}"));
    let head = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    zip.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let chunk = vec![b'x'; 1 << 20];
    // 160 MiB: past the 128 MiB a part may hold, and quick to squeeze.
    for _ in 0..160 {
        zip.write_all(&chunk).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.write_all(b"</t></is></c></row></sheetData></worksheet>").unwrap_or_else(|e| panic!("{e}"));
    let bytes = zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let err = read(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("decompresses to more than"), "{err}");
}

/// The check stopped at a mismatched end tag, which the workbook reader reads
/// past: a sheet opening with `</x>` hid cells at A1 and XFD1048576 from it. It now
/// reads as the workbook reader does.
#[test]
fn a_mismatched_end_tag_hid_a_huge_sheet_from_the_check() {
    let rows = format!(r#"</x>{ROWS}<row r="1048576"><c r="XFD1048576" t="s"><v>3</v></c></row>"#);
    let err = read(&workbook(STRINGS, &rows, "")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("1048576 rows by 16384 columns"), "{err}");
}

/// A shared-string table under another name (`.XML`, any case, anywhere the
/// relationships point) was not checked; every part is now read, whatever its name.
#[test]
fn a_shared_string_table_under_another_name_was_not_checked() {
    let strings = STRINGS.replace(r#"uniqueCount="4""#, r#"uniqueCount="4000000000""#);
    let mut bytes = workbook(STRINGS, ROWS, "");
    // A second copy of the table under an upper-case name, as a reader that ignores
    // case could find it.
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(std::mem::take(&mut bytes)))
        .unwrap_or_else(|e| panic!("{e}"));
    zip.start_file("XL/SHAREDSTRINGS.XML", SimpleFileOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(strings.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let bytes = zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    let err = read(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("declares 4000000000 shared strings"), "{err}");
}

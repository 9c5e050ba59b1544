//! Workbooks made to ask the machine for more than it has: each is refused with a
//! clear error naming the limit, or read at the cost of the cells it really holds.
//! The workbooks are written by `bombs` (`tests/support/bombs.rs`), part by part.

use std::io::Write as _;

use ragplan_import::{ImportError, ImportOptions, SourceFormat, import};
use zip::write::SimpleFileOptions;

use crate::bombs::{
    ROWS, STRINGS, plain_workbook, workbook, workbook_declaring_strings,
    workbook_spanning_the_whole_sheet, workbook_with_a_long_string,
};

fn read(bytes: &[u8]) -> Result<ragplan_import::Imported, ImportError> {
    let options = ImportOptions::for_format(SourceFormat::Xlsx);
    import(bytes, &options)
}

#[test]
fn the_plain_workbook_these_are_made_from_imports() {
    let imported = read(&plain_workbook()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.plan.n_actions(), 1);
}

/// A 1.9 KB workbook whose `sharedStrings.xml` declares `uniqueCount="100000000000"`
/// made the workbook reader ask for terabytes, and the process aborted.
#[test]
fn a_workbook_declaring_a_hundred_billion_strings_aborted_the_process() {
    let bytes = workbook_declaring_strings(100_000_000_000);
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let err = read(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.starts_with(
            "xl/sharedStrings.xml, declared: 100000000000 strings, over the limit \
             shared_strings=2000000"
        ),
        "{err}"
    );
}

/// A workbook whose sheet has cells at A1 and XFD1048576 made the reader allocate
/// every cell between them, and the process aborted.
#[test]
fn a_workbook_with_cells_at_a1_and_xfd1048576_aborted_the_process() {
    let err = read(&workbook_spanning_the_whole_sheet()).err().map(|e| e.to_string());
    let err = err.unwrap_or_default();
    assert!(
        err.starts_with(
            "xl/worksheets/sheet1.xml, 1048576 rows by 16384 columns: 17179869184 cells, over \
             the limit table_cells=10000000"
        ),
        "{err}"
    );
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
    // 160 MiB: past the 128 MiB a part may hold, and quick to squeeze.
    let bytes = workbook_with_a_long_string(160);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let err = read(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.starts_with(
            "xl/worksheets/sheet1.xml, decompressed: 167772333 bytes, over the limit \
             xlsx_part_bytes=134217728"
        ),
        "{err}"
    );
}

/// The check stopped at a mismatched end tag, which the workbook reader reads
/// past: a sheet opening with `</x>` hid cells at A1 and XFD1048576 from it. It now
/// reads as the workbook reader does.
#[test]
fn a_mismatched_end_tag_hid_a_huge_sheet_from_the_check() {
    let rows = format!(r#"</x>{ROWS}<row r="1048576"><c r="XFD1048576" t="s"><v>3</v></c></row>"#);
    let err = read(&workbook(STRINGS, &rows, "")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("1048576 rows by 16384 columns: 17179869184 cells"), "{err}");
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
    assert!(err.starts_with("XL/SHAREDSTRINGS.XML, declared: 4000000000 strings"), "{err}");
}

/// A Word document whose zip says its `word/document.xml` holds 1,000 bytes while it
/// decompresses to 300 MiB is refused once it passes the size it declared: the zip
/// reader checks the declared size as it decompresses.
#[test]
fn a_word_document_lying_about_its_size_is_refused_past_the_size_it_declared() {
    let bytes = crate::bombs::docx_lying_about_its_size(300);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let options = ImportOptions::for_format(SourceFormat::Docx);
    let err = import(&bytes, &options).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        err,
        "the Word document cannot be read: word/document.xml: File is larger than its declared \
         uncompressed size"
    );
}

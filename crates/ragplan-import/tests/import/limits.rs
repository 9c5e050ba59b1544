//! Every limit of `Limits`, set low and met by a small source: each refuses it with
//! a message naming the limit, the value found, the limit's value and where.

use ragplan_import::{ImportOptions, Limits, SourceFormat, import, parse_limit};

use crate::bombs::{STRINGS, docx_with_a_long_paragraph, plain_workbook, workbook};
use crate::docx_writer::{docx, header_tr, tbl, tr};

/// A small delivery-plan table: a header and two actions.
const TSV: &str =
    "Actions\tAction RAG\tAccountable\nTrain taxi drivers\tGreen\tWMP\nAudit\tRed\tLSCB\n";

/// A recommendation list of three lines.
const LIST: &str = "Recommendation 1: That the board audits\nRecommendation 2: That it reports\n\
                    Recommendation 3: That it listens\n";

/// A Markdown table under a heading.
const MARKDOWN: &str =
    "# Prevent\n\n| Actions | Action RAG | Accountable |\n|---|---|---|\n| Audit | Red | WMP |\n";

/// A JSON array of records, one value nested three deep.
const RECORDS: &str = r#"[{"Actions": "Audit", "Action RAG": "Red", "Notes": [["a"]]}]"#;

/// A workbook whose merged region A2:B2 fills the empty B2 with A2's 18 bytes.
fn merged_workbook() -> Vec<u8> {
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row><row r="3"><c r="B3" t="s"><v>3</v></c></row>"#;
    workbook(STRINGS, rows, r#"<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>"#)
}

/// A Word document with a table of a header and one action.
fn word_table() -> Vec<u8> {
    docx(&tbl(&[header_tr(&["Actions", "Action RAG"]), tr(&["Audit", "Red"])]))
}

fn refusal(source: &[u8], format: SourceFormat, limit: &str, value: u64) -> String {
    let mut limits = Limits::default();
    limits.set(limit, value).unwrap_or_else(|e| panic!("{e}"));
    let options = ImportOptions::for_format(format).with_limits(limits);
    match import(source, &options) {
        Ok(_) => format!("{limit}={value}: imported"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_limit_refuses_a_source_past_it_naming_the_limit_the_value_and_where() {
    use SourceFormat::{Docx, Json, Markdown, Text, Tsv, Xlsx};
    let tsv = TSV.as_bytes();
    let (xlsx, merged) = (plain_workbook(), merged_workbook());
    let (long_docx, table_docx) = (docx_with_a_long_paragraph(0), word_table());
    let cases: Vec<(&[u8], SourceFormat, &str, u64, &str)> = vec![
        (
            tsv,
            Tsv,
            "input_bytes",
            10,
            "the source: 75 bytes, over the limit input_bytes=10 (bytes of the source as given)",
        ),
        (
            tsv,
            Tsv,
            "rows",
            2,
            "row 3: 3 rows, over the limit rows=2 (rows of a table, lines of a text source)",
        ),
        (tsv, Tsv, "columns", 2, "row 1: 3 cells, over the limit columns=2 (cells in one row)"),
        (
            tsv,
            Tsv,
            "cell_bytes",
            10,
            "row 1, column 3: 11 bytes, over the limit cell_bytes=10 (bytes in one cell or line)",
        ),
        (
            LIST.as_bytes(),
            Text,
            "rows",
            2,
            "row 3: 3 rows, over the limit rows=2 (rows of a table, lines of a text source)",
        ),
        (
            LIST.as_bytes(),
            Text,
            "cell_bytes",
            38,
            "row 1, column 1: 39 bytes, over the limit cell_bytes=38 (bytes in one cell or line)",
        ),
        (
            MARKDOWN.as_bytes(),
            Markdown,
            "rows",
            4,
            "row 5: 5 rows, over the limit rows=4 (rows of a table, lines of a text source)",
        ),
        (
            MARKDOWN.as_bytes(),
            Markdown,
            "columns",
            2,
            "row 3: 3 cells, over the limit columns=2 (cells in one row)",
        ),
        (
            RECORDS.as_bytes(),
            Json,
            "depth",
            2,
            "row 1, column 53: 3 levels, over the limit depth=2 (nesting of a JSON source's arrays and objects)",
        ),
        (
            RECORDS.as_bytes(),
            Json,
            "columns",
            2,
            "row 1: 3 cells, over the limit columns=2 (cells in one row)",
        ),
        (
            RECORDS.as_bytes(),
            Json,
            "table_cells",
            5,
            "the records, 2 rows by 3 columns: 6 cells, over the limit table_cells=5 (cells a table covers: a sheet's range, records times keys, a turned table)",
        ),
        (&xlsx, Xlsx, "xlsx_part_bytes", 100, ""),
        (
            &xlsx,
            Xlsx,
            "shared_strings",
            3,
            "xl/sharedStrings.xml, declared: 4 strings, over the limit shared_strings=3 (shared strings a workbook declares or holds)",
        ),
        (
            &xlsx,
            Xlsx,
            "rows",
            1,
            "xl/worksheets/sheet1.xml, 2 rows by 2 columns: 2 rows, over the limit rows=1 (rows of a table, lines of a text source)",
        ),
        (
            &xlsx,
            Xlsx,
            "columns",
            1,
            "xl/worksheets/sheet1.xml, 1 rows by 2 columns: 2 cells, over the limit columns=1 (cells in one row)",
        ),
        (
            &xlsx,
            Xlsx,
            "table_cells",
            3,
            "xl/worksheets/sheet1.xml, 2 rows by 2 columns: 4 cells, over the limit table_cells=3 (cells a table covers: a sheet's range, records times keys, a turned table)",
        ),
        (
            &xlsx,
            Xlsx,
            "workbook_cells",
            3,
            "xl/worksheets/sheet1.xml, 2 rows by 2 columns: 4 cells, over the limit workbook_cells=3 (cells all sheets of a workbook cover)",
        ),
        (
            &xlsx,
            Xlsx,
            "cell_bytes",
            10,
            "row 2, column 1: 18 bytes, over the limit cell_bytes=10 (bytes in one cell or line)",
        ),
        (
            &merged,
            Xlsx,
            "filled_bytes",
            10,
            "sheet \"Plan\", merged cells: 18 bytes, over the limit filled_bytes=10 (bytes merged cells copy; a sheet past it is refused, a Word document left unfilled)",
        ),
        (&long_docx, Docx, "docx_document_bytes", 50, ""),
        (
            &table_docx,
            Docx,
            "docx_parts",
            2,
            "word/document.xml, row 1: 3 parts, over the limit docx_parts=2 (paragraphs, table rows and cells of a Word document)",
        ),
        (
            &table_docx,
            Docx,
            "docx_grid_cells",
            3,
            "word/document.xml, row 2: 4 cells, over the limit docx_grid_cells=3 (cells of a Word document's tables, merges in full)",
        ),
        (
            &table_docx,
            Docx,
            "columns",
            1,
            "row 1: 2 cells, over the limit columns=1 (cells in one row)",
        ),
        (
            &table_docx,
            Docx,
            "cell_bytes",
            6,
            "row 1, column 1: 7 bytes, over the limit cell_bytes=6 (bytes in one cell or line)",
        ),
    ];
    let mut wrong = Vec::new();
    for (source, format, limit, value, expected) in cases {
        let message = refusal(source, format, limit, value);
        let named = message.contains(&format!("over the limit {limit}={value} ("));
        if !named || (!expected.is_empty() && message != expected) {
            wrong.push(format!(
                "{limit}={value} ({format}):\n  got      {message}\n  expected {expected}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_same_sources_import_under_the_default_limits() {
    let (xlsx, merged, table_docx) = (plain_workbook(), merged_workbook(), word_table());
    let sources: [(&[u8], SourceFormat); 6] = [
        (TSV.as_bytes(), SourceFormat::Tsv),
        (LIST.as_bytes(), SourceFormat::Text),
        (MARKDOWN.as_bytes(), SourceFormat::Markdown),
        (&xlsx, SourceFormat::Xlsx),
        (&merged, SourceFormat::Xlsx),
        (&table_docx, SourceFormat::Docx),
    ];
    for (source, format) in sources {
        let options = ImportOptions::for_format(format);
        let imported = import(source, &options).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(imported.plan.n_actions() >= 1, "{format}");
    }
    let options = ImportOptions::for_format(SourceFormat::Json);
    assert!(import(RECORDS.as_bytes(), &options).is_ok());
}

#[test]
fn a_span_past_grid_span_is_capped_with_a_warning_naming_the_limit() {
    let body = tbl(&[
        header_tr(&["Actions", "Action RAG"]),
        crate::docx_writer::tr_of(&[
            crate::docx_writer::tc_with(r#"<w:gridSpan w:val="9"/>"#, "Audit"),
            crate::docx_writer::tc("Red"),
        ]),
    ]);
    let mut limits = Limits::default();
    limits.grid_span = 4;
    let options = ImportOptions::for_format(SourceFormat::Docx).with_limits(limits);
    let imported = import(&docx(&body), &options).unwrap_or_else(|e| panic!("{e}"));
    let capped = imported.diagnostics.iter().find(|d| d.code == "grid-span-capped");
    assert_eq!(
        capped.map(|d| d.message.as_str()),
        Some("a cell said it covers 9 columns; read as 4, the grid_span limit")
    );
}

#[test]
fn an_unknown_limit_is_refused_with_the_names_there_are() {
    let names: Vec<&str> = Limits::ALL.iter().map(|l| l.name).collect();
    let listed = names.join(", ");
    let err = Limits::default().set("max_rows", 1).err().map(|e| e.to_string());
    assert_eq!(err, Some(format!("unknown limit \"max_rows\"; the limits are {listed}")));
    let err = parse_limit("max_rows=1").err().map(|e| e.to_string());
    assert_eq!(err, Some(format!("unknown limit \"max_rows\"; the limits are {listed}")));
    let err = parse_limit("rows=many").err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("\"rows=many\" is not NAME=VALUE with a whole number (e.g. rows=100000)")
    );
    assert_eq!(parse_limit(" rows = 1_000 "), Ok(("rows", 1000)));
}

#[test]
fn the_defaults_are_the_documented_values() {
    let defaults: Vec<String> =
        Limits::ALL.iter().map(|l| format!("{}={}", l.name, l.default)).collect();
    assert_eq!(
        defaults,
        [
            "input_bytes=268435456",
            "rows=1048576",
            "columns=16384",
            "cell_bytes=1048576",
            "depth=64",
            "xlsx_part_bytes=134217728",
            "shared_strings=2000000",
            "table_cells=10000000",
            "workbook_cells=20000000",
            "docx_document_bytes=268435456",
            "docx_numbering_bytes=16777216",
            "grid_span=64",
            "docx_parts=8000000",
            "docx_grid_cells=8000000",
            "filled_bytes=67108864",
        ]
    );
    let limits = Limits::default();
    for info in Limits::ALL {
        assert_eq!(limits.get(info.name), Some(info.default), "{}", info.name);
    }
}

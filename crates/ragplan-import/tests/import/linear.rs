//! Sources whose cost grew with the square of their size: each is imported here and
//! its result checked; `benches/import.rs` times them at n and 10 n (BENCHMARKS.md).

use ragplan_import::{ImportOptions, Imported, Limits, SourceFormat, import};

use crate::docx_writer::{docx, header_tr, tbl, tc_with, tr_of};
use crate::wide::{angle_brackets, bold_segments, wide_row};

/// Options for `format` that let a row hold the 60,000 cells these sources have, past
/// the default `columns` limit (16,384, a worksheet's width).
fn wide(format: SourceFormat) -> ImportOptions {
    let mut limits = Limits::default();
    limits.set("columns", 100_000).unwrap_or_else(|e| panic!("{e}"));
    ImportOptions::for_format(format).with_limits(limits)
}

fn tsv(source: &str) -> Imported {
    import(source.as_bytes(), &wide(SourceFormat::Tsv)).unwrap_or_else(|e| panic!("{e}"))
}

/// Each note of a row was joined to an earlier note of its column by reading every
/// note before it, and notes were ordered by looking their column up among all the
/// columns: 23 s for one row of 60,000 columns.
#[test]
fn a_row_of_sixty_thousand_columns_imports_in_linear_work() {
    let imported = tsv(&wide_row(60_000));
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions.len(), 1);
    let notes = &actions[0].unmapped;
    assert_eq!(notes.len(), 59_998);
    // One note per column, in column order.
    for (i, note) in notes.iter().enumerate() {
        assert_eq!(note.source.as_deref(), Some(format!("Col {i}").as_str()));
        assert_eq!(note.text, format!("v{i}"));
    }
}

/// The export looked every cell's notes up by reading all the action's notes, and
/// each extra column up among all the columns: 1.07 s for a row of 16,000 columns,
/// the square of the width.
#[test]
fn the_export_of_a_row_of_sixty_thousand_columns_is_linear_work() {
    let source = wide_row(60_000);
    let imported = tsv(&source);
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Tsv);
    assert_eq!(table, source);
}

/// Every `<` that opened no tag searched the rest of the cell for a `>`: 3.4 s for
/// a cell of 200,000 of them.
#[test]
fn a_cell_of_two_hundred_thousand_angle_brackets_imports_in_linear_work() {
    let imported = tsv(&angle_brackets(200_000));
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].title.len(), 200_005);
    assert!(actions[0].title.ends_with("<<train"));
}

/// The cell was lower-cased again after every bold segment, and searched for the
/// other opening tag to its end.
#[test]
fn a_cell_of_twenty_thousand_bold_segments_imports_in_linear_work() {
    let imported = tsv(&bold_segments(20_000));
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].title, vec!["taxi"; 20_000].join(" "));
}

/// The merges a Word table row continued were looked up, for each merge open, by
/// reading the row's list of them through: the square of the row's width.
#[test]
fn a_row_continuing_twenty_thousand_merges_imports_in_linear_work() {
    const WIDTH: usize = 20_000;
    let restart = r#"<w:vMerge w:val="restart"/>"#;
    let mut header = vec!["Actions".to_owned(), "Action RAG".to_owned()];
    header.extend((2..WIDTH).map(|i| format!("Col {i}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let first: Vec<String> = (0..WIDTH).map(|i| tc_with(restart, &format!("m{i}"))).collect();
    let second: Vec<String> = (0..WIDTH).map(|_| tc_with("<w:vMerge/>", "")).collect();
    let body = tbl(&[header_tr(&header), tr_of(&first), tr_of(&second)]);
    let imported =
        import(&docx(&body), &wide(SourceFormat::Docx)).unwrap_or_else(|e| panic!("{e}"));
    let titles: Vec<&str> = imported.plan.actions().map(|a| a.title.as_str()).collect();
    // The second row repeats the first, every cell filled from the merge above it.
    assert_eq!(titles, ["m0", "m0"]);
    let merges = imported.diagnostics.iter().filter(|d| d.code == "merged-cells").count();
    assert_eq!(merges, WIDTH);
}

/// Each record's keys were found in the header, and each header key in the record,
/// by reading them through: the square of the number of keys.
#[test]
fn a_record_of_sixty_thousand_keys_imports_in_linear_work() {
    let mut record = serde_json::Map::new();
    record.insert("Actions".to_owned(), "Train taxi drivers".into());
    record.insert("Action RAG".to_owned(), "Green".into());
    let mut keys = vec!["Actions".to_owned(), "Action RAG".to_owned()];
    for i in 0..59_998 {
        keys.push(format!("Col {i}"));
    }
    // serde_json's map sorts its keys; the records reader keeps them as written.
    let fields: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let value = record.get(k).cloned().unwrap_or_else(|| format!("v{}", i - 2).into());
            format!("{}:{}", serde_json::Value::from(k.as_str()), value)
        })
        .collect();
    let source = format!("[{{{}}}]", fields.join(","));
    let imported =
        import(source.as_bytes(), &wide(SourceFormat::Json)).unwrap_or_else(|e| panic!("{e}"));
    let actions: Vec<_> = imported.plan.actions().collect();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].unmapped.len(), 59_998);
    assert_eq!(actions[0].unmapped[59_997].text, "v59997");
}

/// A list of recommendations was compared with every list taken before it: the
/// square of the number of lists when they share an item.
#[test]
fn a_paper_of_six_thousand_lists_sharing_an_item_imports_in_linear_work() {
    let list = |i: usize| {
        format!(
            "Recommendations\n1. That the council agrees the first item\n2. That the council \
             agrees item {i}\n\nSome prose here.\nMore prose here.\nEven more prose.\n\n"
        )
    };
    let source: String = (0..6_000).map(list).collect();
    let options = ImportOptions::for_format(SourceFormat::Text);
    let imported = import(source.as_bytes(), &options).unwrap_or_else(|e| panic!("{e}"));
    // The first list is read; the note naming the plans counts them all.
    assert_eq!(imported.plan.n_actions(), 2);
    let plans = imported.diagnostics.iter().find(|d| d.code == "paper-plans");
    assert!(plans.is_some_and(|d| d.message.contains("6000")), "{plans:?}");
}

//! Tables made to cost the importer work out of proportion to their size: a row of
//! very many columns, a cell of very many `<`. Shared with the benches, which time
//! them at n and 10 n.

#![allow(dead_code)]

/// A header of `n` columns (Actions, Action RAG, then `Col 0` … kept as notes) over
/// one action filling every column.
pub fn wide_row(n: usize) -> String {
    let header = (0..n.saturating_sub(2)).map(|i| format!("Col {i}"));
    let cells = (0..n.saturating_sub(2)).map(|i| format!("v{i}"));
    let header: Vec<String> =
        ["Actions".to_owned(), "Action RAG".to_owned()].into_iter().chain(header).collect();
    let cells: Vec<String> =
        ["Train taxi drivers".to_owned(), "Green".to_owned()].into_iter().chain(cells).collect();
    format!("{}\n{}\n", header.join("\t"), cells.join("\t"))
}

/// One action whose title is `n` `<` characters followed by a word, no `>` anywhere.
pub fn angle_brackets(n: usize) -> String {
    format!("Actions\tAction RAG\n{}train\tGreen\n", "<".repeat(n))
}

/// One action whose title is `n` bold segments that are not header words.
pub fn bold_segments(n: usize) -> String {
    format!("Actions\tAction RAG\n{}\tGreen\n", "<b>taxi</b> ".repeat(n))
}

//! Markdown pipe tables, with or without outer pipes and with ragged padding; several
//! tables under headings, each heading naming the objective of the rows below it.

use crate::table::{GridRow, RowKind};
use crate::{ImportError, Limits};

/// Whether `text` has a Markdown pipe table: a rule line such as `|---|:--:|`.
pub(crate) fn has_pipe_table(text: &str) -> bool {
    text.lines().any(is_rule_line)
}

fn is_rule_line(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t'))
}

fn is_table_line(line: &str) -> bool {
    line.contains('|')
}

/// The cells of one table line: outer pipes dropped, `\|` kept as a pipe.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") { &t[..t.len() - 1] } else { t };
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_owned());
    out
}

fn heading(line: &str) -> Option<String> {
    let t = line.trim_start();
    let level = t.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let title = t[level..].trim().trim_matches('*').trim().to_owned();
    (!title.is_empty()).then_some(title)
}

/// Reads the rows of every table, and the text around them as text rows.
///
/// # Errors
/// [`ImportError::Limit`] for more lines than `limits` allow (before they are
/// listed), or a row of more cells or a cell of more bytes.
pub(crate) fn read(text: &str, limits: &Limits) -> Result<Vec<GridRow>, ImportError> {
    limits.check_lines(text)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut rows = Vec::new();
    let mut group: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let n = i + 1;
        if let Some(title) = heading(line) {
            group = Some(title);
            i += 1;
            continue;
        }
        if is_table_line(line) && lines.get(i + 1).is_some_and(|l| is_rule_line(l)) {
            let header = cells(line);
            limits.check_cells(n, header.iter().map(String::as_str))?;
            rows.push(GridRow {
                line: n,
                cells: header.into(),
                group: group.clone(),
                kind: RowKind::Header,
            });
            i += 2;
            while i < lines.len() && is_table_line(lines[i]) && !lines[i].trim().is_empty() {
                let row = cells(lines[i]);
                limits.check_cells(i + 1, row.iter().map(String::as_str))?;
                rows.push(GridRow {
                    line: i + 1,
                    cells: row.into(),
                    group: group.clone(),
                    kind: RowKind::Data,
                });
                i += 1;
            }
            continue;
        }
        if !line.trim().is_empty() {
            limits.check_cell_bytes(line.len(), n, 1)?;
            rows.push(GridRow {
                line: n,
                cells: [line.trim()].into_iter().collect(),
                group: group.clone(),
                kind: RowKind::Text,
            });
        }
        i += 1;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_with_and_without_outer_pipes_under_headings() {
        let text = "# Prevent\n\n| Actions | RAG |\n|---|:-:|\n|  Do it   | Green |\n\n\
                    ## Protect\nActions | RAG\n--- | ---\nA \\| B | Red\n";
        let rows = read(text, &Limits::default()).unwrap_or_default();
        let shape: Vec<(usize, RowKind, Option<&str>, Vec<&str>)> = rows
            .iter()
            .map(|r| (r.line, r.kind, r.group.as_deref(), r.cells.iter().collect()))
            .collect();
        assert_eq!(
            shape,
            [
                (3, RowKind::Header, Some("Prevent"), vec!["Actions", "RAG"]),
                (5, RowKind::Data, Some("Prevent"), vec!["Do it", "Green"]),
                (8, RowKind::Header, Some("Protect"), vec!["Actions", "RAG"]),
                (10, RowKind::Data, Some("Protect"), vec!["A | B", "Red"]),
            ]
        );
    }
}

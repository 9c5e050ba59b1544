//! Which source column fills which field, beyond the synonyms: `--map` entries that
//! name a column by its letter or number, the check that every entry names a column,
//! and the columns that fall back on one another when several fill one field.

use crate::field::normalise_header;
use crate::grid::Cells;
use crate::{Field, ImportError};

/// The column (0-based) a `--map` key names by position: a number from 1 (`3`) or
/// spreadsheet letters (`C`, `AB`), or `None` for a key that is a header's name.
///
/// # Example
/// `C` and `3` are the third column; `Lead` is a header.
pub(crate) fn column_reference(key: &str) -> Option<usize> {
    let key = key.trim();
    if !key.is_empty() && key.len() <= 4 && key.bytes().all(|b| b.is_ascii_digit()) {
        return key.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    }
    if key.is_empty() || key.len() > 3 || !key.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in key.bytes() {
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    n.checked_sub(1)
}

/// Whether a `--map` key names a header of `headers` by its (normalised) text.
fn names_header(key: &str, headers: &Cells) -> bool {
    let wanted = normalise_header(key);
    !wanted.is_empty() && headers.iter().any(|h| normalise_header(h) == wanted)
}

/// The field each column takes from a `--map` entry naming it by position, for a
/// header row of `headers`. An entry whose key is also a header's text names that
/// header instead (`ID` is a header before it is column 238).
pub(crate) fn positional_fields(map: &[(String, Field)], headers: &Cells) -> Vec<Option<Field>> {
    let mut fields = vec![None; headers.len()];
    if map.is_empty() {
        return fields;
    }
    for (key, field) in map {
        if names_header(key, headers) {
            continue;
        }
        if let Some(slot) = column_reference(key).and_then(|i| fields.get_mut(i)) {
            *slot = Some(*field);
        }
    }
    fields
}

/// Checks that every `--map` entry names a column of the header rows (`headers`,
/// the first the table's header at source row `row`).
///
/// # Errors
/// [`ImportError::MapUnmatched`] for the first entry that names no column, with the
/// headers found and the closest of them.
pub(crate) fn check_map(
    map: &[(String, Field)],
    row: usize,
    headers: &[&Cells],
) -> Result<(), ImportError> {
    let n_columns = headers.iter().map(|h| h.len()).max().unwrap_or(0);
    for (key, _) in map {
        let named = headers.iter().any(|h| names_header(key, h));
        let by_position = column_reference(key).is_some_and(|i| i < n_columns);
        if named || by_position {
            continue;
        }
        let mut found: Vec<&str> = Vec::new();
        for h in headers.iter().flat_map(|h| h.iter()) {
            let h = h.trim();
            if !h.is_empty() && !found.contains(&h) {
                found.push(h);
            }
        }
        let list: Vec<String> = found.iter().map(|h| format!("{h:?}")).collect();
        let hint =
            did_you_mean(key, &found).map(|h| format!("; did you mean {h:?}?")).unwrap_or_default();
        return Err(ImportError::MapUnmatched {
            row,
            header: key.clone(),
            found: if list.is_empty() { "none".to_owned() } else { list.join(", ") },
            hint,
        });
    }
    Ok(())
}

/// The header closest to `key`: one that starts with it (`Project` → `Project
/// name`), or else the most alike by Jaro–Winkler, if alike enough.
fn did_you_mean<'h>(key: &str, headers: &[&'h str]) -> Option<&'h str> {
    let wanted = normalise_header(key);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for &header in headers {
        let norm = normalise_header(header);
        let score = if norm.starts_with(&wanted) || wanted.starts_with(&norm) {
            1.0
        } else {
            strsim::jaro_winkler(&wanted, &norm)
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, header));
        }
    }
    best.map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_by_letter_or_number() {
        let cases = [
            ("C", Some(2)),
            ("c", Some(2)),
            ("3", Some(2)),
            ("1", Some(0)),
            ("AA", Some(26)),
            ("0", None),
            ("Lead", None),
            ("", None),
        ];
        for (key, want) in cases {
            assert_eq!(column_reference(key), want, "{key}");
        }
    }

    #[test]
    fn a_header_named_like_a_column_letter_is_the_header() {
        let headers: Cells = ["ID", "Task", "Who"].into_iter().collect();
        let map = vec![("ID".to_owned(), Field::Key), ("C".to_owned(), Field::Accountable)];
        assert_eq!(positional_fields(&map, &headers), [None, None, Some(Field::Accountable)]);
    }

    #[test]
    fn an_unmatched_map_entry_names_the_headers_and_the_closest() {
        let headers: Cells = ["Project name", "Lead"].into_iter().collect();
        let map = vec![("Project".to_owned(), Field::Action)];
        let err = check_map(&map, 1, &[&headers]).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                r#"row 1, column 1: --map "Project" matches no column; the headers are "Project name", "Lead"; did you mean "Project name"?"#
            )
        );
        let far = vec![("Budget".to_owned(), Field::Progress)];
        let err = check_map(&far, 1, &[&headers]).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                r#"row 1, column 1: --map "Budget" matches no column; the headers are "Project name", "Lead""#
            )
        );
        let by_number = [("2".to_owned(), Field::Action), ("Z".to_owned(), Field::Key)];
        assert!(check_map(&by_number[..1], 1, &[&headers]).is_ok());
        assert!(check_map(&by_number[1..], 1, &[&headers]).is_err());
    }
}

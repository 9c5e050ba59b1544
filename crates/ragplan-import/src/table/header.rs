//! The header row: which row it is, the fields its cells name, the columns it sets,
//! and a header repeated on a later page (with the ends of headers it cut short).

use super::*;

/// The longest header cell looked at when searching for the header row (before its
/// tags are removed): `<p><b>Partners Involved</b></p>` and longer spellings fit.
pub(super) const HEADER_CELL_BYTES: usize = 64;

pub(crate) fn is_first_header(row: &GridRow, map: &[(String, Field)], fuzzy: bool) -> bool {
    row.kind != RowKind::Text && header_fields(&row.cells, map, fuzzy).is_some()
}

/// The fields a row's cells name, in order, when it reads as the first header: two
/// or more, one of them placing a row ([`Field::places_row`]: the action,
/// sub-objective, objective, key or indicator). Close spellings
/// count only when `fuzzy`.
pub(crate) fn header_fields(
    cells: &Cells,
    map: &[(String, Field)],
    fuzzy: bool,
) -> Option<Vec<Field>> {
    // The whole source is searched for the header, so a row that cannot be one is
    // told cheaply: it names two columns or more, and a header cell is short (tags
    // and all) — a data cell is never spelled against every synonym. A column a
    // `--map` entry names by letter or number counts whatever it holds.
    let longest = map.iter().map(|(h, _)| h.len()).max().unwrap_or(0).max(HEADER_CELL_BYTES);
    let by_position = crate::columns::positional_fields(map, cells);
    let candidates = || {
        cells.iter().zip(by_position.iter().copied()).filter(|(c, by_position)| {
            by_position.is_some() || (!c.trim().is_empty() && c.len() <= longest + 32)
        })
    };
    candidates().nth(1)?;
    let fields: Vec<Field> = candidates()
        .filter_map(|(c, by_position)| {
            by_position.or_else(|| match crate::field::match_header_as(c, map, fuzzy) {
                Some(HeaderMatch::Exact(f) | HeaderMatch::Fuzzy(f)) => Some(f),
                None => None,
            })
        })
        .collect();
    let names_rows = fields.iter().any(|f| f.places_row());
    (fields.len() >= 2 && names_rows).then_some(fields)
}

/// Whether `row` opens a table: a known header row, a row that reads as the first
/// header, or the source's first filled row naming an action column exactly. The
/// table builder and the paper reader both ask, so that both find the same header.
pub(crate) fn opens_table(
    row: &GridRow,
    map: &[(String, Field)],
    fuzzy: bool,
    first_filled: bool,
) -> bool {
    row.kind == RowKind::Header
        || is_first_header(row, map, fuzzy)
        || (first_filled && names_actions(row, map))
}

/// Whether a row names an action column exactly (a table whose only known column
/// is `Actions`).
fn names_actions(row: &GridRow, map: &[(String, Field)]) -> bool {
    row.kind == RowKind::Data
        && row.cells.len() > 1
        && row.cells.iter().any(|c| match_header(c, map) == Some(HeaderMatch::Exact(Field::Action)))
}

/// The column headed `Status` of a header that also has another rating column and
/// no status column, with the first of those rating columns: beside a `RAG status`,
/// `Status` says how far the action has got (`Complete`, `Cancelled`), which read as
/// a second rating column would be a note wherever the first holds a rating. A
/// header given by `--map`, by name or by place, is as the map says.
fn status_beside_rating(
    cells: &Cells,
    matched: &[Option<HeaderMatch>],
    by_position: &[Option<Field>],
    map: &[(String, Field)],
) -> Option<(usize, usize)> {
    let mapped = |i: usize, cell: &str| {
        by_position.get(i).copied().flatten().is_some()
            || map.iter().any(|(h, _)| normalise_header(h) == normalise_header(cell))
    };
    let fields: Vec<Option<Field>> = matched
        .iter()
        .map(|m| match m {
            Some(HeaderMatch::Exact(f) | HeaderMatch::Fuzzy(f)) => Some(*f),
            None => None,
        })
        .collect();
    if fields.contains(&Some(Field::Status)) {
        return None;
    }
    let mut status = cells.iter().enumerate().filter(|&(i, cell)| {
        fields[i] == Some(Field::ActionRag)
            && normalise_header(cell) == "status"
            && !mapped(i, cell)
    });
    let (at, _) = status.next()?;
    if status.next().is_some() {
        return None;
    }
    let rating = (0..cells.len()).find(|&i| i != at && fields[i] == Some(Field::ActionRag))?;
    Some((at, rating))
}

impl Builder<'_> {
    /// The plan's title from the line above its table that reads as one (the
    /// strategy's name in a workbook's first cell or a document's first paragraph),
    /// when none is given: a plan is otherwise named after its file.
    pub(super) fn title_from_preamble(&mut self) {
        if self.options.title.is_some() {
            return;
        }
        let title = self.preamble.iter().find_map(|(_, line)| {
            // A preamble row of several cells is joined with ` | `: not a title.
            (!line.contains(" | ")).then(|| crate::paper::is_title(line, true)).flatten()
        });
        if let Some(title) = title {
            self.plan.title = title;
        }
    }

    pub(super) fn set_header(&mut self, row: &GridRow) {
        self.columns.clear();
        self.first_column = [None; Field::ALL.len()];
        let by_position = crate::columns::positional_fields(&self.options.map, &row.cells);
        let matched: Vec<Option<HeaderMatch>> = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match by_position.get(i).copied().flatten() {
                Some(f) => Some(HeaderMatch::Exact(f)),
                None => match_header(cell, &self.options.map),
            })
            .collect();
        let status_beside =
            status_beside_rating(&row.cells, &matched, &by_position, &self.options.map);
        for (i, (cell, matched)) in row.cells.iter().zip(matched).enumerate() {
            let header = one_line(&strip_html(cell)).into_owned();
            let matched = match matched {
                _ if status_beside.is_some_and(|(status, _)| status == i) => {
                    let rating = status_beside.map_or(0, |(_, rating)| rating);
                    self.diagnostics.push(
                        Diagnostic::info(
                            DiagnosticCode::StatusBesideRating,
                            format!(
                                "read as the actions' status (complete, cancelled, in progress \
                                 …), since {:?} holds their rating",
                                one_line(&strip_html(&row.cells[rating]))
                            ),
                        )
                        .at_row(row.line)
                        .at_column(header.clone())
                        .with_text(header.clone()),
                    );
                    Some(HeaderMatch::Exact(Field::Status))
                }
                matched => matched,
            };
            let mut field = match matched {
                Some(HeaderMatch::Exact(f)) => Some(f),
                Some(HeaderMatch::Fuzzy(f)) => {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            DiagnosticCode::FuzzyHeader,
                            format!("header read as `{f}` by its spelling"),
                        )
                        .at_row(row.line)
                        .at_column(header.clone())
                        .with_text(header.clone()),
                    );
                    Some(f)
                }
                None if header.is_empty() => None,
                None => Some(Field::Unmapped),
            };
            let mut fallback = None;
            if let Some(f) = field
                && f != Field::Unmapped
                && f != Field::Progress
                && f != Field::ProgressNote
                && let Some(first) = self.column_of(f)
            {
                self.diagnostics.push(
                    Diagnostic::info(
                        DiagnosticCode::FallbackColumn,
                        format!(
                            "a second `{f}` column: read where {:?} is empty, otherwise kept \
                             as a note under its header",
                            self.column_name(first)
                        ),
                    )
                    .at_row(row.line)
                    .at_column(header.clone())
                    .with_text(header.clone()),
                );
                field = Some(Field::Unmapped);
                fallback = Some(f);
            }
            if let Some(f) = field {
                self.first_column[f as usize].get_or_insert(self.columns.len());
            }
            self.columns.push(Column::new(self.columns.len(), header, field, fallback));
        }
        if let Some(group_by) = &self.options.group_by {
            let wanted = crate::field::normalise_header(group_by);
            self.group_by = self
                .columns
                .iter()
                .position(|c| crate::field::normalise_header(&c.header) == wanted);
            if self.group_by.is_none() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        DiagnosticCode::GroupByMissing,
                        "no column has this header",
                    )
                    .at_row(row.line)
                    .with_text(group_by.clone()),
                );
            }
        }
        let layout: Vec<(String, Option<Field>)> =
            self.columns.iter().map(|c| (c.header.clone(), c.field)).collect();
        if !self.have_header {
            self.plan
                .metadata
                .insert(LAYOUT_KEY.to_owned(), crate::export::layout_to_value(&layout));
        }
        self.have_header = true;
    }

    /// The ends of the headers `cells` (a repeated header row) cut short: for each
    /// cell that is the start of its column's header (`Partners` of `Partners
    /// Involved`), the rest (`Involved`).
    pub(super) fn cut_headers(&self, cells: &[Cow<'_, str>]) -> Vec<(usize, String)> {
        let columns = cells.iter().zip(&self.columns).enumerate();
        columns
            .filter_map(|(i, (cell, column))| {
                let rest = column.header.strip_prefix(cell.as_ref())?;
                let rest = rest.strip_prefix(' ')?.trim();
                (!cell.is_empty() && !rest.is_empty()).then(|| (i, rest.to_owned()))
            })
            .collect()
    }

    /// Takes the ends of headers cut short on the row above out of the cells of this
    /// row, where a cell is that end alone or starts or ends with it as a word of its
    /// own (`Green  RAG`), each with a warning.
    pub(super) fn remove_header_tails(
        &mut self,
        line: usize,
        tails: &[(usize, String)],
        cells: &mut [Cow<'_, str>],
    ) {
        for (i, tail) in tails {
            let Some(cell) = cells.get_mut(*i) else { continue };
            let rest = if cell.as_ref() == tail.as_str() {
                Some(String::new())
            } else {
                let before = cell.strip_suffix(tail.as_str()).filter(|b| b.ends_with(' '));
                let after = cell.strip_prefix(tail.as_str()).filter(|a| a.starts_with(' '));
                before.or(after).map(|r| r.trim().to_owned())
            };
            let Some(rest) = rest else { continue };
            *cell = Cow::Owned(rest);
            self.diagnostics.push(
                Diagnostic::warning(
                    DiagnosticCode::HeaderInCell,
                    "the end of a header cut short on the row above removed from a cell",
                )
                .at_row(line)
                .at_column(self.column_name(*i))
                .with_text(tail.clone()),
            );
        }
    }

    pub(super) fn is_repeated_header(&self, cells: &[Cow<'_, str>]) -> bool {
        let mut headers = 0;
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_empty() || (self.field_at(i).is_none() && is_page_marker(cell)) {
                continue;
            }
            // One cell that names no column of the table settles it: most rows are
            // data, and a row of header words of another table is this one's text.
            if !self.names_a_column(cell) {
                return false;
            }
            headers += 1;
        }
        headers >= 2
    }
}

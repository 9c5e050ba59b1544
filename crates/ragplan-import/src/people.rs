//! The people a paper names above the plan it holds, or a table above its header: a
//! scrutiny review's project plan opens with `Chair:` and `Lead Officer:` lines, and
//! its timetable, which has no owners column, is theirs. A table with no accountable
//! (responsible) column takes the chair (the lead officer) as each action's
//! accountable (responsible) owner, with an `owner-from-paper` info that names the
//! line.

use ragplan_core::{Owner, Plan};

use crate::export::layout_of;
use crate::field::Field;
use crate::owner::{OwnerContext, is_placeholder, split_owners};
use crate::partner::Vocabulary;
use crate::{Diagnostic, DiagnosticCode};

/// Which owners a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Accountable,
    Responsible,
}

/// The labels of the people a paper names, folded to lower case, and whom they are.
const LABELS: &[(&str, Role)] = &[
    ("chair", Role::Accountable),
    ("chairman", Role::Accountable),
    ("chairperson", Role::Accountable),
    ("chair of the review", Role::Accountable),
    ("accountable officer", Role::Accountable),
    ("lead officer", Role::Responsible),
    ("responsible officer", Role::Responsible),
];

/// A `Label: name` line above the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    role: Role,
    /// The source line.
    line: usize,
    /// The line as written.
    text: String,
    /// The label as written (`Lead Officer`).
    label: String,
    /// The name after the label.
    name: String,
}

/// The people named on the lines of `above` (each with its line number), the
/// paper's lines between the plan's title and the plan: the last line of each role.
pub(crate) fn named_above(above: &[(usize, String)]) -> Vec<Named> {
    let mut found: Vec<Named> = Vec::new();
    for (line, text) in above {
        let Some((label, name)) = text.split_once(':') else { continue };
        let label = label.trim_matches(|c: char| matches!(c, '*' | '#' | '_') || c.is_whitespace());
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let folded = label.to_lowercase();
        let Some(&(_, role)) = LABELS.iter().find(|(l, _)| *l == folded) else { continue };
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || is_placeholder(&name) {
            continue;
        }
        found.retain(|n| n.role != role);
        found.push(Named { role, line: *line, text: text.trim().to_owned(), label, name });
    }
    found
}

/// Gives each action of `plan` the people `named` above it, where the table has no
/// column of that role, and says so.
pub(crate) fn give_owners(plan: &mut Plan, named: &[Named], diagnostics: &mut Vec<Diagnostic>) {
    let layout = layout_of(plan);
    let context = OwnerContext { known: Default::default(), vocabulary: Vocabulary::new(&[]) };
    for person in named {
        let (field, noun) = match person.role {
            Role::Accountable => (Field::Accountable, "accountable"),
            Role::Responsible => (Field::Responsible, "responsible"),
        };
        if layout.iter().any(|(_, f)| *f == Some(field)) {
            continue;
        }
        let owners: Vec<Owner> = split_owners(&person.name, &context).owners;
        if owners.is_empty() {
            continue;
        }
        let mut n = 0usize;
        for action in plan.actions_mut() {
            let list = match person.role {
                Role::Accountable => &mut action.accountable,
                Role::Responsible => &mut action.responsible,
            };
            if list.is_empty() {
                list.clone_from(&owners);
                n += 1;
            }
        }
        if n == 0 {
            continue;
        }
        diagnostics.push(
            Diagnostic::info(
                DiagnosticCode::OwnerFromPaper,
                format!(
                    "the table has no column of {noun} owners: {} {:?}, named above it, is \
                     taken as the {noun} owner of {}",
                    person.label,
                    person.name,
                    if n == 1 { "its action".to_owned() } else { format!("its {n} actions") }
                ),
            )
            .at_row(person.line)
            .with_text(person.text.clone()),
        );
    }
}

//! The lose-no-word check itself ([`words_not_in_their_nodes`]): it must fail when a
//! word is only in a diagnostic, or in the plan but under another node, and it must
//! read words by its own rule.

use ragplan_import::{ImportError, ImportOptions, Imported, RowNode, import};

use crate::common::{own_words, tsv_rows, words_not_in_their_nodes};

const SOURCE: &str = "Sub Objectives\tActions\tAction RAG\tPartners Involved
Raise awareness\tTrain school staff\tGreen\tEducation
\tRun the <b>Actions</b> campaign\tAmber\tPolice
Page 2
";

fn imported() -> Result<Imported, ImportError> {
    import(SOURCE.as_bytes(), &ImportOptions::default())
}

#[test]
fn the_rows_of_a_table_name_the_nodes_they_made() -> Result<(), ImportError> {
    let imported = imported()?;
    let rows: Vec<(usize, Option<&str>)> =
        imported.rows.iter().map(|r| (r.row, r.key.as_ref().map(|k| k.as_str()))).collect();
    // Row 2 makes sub-objective 1.1 and its action; row 3 an action under it; the
    // line of text on row 4 is a note of objective 1. The header makes nothing.
    assert_eq!(rows, [(2, Some("1.1")), (2, Some("1.1.1")), (3, Some("1.1.2")), (4, Some("1"))]);
    assert_eq!(words_not_in_their_nodes(&tsv_rows(SOURCE, 1, 4), &imported), Vec::<String>::new());
    Ok(())
}

#[test]
fn a_word_under_another_node_is_lost() -> Result<(), ImportError> {
    let mut imported = imported()?;
    let actions = &mut imported.plan.objectives[0].sub_objectives[0].actions;
    let police = actions[1].partners.remove(0);
    actions[0].partners.push(police);
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(SOURCE, 1, 4), &imported),
        ["row 3: police ×1, kept 0 in [\"1.1.2\"]"]
    );
    Ok(())
}

#[test]
fn a_word_kept_only_by_a_diagnostic_is_lost() -> Result<(), ImportError> {
    let mut imported = imported()?;
    // As if the importer had dropped the action's title and said so.
    imported.plan.objectives[0].sub_objectives[0].actions[0].title = "Train staff".to_owned();
    assert!(imported.diagnostics.iter().all(|d| d.text.as_deref() != Some("school")));
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(SOURCE, 1, 4), &imported),
        [
            "row 2: school ×1, kept 0 in [\"1.1\", \"1.1.1\"]",
            "school ×1 in the rows, kept 0 in the plan"
        ]
    );
    Ok(())
}

#[test]
fn a_row_that_names_the_wrong_node_is_caught() -> Result<(), ImportError> {
    let mut imported = imported()?;
    for row in &mut imported.rows {
        if row.row == 3 {
            *row = RowNode {
                row: 3,
                key: imported.plan.objectives[0].sub_objectives[0].actions[0].key.clone().into(),
            };
        }
    }
    let lost = words_not_in_their_nodes(&tsv_rows(SOURCE, 1, 4), &imported);
    assert!(lost.iter().any(|l| l.starts_with("row 3: campaign")), "{lost:?}");
    Ok(())
}

#[test]
fn words_are_read_by_the_checks_own_rule() {
    assert_eq!(own_words("<b>Co-ordinator</b> &amp; MASH, 85%"), ["co", "ordinator", "mash", "85"]);
    assert_eq!(own_words("a < b and c > d"), ["a", "b", "and", "c", "d"]);
    assert_eq!(own_words("Café Ünited"), ["café", "ünited"]);
}

//! The fixtures taken from the seed documents: snapshots of the plan and of the
//! diagnostics, counts made by hand from the source, and the lossless property.

use ragplan_core::{OwnerKind, Rating, TimescaleKind};
use ragplan_import::{ImportOptions, Imported, import};

use crate::common::{diagnostics_report, fixture, tsv_rows, words_not_in_their_nodes};

fn import_fixture(name: &str) -> (String, Imported) {
    let bytes = fixture(name);
    let options = ImportOptions::default().with_file_name(Some(name.to_owned()));
    let imported = import(&bytes, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    (String::from_utf8_lossy(&bytes).into_owned(), imported)
}

#[test]
fn coventry_delivery_plan() {
    let (text, imported) = import_fixture("coventry-cse-delivery-plan.tsv");
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(&text, 1, usize::MAX), &imported),
        Vec::<String>::new()
    );
    insta::assert_snapshot!("coventry-plan", imported.plan.to_json());
    insta::assert_snapshot!("coventry-diagnostics", diagnostics_report(&imported));

    let plan = &imported.plan;
    // No column names an objective, so the whole table is one objective.
    assert_eq!(plan.objectives.len(), 1);
    // Sub-objective cells that are not blank, on data rows of the example file (row =
    // line of examples/plans/coventry-cse-delivery-plan.tsv): 48 "Collect, analysis…",
    // 50 and 52 (two "Ensure suitable information…" that differ), 57, 58, 59, 63, 66,
    // 67, 69, 71, 73, 86, 87, 92, 93, 98 = 17. Row 53 is not one: it is shifted one
    // column left, so its "sub-objective" is an action.
    assert_eq!(plan.objectives[0].sub_objectives.len(), 17);
    // Non-blank Actions cells on data rows: 48, 49, 50, 51, 52, 53 (shifted) = 6;
    // 56, 57, 58, 59 = 4; 63, 65, 66, 67 = 4; 69–73 = 5; 79, 80, 81, 83 = 4;
    // 85, 86, 87, 89 = 4; 92, 93 = 2; row 94 holds three actions beside
    // "Green  Green  Green" = 3; 96 = 1; 98 ("Structured debrief on operation
    // Encompass …", the last line of the table) = 1. 6+4+4+5+4+4+2+3+1+1 = 34.
    assert_eq!(plan.n_actions(), 34);
    // Action RAG cells: Amber on rows 48, 50, 51, 53 (moved from the Actions
    // column), 58, 59, 96 = 7; Red on 49 = 1; Green on 85, 92, three on 94 and 98 = 6.
    // Row 98's "Green  RAG" ends with the rest of row 97's header `Action` (`Action
    // RAG`), which is taken out: the cell reads Green.
    let count = |r: Rating| plan.actions().filter(|a| a.action_rag == Some(r)).count();
    assert_eq!((count(Rating::Amber), count(Rating::Red), count(Rating::Green)), (7, 1, 6));
    // Timescales: "May 2015" on rows 48 and 49, "April 2015" on 50; no other.
    let timescales: Vec<&str> = plan
        .actions()
        .filter(|a| !a.timescale.is_missing())
        .map(|a| a.timescale.text.as_str())
        .collect();
    assert_eq!(timescales, ["May 2015", "May 2015", "April 2015"]);
    // Roles among the accountable owners: "Acting Director of Education" and
    // "Head of IYSS" (row 57), "Information governance" (66), "Workforce development"
    // (67), "WMP" (85), "WMP Legal Services" (92, one role) = 6.
    let roles: Vec<&str> = plan
        .actions()
        .flat_map(|a| a.accountable.iter())
        .filter(|o| o.kind == OwnerKind::Role)
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(roles.len(), 6, "{roles:?}");
    // Row 48: "Mandie Watson Debbie Carter" splits on the names standing alone on
    // rows 50 ("Debbie Carter") and 51 ("Mandie Watson").
    let first = &plan.objectives[0].sub_objectives[0].actions[0];
    let names: Vec<&str> = first.accountable.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Mandie Watson", "Debbie Carter"]);

    let codes = |code: &str| imported.diagnostics.iter().filter(|d| d.code == code).count();
    // Header rows after the first: 47 (with "1" in the marker column), 55, 64
    // (<b>), 76, 84, 90 (<b>, no "Actions"), 97 (<b>, shortened words) = 7.
    assert_eq!(codes("repeated-header"), 7);
    // Row 69 is a <p>-wrapped row whose ten cells each end in a bold header word;
    // row 89 ends its Actions cell with "<b>Actions</b>"; row 98 holds the rest of
    // row 97's shortened `Action`, `Partners` and `Outcome` (RAG, Involved, RAG):
    // 10 + 1 + 3 = 14.
    assert_eq!(codes("header-in-cell"), 14);
    // "Page 15" on row 48 is the only page marker outside a header row.
    assert_eq!(codes("page-marker"), 1);
    // Owner cells holding two owners: row 48 (both columns), 51, 52, 57, 58, and
    // row 98's "Dean Young  Rebekah Eaves" = 7. Row 92's `WMP Legal Services` is one
    // role, the acronym kept with its service.
    assert_eq!(codes("owner-split"), 7);
    // Partner cells read by the vocabulary: rows 48, 49, 51, and row 50 both at its
    // comma and by the vocabulary = 5; row 50's `Social Workers` is not an agency
    // (row 98's `Involved`, the end of row 97's header "Partners Involved", is no
    // partner at all).
    assert_eq!((codes("partner-split"), codes("partner-unknown")), (5, 1));
    assert_eq!((codes("shifted-row"), codes("split-actions")), (1, 1));
}

#[test]
fn stockton_recommendations() {
    let (text, imported) = import_fixture("stockton-recommendations.txt");
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(&text, 1, usize::MAX), &imported),
        Vec::<String>::new()
    );
    insta::assert_snapshot!("stockton-plan", imported.plan.to_json());
    insta::assert_snapshot!("stockton-diagnostics", diagnostics_report(&imported));

    let plan = &imported.plan;
    // One heading, "## 2. Recommendations", groups the list.
    assert_eq!(plan.objectives.len(), 1);
    // Items "That …" numbered 2 to 11, and the first one, whose "1." was lost, = 11.
    let recommendations: Vec<&str> =
        plan.objectives[0].sub_objectives.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        recommendations,
        ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11"]
    );
    // Recommendation 6 has four lettered sub-items, a. to d.; the other ten are one
    // action each: 10 + 4 = 14.
    assert_eq!(plan.n_actions(), 14);
    let six: Vec<&str> =
        plan.objectives[0].sub_objectives[5].actions.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(six, ["R6a", "R6b", "R6c", "R6d"]);
    assert_eq!(imported.diagnostics.len(), 1);
    assert_eq!(imported.diagnostics[0].code, "unnumbered-recommendation");
}

#[test]
fn jay_recommendations() {
    let (text, imported) = import_fixture("jay-recommendations.txt");
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(&text, 1, usize::MAX), &imported),
        Vec::<String>::new()
    );
    insta::assert_snapshot!("jay-plan", imported.plan.to_json());
    insta::assert_snapshot!("jay-diagnostics", diagnostics_report(&imported));

    let plan = &imported.plan;
    // Eleven headings: Risk assessment (1, 2), Looked after children (3), Outreach
    // and accessibility (4), Joint CSE team (5, 6, 7), Collaboration within CYPS (8),
    // Ongoing work with victims (9), Post abuse support (10), Quality Assurance (11),
    // Minority ethnic communities (12, 13), The issue of race (14), Serious Case
    // Reviews (15).
    let shape: Vec<usize> = plan.objectives.iter().map(|o| o.sub_objectives.len()).collect();
    assert_eq!(shape, [2, 1, 1, 3, 1, 1, 1, 1, 2, 1, 1]);
    assert_eq!(plan.objectives[3].title, "Joint CSE team");
    // Fifteen recommendations, none with sub-items: one action each.
    assert_eq!(plan.n_actions(), 15);
    assert!(imported.diagnostics.is_empty());
}

#[test]
fn plymouth_timetable() {
    let (text, imported) = import_fixture("plymouth-timetable.tsv");
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(&text, 1, usize::MAX), &imported),
        Vec::<String>::new()
    );
    insta::assert_snapshot!("plymouth-plan", imported.plan.to_json());
    insta::assert_snapshot!("plymouth-diagnostics", diagnostics_report(&imported));

    let plan = &imported.plan;
    // Ten rows under the "Activity" header: Meeting I, 2, 3, 4, Draft report,
    // Meeting 5, Submit report…, Submit to Cabinet…, Submit to other bodies…,
    // Scrutiny Panel….
    assert_eq!(plan.n_actions(), 10);
    let kinds: Vec<TimescaleKind> = plan.actions().map(|a| a.timescale.kind).collect();
    use TimescaleKind::*;
    // Five dated meetings, "Ongoing", "March/April 2015", "At earliest opportunity",
    // "ТВС" (Cyrillic) and the sentence that ends with the financial year 2015-2016.
    assert_eq!(
        kinds,
        [Date, Date, Date, Date, Ongoing, Date, Range, Unscheduled, Unscheduled, FinancialYear]
    );
    // The Cyrillic "ТВС" outcomes of meetings 3 and 4 are kept as written.
    let cyrillic = plan.actions().filter(|a| a.outcomes == ["ТВС"]).count();
    assert_eq!(cyrillic, 2);
    assert!(imported.diagnostics.is_empty(), "{:?}", imported.diagnostics);
}

#[test]
fn coventry_cabinet_resolution() {
    let (text, imported) = import_fixture("coventry-cabinet-resolution.txt");
    assert_eq!(
        words_not_in_their_nodes(&tsv_rows(&text, 1, usize::MAX), &imported),
        Vec::<String>::new()
    );
    insta::assert_snapshot!("resolution-plan", imported.plan.to_json());
    insta::assert_snapshot!("resolution-diagnostics", diagnostics_report(&imported));

    let plan = &imported.plan;
    // "RESOLVED that the Cabinet Member …:-" heads the items (1), (2), (3).
    assert_eq!(plan.objectives.len(), 1);
    let items: Vec<&str> =
        plan.objectives[0].sub_objectives.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(items, ["R1", "R2", "R3"]);
    // Item (1) "requires the following actions": (i), (ii), (iii); items (2) and (3)
    // are one action each: 3 + 1 + 1 = 5.
    let keys: Vec<&str> = plan.actions().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["R1i", "R1ii", "R1iii", "R2.1", "R3.1"]);
    // Item (1) is wrapped over four lines: the three continuations are joined to it.
    assert!(
        plan.objectives[0].sub_objectives[0].title.ends_with("requires the following actions:-")
    );
    assert_eq!(imported.diagnostics.iter().filter(|d| d.code == "joined-line").count(), 3);
    // Action (i) ends "… receive an update on this issue by September, 2015".
    let first = plan.actions().next().map(|a| a.timescale.clone()).unwrap_or_default();
    assert_eq!((first.text.as_str(), first.kind), ("September, 2015", TimescaleKind::Month));
}

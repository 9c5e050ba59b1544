//! People, roles and agencies: how owners and partners cells are read, as tables of
//! (cell, what it reads as, the diagnostics it gives), and regressions named after
//! the bugs fixed.

use ragplan_core::{Action, OwnerKind, Plan};
use ragplan_import::{
    ExportFormat, ImportError, ImportOptions, Imported, SourceFormat, export, import,
};

use crate::common::lost_words;

fn options() -> ImportOptions {
    ImportOptions::for_format(SourceFormat::Tsv)
        .with_id(ragplan_core::PlanId::new("plan").ok())
        .with_title(Some("Plan".into()))
}

/// A cell as a TSV field: quoted when it holds a line break or a quote.
fn field(cell: &str) -> String {
    if cell.contains(['\n', '"', '\t']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// A one-action table with `cell` under `header`, imported with `options`.
fn one_cell(header: &str, cell: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let source = format!("Actions\t{header}\nAgree the protocol\t{}\n", field(cell));
    let imported = import(source.as_bytes(), options)?;
    assert_eq!(lost_words([cell].into_iter(), &imported), Vec::<String>::new(), "{cell}");
    Ok(imported)
}

fn first_action(plan: &Plan) -> Action {
    plan.actions().next().cloned().unwrap_or_else(|| panic!("no action"))
}

/// The owners as `name (person)` or `name (role)`.
fn owners(action: &Action) -> Vec<String> {
    action
        .accountable
        .iter()
        .map(|o| {
            let kind = if o.kind == OwnerKind::Person { "person" } else { "role" };
            format!("{} ({kind})", o.name)
        })
        .collect()
}

fn codes(imported: &Imported) -> Vec<String> {
    imported.diagnostics.iter().map(|d| format!("{}:{}", d.severity.as_str(), d.code)).collect()
}

#[test]
fn owners_cells_are_read_as_people_and_roles() -> Result<(), ImportError> {
    // (cell, owners, diagnostics); rows marked "seed" are the Coventry CSE delivery
    // plan's own Accountable and Responsibility cells.
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("LSCB Business Manager", &["LSCB Business Manager (role)"], &[]),
        ("CSE Co-ordinator", &["CSE Co-ordinator (role)"], &[]),
        ("CSE coordinator", &["CSE coordinator (role)"], &[]),
        ("MASH Team Manager", &["MASH Team Manager (role)"], &[]),
        ("CMOG Chair", &["CMOG Chair (role)"], &[]),
        ("DCI Handson", &["DCI Handson (person)"], &[]),
        ("Cllr Ruane", &["Cllr Ruane (person)"], &[]),
        (
            "Mandie Watson and Debbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &["info:owner-split"],
        ),
        (
            "Mandie Watson & Debbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &["info:owner-split"],
        ),
        (
            "Mandie Watson/Debbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &["info:owner-split"],
        ),
        (
            "Mandie Watson, Debbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &["info:owner-split"],
        ),
        (
            "Mandie Watson\nDebbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &[],
        ),
        (
            "Tony Staunton, Child Protection Manager",
            &["Tony Staunton, Child Protection Manager (person)"],
            &["info:owner-role-kept"],
        ),
        (
            "CSE Co-ordinator and DCI Handson",
            &["CSE Co-ordinator (role)", "DCI Handson (person)"],
            &["info:owner-split"],
        ),
        (
            "LSCB Business Manager DCI Handson",
            &["LSCB Business Manager (role)", "DCI Handson (person)"],
            &["warning:owner-split"],
        ),
        ("WMP CPS", &["WMP (role)", "CPS (role)"], &["warning:owner-split"]),
        ("Children and Families First", &["Children and Families First (role)"], &[]),
        ("Police and Crime Commissioner", &["Police and Crime Commissioner (role)"], &[]),
        (
            "Head of Children and Families First",
            &["Head of Children and Families First (role)"],
            &[],
        ),
        ("Chair; Lead Officer", &["Chair (role)", "Lead Officer (role)"], &[]),
        // seed
        (
            "Mandie Watson Debbie Carter",
            &["Mandie Watson (person)", "Debbie Carter (person)"],
            &["warning:owner-split"],
        ),
        (
            "Rebekah Eaves Sue Whitmore",
            &["Rebekah Eaves (person)", "Sue Whitmore (person)"],
            &["warning:owner-split"],
        ),
        (
            "Mandie Watson Darren O'Shaunassey",
            &["Mandie Watson (person)", "Darren O'Shaunassey (person)"],
            &["warning:owner-split"],
        ),
        (
            "Darren O'Shaunassey Mandie Watson",
            &["Darren O'Shaunassey (person)", "Mandie Watson (person)"],
            &["warning:owner-split"],
        ),
        (
            "Dean Young  Rebekah Eaves",
            &["Dean Young (person)", "Rebekah Eaves (person)"],
            &["warning:owner-split"],
        ),
        (
            "Acting Director of Education Head of IYSS",
            &["Acting Director of Education (role)", "Head of IYSS (role)"],
            &["warning:owner-split"],
        ),
        ("Jayne Hutchings", &["Jayne Hutchings (person)"], &[]),
        ("Mandie Watson", &["Mandie Watson (person)"], &[]),
        ("Information governance", &["Information governance (role)"], &[]),
        ("Workforce development", &["Workforce development (role)"], &[]),
        ("WMP", &["WMP (role)"], &[]),
        ("WMP Legal Services", &["WMP Legal Services (role)"], &[]),
    ];
    let mut wrong = Vec::new();
    for (cell, want, want_codes) in cases {
        let imported = one_cell("Accountable", cell, &options())?;
        let got = owners(&first_action(&imported.plan));
        let got_codes = codes(&imported);
        if got != *want || got_codes != *want_codes {
            wrong.push(format!("{cell:?}: {got:?} {got_codes:?}"));
        }
        assert!(imported.diagnostics.iter().all(|d| d.row == Some(2) && d.column.is_some()));
    }
    assert!(wrong.is_empty(), "read otherwise:\n{}", wrong.join("\n"));
    Ok(())
}

#[test]
fn partners_cells_are_split_on_the_vocabulary() -> Result<(), ImportError> {
    // (cell, partners, diagnostics); rows marked "seed" are the Coventry CSE delivery
    // plan's own Partners Involved cells.
    let cases: &[(&str, &[&str], &[&str])] = &[
        // seed
        (
            "Education Health Police Third Sector",
            &["Education", "Health", "Police", "Third Sector"],
            &["warning:partner-split"],
        ),
        (
            "Education Health Police Third sector",
            &["Education", "Health", "Police", "Third sector"],
            &["warning:partner-split"],
        ),
        (
            "Social Workers, Children and Families First workers Health Police Education",
            &[
                "Social Workers",
                "Children and Families First workers",
                "Health",
                "Police",
                "Education",
            ],
            &["info:partner-split", "info:partner-unknown", "warning:partner-split"],
        ),
        (
            "Community Safety Social Care",
            &["Community Safety", "Social Care"],
            &["warning:partner-split"],
        ),
        // more
        ("Children and Families First", &["Children and Families First"], &[]),
        ("children and families first", &["children and families first"], &[]),
        ("Health and Police", &["Health", "Police"], &["info:partner-split"]),
        (
            "Probation Housing Youth Offending",
            &["Probation", "Housing", "Youth Offending"],
            &["warning:partner-split"],
        ),
        (
            "Children's Services Education",
            &["Children's Services", "Education"],
            &["warning:partner-split"],
        ),
        ("Police/CPS", &["Police", "CPS"], &["info:partner-split"]),
        ("Health; Police", &["Health", "Police"], &[]),
        ("WMP", &["WMP"], &[]),
        ("Barnardo's", &["Barnardo's"], &["info:partner-unknown"]),
        (
            "Health Barnardo's Police",
            &["Health", "Barnardo's", "Police"],
            &["warning:partner-split", "info:partner-unknown"],
        ),
    ];
    let mut wrong = Vec::new();
    for (cell, want, want_codes) in cases {
        let imported = one_cell("Partners Involved", cell, &options())?;
        let got = first_action(&imported.plan).partners;
        let got_codes = codes(&imported);
        if got != *want || got_codes != *want_codes {
            wrong.push(format!("{cell:?}: {got:?} {got_codes:?}"));
        }
        assert!(imported.diagnostics.iter().all(|d| d.row == Some(2) && d.column.is_some()));
    }
    assert!(wrong.is_empty(), "read otherwise:\n{}", wrong.join("\n"));
    Ok(())
}

#[test]
fn the_partner_vocabulary_is_extended_by_the_options() -> Result<(), ImportError> {
    let cell = "Health Barnardo's Police";
    let options = options().with_partners(vec!["Barnardo's".into()]);
    let imported = one_cell("Partners Involved", cell, &options)?;
    assert_eq!(first_action(&imported.plan).partners, ["Health", "Barnardo's", "Police"]);
    assert_eq!(codes(&imported), ["warning:partner-split"]);
    Ok(())
}

/// Regression: `LSCB Business Manager` was read as two owners, `LSCB` and
/// `Business Manager`, because every acronym not joined by `of` or `and` was split
/// off as an agency of its own. An acronym before a role word now stays with it.
#[test]
fn lscb_business_manager_is_one_role() -> Result<(), ImportError> {
    for cell in ["LSCB Business Manager", "WMP Legal Services", "MASH Team Manager"] {
        let imported = one_cell("Accountable", cell, &options())?;
        assert_eq!(owners(&first_action(&imported.plan)), [format!("{cell} (role)")]);
        assert!(imported.diagnostics.is_empty(), "{cell}: {:?}", imported.diagnostics);
    }
    Ok(())
}

/// Regression: `Mandie Watson and Debbie Carter`, with both names standing alone
/// elsewhere in the plan, was read as three owners: `Mandie Watson`, `and`,
/// `Debbie Carter`.
#[test]
fn and_is_never_an_owner() -> Result<(), ImportError> {
    let source = "Actions\tAccountable\n\
                  Publish the leaflet\tMandie Watson\n\
                  Audit the cases\tDebbie Carter\n\
                  Train the staff\tMandie Watson and Debbie Carter\n\
                  Review the protocol\tand\n";
    let plan = import(source.as_bytes(), &options())?.plan;
    let train = plan.actions().find(|a| a.title == "Train the staff").map(owners);
    assert_eq!(train.unwrap_or_default(), ["Mandie Watson (person)", "Debbie Carter (person)"]);
    // A cell of only `and` is kept as written, so its word is not lost.
    let ands = plan.actions().flat_map(|a| &a.accountable).filter(|o| o.name == "and").count();
    assert_eq!(ands, 1);
    Ok(())
}

/// Regression: `DCI Handson` was read as two owners, `DCI` and `Handson`.
#[test]
fn a_rank_and_surname_is_one_person() -> Result<(), ImportError> {
    let imported = one_cell("Accountable", "DCI Handson", &options())?;
    assert_eq!(owners(&first_action(&imported.plan)), ["DCI Handson (person)"]);
    Ok(())
}

/// Regression: a partners cell listing agencies with nothing between them
/// (`Education Health Police Third Sector`) was one partner.
#[test]
fn a_cell_of_agencies_was_one_partner() -> Result<(), ImportError> {
    let imported =
        one_cell("Partners Involved", "Education Health Police Third Sector", &options())?;
    assert_eq!(first_action(&imported.plan).partners.len(), 4);
    Ok(())
}

/// Regression: the generated owner `CSE coordinator`, exported and imported again,
/// came back as two owners, `CSE` and `coordinator`: one action in six changed its
/// accountable owner on a generate → export → import round trip.
#[test]
fn generated_cse_coordinator_came_back_as_two_owners() -> Result<(), ImportError> {
    let plan = ragplan_core::generate::synthetic_plan(600, 3, 42);
    for format in [ExportFormat::Csv, ExportFormat::Tsv] {
        let table = export(&plan, format);
        let source = match format {
            ExportFormat::Csv => SourceFormat::Csv,
            ExportFormat::Tsv => SourceFormat::Tsv,
        };
        let again = import(table.as_bytes(), &options().with_format(source))?.plan;
        let changed = plan
            .actions()
            .zip(again.actions())
            .filter(|(a, b)| a.accountable != b.accountable || a.responsible != b.responsible)
            .count();
        assert_eq!(changed, 0, "{format:?}");
        assert_eq!(plan.n_actions(), again.n_actions());
    }
    Ok(())
}

/// Regression: an `and` opening or closing an owners or partners cell (`And A`,
/// `Jo Smith and`)
/// joins no owners and was dropped, kept only in a diagnostic (found by the word
/// check's proptest). It is now kept with the cell as written, which an export writes
/// back.
#[test]
fn an_and_opening_or_closing_an_owners_or_partners_cell_was_lost() -> Result<(), ImportError> {
    let source =
        "Actions\tAccountable\nDo it\tAnd A\nThird\tJo Smith and\nFourth\tJo Smith and Al Day\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let read: Vec<(Vec<&str>, Vec<&str>)> = imported
        .plan
        .actions()
        .map(|a| {
            let names = a.accountable.iter().map(|o| o.name.as_str()).collect();
            let notes = a.unmapped.iter().map(|n| n.text.as_str()).collect();
            (names, notes)
        })
        .collect();
    assert_eq!(
        read,
        [
            (vec!["A"], vec!["And A"]),
            (vec!["Jo Smith"], vec!["Jo Smith and"]),
            // An `and` between two owners is the split itself: nothing to keep.
            (vec!["Jo Smith", "Al Day"], vec![]),
        ]
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    let table = ragplan_import::export(&imported.plan, ragplan_import::ExportFormat::Tsv);
    assert!(table.contains("\tAnd A\n") && table.contains("\tJo Smith and\n"), "{table}");
    // Partners alike.
    let source = "Actions\tPartners\nDo it\tPolice and\nThird\tPolice and Health\n";
    let imported = import(source.as_bytes(), &ImportOptions::default())?;
    let notes: Vec<usize> = imported.plan.actions().map(|a| a.unmapped.len()).collect();
    assert_eq!(notes, [1, 0]);
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());
    Ok(())
}

/// Bug: an owner cell of `TBC` was read as an owner named TBC, so the action counted
/// as owned (the summary's "no accountable owner" missed it) and the tree showed
/// `ISVA — TBC · TBC`. A placeholder (`TBC`, `N/A`, `To be confirmed`, `-`, the OCR's
/// Cyrillic `ТВС`, …), the whole cell or one owner of it, is now no owner: its text
/// is a note under its column's header, with an `owner-placeholder` info naming the
/// row and column, and an export writes it back in the column after the owners.
#[test]
fn a_tbc_owner_was_read_as_a_real_owner() -> Result<(), ImportError> {
    let source = "Actions;Accountable;Responsibility;Timescale;Partners;RAG\n\
                  ISVA;TBC;TBC;;;\n\
                  Leaflets;Mandie Watson;n/a;;;\n\
                  Map hotspots;\u{422}\u{412}\u{421};To be confirmed;;;\n\
                  Train staff;Mandie Watson / tba;-;;;\n\
                  Audit cases;(T.B.C.);?;;;\n";
    let options = ImportOptions::for_format(SourceFormat::Csv);
    let imported = import(source.as_bytes(), &options)?;
    let read: Vec<(Vec<String>, usize)> =
        imported.plan.actions().map(|a| (owners(a), a.responsible.len())).collect();
    assert_eq!(
        read,
        [
            (vec![], 0),
            (vec!["Mandie Watson (person)".to_owned()], 0),
            (vec![], 0),
            (vec!["Mandie Watson (person)".to_owned()], 0),
            (vec![], 0),
        ]
    );
    // Every placeholder kept under its column.
    let isva = first_action(&imported.plan);
    let kept: Vec<(Option<&str>, &str)> =
        isva.unmapped.iter().map(|n| (n.source.as_deref(), n.text.as_str())).collect();
    assert_eq!(kept, [(Some("Accountable"), "TBC"), (Some("Responsibility"), "TBC")]);
    let placeholders: Vec<(Option<usize>, Option<&str>)> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "owner-placeholder")
        .map(|d| (d.row, d.column.as_deref()))
        .collect();
    assert_eq!(
        placeholders[..2],
        [(Some(2), Some("Accountable")), (Some(2), Some("Responsibility"))]
    );
    assert_eq!(placeholders.len(), 9);
    assert!(
        imported
            .diagnostics
            .iter()
            .all(|d| d.code != "owner-placeholder" || d.severity == ragplan_import::Severity::Info)
    );
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());

    // Each action with no accountable owner is a data gap.
    let lints = ragplan_core::validate(&imported.plan);
    let unowned = lints.iter().filter(|l| l.code.as_str() == "no-accountable-owner").count();
    assert_eq!(unowned, 3);

    // Export writes the cells back as written, and imports to the same plan.
    let table = export(&imported.plan, ExportFormat::Csv);
    let again = import(table.as_bytes(), &options)?;
    assert!(again.plan.objectives == imported.plan.objectives, "not a fixed point:\n{table}");
    Ok(())
}

/// Bug: a partners cell of `TBC` or `N/A` was read as a partner agency of that name,
/// so the report's partners listed "TBC" beside the police and `status --partner
/// tbc` found the action. A placeholder, the whole cell or one part of it, is now
/// no partner: its text is a note under the column's header, with a
/// `partner-placeholder` info naming the row and column, and an export writes it
/// back in the column after the partners.
#[test]
fn a_tbc_partner_was_read_as_a_partner_agency() -> Result<(), ImportError> {
    let source = "Actions\tLead\tPartners\tRAG\n\
                  ISVA\tMandie Watson\tTBC\t\n\
                  Leaflets\tMandie Watson\tN/A\t\n\
                  Map hotspots\tMandie Watson\tPolice; to be confirmed\t\n\
                  Train staff\tMandie Watson\tPolice, TBA, Health\t\n\
                  Audit cases\tMandie Watson\tNone\t\n\
                  Review\tMandie Watson\tPolice and TBC\t\n";
    let options = ImportOptions::for_format(SourceFormat::Tsv);
    let imported = import(source.as_bytes(), &options)?;
    let partners: Vec<Vec<&str>> =
        imported.plan.actions().map(|a| a.partners.iter().map(String::as_str).collect()).collect();
    assert_eq!(
        partners,
        [vec![], vec![], vec!["Police"], vec!["Police", "Health"], vec![], vec!["Police"]]
    );
    let isva = first_action(&imported.plan);
    let kept: Vec<(Option<&str>, &str)> =
        isva.unmapped.iter().map(|n| (n.source.as_deref(), n.text.as_str())).collect();
    assert_eq!(kept, [(Some("Partners"), "TBC")]);
    let placeholders: Vec<(Option<usize>, Option<&str>)> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "partner-placeholder")
        .map(|d| (d.row, d.column.as_deref()))
        .collect();
    assert_eq!(placeholders.len(), 6, "{placeholders:?}");
    assert_eq!(placeholders[0], (Some(2), Some("Partners")));
    assert_eq!(lost_words(std::iter::once(source), &imported), Vec::<String>::new());

    // Export writes the cells back, and imports to the same plan.
    let table = export(&imported.plan, ExportFormat::Csv);
    let again = import(table.as_bytes(), &ImportOptions::for_format(SourceFormat::Csv))?;
    assert!(again.plan.objectives == imported.plan.objectives, "not a fixed point:\n{table}");
    Ok(())
}

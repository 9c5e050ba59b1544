//! `ragplan report`: every format, `--previous` as a date or a file, `--template`,
//! `--title`, and the errors.

use crate::common::{Q1_END, SMALL_PLAN, ragplan, stderr_of, stdout_of, temp_file};

const COVENTRY_FIXTURE: &str = "tests/fixtures/coventry-cse-plan.json";

#[test]
fn markdown_to_standard_output_compared_with_the_previous_quarter() {
    let md = stdout_of(ragplan().args([
        "report",
        COVENTRY_FIXTURE,
        "--format",
        "md",
        "--as-of",
        Q1_END,
        "--previous",
        "2015-03-31",
    ]));
    assert!(md.starts_with("# Child Sexual Exploitation Multi Agency Strategy\n"), "{md}");
    assert!(md.contains(
        "Progress as of **30 June 2015** (Q1 2015/16), compared with the report of 31 March 2015."
    ));
    assert!(md.contains("## Movement since 31 March 2015"));
    assert!(md.contains("## Exceptions"));
}

#[test]
fn the_small_plan_in_markdown_names_its_red_action_and_counts() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let md = stdout_of(ragplan().args(["report"]).arg(&plan).args([
        "--as-of",
        Q1_END,
        "--title",
        "Q1 update to Cabinet",
    ]));
    assert!(md.starts_with("# Q1 update to Cabinet\n\nSmall test plan\n"), "{md}");
    // 1 red, 1 amber, 1 green, 1 complete: see SMALL_PLAN.
    assert!(md.contains("| Delivery | ■ RED | 4: 1 Red, 1 Amber, 1 Green, 1 Complete |"), "{md}");
    assert!(
        md.contains("| 1.1.1 | Information sharing agreement to be in place | ■ RED |"),
        "{md}"
    );
    assert!(!md.contains("## Movement"), "no --previous, no movement");
}

#[test]
fn html_and_xlsx_are_written_to_files() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let html = dir.path().join("q1.html");
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "-o"])
        .arg(&html)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"));
    assert!(text.contains("Information sharing agreement to be in place"));

    let xlsx = dir.path().join("q1.xlsx");
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "--format", "xlsx", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    let bytes = std::fs::read(&xlsx).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

/// The text of `word/document.xml` in a Word document: what its `<w:t>` runs hold.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml.split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .filter_map(|run| run.split("</w:t>").next())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn docx_is_written_to_a_file_named_for_it_or_to_standard_output() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let docx = dir.path().join("q1-cabinet.docx");
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "--title", "Q1 update to Cabinet", "-o"])
        .arg(&docx)
        .assert()
        .success()
        .stdout("");
    let bytes = std::fs::read(&docx).unwrap();
    let text = docx_text(&bytes);
    assert!(
        text.starts_with("Q1 update to Cabinet|Progress as of 30 June 2015 (Q1 2015/16)."),
        "{text}"
    );
    // The small plan's Red action, its rating worded in its cell.
    assert!(text.contains("|1.1.1|Information sharing agreement to be in place|■ RED|"), "{text}");

    let out = ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "--title", "Q1 update to Cabinet", "--format", "docx", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, bytes, "standard output holds the same document");
}

#[test]
fn csv_is_the_one_row_per_action_csv() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let csv = stdout_of(
        ragplan().args(["report"]).arg(&plan).args(["--as-of", Q1_END, "--format", "csv"]),
    );
    let document = ragplan_core::Plan::from_json(SMALL_PLAN).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let policy = ragplan_core::Policy::default();
    let ratings = ragplan_core::rate(&document, &policy, day);
    assert_eq!(csv, ragplan_report::actions_csv(&ratings).unwrap());
    assert_eq!(csv.lines().count(), 1 + 4);
    assert!(csv.lines().nth(1).unwrap().starts_with(
        "small,2015-06-30,1.1.1,Prevent,Data,Information sharing agreement to be in place,Red,"
    ));
}

#[test]
fn bom_begins_a_csv_report_and_no_other_format() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let out = dir.path().join("q1.csv");
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "--bom", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let plain = stdout_of(
        ragplan().args(["report"]).arg(&plan).args(["--as-of", Q1_END, "--format", "csv"]),
    );
    assert_eq!(bytes, [b"\xef\xbb\xbf".as_slice(), plain.as_bytes()].concat());
    let refused =
        ragplan().args(["report"]).arg(&plan).args(["--bom", "--format", "md"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("--bom is for csv"), "{stderr}");
}

#[test]
fn json_has_the_report_format_and_the_previous_date() {
    let (_dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let json = stdout_of(ragplan().args(["report"]).arg(&plan).args([
        "--as-of",
        Q1_END,
        "--previous",
        "2015-03-31",
        "--format",
        "json",
    ]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], "ragplan-report/1");
    assert_eq!(value["as_of"], "2015-06-30");
    assert_eq!(value["previous_as_of"], "2015-03-31");
    assert_eq!(value["headline"]["delivery"]["rating"]["word"], "RED");
}

#[test]
fn the_format_follows_the_output_file_extension() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let out = dir.path().join("report.json");
    ragplan()
        .args(["report"])
        .arg(&plan)
        .args(["--as-of", Q1_END, "-o"])
        .arg(&out)
        .assert()
        .success();
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(value["format"], "ragplan-report/1");
}

#[test]
fn previous_can_be_an_earlier_version_of_the_plan() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let earlier = SMALL_PLAN.replace("\"key\": \"2.1\"", "\"key\": \"2.9\"");
    assert_ne!(earlier, SMALL_PLAN);
    let earlier_path = dir.path().join("earlier.json");
    std::fs::write(&earlier_path, earlier).unwrap();
    let json = stdout_of(
        ragplan()
            .args(["report"])
            .arg(&plan)
            .args(["--as-of", Q1_END, "--format", "json", "--previous"])
            .arg(&earlier_path),
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Rated as of the end of the quarter before 30 June 2015.
    assert_eq!(value["previous_as_of"], "2015-03-31");
    assert_eq!(value["movement"]["new"][0]["key"], "2.1");
    assert_eq!(value["movement"]["removed"][0]["key"], "2.9");
}

#[test]
fn a_councils_own_template() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let template = dir.path().join("house.md.j2");
    std::fs::write(&template, "{{ plan.title }} at {{ quarter }}: {{ headline.delivery.rating.shape }} {{ headline.delivery.rating.word }}\n").unwrap();
    let out = stdout_of(
        ragplan()
            .args(["report"])
            .arg(&plan)
            .args(["--as-of", Q1_END, "--template"])
            .arg(&template),
    );
    assert_eq!(out, "Small test plan at Q1 2015/16: ■ RED\n");

    std::fs::write(&template, "line one\n{{ plan.titel }}\n").unwrap();
    let err = stderr_of(
        ragplan()
            .args(["report"])
            .arg(&plan)
            .args(["--as-of", Q1_END, "--template"])
            .arg(&template),
        2,
    );
    assert!(
        err.contains(
            "house.md.j2: cannot render the report: template house.md.j2: line 2: undefined value"
        ),
        "{err}"
    );
}

/// A report is built with a row per action only when its format or template reads
/// them: a council's template that lists `actions` still gets every one, with the
/// `chip` filter, into a file as well as on standard output.
#[test]
fn a_councils_template_reading_every_action_gets_them() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let template = dir.path().join("actions.md.j2");
    std::fs::write(
        &template,
        "{% for a in actions %}{{ a.key }} {{ a.delivery|chip }}\n{% endfor %}",
    )
    .unwrap();
    let report = |to: &[&str]| {
        let mut cmd = ragplan();
        cmd.args(["report"]).arg(&plan).args(["--as-of", Q1_END, "--template"]).arg(&template);
        cmd.args(to);
        cmd
    };
    let printed = stdout_of(&mut report(&[]));
    // The small plan's four actions (see `common`), one line each.
    assert_eq!(printed.lines().count(), 4, "{printed}");
    let shapes = ["■", "◆", "▲", "◐", "●", "✓", "○"];
    assert!(printed.lines().all(|l| l.split(' ').nth(1).is_some_and(|s| shapes.contains(&s))));
    let out = dir.path().join("actions.md");
    stdout_of(&mut report(&["-o", out.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), printed);
}

#[test]
fn usage_errors_exit_2_and_say_what_to_do() {
    let (dir, plan) = temp_file("plan.json", SMALL_PLAN);
    let template = dir.path().join("house.j2");
    std::fs::write(&template, "{{ title }}").unwrap();
    let table: &[(&[&str], &str)] = &[
        (&["--format", "xlsx"], "--format xlsx writes a workbook: give -o FILE.xlsx"),
        (&["--format", "docx"], "--format docx writes a Word document: give -o FILE.docx"),
        (
            &["--format", "pdf"],
            "\"pdf\" is not a report format (expected md, html, csv, xlsx, docx or json)",
        ),
        (
            &["--previous", "2015-13-45"],
            "--previous \"2015-13-45\" is neither a date (YYYY-MM-DD or DD/MM/YYYY, day first) nor a plan file",
        ),
        (&["--previous", "2015-09-30"], "--previous 2015-09-30 is after --as-of 2015-06-30"),
        (&["--previous", "no-such-plan.json"], "no-such-plan.json: cannot read"),
        (&["-o", "q1.pdf"], "-o q1.pdf: ragplan writes no .pdf report"),
        (&["--format", "csv", "--template", "TEMPLATE"], "--template renders md or html, not csv"),
    ];
    for (args, want) in table {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "TEMPLATE" { template.to_str().unwrap() } else { a })
            .collect();
        let err = stderr_of(
            ragplan().args(["report"]).arg(&plan).args(["--as-of", Q1_END]).args(&args),
            2,
        );
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// A report printed to standard output was made whole in memory before it was
/// printed (2.8 GB held for the md report of a million actions): it is now printed
/// as it is made, and is the report `-o` writes, byte for byte, in each text format
/// (and the CSV with its byte-order mark).
#[test]
fn a_report_printed_to_standard_output_is_the_one_written_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for (format, bom) in
        [("md", false), ("html", false), ("json", false), ("csv", false), ("csv", true)]
    {
        let file = dir.path().join(format!("r.{format}"));
        let mut args = vec!["report", COVENTRY_FIXTURE, "--as-of", Q1_END, "--format", format];
        if bom {
            args.push("--bom");
        }
        ragplan().args(&args).arg("-o").arg(&file).assert().success();
        let out = ragplan().args(&args).output().unwrap();
        assert!(out.status.success(), "{format}");
        let written = std::fs::read(&file).unwrap();
        assert!(written.len() > 1000, "{format}");
        assert_eq!(out.stdout, written, "{format} (bom {bom})");
    }
}

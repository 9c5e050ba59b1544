//! Markdown and HTML from templates (minijinja): the shipped ones, or a council's own.
//!
//! A template sees the fields of [`Report`] at the top level (`title`,
//! `headline`, `exceptions`, `objectives`, …) and, besides them:
//!
//! - `charts.objectives`, `charts.distribution`, `charts.trend`: inline SVG, ready to
//!   place (`trend` is none when the plan has no history to chart);
//! - `palette`: one entry per rating with `rating`, `fill`, `border` and `text` colours,
//!   for a house style's CSS.
//!
//! and the filters `chip`, which shows a rating (any field holding one, such as
//! `row.delivery`) with its shape and word (`■ RED` in Markdown; in HTML a
//! `<span class="chip chip-red">` holding them), `md`, which makes text safe for a
//! Markdown table cell, `css_string`, which makes it safe inside a double-quoted CSS
//! string (the printed page's footer, in the HTML's `<style>`), and `actions`, a count
//! of actions in words (`1 action`, `2 actions`). Templates use
//! `trim_blocks` and `lstrip_blocks` and keep their final newline; an undefined name is
//! an error (so a misspelt field is reported with its line, not printed as nothing). In
//! HTML every value is escaped unless marked `safe`.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, HtmlEscape, UndefinedBehavior, context};
use ragplan_core::Rating;

use crate::chip::palette;
use crate::content::Report;
use crate::error::{ReportError, Result};
use crate::svg;

/// The shipped Markdown template.
pub const MARKDOWN_TEMPLATE: &str = include_str!("../templates/report.md.j2");

/// The shipped HTML template.
pub const HTML_TEMPLATE: &str = include_str!("../templates/report.html.j2");

/// What a template writes, which decides how values are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// Markdown: values are written as they are (use the `md` filter in tables).
    Markdown,
    /// HTML: every value is HTML-escaped unless marked `safe`.
    Html,
}

/// Whether [`markdown_cell`] leaves `text` as it is.
fn plain_cell(text: &str) -> bool {
    !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.bytes().any(|b| matches!(b, b'|' | b'\\' | b'\n' | b'\r'))
}

/// The `md` filter: [`markdown_cell`], without a copy of text it leaves alone.
fn md_filter(value: Value) -> Value {
    match value.as_str() {
        Some(text) if plain_cell(text) => value,
        Some(text) => Value::from(markdown_cell(text)),
        None => Value::from(markdown_cell(&value.to_string())),
    }
}

/// The `chip` filter: a rating (a field such as `row.delivery`, with its `rating`,
/// `shape` and `word`) shown with its shape and word, as [`TemplateKind`] writes it.
fn chip_filter(kind: TemplateKind, chip: &Value) -> Result<Value, minijinja::Error> {
    let field = |name: &str| {
        chip.get_attr(name).ok().filter(|v| !v.is_undefined()).ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("chip shows a rating (such as row.delivery), not {chip}"),
            )
        })
    };
    let (shape, word) = (field("shape")?, field("word")?);
    Ok(match kind {
        TemplateKind::Markdown => Value::from(format!("{shape} {word}")),
        TemplateKind::Html => {
            let rating = field("rating")?;
            let span = format!(
                r#"<span class="chip chip-{}"><span class="shape" aria-hidden="true">{}</span> {}</span>"#,
                HtmlEscape(&rating.to_string()),
                HtmlEscape(&shape.to_string()),
                HtmlEscape(&word.to_string())
            );
            Value::from_safe_string(span)
        }
    })
}

/// Makes text safe for a GitHub-flavoured Markdown table cell: `|` escaped, line breaks
/// as `<br>`, surrounding space trimmed.
pub fn markdown_cell(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty()).peekable();
    while let Some(line) = lines.next() {
        out.push_str(&line.replace('\\', "\\\\").replace('|', "\\|"));
        if lines.peek().is_some() {
            out.push_str("<br>");
        }
    }
    out
}

/// Makes text safe inside a double-quoted CSS string in an HTML `<style>` element:
/// `\` and `"` escaped, line breaks and other control characters and `<`, `>` and `&`
/// written as CSS hex escapes (so the text can neither end the string nor the
/// element).
///
/// # Example
/// ```
/// use ragplan_report::template::css_string;
/// assert_eq!(css_string(r#"Q1 "draft" </style>"#), r#"Q1 \"draft\" \3c /style\3e "#);
/// ```
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || matches!(c, '<' | '>' | '&') => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn environment(kind: TemplateKind) -> Environment<'static> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(move |_| match kind {
        TemplateKind::Markdown => AutoEscape::None,
        TemplateKind::Html => AutoEscape::Html,
    });
    env.add_filter("md", md_filter);
    // A big plan's report shows millions of chips, each one of seven: each is made
    // once, and a report's own chip shown as made.
    let shown: Vec<(Rating, Value)> = Rating::ALL
        .into_iter()
        .filter_map(|r| Some((r, chip_filter(kind, &crate::values::chip(r.into())).ok()?)))
        .collect();
    env.add_filter("chip", move |chip: Value| {
        let made = crate::values::chip_of(&chip)
            .and_then(|c| shown.iter().find(|(r, _)| *r == c.rating))
            .map(|(_, shown)| shown.clone());
        made.map_or_else(|| chip_filter(kind, &chip), Ok)
    });
    env.add_filter("actions", crate::content::actions_text);
    env.add_filter("css_string", |value: Value| {
        Value::from_safe_string(css_string(&value.to_string()))
    });
    env
}

/// A field of [`Report`] as a template value.
type FieldValue = fn(&Report<'_>) -> Value;

/// Every field of [`Report`] by name, as the report serialises it (a test checks them
/// against the report's JSON), with each objective's rows and each kind's exceptions
/// read as the template reaches them ([`crate::values`]).
const REPORT_FIELDS: &[(&str, FieldValue)] = &[
    ("format", |r| Value::from(r.format)),
    ("title", |r| Value::from(r.title.as_str())),
    ("plan", |r| Value::from(Serde(&r.plan))),
    ("as_of", |r| Value::from(Serde(r.as_of))),
    ("as_of_text", |r| Value::from(r.as_of_text.as_str())),
    ("quarter", |r| Value::from(r.quarter.as_str())),
    ("previous_as_of", |r| Value::from(Serde(r.previous_as_of))),
    ("previous_as_of_text", |r| Value::from(Serde(&r.previous_as_of_text))),
    ("policy", |r| Value::from(r.policy.as_str())),
    ("headline", |r| Value::from(Serde(&r.headline))),
    ("movement", |r| Value::from(Serde(&r.movement))),
    ("exceptions", |r| crate::values::exceptions(&r.exceptions)),
    ("objectives", |r| crate::values::objectives(&r.objectives)),
    ("owners", |r| Value::from(Serde(&r.owners))),
    ("partners", |r| Value::from(Serde(&r.partners))),
    ("trend", |r| Value::from(Serde(&r.trend))),
    ("actions", |r| Value::from(Serde(&r.actions))),
];

/// The report's field `name` as a template value, or `None` if it has no such field.
#[cfg(test)]
fn report_field(report: &Report<'_>, name: &str) -> Option<Value> {
    REPORT_FIELDS.iter().find(|(n, _)| *n == name).map(|(_, value)| value(report))
}

/// Whether `source` is one of the shipped templates, whose reads are known.
fn is_shipped(source: &str) -> bool {
    source == MARKDOWN_TEMPLATE || source == HTML_TEMPLATE
}

/// The report's fields a template is given: for a shipped template, the ones it
/// names (a report of a big plan is not copied for fields it never reads); for any
/// other, every one, as a council's template may read a field in ways a scan of it
/// does not see (`{% set title = title ~ "…" %}` names `title` as set, not read).
fn fields_for(template: &minijinja::Template<'_, '_>, source: &str) -> Option<HashSet<String>> {
    is_shipped(source).then(|| template.undeclared_variables(false))
}

/// The context a template renders: `charts`, `palette` and the report's fields
/// `names` (the whole report when none).
fn template_context(report: &Report<'_>, names: Option<&HashSet<String>>) -> Value {
    let trend = svg::trend_chart(&report.trend).map(Value::from_safe_string);
    let charts = context! {
        objectives => Value::from_safe_string(svg::objectives_chart(&report.objectives)),
        distribution => Value::from_safe_string(svg::distribution_chart(&report.headline.delivery.counts)),
        trend => trend,
    };
    let palette: Vec<Value> = Rating::ALL
        .into_iter()
        .map(|rating| {
            let c = palette(rating);
            context! { rating => rating.as_str(), fill => c.fill, border => c.border, text => c.text }
        })
        .collect();
    let fields: BTreeMap<&str, Value> = REPORT_FIELDS
        .iter()
        .filter(|(name, _)| names.is_none_or(|names| names.contains(*name)))
        .map(|(name, value)| (*name, value(report)))
        .collect();
    let fields = Value::from(fields);
    context! { charts => charts, palette => palette, ..fields }
}

/// Whether the template `source` may read the report's field `field` (a top-level
/// name such as `actions`): for a shipped template, whether it names it; for any
/// other, `true` (a council's template is given every field, see
/// [`render_template`]).
///
/// # Example
/// ```
/// use ragplan_report::template::{MARKDOWN_TEMPLATE, reads_field};
/// assert!(!reads_field(MARKDOWN_TEMPLATE, "actions"));
/// assert!(reads_field("{% set actions = actions|list %}{{ actions|length }}", "actions"));
/// ```
pub fn reads_field(source: &str, field: &str) -> bool {
    if !is_shipped(source) {
        return true;
    }
    let env = environment(TemplateKind::Markdown);
    env.template_from_str(source).map_or(true, |t| t.undeclared_variables(false).contains(field))
}

/// Renders `report` with the template `source`, named `name` in error messages.
///
/// # Errors
/// [`ReportError::Template`] with the template's name and the line, if the template
/// does not parse or fails while rendering (for example a misspelt field).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use ragplan_core::{Policy, generate::synthetic_plan, rate};
/// use ragplan_report::template::{TemplateKind, render_template};
/// use ragplan_report::{Report, ReportOptions};
///
/// let plan = synthetic_plan(10, 2, 3);
/// let policy = Policy::default();
/// let ratings = rate(&plan, &policy, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
/// let report = Report::build(&ratings, None, &ReportOptions::default());
///
/// let house = "{{ quarter }}: {% for o in objectives %}{{ o.key }} {{ o.delivery.rating.word }}; {% endfor %}";
/// let text = render_template(&report, "house.md", house, TemplateKind::Markdown)?;
/// assert!(text.starts_with("Q1 2015/16: 1 "));
///
/// // A misspelt field is an error that names the template and the line.
/// let err = render_template(&report, "house.md", "\n{{ titel }}", TemplateKind::Markdown).unwrap_err();
/// assert!(err.to_string().starts_with("template house.md: line 2: "), "{err}");
/// # Ok::<(), ragplan_report::ReportError>(())
/// ```
pub fn render_template(
    report: &Report<'_>,
    name: &str,
    source: &str,
    kind: TemplateKind,
) -> Result<String> {
    let mut out = Vec::new();
    render_template_to(report, name, source, kind, &mut out)?;
    String::from_utf8(out)
        .map_err(|e| ReportError::Template { name: name.to_owned(), message: e.to_string() })
}

/// [`render_template`] written into `out` as it renders, never held whole.
///
/// # Errors
/// As [`render_template`], and when `out` cannot be written (a template error that
/// says so).
pub fn render_template_to(
    report: &Report<'_>,
    name: &str,
    source: &str,
    kind: TemplateKind,
    out: impl std::io::Write,
) -> Result<()> {
    let env = environment(kind);
    let fail = |e: minijinja::Error| ReportError::Template {
        name: name.to_owned(),
        message: describe(&e),
    };
    let template = env.template_from_named_str(name, source).map_err(fail)?;
    let names = fields_for(&template, source);
    template.render_captured_to(template_context(report, names.as_ref()), out).map_err(fail)?;
    Ok(())
}

/// minijinja's message with the line, without repeating the template name.
fn describe(error: &minijinja::Error) -> String {
    let what = error
        .detail()
        .map_or_else(|| error.kind().to_string(), |d| format!("{}: {d}", error.kind()));
    match error.line() {
        Some(line) => format!("line {line}: {what}"),
        None => what,
    }
}

/// The report in GitHub-flavoured Markdown, for committee papers.
///
/// # Errors
/// [`ReportError::Template`] if the shipped template fails (a bug).
pub fn render_markdown(report: &Report<'_>) -> Result<String> {
    render_template(report, "report.md", MARKDOWN_TEMPLATE, TemplateKind::Markdown)
}

/// The report as one self-contained, accessible HTML file.
///
/// # Errors
/// [`ReportError::Template`] if the shipped template fails (a bug).
pub fn render_html(report: &Report<'_>) -> Result<String> {
    render_template(report, "report.html", HTML_TEMPLATE, TemplateKind::Html)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report's own chip is shown from the seven made once; any other value
    /// with a rating's fields is shown as made each time: the two are the same.
    #[test]
    fn a_reports_chip_is_shown_as_a_chip_with_the_same_fields() {
        for kind in [TemplateKind::Markdown, TemplateKind::Html] {
            let env = environment(kind);
            for rating in Rating::ALL {
                let chip = crate::Chip::from(rating);
                let render =
                    |c: Value| env.render_str("{{ c|chip }}", context! { c => c }).unwrap();
                let ours = render(crate::values::chip(chip));
                let fields = render(Value::from(Serde(chip)));
                assert_eq!(ours, fields, "{rating:?}");
                assert!(ours.contains(chip.shape()), "{ours}");
            }
        }
    }

    #[test]
    fn markdown_cells() {
        let table: &[(&str, &str)] = &[
            ("plain", "plain"),
            ("a | b", r"a \| b"),
            ("line one\n  line two\n\n", "line one<br>line two"),
            (r"back\slash", r"back\\slash"),
            ("  ", ""),
        ];
        for (input, want) in table {
            assert_eq!(markdown_cell(input), *want, "{input:?}");
        }
    }

    /// A template sees every field of the report: each key of the report's JSON is a
    /// field `report_field` gives, with the same value.
    #[test]
    fn every_report_field_reaches_templates() {
        use ragplan_core::{Policy, Snapshot, generate::synthetic_plan, rate};
        let plan = synthetic_plan(30, 3, 7);
        let policy = Policy::default();
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let ratings = rate(&plan, &policy, day(2015, 6, 30));
        let before = Snapshot::from(&plan.as_it_stood(day(2015, 3, 31)).rate(&policy));
        let report = Report::build(&ratings, Some(&before), &crate::ReportOptions::default());
        let json = serde_json::to_value(&report).unwrap();
        let fields = json.as_object().unwrap();
        assert!(fields.len() > 15, "{fields:?}");
        let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let mut listed: Vec<&str> = REPORT_FIELDS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        listed.sort_unstable();
        assert_eq!(names, listed, "every field is listed");
        for (name, want) in fields {
            let got = report_field(&report, name).unwrap_or_else(|| panic!("no field {name}"));
            assert_eq!(serde_json::to_value(&got).unwrap(), *want, "{name}");
        }
        assert_eq!(report_field(&report, "titel"), None);
    }

    /// A council's template that set a field to itself (`{% set title = title ~ … %}`)
    /// was given only the fields a scan named, which left `title` out; it is given
    /// every field.
    #[test]
    fn a_template_reassigning_a_field_was_left_without_it() {
        use ragplan_core::{Policy, generate::synthetic_plan, rate};
        let plan = synthetic_plan(5, 1, 1);
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
        let report = Report::build(&ratings, None, &crate::ReportOptions::default());
        let cases = [
            (
                "{% set title = title ~ ' (draft)' %}{{ title }}",
                "Synthetic plan of 5 actions (draft)",
            ),
            ("{% with plan = plan %}{{ plan.id }}{% endwith %}", "synthetic-5-1-1"),
            ("{% set actions = actions|list %}{{ actions|length }}", "5"),
        ];
        for (source, want) in cases {
            let got = render_template(&report, "house.md", source, TemplateKind::Markdown);
            assert_eq!(got.as_deref().ok(), Some(want), "{source}: {got:?}");
        }
    }

    proptest::proptest! {
        /// The `md` filter writes what `markdown_cell` writes, whether or not it copies.
        #[test]
        fn md_filter_is_markdown_cell(text in "[ a|\\\\\n\r\t\u{a0}é]{0,12}") {
            let got = md_filter(Value::from(text.as_str()));
            let want = markdown_cell(&text);
            proptest::prop_assert_eq!(got.as_str(), Some(want.as_str()));
        }
    }

    /// `chip` refuses what is not a rating, saying what it was given.
    #[test]
    fn chip_filter_needs_a_rating() {
        let red = Value::from(Serde(crate::chip::Chip::from(Rating::Red)));
        let md = chip_filter(TemplateKind::Markdown, &red).unwrap();
        assert_eq!(md.as_str(), Some("■ RED"));
        let html = chip_filter(TemplateKind::Html, &red).unwrap();
        assert_eq!(
            html.to_string(),
            r#"<span class="chip chip-red"><span class="shape" aria-hidden="true">■</span> RED</span>"#
        );
        let err = chip_filter(TemplateKind::Markdown, &Value::from("red")).unwrap_err();
        assert!(
            err.to_string().contains("chip shows a rating (such as row.delivery), not red"),
            "{err}"
        );
    }

    #[test]
    fn css_strings() {
        let table: &[(&str, &str)] = &[
            ("Coventry CSE plan — 30 June 2015", "Coventry CSE plan — 30 June 2015"),
            (r#"a "quoted" \ b"#, r#"a \"quoted\" \\ b"#),
            ("one\ntwo", r"one\a two"),
            ("</style><script>", r"\3c /style\3e \3c script\3e "),
            ("R&D", r"R\26 D"),
        ];
        for (input, want) in table {
            assert_eq!(css_string(input), *want, "{input:?}");
        }
    }
}

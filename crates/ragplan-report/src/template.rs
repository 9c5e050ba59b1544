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
//! and the filters `md`, which makes text safe for a Markdown table cell,
//! `css_string`, which makes it safe inside a double-quoted CSS string (the printed
//! page's footer, in the HTML's `<style>`), and `actions`, a count of actions in words
//! (`1 action`, `2 actions`). Templates use
//! `trim_blocks` and `lstrip_blocks` and keep their final newline; an undefined name is
//! an error (so a misspelt field is reported with its line, not printed as nothing). In
//! HTML every value is escaped unless marked `safe`.

use std::fmt::Write as _;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
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
    env.add_filter("md", |value: Value| markdown_cell(&value.to_string()));
    env.add_filter("actions", crate::content::actions_text);
    env.add_filter("css_string", |value: Value| {
        Value::from_safe_string(css_string(&value.to_string()))
    });
    env
}

/// The context a template renders: the report's fields, `charts` and `palette`.
fn template_context(report: &Report) -> Value {
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
    context! { charts => charts, palette => palette, ..Value::from(Serde(report)) }
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
    report: &Report,
    name: &str,
    source: &str,
    kind: TemplateKind,
) -> Result<String> {
    let env = environment(kind);
    let fail = |e: minijinja::Error| ReportError::Template {
        name: name.to_owned(),
        message: describe(&e),
    };
    let template = env.template_from_named_str(name, source).map_err(fail)?;
    template.render(template_context(report)).map_err(fail)
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
pub fn render_markdown(report: &Report) -> Result<String> {
    render_template(report, "report.md", MARKDOWN_TEMPLATE, TemplateKind::Markdown)
}

/// The report as one self-contained, accessible HTML file.
///
/// # Errors
/// [`ReportError::Template`] if the shipped template fails (a bug).
pub fn render_html(report: &Report) -> Result<String> {
    render_template(report, "report.html", HTML_TEMPLATE, TemplateKind::Html)
}

#[cfg(test)]
mod tests {
    use super::*;

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

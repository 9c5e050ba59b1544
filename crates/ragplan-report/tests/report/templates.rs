//! A council's own template renders the same data as the shipped ones.

use ragplan_report::template::{HTML_TEMPLATE, MARKDOWN_TEMPLATE, TemplateKind, render_template};
use ragplan_report::{Format, render, to_json};

use crate::common::{coventry_report, text};

#[test]
fn the_shipped_templates_are_what_render_uses() {
    let report = coventry_report().report;
    let md =
        render_template(&report, "report.md", MARKDOWN_TEMPLATE, TemplateKind::Markdown).unwrap();
    assert_eq!(md, text(render(&report, Format::Markdown).unwrap()));
    let html = render_template(&report, "report.html", HTML_TEMPLATE, TemplateKind::Html).unwrap();
    assert_eq!(html, text(render(&report, Format::Html).unwrap()));
}

#[test]
fn a_house_template_sees_every_field_of_the_json() {
    let report = coventry_report().report;
    let json: serde_json::Value = serde_json::from_str(&to_json(&report).unwrap()).unwrap();
    let house = "{{ plan.owner_body }}|{{ quarter }}|{{ headline.delivery.rating.label }}|{{ exceptions[0].items|length }}|{{ actions|length }}|{{ objectives[0].rows[0].key }}";
    let got = render_template(&report, "house.md", house, TemplateKind::Markdown).unwrap();
    let want = format!(
        "{}|{}|{}|{}|{}|{}",
        json["plan"]["owner_body"].as_str().unwrap(),
        json["quarter"].as_str().unwrap(),
        json["headline"]["delivery"]["rating"]["label"].as_str().unwrap(),
        json["exceptions"][0]["items"].as_array().unwrap().len(),
        json["actions"].as_array().unwrap().len(),
        json["objectives"][0]["rows"][0]["key"].as_str().unwrap(),
    );
    assert_eq!(got, want);
}

#[test]
fn html_templates_escape_and_can_place_the_charts() {
    let mut plan = coventry_report().plan().clone();
    plan.title = "Plan <b>&</b> co".to_owned();
    let (now, _) = crate::common::rated(&plan, crate::common::day(2015, 6, 30), None);
    let report = ragplan_report::Report::build(&now, None, &Default::default());
    let house = "<h1>{{ title }}</h1>{{ charts.distribution }}{% for p in palette %}{{ p.rating }}={{ p.fill }};{% endfor %}";
    let html = render_template(&report, "house.html", house, TemplateKind::Html).unwrap();
    assert!(
        html.starts_with("<h1>Plan &lt;b&gt;&amp;&lt;&#x2f;b&gt; co</h1><svg class=\"chart\""),
        "{html}"
    );
    assert!(html.contains("red=#f4b6b0;"));
    let md = render_template(&report, "house.md", "{{ title }}", TemplateKind::Markdown).unwrap();
    assert_eq!(md, "Plan <b>&</b> co");
}

#[test]
fn template_errors_name_the_template_and_the_line() {
    let report = coventry_report().report;
    let table: &[(&str, &str)] = &[
        ("{{ title }}\n{% for x in %}", "template house.md: line 2: syntax error"),
        (
            "ok\nok\n{{ headline.delivery.ratin.word }}",
            "template house.md: line 3: undefined value",
        ),
        ("{{ title | no_such_filter }}", "template house.md: line 1: "),
    ];
    for (source, want) in table {
        let err = render_template(&report, "house.md", source, TemplateKind::Markdown).unwrap_err();
        assert!(err.to_string().starts_with(want), "{source:?}: {err}");
    }
}

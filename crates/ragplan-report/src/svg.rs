//! The HTML report's charts, as inline SVG: ratings per objective (stacked bars), the
//! overall distribution, and the trend by quarter.
//!
//! Every chart has a `<title>` and a `<desc>` that says in words what it shows, every
//! bar segment its own `<title>` with the rating's word, and a legend with a swatch,
//! shape and word. A segment wide enough carries its shape and count; one too narrow
//! for them is filled with its rating's pattern, which its legend swatch shows too.
//! Colour is never the only way to tell the ratings apart.
//!
//! The charts are drawn at most [`MAX_WIDTH`] wide, so that on a 390-pixel phone,
//! where a chart is scaled down to the width of the page, its 13-pixel text is still
//! drawn at about 11 pixels. Text is escaped for XML. The charts are meant for inline
//! use in HTML5, so they carry no `xmlns`.

use std::fmt::Write as _;

use ragplan_core::Rating;

use crate::chip::{TEXT_ON_FILL, chip, palette};
use crate::content::{Counts, ObjectiveSection, TrendPoint};

/// The widest a chart is drawn (its `viewBox` width), in pixels. On a 390-pixel
/// phone the page has 366 pixels between its margins and a chart is scaled down to
/// them, so its 13-pixel text is drawn at 13 × 366 / 440 ≈ 10.8 pixels.
pub const MAX_WIDTH: f64 = 440.0;

/// The size of chart text, in pixels, before the chart is scaled.
const FONT_SIZE: f64 = 13.0;

/// Escapes `&`, `<`, `>`, `"` and `'` for XML text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The id of `rating`'s pattern in the chart `chart_id` (ids are unique in the
/// report, which holds several charts).
fn pattern_id(chart_id: &str, rating: Rating) -> String {
    format!("{chart_id}-pattern-{}", rating.as_str())
}

/// The `<defs>` with the pattern of each rating in `ratings`: a tile of 8 pixels, its
/// texture drawn in the rating's border colour on its fill.
///
/// | rating | texture |
/// |---|---|
/// | Red | cross-hatch |
/// | Amber/Red | grid |
/// | Amber | rising diagonals |
/// | Amber/Green | falling diagonals |
/// | Green | dots |
/// | Complete | horizontal lines |
/// | Not rated | vertical lines |
fn patterns(out: &mut String, chart_id: &str, ratings: &[Rating]) {
    out.push_str("<defs>");
    for &rating in ratings {
        let c = palette(rating);
        let lines = match rating {
            Rating::Red => "<path d=\"M0 0L8 8M8 0L0 8\"/>",
            Rating::AmberRed => "<path d=\"M0 4H8M4 0V8\"/>",
            Rating::Amber => "<path d=\"M-2 2L2 -2M0 8L8 0M6 10L10 6\"/>",
            Rating::AmberGreen => "<path d=\"M-2 6L2 10M0 0L8 8M6 -2L10 2\"/>",
            Rating::Green => "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"currentColor\"/>",
            Rating::Complete => "<path d=\"M0 4H8\"/>",
            Rating::NotRated => "<path d=\"M4 0V8\"/>",
        };
        let _ = write!(
            out,
            r#"<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{}"/><g stroke="{border}" stroke-width="1.5" color="{border}">{lines}</g></pattern>"#,
            pattern_id(chart_id, rating),
            c.fill,
            border = c.border,
        );
    }
    out.push_str("</defs>");
}

/// How wide a legend entry for `rating` is: swatch, gap, shape, word and a gap.
fn legend_entry_width(rating: Rating) -> f64 {
    46.0 + 9.5 * chip(rating).1.chars().count() as f64
}

/// The legend: a patterned swatch, shape and word for each rating in `ratings`, in
/// lines no wider than `width`, from the top of the chart. Returns its height.
fn legend(out: &mut String, chart_id: &str, ratings: &[Rating], width: f64) -> f64 {
    let (mut x, mut y) = (0.0, 16.0);
    for &rating in ratings {
        let entry = legend_entry_width(rating);
        if x > 0.0 && x + entry > width {
            x = 0.0;
            y += 22.0;
        }
        let (shape, word) = chip(rating);
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{y0:.1}" width="14" height="14" fill="url(#{})" stroke="{}"/><text x="{tx:.1}" y="{y:.1}">{shape} {word}</text>"#,
            pattern_id(chart_id, rating),
            palette(rating).border,
            y0 = y - 11.0,
            tx = x + 18.0,
        );
        x += entry;
    }
    if ratings.is_empty() { 0.0 } else { y + 8.0 }
}

/// How many pixels the label "shape count" needs inside a segment.
fn label_width(n: u32) -> f64 {
    28.0 + 7.5 * n.to_string().len() as f64
}

/// The fill of a segment of `rating`: its colour when it carries its label, else its
/// pattern.
fn segment_fill(chart_id: &str, rating: Rating, labelled: bool) -> String {
    if labelled {
        palette(rating).fill.to_owned()
    } else {
        format!("url(#{})", pattern_id(chart_id, rating))
    }
}

/// The height of a stacked bar, in pixels.
const BAR_HEIGHT: f64 = 22.0;

/// One stacked bar of `counts` from `(x, y)`, `scale` pixels per action, in the chart
/// `chart_id`; `name` goes in each segment's title.
fn stacked_bar(
    out: &mut String,
    chart_id: &str,
    name: &str,
    counts: &Counts,
    (x, y): (f64, f64),
    scale: f64,
) {
    let height = BAR_HEIGHT;
    let mut cx = x;
    for (rating, n) in counts.non_zero() {
        let width = f64::from(n) * scale;
        let (shape, word) = chip(rating);
        let labelled = width >= label_width(n);
        let _ = write!(
            out,
            r#"<g><title>{name}: {n} {word}</title><rect x="{cx:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" fill="{}" stroke="{}"/>"#,
            segment_fill(chart_id, rating, labelled),
            palette(rating).border,
            name = escape(name),
        );
        if labelled {
            let _ = write!(
                out,
                r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{shape} {n}</text>"#,
                tx = cx + width / 2.0,
                ty = y + height / 2.0 + 5.0,
            );
        }
        out.push_str("</g>");
        cx += width;
    }
}

fn open_svg(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="Arial, Helvetica, sans-serif" font-size="{FONT_SIZE}" fill="{TEXT_ON_FILL}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc),
    );
}

/// The ratings to show in a legend: those with any count, worst first.
fn present(counts: impl IntoIterator<Item = Counts>) -> Vec<Rating> {
    let counts: Vec<Counts> = counts.into_iter().collect();
    Rating::ALL.into_iter().filter(|r| counts.iter().any(|c| c.get(*r) > 0)).collect()
}

/// The height of the legend for `ratings` in a chart `width` wide, drawn nowhere.
fn legend_height(ratings: &[Rating], width: f64) -> f64 {
    legend(&mut String::new(), "", ratings, width)
}

/// A stacked bar of the actions' delivery ratings for each objective, its name on
/// the line above it and its total after it.
pub fn objectives_chart(objectives: &[ObjectiveSection]) -> String {
    const ID: &str = "chart-objectives";
    let (bar_w, row_h) = (MAX_WIDTH - 90.0, 42.0);
    let max = objectives.iter().map(|o| o.delivery.counts.total).max().unwrap_or(0).max(1);
    let scale = bar_w / f64::from(max);
    let ratings = present(objectives.iter().map(|o| o.delivery.counts));
    let top = legend_height(&ratings, MAX_WIDTH) + 6.0;
    let height = top + row_h * objectives.len() as f64;
    let desc: Vec<String> = objectives
        .iter()
        .map(|o| format!("{} {}: {}", o.key, o.title, o.delivery.counts.text()))
        .collect();
    let mut out = String::new();
    open_svg(
        &mut out,
        ID,
        MAX_WIDTH,
        height,
        "Actions by delivery rating, per objective",
        &desc.join("; "),
    );
    patterns(&mut out, ID, &ratings);
    legend(&mut out, ID, &ratings, MAX_WIDTH);
    for (i, objective) in objectives.iter().enumerate() {
        let y = top + row_h * i as f64;
        let name = format!("{} {}", objective.key, objective.title);
        let _ = write!(
            out,
            r#"<text x="0" y="{ty:.1}">{}</text>"#,
            escape(&shorten(&name, 60)),
            ty = y + 13.0,
        );
        stacked_bar(&mut out, ID, &name, &objective.delivery.counts, (0.0, y + 17.0), scale);
        let total = objective.delivery.counts.total;
        let _ = write!(
            out,
            r#"<text x="{tx:.1}" y="{ty:.1}">{total} {}</text>"#,
            if total == 1 { "action" } else { "actions" },
            tx = f64::from(total) * scale + 6.0,
            ty = y + 33.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// One bar per rating: how many actions hold it.
pub fn distribution_chart(counts: &Counts) -> String {
    let ratings: Vec<Rating> = Rating::ALL.into_iter().filter(|r| counts.get(*r) > 0).collect();
    let (label_w, row_h) = (120.0, 28.0);
    let bar_w = MAX_WIDTH - label_w - 44.0;
    let max = ratings.iter().map(|r| counts.get(*r)).max().unwrap_or(0).max(1);
    let scale = bar_w / f64::from(max);
    let height = 10.0 + row_h * ratings.len().max(1) as f64;
    let mut out = String::new();
    open_svg(
        &mut out,
        "chart-distribution",
        MAX_WIDTH,
        height,
        "All actions by delivery rating",
        &counts.text(),
    );
    if ratings.is_empty() {
        out.push_str(r#"<text x="0" y="20">No actions</text>"#);
    }
    for (i, rating) in ratings.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let n = counts.get(*rating);
        let (shape, word) = chip(*rating);
        let c = palette(*rating);
        let width = f64::from(n) * scale;
        let _ = write!(
            out,
            r#"<g><title>{n} {word}</title><text x="0" y="{ty:.1}">{shape} {word}</text><rect x="{label_w:.1}" y="{y:.1}" width="{width:.1}" height="20" fill="{}" stroke="{}"/><text x="{tx:.1}" y="{ty:.1}">{n}</text></g>"#,
            c.fill,
            c.border,
            ty = y + 15.0,
            tx = label_w + width + 6.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// Stacked columns of delivery ratings at the end of each quarter, each named under
/// it on two lines ("Q1", "2015/16"); `None` with fewer than two quarters (no trend
/// to show). The most quarters a report charts ([`crate::MAX_TREND_QUARTERS`],
/// eight) fit in [`MAX_WIDTH`]; more would make it wider.
pub fn trend_chart(trend: &[TrendPoint]) -> Option<String> {
    const ID: &str = "chart-trend";
    if trend.len() < 2 {
        return None;
    }
    let gap = 16.0;
    let step = ((MAX_WIDTH - gap) / trend.len() as f64).clamp(52.0, 90.0);
    let col_w = step - gap;
    let width = (step * trend.len() as f64 + gap).max(MAX_WIDTH);
    let ratings = present(trend.iter().map(|t| t.counts));
    let top = legend_height(&ratings, width) + 8.0;
    let plot_h = 200.0;
    let max = trend.iter().map(|t| t.counts.total).max().unwrap_or(0).max(1);
    let scale = plot_h / f64::from(max);
    let height = top + plot_h + 44.0;
    let desc: Vec<String> =
        trend.iter().map(|t| format!("{}: {}", t.quarter, t.counts.text())).collect();
    let mut out = String::new();
    open_svg(
        &mut out,
        ID,
        width,
        height,
        "Actions by delivery rating at the end of each quarter",
        &desc.join("; "),
    );
    patterns(&mut out, ID, &ratings);
    legend(&mut out, ID, &ratings, width);
    let base = top + plot_h;
    for (i, point) in trend.iter().enumerate() {
        let x = gap + step * i as f64;
        let mut y = base;
        for (rating, n) in point.counts.non_zero() {
            let h = f64::from(n) * scale;
            y -= h;
            let (shape, word) = chip(rating);
            let labelled = h >= 18.0 && col_w >= label_width(n);
            let _ = write!(
                out,
                r#"<g><title>{}: {n} {word}</title><rect x="{x:.1}" y="{y:.1}" width="{col_w:.1}" height="{h:.1}" fill="{}" stroke="{}"/>"#,
                escape(&point.quarter),
                segment_fill(ID, rating, labelled),
                palette(rating).border,
            );
            if labelled {
                let _ = write!(
                    out,
                    r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{shape} {n}</text>"#,
                    tx = x + col_w / 2.0,
                    ty = y + h / 2.0 + 5.0,
                );
            }
            out.push_str("</g>");
        }
        let (first, rest) = point.quarter.split_once(' ').unwrap_or((&point.quarter, ""));
        let tx = x + col_w / 2.0;
        let _ = write!(
            out,
            r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{}</text>"#,
            escape(first),
            ty = base + 18.0,
        );
        if !rest.is_empty() {
            let _ = write!(
                out,
                r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{}</text>"#,
                escape(rest),
                ty = base + 34.0,
            );
        }
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(ratings: &[(Rating, u32)]) -> Counts {
        let mut counts = Counts::default();
        for &(rating, n) in ratings {
            for _ in 0..n {
                counts.add(rating);
            }
        }
        counts
    }

    fn point(quarter: &str, counts: Counts) -> TrendPoint {
        TrendPoint { quarter: quarter.to_owned(), as_of: chrono::NaiveDate::MIN, counts }
    }

    /// The number in `attr="…"` of the first `<svg`.
    fn svg_attr(svg: &str, attr: &str) -> f64 {
        svg.split(&format!(" {attr}=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(f64::NAN)
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }

    #[test]
    fn every_segment_names_its_rating_in_words() {
        let counts = counts(&[(Rating::Red, 2), (Rating::Green, 1), (Rating::NotRated, 1)]);
        let svg = distribution_chart(&counts);
        assert!(svg.contains("<title>2 RED</title>"), "{svg}");
        assert!(svg.contains("■ RED"));
        assert!(svg.contains("● GREEN"));
        assert!(svg.contains("○ NOT RATED"));
        assert!(!svg.contains("AMBER"));
        assert_eq!(trend_chart(&[]), None);
    }

    #[test]
    fn a_segment_too_narrow_for_its_label_carries_its_pattern() {
        // 1 Red beside 30 Green: the Red segment is 11 pixels wide, too narrow for
        // "■ 1"; the Green one is wide and labelled.
        let c = counts(&[(Rating::Red, 1), (Rating::Green, 30)]);
        let mut svg = String::new();
        patterns(&mut svg, "chart-x", &[Rating::Red, Rating::Green]);
        legend(&mut svg, "chart-x", &[Rating::Red, Rating::Green], MAX_WIDTH);
        stacked_bar(&mut svg, "chart-x", "1 Prevent", &c, (0.0, 40.0), 11.0);
        assert!(svg.contains(r#"<pattern id="chart-x-pattern-red""#), "{svg}");
        assert!(svg.contains(r#"<pattern id="chart-x-pattern-green""#), "{svg}");
        let red = svg.split("<title>1 Prevent: 1 RED</title>").nth(1).unwrap_or_default();
        let red = red.split("</g>").next().unwrap_or_default();
        assert!(red.contains(r##"fill="url(#chart-x-pattern-red)""##), "{red}");
        assert!(!red.contains("<text"), "{red}");
        let green = svg.split("<title>1 Prevent: 30 GREEN</title>").nth(1).unwrap_or_default();
        let green = green.split("</g>").next().unwrap_or_default();
        assert!(green.contains(&format!(r#"fill="{}""#, palette(Rating::Green).fill)), "{green}");
        assert!(green.contains(">● 30</text>"), "{green}");
        // The legend's swatches show the patterns, so a patterned segment is read by it.
        for rating in [Rating::Red, Rating::Green] {
            let swatch = format!(r##"fill="url(#chart-x-pattern-{})""##, rating.as_str());
            assert!(svg.split("<rect").any(|r| r.contains(&swatch) && r.contains("width=\"14\"")));
        }
    }

    #[test]
    fn the_trend_chart_patterns_a_segment_too_short_for_its_label() {
        let q4 = counts(&[(Rating::Red, 1), (Rating::Amber, 7), (Rating::NotRated, 20)]);
        let q1 = counts(&[(Rating::Red, 2), (Rating::Complete, 1), (Rating::NotRated, 20)]);
        let svg =
            trend_chart(&[point("Q4 2014/15", q4), point("Q1 2015/16", q1)]).unwrap_or_default();
        let segment = |title: &str| {
            let after = svg.split(&format!("<title>{title}</title>")).nth(1).unwrap_or_default();
            after.split("</g>").next().unwrap_or_default().to_owned()
        };
        assert!(segment("Q4 2014/15: 1 RED").contains("url(#chart-trend-pattern-red)"));
        assert!(segment("Q1 2015/16: 1 COMPLETE").contains("url(#chart-trend-pattern-complete)"));
        assert!(segment("Q4 2014/15: 20 NOT RATED").contains(">○ 20</text>"));
    }

    #[test]
    fn each_rating_has_a_pattern_of_its_own() {
        let mut defs = String::new();
        patterns(&mut defs, "c", &Rating::ALL);
        let textures: std::collections::BTreeSet<&str> = defs
            .split("<pattern ")
            .skip(1)
            .filter_map(|p| p.split_once("stroke-width=\"1.5\""))
            .filter_map(|(_, rest)| rest.split_once("\">"))
            .filter_map(|(_, rest)| rest.split_once("</g>"))
            .map(|(lines, _)| lines)
            .collect();
        assert_eq!(textures.len(), Rating::ALL.len(), "{defs}");
    }

    #[test]
    fn charts_fit_a_phone_with_legible_text() {
        // On a 390-pixel phone a chart is scaled to the page's 366 pixels.
        let all = counts(&Rating::ALL.map(|r| (r, 3)));
        let quarters: Vec<TrendPoint> = (1..=crate::MAX_TREND_QUARTERS)
            .map(|i| point(&format!("Q{} 20{i:02}/{:02}", i % 4 + 1, i + 1), all))
            .collect();
        let charts = [
            distribution_chart(&all),
            trend_chart(&quarters).unwrap_or_default(),
            trend_chart(&quarters[..2]).unwrap_or_default(),
        ];
        for svg in &charts {
            let width = svg_attr(svg, "width");
            assert!(width <= MAX_WIDTH, "{width}");
            assert_eq!(svg_attr(svg, "font-size"), FONT_SIZE);
            assert!(FONT_SIZE * (366.0 / width).min(1.0) >= 10.0);
        }
        // Every legend swatch starts inside the chart,
        let mut svg = String::new();
        let height = legend(&mut svg, "c", &Rating::ALL, MAX_WIDTH);
        assert!(height > 40.0, "seven entries take more than one line: {height}");
        for rect in svg.split("<rect x=\"").skip(1) {
            let x: f64 = rect.split('"').next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
            assert!(x >= 0.0 && x + 14.0 <= MAX_WIDTH, "{x}");
        }
        // and no line of entries runs past the chart's right edge.
        let (mut line, mut widest) = (0.0_f64, 0.0_f64);
        for r in Rating::ALL {
            if line > 0.0 && line + legend_entry_width(r) > MAX_WIDTH {
                line = 0.0;
            }
            line += legend_entry_width(r);
            widest = widest.max(line);
        }
        assert!(widest <= MAX_WIDTH + 0.5, "{widest}");
    }

    #[test]
    fn the_trend_chart_names_each_quarter_on_two_lines() {
        let all = counts(&Rating::ALL.map(|r| (r, 1)));
        let svg =
            trend_chart(&[point("Q4 2014/15", all), point("Q1 2015/16", all)]).unwrap_or_default();
        for part in [">Q4</text>", ">2014/15</text>", ">Q1</text>", ">2015/16</text>"] {
            assert!(svg.contains(part), "{part}: {svg}");
        }
        assert!(svg.contains("<title>Q1 2015/16: 1 NOT RATED</title>"));
    }
}

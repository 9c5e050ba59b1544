//! The HTML report's charts, as inline SVG: ratings per objective (stacked bars), the
//! overall distribution, and the trend by quarter.
//!
//! Every chart has a `<title>` and a `<desc>` that says in words what it shows, every
//! bar segment its own `<title>` with the rating's word, and a legend with shape and
//! word; where a segment is wide enough it also carries the shape and the count. Colour
//! is never the only way to tell the ratings apart. Text is escaped for XML. The
//! charts are meant for inline use in HTML5, so they carry no `xmlns`.

use std::fmt::Write as _;

use ragplan_core::Rating;

use crate::chip::{TEXT_ON_FILL, chip, palette};
use crate::content::{Counts, ObjectiveSection, TrendPoint};

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

/// The legend: a swatch, shape and word for each rating in `ratings`, on one line
/// starting at `(x, y)`.
fn legend(out: &mut String, ratings: &[Rating], x: f64, y: f64) {
    let mut cx = x;
    for &rating in ratings {
        let (shape, word) = chip(rating);
        let c = palette(rating);
        let _ = write!(
            out,
            r#"<rect x="{cx:.1}" y="{y0:.1}" width="14" height="14" fill="{}" stroke="{}"/><text x="{tx:.1}" y="{ty:.1}">{shape} {word}</text>"#,
            c.fill,
            c.border,
            y0 = y - 11.0,
            tx = cx + 18.0,
            ty = y,
        );
        cx += legend_width(&[rating]);
    }
}

/// How wide [`legend`] draws `ratings`.
fn legend_width(ratings: &[Rating]) -> f64 {
    ratings.iter().map(|r| 46.0 + 9.5 * chip(*r).1.chars().count() as f64).sum()
}

/// One stacked bar of `counts` from `(x, y)`, `scale` pixels per action; `name` goes in
/// each segment's title.
fn stacked_bar(
    out: &mut String,
    name: &str,
    counts: &Counts,
    x: f64,
    y: f64,
    height: f64,
    scale: f64,
) {
    let mut cx = x;
    for (rating, n) in counts.non_zero() {
        let width = f64::from(n) * scale;
        let (shape, word) = chip(rating);
        let c = palette(rating);
        let _ = write!(
            out,
            r#"<g><title>{name}: {n} {word}</title><rect x="{cx:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" fill="{}" stroke="{}"/>"#,
            c.fill,
            c.border,
            name = escape(name),
        );
        if width >= 34.0 {
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
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="Arial, Helvetica, sans-serif" font-size="13" fill="{TEXT_ON_FILL}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc),
    );
}

/// The ratings to show in a legend: those with any count, worst first.
fn present(counts: impl IntoIterator<Item = Counts>) -> Vec<Rating> {
    let counts: Vec<Counts> = counts.into_iter().collect();
    Rating::ALL.into_iter().filter(|r| counts.iter().any(|c| c.get(*r) > 0)).collect()
}

/// A stacked bar of the actions' delivery ratings for each objective.
pub fn objectives_chart(objectives: &[ObjectiveSection]) -> String {
    let (label_w, bar_w, row_h) = (270.0, 400.0, 30.0);
    let max = objectives.iter().map(|o| o.delivery.counts.total).max().unwrap_or(0).max(1);
    let scale = bar_w / f64::from(max);
    let height = 40.0 + row_h * objectives.len() as f64 + 10.0;
    let ratings = present(objectives.iter().map(|o| o.delivery.counts));
    let width = (label_w + bar_w + 90.0).max(legend_width(&ratings));
    let desc: Vec<String> = objectives
        .iter()
        .map(|o| format!("{} {}: {}", o.key, o.title, o.delivery.counts.text()))
        .collect();
    let mut out = String::new();
    open_svg(
        &mut out,
        "chart-objectives",
        width,
        height,
        "Actions by delivery rating, per objective",
        &desc.join("; "),
    );
    legend(&mut out, &ratings, 0.0, 16.0);
    for (i, objective) in objectives.iter().enumerate() {
        let y = 34.0 + row_h * i as f64;
        let name = format!("{} {}", objective.key, objective.title);
        let _ = write!(
            out,
            r#"<text x="0" y="{ty:.1}">{}</text>"#,
            escape(&shorten(&name, 38)),
            ty = y + 17.0,
        );
        stacked_bar(&mut out, &name, &objective.delivery.counts, label_w, y, 22.0, scale);
        let _ = write!(
            out,
            r#"<text x="{tx:.1}" y="{ty:.1}">{} actions</text>"#,
            objective.delivery.counts.total,
            tx = label_w + f64::from(objective.delivery.counts.total) * scale + 6.0,
            ty = y + 17.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// One bar per rating: how many actions hold it.
pub fn distribution_chart(counts: &Counts) -> String {
    let ratings: Vec<Rating> = Rating::ALL.into_iter().filter(|r| counts.get(*r) > 0).collect();
    let (label_w, bar_w, row_h) = (140.0, 420.0, 28.0);
    let max = ratings.iter().map(|r| counts.get(*r)).max().unwrap_or(0).max(1);
    let scale = bar_w / f64::from(max);
    let height = 10.0 + row_h * ratings.len().max(1) as f64;
    let mut out = String::new();
    open_svg(
        &mut out,
        "chart-distribution",
        label_w + bar_w + 60.0,
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

/// Stacked columns of delivery ratings at the end of each quarter; `None` with fewer
/// than two quarters (no trend to show).
pub fn trend_chart(trend: &[TrendPoint]) -> Option<String> {
    if trend.len() < 2 {
        return None;
    }
    let (col_w, gap, plot_h, top) = (64.0, 26.0, 200.0, 34.0);
    let max = trend.iter().map(|t| t.counts.total).max().unwrap_or(0).max(1);
    let scale = plot_h / f64::from(max);
    let width = (col_w + gap) * trend.len() as f64 + gap;
    let height = top + plot_h + 40.0;
    let desc: Vec<String> =
        trend.iter().map(|t| format!("{}: {}", t.quarter, t.counts.text())).collect();
    let ratings = present(trend.iter().map(|t| t.counts));
    let mut out = String::new();
    open_svg(
        &mut out,
        "chart-trend",
        width.max(legend_width(&ratings)),
        height,
        "Actions by delivery rating at the end of each quarter",
        &desc.join("; "),
    );
    legend(&mut out, &ratings, 0.0, 16.0);
    let base = top + plot_h;
    for (i, point) in trend.iter().enumerate() {
        let x = gap + (col_w + gap) * i as f64;
        let mut y = base;
        for (rating, n) in point.counts.non_zero() {
            let h = f64::from(n) * scale;
            y -= h;
            let (shape, word) = chip(rating);
            let c = palette(rating);
            let _ = write!(
                out,
                r#"<g><title>{}: {n} {word}</title><rect x="{x:.1}" y="{y:.1}" width="{col_w:.1}" height="{h:.1}" fill="{}" stroke="{}"/>"#,
                escape(&point.quarter),
                c.fill,
                c.border,
            );
            if h >= 18.0 {
                let _ = write!(
                    out,
                    r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{shape} {n}</text>"#,
                    tx = x + col_w / 2.0,
                    ty = y + h / 2.0 + 5.0,
                );
            }
            out.push_str("</g>");
        }
        let _ = write!(
            out,
            r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle">{}</text>"#,
            escape(&point.quarter),
            tx = x + col_w / 2.0,
            ty = base + 18.0,
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut counts = Counts::default();
        for r in [Rating::Red, Rating::Red, Rating::Green, Rating::NotRated] {
            counts.add(r);
        }
        let svg = distribution_chart(&counts);
        assert!(svg.contains("<title>2 RED</title>"), "{svg}");
        assert!(svg.contains("■ RED"));
        assert!(svg.contains("● GREEN"));
        assert!(svg.contains("○ NOT RATED"));
        assert!(!svg.contains("AMBER"));
        assert_eq!(trend_chart(&[]), None);
    }

    #[test]
    fn the_trend_chart_is_wide_enough_for_its_legend_and_names_each_quarter() {
        let mut counts = Counts::default();
        for r in Rating::ALL {
            counts.add(r);
        }
        let point = |quarter: &str| TrendPoint {
            quarter: quarter.to_owned(),
            as_of: chrono::NaiveDate::MIN,
            counts,
        };
        let svg = trend_chart(&[point("Q4 2014/15"), point("Q1 2015/16")]).unwrap_or_default();
        let width: f64 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(0.0);
        assert!(width >= legend_width(&Rating::ALL), "{width}");
        assert!(svg.contains(">Q4 2014/15</text>") && svg.contains(">Q1 2015/16</text>"));
        assert!(svg.contains("<title>Q1 2015/16: 1 NOT RATED</title>"));
    }
}

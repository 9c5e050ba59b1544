//! The policy document: defaults, every rule in JSON, refusals with their path.

use ragplan_core::{Policy, RatingSource, RollupRule};

#[test]
fn an_empty_document_is_the_default_policy() {
    assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
    let p = Policy::default();
    assert_eq!(
        (
            p.source,
            p.due_soon_days,
            p.stale_days,
            p.progress.amber_below_percent,
            p.progress.red_below_percent
        ),
        (RatingSource::WorseOf, 28, 92, 90, 70)
    );
    assert!(p.complete_counts_as_green && !p.not_rated_counts_as_amber && !p.stale_lowers_to_amber);
}

#[test]
fn every_rule_reads_from_json_and_round_trips() {
    let text = r#"{
        "source": "derived",
        "sub_objective": "majority",
        "objective": {"mean_score": {"green_from": 3.0}},
        "plan": {"share": {"red_from_percent": 10, "green_from_percent": 90}},
        "stale_lowers_to_amber": true
    }"#;
    let p = Policy::from_json(text).unwrap();
    assert_eq!(p.source, RatingSource::Derived);
    assert_eq!(p.sub_objective, RollupRule::Majority);
    assert_eq!(p.objective, RollupRule::MeanScore { green_from: 3.0, amber_from: 1.5 });
    assert_eq!(p.plan, RollupRule::Share { red_from_percent: 10, green_from_percent: 90 });
    assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p);
}

#[test]
fn refusals_name_the_path() {
    for (text, path, start) in [
        (r#"{"sourc": "derived"}"#, "sourc", "unknown field `sourc`"),
        (r#"{"plan": "best_of"}"#, "plan", "unknown variant `best_of`"),
        (
            r#"{"progress": {"amber_below_percent": 300}}"#,
            "progress.amber_below_percent",
            "invalid value",
        ),
    ] {
        let err = Policy::from_json(text).unwrap_err();
        assert_eq!(err.path, path, "{text}");
        assert!(err.message.starts_with(start), "{text}: {}", err.message);
    }
}

#[test]
fn describe_names_the_rules_in_words() {
    let mut p = Policy::default();
    p.objective = RollupRule::SHARE;
    let words = p.describe();
    assert!(
        words.contains("objectives by share (Red from 25% Red, Green from 75% Green)"),
        "{words}"
    );
    assert!(words.contains("one not started and due within 28 days is Amber"), "{words}");
}

//! proptest strategies that generate whole plans, every field included.

use chrono::NaiveDate;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use ragplan_core::{
    Action, Direction, Edit, Field, FieldChange, Key, Measure, NodeRatings, Objective, Override,
    Owner, OwnerKind, Plan, PlanId, Rating, Reading, Scale, Status, SubObjective, Timescale,
    TimescaleKind, UnmappedNote, Update,
};

pub fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..5000).prop_map(|days| {
        NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default() + chrono::Duration::days(days)
    })
}

/// Any text, including control characters, quotes and non-Latin scripts.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,20}",
        any::<String>(),
        Just("Page 15".to_owned()),
        Just("ТВС \"quoted\" \\ back\nslash\t".to_owned()),
    ]
}

pub fn key() -> impl Strategy<Value = Key> {
    "[A-Za-z0-9._-]{1,12}".prop_map(|k| Key::new(&k).unwrap_or_else(|_| Key::positional(None, 0)))
}

pub fn rating() -> impl Strategy<Value = Rating> {
    proptest::sample::select(Rating::ALL.to_vec())
}

fn status() -> impl Strategy<Value = Option<Status>> {
    proptest::sample::select(vec![
        None,
        Some(Status::NotStarted),
        Some(Status::InProgress),
        Some(Status::Complete),
        Some(Status::Cancelled),
        Some(Status::OnHold),
    ])
}

pub fn timescale() -> impl Strategy<Value = Timescale> {
    prop_oneof![
        text().prop_map(|t| Timescale::parse(&t)),
        Just(Timescale::parse("Q1 2015/16")),
        date().prop_map(Timescale::on),
        // A period has both its days, the first not after the last, or neither.
        (text(), option::of((date(), date()))).prop_map(|(text, days)| {
            let (start, due) = match days {
                Some((a, b)) => (Some(a.min(b)), Some(a.max(b))),
                None => (None, None),
            };
            Timescale { text, kind: TimescaleKind::Range, start, due }
        }),
    ]
}

fn owner() -> impl Strategy<Value = Owner> {
    (text(), prop_oneof![Just(OwnerKind::Person), Just(OwnerKind::Role)])
        .prop_map(|(name, kind)| Owner { name, kind })
}

fn notes() -> impl Strategy<Value = Vec<UnmappedNote>> {
    vec((option::of(text()), text()).prop_map(|(source, text)| UnmappedNote { source, text }), 0..2)
}

fn update() -> impl Strategy<Value = Update> {
    (
        date(),
        text(),
        option::of(rating()),
        option::of(rating()),
        status(),
        option::of(0u8..=100),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(on, by, delivery, outcome, status, progress, note, evidence)| Update {
            on,
            by,
            delivery,
            outcome,
            status,
            progress,
            note,
            evidence,
        })
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![-1e9f64..1e9, Just(0.1), Just(f64::MAX), Just(-0.0), Just(1e-300)]
}

fn measure() -> impl Strategy<Value = Measure> {
    (
        key(),
        text(),
        option::of(text()),
        finite(),
        prop_oneof![Just(Direction::HigherIsBetter), Just(Direction::LowerIsBetter)],
        finite(),
        vec(
            (date(), finite(), option::of(text())).prop_map(|(on, value, note)| Reading {
                on,
                value,
                note,
            }),
            0..3,
        ),
    )
        .prop_map(|(key, title, unit, target, direction, tolerance, readings)| Measure {
            key,
            title,
            unit,
            target,
            direction,
            tolerance,
            readings,
        })
}

fn node_ratings() -> impl Strategy<Value = NodeRatings> {
    (
        option::of(rating()),
        option::of(rating()),
        option::of(any::<u32>()),
        any::<bool>(),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(reported_delivery, reported_outcome, weight, critical, removed)| {
            NodeRatings {
                reported_delivery,
                reported_outcome,
                weight,
                critical,
                overrides: Vec::new(),
                removed,
            }
        })
}

fn action() -> impl Strategy<Value = Action> {
    let head = (
        key(),
        text(),
        option::of(text()),
        option::of(rating()),
        option::of(rating()),
        status(),
        option::of(0u8..=100),
        option::of(date()),
        timescale(),
        option::of(date()),
    );
    let people = (
        vec(owner(), 0..3),
        vec(owner(), 0..2),
        vec(text(), 0..3),
        vec(text(), 0..2),
        vec(text(), 0..2),
        vec(key(), 0..2),
    );
    let tail = (
        vec(update(), 0..3),
        vec(
            (rating(), text(), date(), text()).prop_map(|(rating, by, on, justification)| {
                Override { rating, by, on, justification, withdrawn: None }
            }),
            0..2,
        ),
        option::of(any::<u32>()),
        any::<bool>(),
        any::<bool>(),
        notes(),
    );
    (head, people, tail).prop_map(|(h, p, t)| Action {
        key: h.0,
        title: h.1,
        note: h.2.as_ref().map(|d| format!("{d} (noted)")),
        description: h.2,
        action_rag: h.3,
        outcome_rag: h.4,
        status: h.5,
        progress: h.6,
        start: h.7,
        timescale: h.8,
        review_date: h.9,
        accountable: p.0,
        responsible: p.1,
        partners: p.2,
        evidence: p.3,
        outcomes: p.4,
        depends_on: p.5,
        updates: t.0.into(),
        overrides: t.1,
        weight: t.2,
        critical: t.3,
        removed: t.4,
        imported: None,
        unmapped: t.5,
    })
}

fn sub_objective() -> impl Strategy<Value = SubObjective> {
    (
        key(),
        text(),
        option::of(text()),
        node_ratings(),
        vec(action(), 0..3),
        vec(measure(), 0..2),
        notes(),
    )
        .prop_map(|(key, title, description, node, actions, measures, unmapped)| {
            SubObjective { key, title, description, node, actions, measures, unmapped }
        })
}

fn objective() -> impl Strategy<Value = Objective> {
    (
        key(),
        text(),
        option::of(text()),
        option::of(text()),
        node_ratings(),
        vec(sub_objective(), 0..3),
        vec(action(), 0..2),
        vec(measure(), 0..2),
        notes(),
    )
        .prop_map(
            |(
                key,
                title,
                description,
                strand,
                node,
                sub_objectives,
                actions,
                measures,
                unmapped,
            )| {
                Objective {
                    key,
                    title,
                    description,
                    strand,
                    node,
                    sub_objectives,
                    actions,
                    measures,
                    unmapped,
                }
            },
        )
}

/// A JSON value as an edit's before or after holds one: a field's value, or the
/// object an addition or removal records.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u32>().prop_map(|n| json!(n)),
        text().prop_map(Value::String),
        vec(text(), 0..3).prop_map(|v| json!(v)),
        (text(), option::of(text()))
            .prop_map(|(j, with)| json!({"justification": j, "with": with})),
    ]
}

/// An entry of the change log: any field, any values before and after.
fn edit() -> impl Strategy<Value = Edit> {
    let change = (proptest::sample::select(Field::ALL.to_vec()), json_value(), json_value())
        .prop_map(|(field, before, after)| FieldChange { field, before, after });
    (key(), date(), text(), vec(change, 1..4)).prop_map(|(key, on, by, changes)| Edit {
        key,
        on,
        by,
        changes,
    })
}

pub fn plan() -> impl Strategy<Value = Plan> {
    (
        "[a-z0-9-]{1,20}",
        text(),
        option::of(text()),
        option::of(timescale()),
        proptest::sample::select(vec![Scale::Rag3, Scale::Brag, Scale::Dca5]),
        vec(text(), 0..3),
        vec(objective(), 0..3),
        btree_map(text(), text(), 0..3),
        vec(edit(), 0..4),
    )
        .prop_map(
            |(id, title, owner_body, period, scale, strands, objectives, metadata, edits)| {
                let mut plan = Plan::new(PlanId::slug(&id), title);
                plan.edits = edits;
                plan.owner_body = owner_body;
                plan.period = period;
                plan.scale = scale;
                plan.strands = strands;
                plan.objectives = objectives;
                plan.metadata = metadata.into_iter().map(|(k, v)| (k, v.into())).collect();
                plan
            },
        )
}

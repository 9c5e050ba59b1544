//! Invariants of the model under generated input.

use proptest::prelude::*;
use ragplan_core::{Plan, Rating, Status, Timescale};

use crate::strategies;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any plan survives JSON → Plan → JSON unchanged.
    #[test]
    fn plan_json_round_trips(plan in strategies::plan()) {
        let json = plan.to_json();
        let back = Plan::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &plan);
        prop_assert_eq!(back.to_json(), json);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// `Timescale::parse` never panics, keeps the text, and gives a due date exactly
    /// for the kinds that name a period.
    #[test]
    fn timescale_parse_is_total(text in any::<String>()) {
        let t = Timescale::parse(&text);
        prop_assert_eq!(&t.text, &text);
        prop_assert_eq!(t.due.is_some(), t.start.is_some());
        if let (Some(start), Some(due)) = (t.start, t.due) {
            prop_assert!(start <= due, "{text:?} gave {start} > {due}");
        }
    }

    /// The same for text made of the pieces timescales are written with.
    #[test]
    fn timescale_parse_is_total_on_date_like_text(
        text in "(Q[0-9]|[0-9]{1,4}|[/.:-]|March|Sept|pm|by|end of| |ТВС|Spring){0,8}"
    ) {
        let t = Timescale::parse(&text);
        prop_assert_eq!(&t.text, &text);
        if let (Some(start), Some(due)) = (t.start, t.due) {
            prop_assert!(start <= due, "{text:?} gave {start} > {due}");
        }
    }

    /// `Rating::from_str` and `Status::from_str` never panic; an error quotes the input.
    #[test]
    fn rating_parse_is_total(text in any::<String>()) {
        match text.parse::<Rating>() {
            Ok(r) => prop_assert_eq!(r.label().parse::<Rating>(), Ok(r)),
            Err(e) => prop_assert_eq!(e.0, text.clone()),
        }
        let _ = text.parse::<Status>();
    }

    /// A document never panics the reader, whatever the bytes.
    #[test]
    fn plan_from_json_is_total(text in any::<String>()) {
        let _ = Plan::from_json(&text);
    }
}

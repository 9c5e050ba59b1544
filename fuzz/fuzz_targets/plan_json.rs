//! Fuzz target `plan_json`: see `ragplan_fuzz_props::Target::PlanJson` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::PlanJson.check(data) {
        panic!("plan_json: {violation}");
    }
});

//! Fuzz target `policy_json`: see `ragplan_fuzz_props::Target::PolicyJson` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::PolicyJson.check(data) {
        panic!("policy_json: {violation}");
    }
});

//! Fuzz target `assess`: see `ragplan_fuzz_props::Target::Assess` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::Assess.check(data) {
        panic!("assess: {violation}");
    }
});

//! Fuzz target `rating`: see `ragplan_fuzz_props::Target::Rating` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::Rating.check(data) {
        panic!("rating: {violation}");
    }
});

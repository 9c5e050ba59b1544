//! Fuzz target `reimport`: see `ragplan_fuzz_props::Target::Reimport` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::Reimport.check(data) {
        panic!("reimport: {violation}");
    }
});

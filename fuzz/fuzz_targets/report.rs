//! Fuzz target `report`: see `ragplan_fuzz_props::Target::Report` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::Report.check(data) {
        panic!("report: {violation}");
    }
});

//! Fuzz target `import_json`: see `ragplan_fuzz_props::Target::ImportJson` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportJson.check(data) {
        panic!("import_json: {violation}");
    }
});

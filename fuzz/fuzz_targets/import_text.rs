//! Fuzz target `import_text`: see `ragplan_fuzz_props::Target::ImportText` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportText.check(data) {
        panic!("import_text: {violation}");
    }
});

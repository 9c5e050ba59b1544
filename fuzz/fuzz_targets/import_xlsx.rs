//! Fuzz target `import_xlsx`: see `ragplan_fuzz_props::Target::ImportXlsx` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportXlsx.check(data) {
        panic!("import_xlsx: {violation}");
    }
});

//! Fuzz target `import_csv`: see `ragplan_fuzz_props::Target::ImportCsv` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportCsv.check(data) {
        panic!("import_csv: {violation}");
    }
});

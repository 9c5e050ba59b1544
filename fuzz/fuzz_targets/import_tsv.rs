//! Fuzz target `import_tsv`: see `ragplan_fuzz_props::Target::ImportTsv` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportTsv.check(data) {
        panic!("import_tsv: {violation}");
    }
});

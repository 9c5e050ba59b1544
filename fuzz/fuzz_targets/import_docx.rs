//! Fuzz target `import_docx`: see `ragplan_fuzz_props::Target::ImportDocx` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportDocx.check(data) {
        panic!("import_docx: {violation}");
    }
});

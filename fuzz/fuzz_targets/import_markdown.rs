//! Fuzz target `import_markdown`: see `ragplan_fuzz_props::Target::ImportMarkdown` for its property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ragplan_fuzz_props::Target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = Target::ImportMarkdown.check(data) {
        panic!("import_markdown: {violation}");
    }
});

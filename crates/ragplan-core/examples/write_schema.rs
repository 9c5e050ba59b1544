//! Writes the JSON Schemas of the `ragplan/2` plan document and the
//! `ragplan-assessment/2` document to `schemas/`.
//!
//! Run after changing either: `cargo run -p ragplan-core --example write_schema`.

use ragplan_core::document::{assessment_json_schema, plan_json_schema};

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    for (name, schema) in [
        ("ragplan-2.schema.json", plan_json_schema()),
        ("ragplan-assessment-2.schema.json", assessment_json_schema()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, schema)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

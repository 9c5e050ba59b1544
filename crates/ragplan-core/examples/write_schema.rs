//! Writes the JSON Schema of the `ragplan/1` document to `schemas/ragplan-1.schema.json`.
//!
//! Run after changing the model: `cargo run -p ragplan-core --example write_schema`.

fn main() -> std::io::Result<()> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas/ragplan-1.schema.json");
    std::fs::write(&path, ragplan_core::document::plan_json_schema())?;
    println!("wrote {}", path.display());
    Ok(())
}

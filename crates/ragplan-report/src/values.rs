//! The report's long lists — each objective's rows, each kind's exceptions — given to
//! a template as values it reads as it reaches them: a row's field is made into a
//! template value when the template reads it, not every field of every row before
//! the template starts. They read as the lists of maps the report serialises to
//! (the same keys, in the same sorted order, the same values).

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};

use crate::chip::Chip;
use crate::content::{Exception, ExceptionGroup, ObjectiveSection, TableRow};

/// A struct whose fields a template reads one at a time.
trait Fields: std::fmt::Debug + Send + Sync + 'static {
    /// The fields' names, sorted, as a serialised map of the struct orders them.
    const NAMES: &'static [&'static str];

    /// The field `name` as a template value, as the struct serialises it.
    fn field(&self, name: &str) -> Option<Value>;
}

impl Fields for TableRow {
    const NAMES: &'static [&'static str] = &[
        "accountable",
        "delivery",
        "flags",
        "key",
        "kind",
        "latest_note",
        "outcome",
        "partners",
        "responsible",
        "status",
        "timescale",
        "title",
    ];

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "accountable" => Value::from(self.accountable.as_str()),
            "delivery" => chip(self.delivery),
            "flags" => Value::from(Serde(&self.flags)),
            "key" => Value::from(self.key.as_str()),
            "kind" => Value::from(self.kind),
            "latest_note" => Value::from(self.latest_note.as_str()),
            "outcome" => chip(self.outcome),
            "partners" => Value::from(self.partners.as_str()),
            "responsible" => Value::from(self.responsible.as_str()),
            "status" => Value::from(self.status.as_str()),
            "timescale" => Value::from(self.timescale.as_str()),
            "title" => Value::from(self.title.as_str()),
            _ => return None,
        })
    }
}

impl Fields for Exception {
    const NAMES: &'static [&'static str] = &["key", "rating", "reason", "title"];

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "key" => Value::from(self.key.as_str()),
            "rating" => chip(self.rating),
            "reason" => Value::from(self.reason.as_str()),
            "title" => Value::from(self.title.as_str()),
            _ => return None,
        })
    }
}

impl Fields for Chip {
    const NAMES: &'static [&'static str] = &["label", "rating", "shape", "word"];

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "label" => Value::from(self.label()),
            "rating" => Value::from(Serde(self.rating)),
            "shape" => Value::from(self.shape()),
            "word" => Value::from(self.word()),
            _ => return None,
        })
    }
}

/// One struct read as a map.
#[derive(Debug)]
struct One<T>(T);

impl<T: Fields> Object for One<T> {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.field(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.0.field(key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(T::NAMES)
    }
}

pub(crate) fn chip(chip: Chip) -> Value {
    Value::from_object(One(chip))
}

/// The chip `value` is, when it is one of the report's ([`chip`]).
pub(crate) fn chip_of(value: &Value) -> Option<Chip> {
    value.downcast_object_ref::<One<Chip>>().map(|one| one.0)
}

/// A list of structs read as a sequence of maps.
#[derive(Debug)]
struct List<T>(Arc<[T]>);

/// The entry `index` of a [`List`], read as a map.
#[derive(Debug)]
struct Entry<T> {
    list: Arc<List<T>>,
    index: usize,
}

impl<T: Fields> Object for List<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        self.0.get(index)?;
        Some(Value::from_object(Entry { list: Arc::clone(self), index }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

impl<T: Fields> Object for Entry<T> {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.list.0.get(self.index)?.field(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.list.0.get(self.index)?.field(key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(T::NAMES)
    }
}

fn list<T: Fields>(items: &Arc<[T]>) -> Value {
    Value::from_object(List(Arc::clone(items)))
}

/// The report's `objectives`: each section as a map, its `rows` read as the
/// template reaches them.
pub(crate) fn objectives(sections: &[ObjectiveSection]) -> Value {
    sections
        .iter()
        .map(|s| {
            BTreeMap::from([
                ("delivery", Value::from(Serde(&s.delivery))),
                ("key", Value::from(s.key.as_str())),
                ("outcome", Value::from(Serde(&s.outcome))),
                ("rows", list(&s.rows)),
                ("strand", Value::from(Serde(&s.strand))),
                ("title", Value::from(s.title.as_str())),
            ])
        })
        .map(Value::from)
        .collect()
}

/// The report's `exceptions`: each kind's group as a map, its `items` read as the
/// template reaches them.
pub(crate) fn exceptions(groups: &[ExceptionGroup]) -> Value {
    groups
        .iter()
        .map(|g| {
            BTreeMap::from([
                ("anchor", Value::from(g.anchor.as_str())),
                ("count", Value::from(g.count)),
                ("heading", Value::from(g.heading)),
                ("items", list(&g.items)),
                ("kind", Value::from(Serde(g.kind))),
            ])
        })
        .map(Value::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ragplan_core::generate::synthetic_plan;
    use ragplan_core::{Policy, rate};

    use crate::{Report, ReportOptions};

    /// A row reads with the keys its serialised map has, in their order; past the
    /// end of a list is undefined. (That every value is as serialised is checked
    /// with the report's other fields, in `template`.)
    #[test]
    fn a_row_reads_as_its_serialised_map() {
        let plan = synthetic_plan(60, 3, 7);
        let as_of = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
        let policy = Policy::default();
        let ratings = rate(&plan, &policy, as_of);
        let report = Report::build(&ratings, None, &ReportOptions::default());
        let row = &report.objectives[0].rows[0];
        let read = objectives(&report.objectives);
        let rows = read.get_item_by_index(0).and_then(|s| s.get_attr("rows")).unwrap_or_default();
        let first = rows.get_item_by_index(0).unwrap_or_default();
        let names: Vec<String> =
            first.try_iter().map(|keys| keys.map(|k| k.to_string()).collect()).unwrap_or_default();
        let json = serde_json::to_value(row).unwrap_or_default();
        let want: Vec<String> =
            json.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        assert_eq!(names, want);
        assert_eq!(first.get_attr("title").ok(), Some(Value::from(row.title.as_str())));
        let past = rows.get_item_by_index(report.objectives[0].rows.len());
        assert!(past.is_ok_and(|v| v.is_undefined()));
    }
}

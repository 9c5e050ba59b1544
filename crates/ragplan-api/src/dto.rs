//! The JSON shapes the API reads and writes, besides the `ragplan/1` plan document
//! and the `ragplan-assessment/1` document, which come from `ragplan-core` unchanged.
//!
//! Field names are `snake_case`; input types reject unknown fields, so a misspelt
//! field is an error rather than silently lost.

use chrono::NaiveDate;
use ragplan_core::Field;
use ragplan_core::{Override, Plan, PlanId, Rating, Scale, Status, Update, Withdrawal};
use ragplan_import::{ImportOptions, ReimportOptions, SourceFormat};
use ragplan_report::Format;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Role;
use crate::store::{AuditEntry, TokenInfo};

/// The bytes of a file sent or returned as they are (a workbook, a Word document):
/// `type: string, format: binary` in the OpenAPI document, so that a generated
/// client sends a file, not a list of numbers.
pub struct FileBytes;

impl utoipa::PartialSchema for FileBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for FileBytes {}

/// A `ragplan/2` plan document. Its schema in the OpenAPI document is the model's
/// own JSON Schema (`schemas/ragplan-2.schema.json`), component `Plan`, put there by
/// [`crate::openapi::json`]; this names it.
pub struct PlanDocument;

/// A `ragplan-assessment/2` document: component `AssessmentDocument`, the engine's
/// own JSON Schema (`schemas/ragplan-assessment-2.schema.json`), as for
/// [`PlanDocument`].
pub struct AssessmentDocument;

/// Placeholders for [`crate::openapi::json`] to replace with the generated schemas.
macro_rules! generated_schema {
    ($($type:ty => $name:literal),*) => {$(
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new().into()
            }
        }

        impl ToSchema for $type {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    )*};
}

generated_schema!(PlanDocument => "Plan", AssessmentDocument => "AssessmentDocument");

/// One plan in the list of plans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanSummary {
    /// The plan's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its version (the `ETag` of `GET /v1/plans/{id}`).
    pub version: u64,
    /// How many actions it has.
    pub n_actions: usize,
    /// The plan's delivery rating as of today, under the default policy.
    pub delivery_rating: String,
    /// The plan's outcome rating as of today, under the default policy.
    pub outcome_rating: String,
    /// When it was first stored.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// A page of plans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanList {
    /// The plans on this page, ordered by id.
    pub items: Vec<PlanSummary>,
    /// How many plans there are in all.
    pub total: u64,
    /// The page size asked for.
    pub limit: u32,
    /// How many were skipped.
    pub offset: u64,
}

/// `limit` and `offset` of a paginated list.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u32>,
    /// How many to skip (default 0).
    pub offset: Option<u64>,
}

/// The largest page.
pub const MAX_PAGE: u32 = 500;

impl Paging {
    /// The page size, within 1 to [`MAX_PAGE`].
    pub fn limit(self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, MAX_PAGE)
    }

    /// How many to skip.
    pub fn offset(self) -> u64 {
        self.offset.unwrap_or(0)
    }
}

/// `as_of` and `policy` of an assessment or lints.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessQuery {
    /// The date to rate the plan as of (`YYYY-MM-DD`); today when left out.
    pub as_of: Option<String>,
    /// A policy as JSON (fields left out take their defaults), such as
    /// `{"source":"reported"}`; the default policy when left out.
    pub policy: Option<String>,
}

/// `as_of`, `policy` and `tag` of a portfolio.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PortfolioQuery {
    /// The date to rate the plans as of (`YYYY-MM-DD`); today when left out.
    pub as_of: Option<String>,
    /// A policy as JSON (fields left out take their defaults); the default policy
    /// when left out.
    pub policy: Option<String>,
    /// Only the plans with this tag (whole, any case).
    pub tag: Option<String>,
}

/// The query of a report.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `md`, `html` (default), `csv`, `xlsx`, `docx` or `json`.
    #[serde(default, deserialize_with = "text::parsed")]
    #[param(value_type = Option<String>)]
    pub format: Option<Format>,
    /// The date to report as of (`YYYY-MM-DD`); today when left out.
    pub as_of: Option<String>,
    /// The date of the previous report, for movement (`YYYY-MM-DD`): the plan as it
    /// stood then is rebuilt from its update logs.
    pub previous: Option<String>,
    /// A policy as JSON; the default policy when left out.
    pub policy: Option<String>,
    /// The report's title; the plan's title when left out.
    pub title: Option<String>,
}

/// The query of an import.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `auto` (default), `tsv`, `csv`, `xlsx`, `docx`, `md`, `text` or `json`.
    #[serde(default, deserialize_with = "text::required")]
    #[param(value_type = Option<String>)]
    pub format: SourceFormat,
    /// The new plan's id; by default made from `file_name` or the title.
    #[param(value_type = Option<String>)]
    pub id: Option<PlanId>,
    /// The new plan's title.
    pub title: Option<String>,
    /// The source's file name (helps detect the format).
    pub file_name: Option<String>,
    /// The workbook sheet to read.
    pub sheet: Option<String>,
    /// The rating scale: `rag3`, `brag` or `dca5`.
    #[serde(default, deserialize_with = "text::parsed")]
    #[param(value_type = Option<String>)]
    pub scale: Option<Scale>,
    /// The character between cells of a delimited source: one character such as
    /// `;` or `|`, or `tab`; detected when left out.
    #[serde(default, deserialize_with = "text::parsed")]
    #[param(value_type = Option<String>)]
    pub delimiter: Option<Delimiter>,
    /// Codes the source writes for its ratings: `lg=green,la=amber,lr=red`.
    #[serde(default, deserialize_with = "text::parsed")]
    #[param(value_type = Option<String>)]
    pub rating_map: Option<RatingMap>,
    /// `true` to read the table on its side: the header down the first column.
    #[serde(default)]
    pub transpose: bool,
    /// The date the source's ratings were reported on (`YYYY-MM-DD`), as
    /// `ragplan import --reported-on` takes it; by default a plain date in the
    /// source's title, else none.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub reported_on: Option<NaiveDate>,
}

/// A `rating_map` query parameter, read as `ragplan import --rating-map` reads it.
#[derive(Debug, Clone)]
pub struct RatingMap(pub Vec<(String, Rating)>);

impl std::str::FromStr for RatingMap {
    type Err = ragplan_import::ParseRatingMapError;
    fn from_str(text: &str) -> Result<RatingMap, Self::Err> {
        ragplan_import::parse_rating_map(text).map(RatingMap)
    }
}

/// A `delimiter` query parameter, read as `ragplan import --delimiter` reads it.
#[derive(Debug, Clone, Copy)]
pub struct Delimiter(pub u8);

impl std::str::FromStr for Delimiter {
    type Err = ragplan_import::ParseDelimiterError;
    fn from_str(text: &str) -> Result<Delimiter, Self::Err> {
        ragplan_import::parse_delimiter(text).map(Delimiter)
    }
}

impl ImportQuery {
    /// What the importer is asked for.
    pub fn options(self) -> ImportOptions {
        ImportOptions::for_format(self.format)
            .with_file_name(self.file_name)
            .with_sheet(self.sheet)
            .with_id(self.id)
            .with_title(self.title)
            .with_scale(self.scale)
            .with_delimiter(self.delimiter.map(|d| d.0))
            .with_rating_map(self.rating_map.map(|m| m.0).unwrap_or_default())
            .with_transpose(self.transpose)
            .with_reported_on(self.reported_on)
    }
}

/// The query of a re-import.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReimportQuery {
    /// `auto` (default), `tsv`, `csv`, `xlsx`, `docx`, `md`, `text` or `json`.
    #[serde(default, deserialize_with = "text::required")]
    #[param(value_type = Option<String>)]
    pub format: SourceFormat,
    /// The source's file name (helps detect the format).
    pub file_name: Option<String>,
    /// The workbook sheet to read.
    pub sheet: Option<String>,
    /// The date the newer source's ratings were reported on (`YYYY-MM-DD`): a
    /// rating it holds replaces one logged by an update only when reported after
    /// that update.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub reported_on: Option<NaiveDate>,
    /// Whether actions missing from the newer version are dropped rather than kept
    /// and marked removed (default false). Dropping deletes what the plan held, as
    /// deleting the plan does, so it needs the admin role; an editor's re-import
    /// keeps the missing actions, marked removed.
    #[serde(default)]
    #[param(value_type = Option<bool>)]
    pub prune: bool,
}

impl ReimportQuery {
    /// What the importer is asked for, to read a newer version of `plan`'s source.
    pub fn options(&self, plan: &Plan) -> ImportOptions {
        ImportOptions::for_format(self.format)
            .with_file_name(self.file_name.clone())
            .with_sheet(self.sheet.clone())
            .with_id(Some(plan.id.clone()))
            .with_title(Some(plan.title.clone()))
            .with_scale(Some(plan.scale))
            .with_reported_on(self.reported_on)
    }

    /// How the newer version is merged.
    pub fn merge(&self) -> ReimportOptions {
        let mut merge = ReimportOptions::default();
        merge.prune = self.prune;
        merge
    }
}

/// An imported plan, stored at version 1.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportResponse {
    /// The plan's id.
    pub id: String,
    /// Its version (1).
    pub version: u64,
    /// The `ragplan/2` document.
    #[schema(value_type = PlanDocument)]
    pub plan: serde_json::Value,
    /// What the importer guessed or could not map, with source row and column.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: serde_json::Value,
}

/// A re-imported plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReimportResponse {
    /// The plan's id.
    pub id: String,
    /// Its new version.
    pub version: u64,
    /// What was added, removed or changed.
    #[schema(value_type = Vec<Object>)]
    pub changes: serde_json::Value,
    /// What the importer guessed or could not map in the newer version.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: serde_json::Value,
}

/// A progress update on an action. Every field is optional but `by`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRequest {
    /// The delivery rating ("red", "amber", "Amber/Green", "G" …).
    #[serde(default, deserialize_with = "text::parsed")]
    #[schema(value_type = Option<String>)]
    pub delivery_rating: Option<Rating>,
    /// The outcome rating.
    #[serde(default, deserialize_with = "text::parsed")]
    #[schema(value_type = Option<String>)]
    pub outcome_rating: Option<Rating>,
    /// `not_started`, `in_progress`, `complete`, `cancelled` or `on_hold`.
    #[serde(default, deserialize_with = "text::parsed")]
    #[schema(value_type = Option<String>)]
    pub status: Option<Status>,
    /// Progress in percent, 0 to 100.
    #[schema(maximum = 100)]
    pub progress: Option<u8>,
    /// The progress note.
    pub note: Option<String>,
    /// Evidence added with the update.
    pub evidence: Option<String>,
    /// Who made the update (required).
    #[serde(default)]
    pub by: String,
    /// The date of the update (`YYYY-MM-DD`); today when left out, and never after
    /// today (an update records what has happened).
    #[serde(default, deserialize_with = "text::date")]
    pub on: Option<NaiveDate>,
}

impl UpdateRequest {
    /// The update, dated `today` when the request names no date; a blank note or
    /// evidence is none.
    pub fn into_update(self, today: NaiveDate) -> Update {
        let text = |t: Option<String>| t.filter(|t| !t.trim().is_empty());
        Update {
            on: self.on.unwrap_or(today),
            by: self.by,
            delivery: self.delivery_rating,
            outcome: self.outcome_rating,
            status: self.status,
            progress: self.progress,
            note: text(self.note),
            evidence: text(self.evidence),
        }
    }
}

/// Declares a request body that sets a node's own fields: the fields given in the
/// macro call, then every editable field of a node, then who makes the change and
/// when. A field left out is `None`; `null` empties a list and is refused for a field
/// that cannot be empty. `editable_changes` takes the editable fields out as the
/// core's [`ragplan_core::Changes`].
macro_rules! node_fields_body {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Where the action stands before any update reports it: `not_started`,
            /// `in_progress`, `complete`, `cancelled` or `on_hold`.
            #[serde(default, deserialize_with = "patch::kept_parsed")]
            #[schema(value_type = Option<String>)]
            pub status: Option<Status>,
            /// Who is answerable: each name a person or a role, as the importer reads it.
            #[serde(default, deserialize_with = "patch::list")]
            pub accountable: Option<Vec<String>>,
            /// Who does the work.
            #[serde(default, deserialize_with = "patch::list")]
            pub responsible: Option<Vec<String>>,
            /// The agencies involved.
            #[serde(default, deserialize_with = "patch::list")]
            pub partners: Option<Vec<String>>,
            /// When the action is due, as a user writes it (`31 March 2016`, `Q3 2015/16`).
            #[serde(default, deserialize_with = "patch::kept")]
            pub timescale: Option<String>,
            /// When the work starts (`YYYY-MM-DD`).
            #[serde(default, deserialize_with = "patch::kept_date")]
            pub start: Option<NaiveDate>,
            /// The keys of the actions that must finish first.
            #[serde(default, deserialize_with = "patch::list")]
            #[schema(value_type = Option<Vec<String>>)]
            pub depends_on: Option<Vec<ragplan_core::Key>>,
            /// Whether the node is critical (a Red critical child makes its parent Red).
            #[serde(default, deserialize_with = "patch::kept")]
            pub critical: Option<bool>,
            /// The node's weight in a weighted roll-up (1 or more).
            #[serde(default, deserialize_with = "patch::kept")]
            pub weight: Option<u32>,
            /// When ongoing work is next reviewed (`YYYY-MM-DD`).
            #[serde(default, deserialize_with = "patch::kept_date")]
            pub review_date: Option<NaiveDate>,
            /// What shows the action is done, the whole list.
            #[serde(default, deserialize_with = "patch::list")]
            pub evidence: Option<Vec<String>>,
            /// The action's intended effects, the whole list.
            #[serde(default, deserialize_with = "patch::list")]
            pub outcomes: Option<Vec<String>>,
            /// Who makes the change (required).
            #[serde(default)]
            pub by: String,
            /// The date of the change (`YYYY-MM-DD`); today when left out.
            #[serde(default, deserialize_with = "text::date")]
            pub on: Option<NaiveDate>,
        }

        impl $name {
            /// The editable fields given, as the core's changes (without a title).
            fn editable_changes(&mut self) -> ragplan_core::Changes {
                let owners = |names: Option<Vec<String>>| {
                    names.map(|n| n.iter().map(|n| ragplan_import::classify_owner(n)).collect())
                };
                ragplan_core::Changes {
                    status: self.status.take(),
                    title: None,
                    accountable: owners(self.accountable.take()),
                    responsible: owners(self.responsible.take()),
                    partners: self.partners.take(),
                    timescale: self.timescale.take(),
                    start: self.start.take(),
                    depends_on: self.depends_on.take(),
                    critical: self.critical.take(),
                    weight: self.weight.take(),
                    review_date: self.review_date.take(),
                    evidence: self.evidence.take(),
                    outcomes: self.outcomes.take(),
                    measures: None,
                }
            }
        }
    };
}

node_fields_body! {
    /// A JSON Merge Patch (RFC 7396) of a node's own fields, with who makes the
    /// change. A field left out is unchanged; `null` empties a list (owners,
    /// partners, dependencies, evidence, outcomes) and is refused, with the field
    /// named, for `status`, `title`, `timescale`, `start`, `critical`, `weight` and
    /// `review_date`, which a patch sets but cannot clear. A patch that gives no
    /// field is refused. An objective or sub-objective has only `title`, `critical`
    /// and `weight`; an action has every field, and `status` only until an update
    /// reports one. `by` is required.
    pub struct NodePatch {
        /// A new title.
        #[serde(default, deserialize_with = "patch::kept")]
        pub title: Option<String>,
    }
}

impl NodePatch {
    /// The changes the patch makes, who makes them and when (`today` when the patch
    /// names no date).
    pub fn into_changes(mut self, today: NaiveDate) -> (ragplan_core::Changes, String, NaiveDate) {
        let changes = ragplan_core::Changes { title: self.title.take(), ..self.editable_changes() };
        (changes, self.by, self.on.unwrap_or(today))
    }
}

node_fields_body! {
    /// A node to add to a plan: an objective (no `under`), or a sub-objective or
    /// action under the objective or sub-objective with key `under`, with its title
    /// and, as a patch of it would set them, its other fields. The key is `key`, or
    /// the parent's key and the next number (`R3.2` after `R3.1`). `title` and `by`
    /// are required.
    pub struct NodeRequest {
        /// The key of the objective or sub-objective the node goes under; none for
        /// an objective.
        #[serde(default)]
        #[schema(value_type = Option<String>)]
        pub under: Option<ragplan_core::Key>,
        /// What the node is: `objective`, `sub_objective` or `action`; default an
        /// action with `under`, an objective without.
        #[serde(default)]
        #[schema(value_type = Option<String>)]
        pub kind: Option<ragplan_core::NodeKind>,
        /// The new node's key; default the parent's key and the next number.
        #[serde(default)]
        #[schema(value_type = Option<String>)]
        pub key: Option<ragplan_core::Key>,
        /// The node's title (required).
        #[serde(default)]
        pub title: String,
    }
}

impl NodeRequest {
    /// The node to add, who adds it and when (`today` when the request names no
    /// date).
    pub fn into_new_node(mut self, today: NaiveDate) -> (ragplan_core::NewNode, String, NaiveDate) {
        let fields = self.editable_changes();
        let node = ragplan_core::NewNode {
            kind: self.kind,
            under: self.under,
            key: self.key,
            title: self.title,
            fields,
        };
        (node, self.by, self.on.unwrap_or(today))
    }
}

/// The removal of a node from a plan: who, when and why. `by` and `justification`
/// are required.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalRequest {
    /// Why the node is taken out (required; kept in the plan's change log).
    #[serde(default)]
    pub justification: String,
    /// Who removes it (required).
    #[serde(default)]
    pub by: String,
    /// The date of the removal (`YYYY-MM-DD`); today when left out.
    #[serde(default, deserialize_with = "text::date")]
    pub on: Option<NaiveDate>,
}

/// A node after its removal: the keys marked removed (the node's first, then those
/// under it not removed before), the node as the plan document has it, and its
/// ratings as assessed (flagged `removed`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemovalResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The node's key.
    pub key: String,
    /// Every key marked removed, the node's first.
    pub removed: Vec<String>,
    /// The node as in the plan document (without its children).
    #[schema(value_type = Object)]
    pub node: serde_json::Value,
    /// The node's ratings as of `as_of` under the default policy.
    #[schema(value_type = Object)]
    pub assessment: serde_json::Value,
    /// The date it was assessed as of (today).
    pub as_of: NaiveDate,
}

/// A node after a patch: what changed, the node as the plan document has it, and its
/// ratings as assessed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The node's key.
    pub key: String,
    /// The fields the patch changed, in order; empty when every value given was the
    /// node's already (the plan's change log then gets no entry; the request is
    /// still stored as a version with its audit entry).
    pub changed: Vec<String>,
    /// The node as in the plan document (without its children).
    #[schema(value_type = Object)]
    pub node: serde_json::Value,
    /// The node's ratings as of `as_of` under the default policy: its node of the
    /// assessment.
    #[schema(value_type = Object)]
    pub assessment: serde_json::Value,
    /// The date it was assessed as of (today).
    pub as_of: NaiveDate,
}

/// A reading of a measure. `value` and `by` are required.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingRequest {
    /// The value read, in the measure's unit.
    pub value: f64,
    /// A note on the reading.
    #[serde(default)]
    pub note: Option<String>,
    /// Who took the reading (required).
    #[serde(default)]
    pub by: String,
    /// When the value was taken (`YYYY-MM-DD`); today when left out.
    #[serde(default, deserialize_with = "text::date")]
    pub on: Option<NaiveDate>,
}

/// A measure after a reading: the measure with its readings, and its parent's ratings
/// as assessed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The key of the objective or sub-objective that holds the measure.
    pub parent: String,
    /// The measure as in the plan document, readings oldest first.
    #[schema(value_type = Object)]
    pub measure: serde_json::Value,
    /// The parent's ratings as of `as_of` under the default policy (its outcome
    /// rated from its measures).
    #[schema(value_type = Object)]
    pub assessment: serde_json::Value,
    /// The date it was assessed as of (today).
    pub as_of: NaiveDate,
}

/// A node's story: its edits, updates, overrides and withdrawals in date order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeLogResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The story, as `ragplan log --format json` writes it: the node's `key`, `kind`
    /// and `title`, and its `events`, oldest first, each with an `event` of `edit`,
    /// `update`, `override` or `withdrawal`.
    #[schema(value_type = Object)]
    pub log: serde_json::Value,
}

/// A professional-judgement override of an action's rating. All fields but `on` are
/// required.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The rating that stands ("amber", "Amber/Green", "G" …).
    #[serde(deserialize_with = "text::required")]
    #[schema(value_type = String)]
    pub rating: Rating,
    /// Who made the judgement.
    #[serde(default)]
    pub by: String,
    /// When (`YYYY-MM-DD`); today when left out.
    #[serde(default, deserialize_with = "text::date")]
    pub on: Option<NaiveDate>,
    /// Why the rating differs (required).
    #[serde(default)]
    pub justification: String,
}

/// The withdrawal of the override in force on an action. `by` and `justification`
/// are required.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
    /// Who withdraws the judgement.
    #[serde(default)]
    pub by: String,
    /// When (`YYYY-MM-DD`); today when left out.
    #[serde(default, deserialize_with = "text::date")]
    pub on: Option<NaiveDate>,
    /// Why it is withdrawn (required).
    #[serde(default)]
    pub justification: String,
}

impl WithdrawalRequest {
    /// The withdrawal, dated `today` when the request names no date.
    pub fn into_withdrawal(self, today: NaiveDate) -> Withdrawal {
        Withdrawal { by: self.by, on: self.on.unwrap_or(today), justification: self.justification }
    }
}

impl OverrideRequest {
    /// The override, dated `today` when the request names no date.
    pub fn into_override(self, today: NaiveDate) -> Override {
        Override {
            rating: self.rating,
            by: self.by,
            on: self.on.unwrap_or(today),
            justification: self.justification,
            withdrawn: None,
        }
    }
}

/// The name in an update or override body of a field the plan checks.
pub(crate) fn wire_name(field: Field) -> &'static str {
    match field {
        Field::Delivery => "delivery_rating",
        Field::Outcome => "outcome_rating",
        other => other.as_str(),
    }
}

/// The field named `at` in an update or override body.
pub(crate) fn field_named(at: &str) -> Option<Field> {
    Field::ALL.into_iter().find(|f| wire_name(*f) == at)
}

/// The fields of a merge patch: left out is `None`; `null` empties a list and is
/// refused for a field that cannot be empty.
mod patch {
    use chrono::NaiveDate;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    /// A list: `null` is the empty list.
    pub(super) fn list<'de, D, T>(de: D) -> Result<Option<Vec<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Ok(Some(Option::<Vec<T>>::deserialize(de)?.unwrap_or_default()))
    }

    /// A value that cannot be removed: `null` is refused.
    pub(super) fn kept<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        match Option::<T>::deserialize(de)? {
            Some(value) => Ok(Some(value)),
            None => Err(D::Error::custom("cannot be removed; give it a value")),
        }
    }

    /// A value written as text (`"in progress"`) that cannot be removed.
    pub(super) fn kept_parsed<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: std::str::FromStr<Err: std::fmt::Display>,
    {
        match super::text::parsed(de)? {
            Some(value) => Ok(Some(value)),
            None => Err(D::Error::custom("cannot be removed; give it a value")),
        }
    }

    /// A `YYYY-MM-DD` date that cannot be removed.
    pub(super) fn kept_date<'de, D: Deserializer<'de>>(
        de: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match super::text::date(de)? {
            Some(date) => Ok(Some(date)),
            None => Err(D::Error::custom("cannot be removed; give it a date")),
        }
    }
}

/// Fields read from text through the core's own parsers, so that the API takes the
/// same spellings as the importer and the CLI (`"Amber/Green"`, `"G"`, `"on hold"`).
mod text {
    use std::fmt::Display;
    use std::str::FromStr;

    use chrono::NaiveDate;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    /// A value written as text, or none.
    pub(super) fn parsed<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr<Err: Display>,
    {
        let text = Option::<String>::deserialize(de)?;
        text.map(|t| t.parse().map_err(D::Error::custom)).transpose()
    }

    /// A value written as text.
    pub(super) fn required<'de, D, T>(de: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr<Err: Display>,
    {
        String::deserialize(de)?.parse().map_err(D::Error::custom)
    }

    /// A `YYYY-MM-DD` date, or none.
    pub(in crate::dto) fn date<'de, D: Deserializer<'de>>(
        de: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        let text = Option::<String>::deserialize(de)?;
        text.map(|t| {
            NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                D::Error::custom(format!("{t:?} is not a date; write it as YYYY-MM-DD"))
            })
        })
        .transpose()
    }
}

/// An action, with the plan's version and the action's ratings as assessed.
// Written straight from the plan and its ratings, borrowing both.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionResponse<'a> {
    /// The plan's id.
    #[schema(value_type = String)]
    pub plan_id: &'a str,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The action as in the `ragplan/2` document. In the answer to an update or an
    /// override, without its log of updates (GET the action for that), and with the
    /// log's latest entry as `latest_update`: the answer costs the same however long
    /// the log is.
    #[schema(value_type = Object)]
    pub action: ActionBody<'a>,
    /// The action's node of the assessment as of `as_of` under the default policy:
    /// ratings, reasons and flags.
    #[schema(value_type = Object)]
    pub assessment: Option<ragplan_core::document::NodeDocument<'a>>,
    /// The date the action was assessed as of (today).
    pub as_of: NaiveDate,
}

/// An action as an [`ActionResponse`] carries it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ActionBody<'a> {
    /// The whole action, log and all.
    Whole(&'a ragplan_core::Action),
    /// The action as a change left it, without its log: already JSON.
    Changed(&'a serde_json::value::RawValue),
}

/// A node's record of overrides (the plan's own for the plan), with the plan's
/// version and the node's ratings as assessed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverridesResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version (its `ETag`).
    pub version: u64,
    /// The node's key; none for the plan itself.
    pub key: Option<String>,
    /// Every override made on the node, oldest first, with its withdrawal if any.
    #[schema(value_type = Vec<Object>)]
    pub overrides: serde_json::Value,
    /// The node's ratings as of `as_of` under the default policy: for a node, its
    /// node of the assessment; for the plan, its delivery dimension.
    #[schema(value_type = Object)]
    pub assessment: serde_json::Value,
    /// The date it was assessed as of (today).
    pub as_of: NaiveDate,
}

/// The lints of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LintsResponse {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's version.
    pub version: u64,
    /// The date the plan was checked as of.
    pub as_of: NaiveDate,
    /// Every lint, with its code, severity, key and message.
    #[schema(value_type = Vec<Object>)]
    pub lints: serde_json::Value,
}

/// One entry of a plan's audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Position in the log.
    pub seq: i64,
    /// The plan's version after the change; none for a deletion.
    pub version: Option<u64>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The name of the token that made the change.
    pub who: String,
    /// The route, such as `POST /v1/plans/{id}/actions/{key}/updates`.
    pub route: String,
    /// What changed, in one line.
    pub summary: String,
    /// What changed, as it was. For an update or override of an action, the action
    /// without its log of updates (the plan keeps the log), with the log's latest
    /// entry as `latest_update`.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// What changed, as it became.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntry> for HistoryEntry {
    fn from(e: AuditEntry) -> HistoryEntry {
        HistoryEntry {
            seq: e.seq,
            version: e.version,
            at: e.at,
            who: e.who,
            route: e.route,
            summary: e.summary,
            before: e.before,
            after: e.after,
        }
    }
}

/// A page of a plan's audit log, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryPage {
    /// The plan's id.
    pub plan_id: String,
    /// The entries on this page.
    pub items: Vec<HistoryEntry>,
    /// How many entries there are in all.
    pub total: u64,
    /// The page size asked for.
    pub limit: u32,
    /// How many were skipped.
    pub offset: u64,
}

/// An action held by an owner.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnerAction {
    /// The plan's id.
    pub plan_id: String,
    /// The plan's title.
    pub plan_title: String,
    /// The action's key.
    pub key: String,
    /// The action's title.
    pub title: String,
    /// `accountable` or `responsible`.
    pub held_as: String,
    /// The action's status; none when the plan does not say.
    pub status: Option<String>,
    /// The timescale as written.
    pub timescale: String,
    /// The due date it resolves to, if any.
    pub due: Option<NaiveDate>,
    /// The action's delivery rating as of today under the default policy.
    pub delivery_rating: String,
}

/// Every action an owner holds, across plans.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnerActions {
    /// The owner's name as asked for (matched ignoring case and spaces around).
    pub owner: String,
    /// The date ratings are as of (today).
    pub as_of: NaiveDate,
    /// The actions, by plan id then plan order.
    pub actions: Vec<OwnerAction>,
}

/// The server's health.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// `ok` when the database answers.
    pub database: String,
    /// The ragplan version.
    pub version: String,
}

/// A token as listed (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    /// The token's id.
    pub id: i64,
    /// Its name: who or what uses it.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl From<TokenInfo> for TokenView {
    fn from(t: TokenInfo) -> TokenView {
        TokenView {
            id: t.id,
            name: t.name,
            role: t.role,
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// The tokens.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenList {
    /// Every token, revoked ones too, oldest first.
    pub items: Vec<TokenView>,
}

/// A token to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// Who or what uses the token (recorded in the audit log as who made a change).
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// A new token, with its secret: shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The token.
    pub token: TokenView,
    /// The bearer token to give to the client. Only its hash is kept.
    pub secret: String,
}

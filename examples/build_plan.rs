//! Builds a small multi-agency plan in code and prints its `ragplan/1` JSON document.
//!
//! Run with `cargo run --example build_plan`.

use chrono::NaiveDate;
use ragplan_core::{
    Action, Key, Objective, Override, Owner, Plan, PlanId, Rating, Scale, Status, SubObjective,
    Timescale, Update,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("invalid date");

    let mut plan = Plan::new(PlanId::new("cse-delivery-plan")?, "CSE delivery plan");
    plan.owner_body = Some("Local Safeguarding Children Board".into());
    plan.period = Some(Timescale::parse("March 2015 - March 2017"));
    plan.scale = Scale::Brag;
    plan.strands = vec!["prevent".into(), "protect".into()];

    // Objective 1 holds a sub-objective with two actions.
    let mut prevent = Objective::new(Key::new("1")?, "Prevent");
    prevent.strand = Some("prevent".into());
    let mut data = SubObjective::new(Key::new("1.1")?, "Collect and use data on CSE");

    let mut agreement =
        Action::new(Key::new("1.1.1")?, "Information sharing agreement to be in place");
    agreement.accountable.push(Owner::person("Jayne Hutchings"));
    agreement.responsible.push(Owner::role("Information governance"));
    agreement.partners = vec!["Police".into(), "Health".into()];
    agreement.timescale = Timescale::parse("May 2015");
    agreement.action_rag = Some(Rating::Green);
    agreement.status = Some(Status::InProgress);
    let mut update = Update::new(date(2015, 4, 15)?, "Rebekah Eaves");
    update.delivery = Some(Rating::Amber);
    update.progress = Some(60);
    update.note = Some("Draft agreement with legal services".into());
    agreement.updates.push(update);
    agreement.overrides.push(Override::new(
        Rating::Amber,
        "LSCB Chair",
        date(2015, 6, 1)?,
        "Police data is shared under an interim protocol until the agreement is signed",
    )?);

    let mut profile = Action::new(Key::new("1.1.2")?, "Maintain and populate the problem profile");
    profile.accountable.push(Owner::role("WMP"));
    profile.timescale = Timescale::parse("Ongoing");
    profile.review_date = Some(date(2015, 9, 30)?);
    profile.evidence.push("Problem profile, quarterly".into());
    profile.action_rag = Some(Rating::Green);

    data.actions = vec![agreement, profile];
    prevent.sub_objectives.push(data);

    // Objective 2 is a recommendation that holds its action directly.
    let mut reports =
        Objective::new(Key::new("R7")?, "CSE features in quarterly performance reports");
    let mut action = Action::new(Key::new("R7a")?, "Add CSE measures to the Cabinet report");
    action.accountable.push(Owner::person("Cabinet Member for Children and Young People"));
    action.timescale = Timescale::parse("Q2 2015/16");
    reports.actions.push(action);

    plan.objectives = vec![prevent, reports];
    print!("{}", plan.to_json());
    Ok(())
}

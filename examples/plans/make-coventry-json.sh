#!/bin/sh
# Rebuilds coventry-cse-delivery-plan.json: the bundled TSV imported as it is, then
# the six dated updates of the first quarter of 2015/16 recorded with `ragplan
# update`, as an analyst would. Run from the repository root:
#   sh examples/plans/make-coventry-json.sh
set -eu
out=examples/plans/coventry-cse-delivery-plan.json
ragplan="${RAGPLAN:-cargo run --quiet --}"
$ragplan import examples/plans/coventry-cse-delivery-plan.tsv -o "$out" \
  --id coventry-cse-2015 --title "Coventry CSE delivery plan (draft, March 2015)"
$ragplan update "$out" 1.1.2 --on 2015-03-13 --by "Jayne Hutchings" --status in_progress --progress 30 \
  --note "Draft agreement circulated to partners for comment"
$ragplan update "$out" 1.5.1 --on 2015-03-20 --by "Darren O'Shaunassey" --status in_progress \
  --note "Communication plan drafted; targeted work with hotels and taxi firms to follow"
$ragplan update "$out" 1.6.1 --on 2015-04-20 --by "Mandie Watson" --rating green --status in_progress \
  --note "Hotline number agreed with the MASH"
$ragplan update "$out" 1.2.2 --on 2015-06-10 --by "Mandie Watson" --rating green --status in_progress \
  --progress 80 --note "Briefings held for every social care team but one" \
  --evidence "Briefing attendance register, May-June 2015"
$ragplan update "$out" 1.16.2 --on 2015-06-25 --by "WMP" --status complete \
  --note "Arrest protocol in force" --evidence "WMP arrest protocol, June 2015"
$ragplan update "$out" 1.1.1 --on 2015-06-26 --by "Mandie Watson" --status in_progress \
  --note "Problem profile refreshed; screening tool in use by police and social care"
$ragplan override "$out" 1.1.1 --rating amber --by "LSCB Chair" --on 2015-06-30 \
  --justification "Problem profile refreshed in June and the screening tool is used by police and social care; health to follow in July"

#!/usr/bin/env bash
# The dashboard in a real browser: builds ragplan, starts `ragplan serve` on
# 127.0.0.1 with a temporary database, imports the bundled Coventry plan (and two
# updates) through the API, makes a reader token, and runs .ci/dashboard/e2e.mjs in
# headless Chromium: sign in, the plan list, a click through to the plan, a filter, a
# click through to an action, each page checked by axe-core at 1366 and 390 px and
# for no horizontal scroll at 390 px, and screenshots of the plan and an action at
# both widths. The server is stopped whatever happens.
#
#   .ci/dashboard.sh                  # from the repository root, as .ci/run calls it
#   .ci/dashboard.sh --screenshots    # writes them as docs/dashboard-{plan,tree,action}-{1366,390}.png
#
# What it needs, and how it is installed, is .ci/browser-env.sh's, which the HTML
# report's check shares.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every run takes its screenshots (into target/browser/dashboard-screenshots, to look
# at when a check fails); --screenshots writes them into docs/ instead, once, for
# docs/dashboard.md.
screenshots=""
if [[ "${1:-}" == "--screenshots" ]]; then
  screenshots="$(pwd)/docs"
fi

# Node.js, Chromium, fonts, the pinned npm packages and ragplan.
source .ci/browser-env.sh

work="$(mktemp -d)"
server=""
stop() {
  # The server is one process: stopped by its id, and waited for.
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

db="$work/ragplan.db"
editor="$("$ragplan" token create --role editor --name dashboard-import --db "$db" | tail -n 1)"
reader="$("$ragplan" token create --role reader --name dashboard-e2e --db "$db" | tail -n 1)"

source .ci/serve.sh
start_serve "$ragplan" "$db" "$work"

curl --silent --show-error --fail -X POST \
  "$base/v1/plans/import?id=coventry-cse&title=Coventry%20CSE%20delivery%20plan&file_name=coventry-cse-delivery-plan.tsv&reported_on=2015-03-31" \
  -H "Authorization: Bearer $editor" \
  --data-binary @examples/plans/coventry-cse-delivery-plan.tsv -o "$work/imported.json"
# Two updates a quarter apart on action 1.1.2, which stays Red (it is overdue): the
# plan has a trend, and the action the browser opens has a log.
update() {
  local etag
  etag="$(curl --silent --show-error --fail --head "$base/v1/plans/coventry-cse" \
    -H "Authorization: Bearer $editor" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r')"
  curl --silent --show-error --fail -X POST "$base/v1/plans/coventry-cse/actions/1.1.2/updates" \
    -H "Authorization: Bearer $editor" -H "If-Match: $etag" -H 'Content-Type: application/json' \
    -d "$1" -o "$work/updated.json"
}
update '{"on": "2015-03-20", "status": "in_progress", "delivery_rating": "amber", "progress": 40, "note": "Draft agreement with the police and health", "by": "LSCB Business Manager"}'
update '{"on": "2015-06-01", "delivery_rating": "red", "note": "Sign-off by the police delayed to July", "by": "LSCB Business Manager"}'

if [[ -z "$screenshots" ]]; then
  screenshots="$modules_dir/dashboard-screenshots"
  mkdir -p "$screenshots"
fi
args=("$base" "$reader" --screenshots "$screenshots")
NODE_MODULES="$modules" CHROMIUM="$chromium" node .ci/dashboard/e2e.mjs "${args[@]}"

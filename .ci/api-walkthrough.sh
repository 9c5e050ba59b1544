#!/usr/bin/env bash
# Runs every command of docs/api.md, in order, as one script, in a temporary folder
# (with the repository's examples beside it) against the `ragplan` just built: the
# curl walkthrough from a fresh server to a report. Then checks what the commands
# wrote. Fails, never skips: curl is needed (CI installs it when missing).
#
#   .ci/api-walkthrough.sh          # from the repository root, as .ci/run calls it
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

if ! command -v curl >/dev/null; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y curl
  else
    echo "error: curl is needed to run docs/api.md" >&2
    exit 2
  fi
fi

cargo build --locked --bin ragplan
export PATH="$root/${CARGO_TARGET_DIR:-target}/debug:$PATH"

work="$(mktemp -d)"
group=""
stop() {
  # The walkthrough's server, should a command fail before it is stopped.
  [[ -n "$group" ]] && kill -- "-$group" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
ln -s "$root/examples" "$work/examples"

# The ```sh blocks of the walkthrough, in order.
awk '/^```sh$/ { on = 1; next } /^```$/ { on = 0; next } on' docs/api.md > "$work/walkthrough.sh"
# In a session of its own, so that its server goes with it whatever happens.
setsid bash -c 'cd "$1" && exec bash -euo pipefail walkthrough.sh' walkthrough "$work" &
group=$!
wait "$group"

check() {
  grep -q -- "$2" "$work/$1" || { echo "error: $1 does not hold $2" >&2; exit 1; }
}
check imported.json '"id": *"coventry-cse"'
check assessment.json '"format": *"ragplan-assessment/2"'
check updated.json '"key": *"1.1.1"'
check q1-2015-16.html '<html'
check q1-2015-16.csv '^plan_id,as_of,key,'
check q1-2015-16.csv '^coventry-cse,2015-06-30,1.1.1,'
check portfolio.json '"format": *"ragplan-portfolio/1"'
check portfolio.json '"plan_id": *"coventry-cse"'
# A Word document is a zip holding word/document.xml.
[[ "$(head -c 2 "$work/q1-2015-16-cabinet.docx")" == "PK" ]] \
  || { echo "error: q1-2015-16-cabinet.docx is not a zip" >&2; exit 1; }
grep -q -a 'word/document.xml' "$work/q1-2015-16-cabinet.docx" \
  || { echo "error: q1-2015-16-cabinet.docx holds no word/document.xml" >&2; exit 1; }
echo "docs/api.md: $(grep -c '' "$work/walkthrough.sh") lines run, every answer as the walkthrough says"

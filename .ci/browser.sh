#!/usr/bin/env bash
# The HTML report in a real browser: reports made by the `ragplan` just built from
# the bundled Coventry plan and from the council papers in
# tests/fixtures/import/seeds/ (copies of the seed papers), each opened
# in headless Chromium at 1366 and 390 pixels wide and printed to an A4 PDF
# (.ci/browser/check.cjs). Fails on any axe-core violation at either width, a page
# wider than the window, a word broken over lines or a column a few characters wide,
# text or chips drawn over each other, a cell whose content runs out of it, chart
# text drawn under 10 pixels, and a PDF that is not A4, has a page without "Page i of
# n" at its foot, a blank page, a first page used less than half-way down, or a page
# that opens on a table row without the table's header. Fails, never skips: what it
# needs it installs, or it stops with an error saying what is missing.
#
#   .ci/browser.sh                     # from the repository root, as .ci/run calls it
#   .ci/browser.sh --screenshots docs  # the same, and writes the Coventry report's
#                                      # first two screens at each width, a screen of
#                                      # its first plan table on the phone, and its
#                                      # first printed page: docs/report-1366.png,
#                                      # docs/report-390.png, docs/report-390-table.png,
#                                      # docs/report-print.png
#
# What it needs, and how it is installed, is .ci/browser-env.sh's, which the
# dashboard's check shares.
set -euo pipefail
cd "$(dirname "$0")/.."

screenshots=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --screenshots) screenshots="$2"; shift 2 ;;
    *) echo "usage: .ci/browser.sh [--screenshots DIR]" >&2; exit 2 ;;
  esac
done

# Node.js, Chromium, fonts, the pinned npm packages and ragplan.
source .ci/browser-env.sh

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The reports: the bundled Coventry plan with its update log, as the report tests
# make it; and the seed papers as `ragplan import` reads them.
seeds=tests/fixtures/import/seeds
"$ragplan" report examples/plans/coventry-cse-delivery-plan.json --format html \
  --as-of 2015-06-30 --previous 2015-03-31 -o "$work/report.html"
reports=("report=$work/report.html")
import() {
  local name="$1" paper="$2"
  shift 2
  "$ragplan" import "$seeds/$paper" "$@" -o "$work/$name.json" 2>"$work/$name.import.log" \
    || { cat "$work/$name.import.log" >&2; exit 1; }
  "$ragplan" report "$work/$name.json" --format html --as-of 2015-06-30 -o "$work/$name.html"
  reports+=("$name=$work/$name.html")
}
import coventry-paper 004_fb65358b1dfe1f51.txt
import stockton 002_83c5d27b8b45861a.txt
import plymouth-timetable 001_8a2f30d9651ff971.txt
import plymouth-jay 001_8a2f30d9651ff971.txt --plan 2

args=(--pdf-dir "$work/pdf")
[[ -n "$screenshots" ]] && args+=(--screenshots "$work/shots")
CHROMIUM="$chromium" NODE_PATH="$modules" \
  node .ci/browser/check.cjs "${args[@]}" "${reports[@]}"

if [[ -n "$screenshots" ]]; then
  mkdir -p "$screenshots"
  cp "$work/shots/report-1366.png" "$work/shots/report-390.png" \
    "$work/shots/report-390-table.png" "$screenshots/"
  # The first printed page, at 70 dots per inch.
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/pdf/report.pdf" "$screenshots/report-print"
  for shot in report-1366 report-390 report-390-table report-print; do
    echo "wrote $screenshots/$shot.png ($(stat -c %s "$screenshots/$shot.png") bytes)"
  done
fi

#!/usr/bin/env bash
# Runs two commands in turns and prints each one's median wall time and peak
# resident memory, as BENCHMARKS.md quotes them:
#
#   benches/pairs.sh -n 5 [--timeout SECONDS] --vs "B COMMAND" -- A COMMAND...
#
# A and B alternate (A, B, A, B, ...), so that a machine whose speed drifts slows
# both alike. Each run is timed by GNU time (`/usr/bin/time -f "%e %M"`); a run past
# the timeout (default 600 s) is stopped and counted as failed.
set -euo pipefail

n=5
limit=600
vs=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -n) n="$2"; shift 2 ;;
        --timeout) limit="$2"; shift 2 ;;
        --vs) vs="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "pairs.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [[ $# -eq 0 || -z "$vs" ]]; then
    echo "usage: pairs.sh -n N [--timeout S] --vs \"B COMMAND\" -- A COMMAND..." >&2
    exit 2
fi
a="$*"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # NAME COMMAND: appends "seconds kilobytes" to $out/NAME
    local name="$1" cmd="$2"
    if ! timeout "$limit" /usr/bin/time -o "$out/t" -f "%e %M" sh -c "$cmd" > /dev/null 2> "$out/err"; then
        echo "pairs.sh: $name failed: $cmd" >&2
        tail -5 "$out/err" >&2
        exit 1
    fi
    tail -1 "$out/t" >> "$out/$name"
}

for _ in $(seq "$n"); do
    run A "$a"
    run B "$vs"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in A B; do
    secs=$(cut -d' ' -f1 "$out/$name" | median)
    kb=$(cut -d' ' -f2 "$out/$name" | sort -n | tail -1)
    printf '%s: median %.3f s over %d runs, peak %d MiB\n' "$name" "$secs" "$n" "$((kb / 1024))"
done
a_secs=$(cut -d' ' -f1 "$out/A" | median)
b_secs=$(cut -d' ' -f1 "$out/B" | median)
awk -v a="$a_secs" -v b="$b_secs" 'BEGIN { if (b > 0) printf "A / B: %.2f\n", a / b }'

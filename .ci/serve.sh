# Starting `ragplan serve` for a CI check, sourced by .ci/schemathesis.sh and
# .ci/dashboard.sh. `start_serve RAGPLAN DB WORK` starts it on 127.0.0.1 with port 0
# (the server picks a free port and prints it), its output in WORK/serve.out and
# WORK/serve.log, and sets `server` (its process id, for the caller's trap to stop)
# and `base` (http://127.0.0.1:PORT). Exits 2 when the server does not start.
start_serve() {
  local ragplan="$1" db="$2" work="$3" port=""
  "$ragplan" serve --db "$db" --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
  server=$!
  for _ in $(seq 1 100); do
    port="$(sed -n 's|^ragplan API listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.out")"
    [[ -n "$port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 2; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "error: ragplan serve did not start" >&2; exit 2; }
  base="http://127.0.0.1:$port"
}

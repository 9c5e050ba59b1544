#!/usr/bin/env bash
# The deployment of docs/deploy.md, run as written: two `ragplan serve` on one
# PostgreSQL database behind nginx with deploy/ragplan.nginx.conf as it is. Through
# nginx: a plan imported, its assessment read 20 times (spread over both servers),
# an update with If-Match accepted and a stale one refused, and each server's log
# showing requests. Called by .ci/postgres.sh with RAGPLAN_TEST_POSTGRES naming its
# throwaway server; on a CI machine without nginx, Debian's nginx is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${RAGPLAN_TEST_POSTGRES:?RAGPLAN_TEST_POSTGRES must name the PostgreSQL server}"
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y nginx
  else
    echo "error: nginx is needed (apt-get install nginx)" >&2
    exit 2
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

cargo build --locked -q
ragplan="$PWD/target/debug/ragplan"
work="$(mktemp -d)"
pids=()
db="ragplan_deploy_$$"
root="${RAGPLAN_TEST_POSTGRES%/*}"
url="$root/$db"
stop() {
  [[ -f "$work/nginx.pid" ]] && "$NGINX" -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -X -q "$RAGPLAN_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

psql -X -q -v ON_ERROR_STOP=1 "$RAGPLAN_TEST_POSTGRES" -c "CREATE DATABASE $db"

# The first server makes the admin token; the second finds it there.
for port in 8787 8788; do
  "$ragplan" serve --db "$url" --addr "127.0.0.1:$port" >"$work/serve-$port.out" 2>"$work/serve-$port.log" &
  pids+=("$!")
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/serve-$port.out" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$work/serve-$port.out" || { cat "$work/serve-$port.log" >&2; exit 1; }
done
token="$(grep -o 'rp_[0-9a-f]\{64\}' "$work/serve-8787.out" | head -n 1)"
[[ -n "$token" ]] || { echo "no admin token printed" >&2; exit 1; }

cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
    access_log $work/nginx-access.log;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $PWD/deploy/ragplan.nginx.conf;
}
CONF
# Started as root, nginx's workers run as another user: they write request bodies
# into these folders.
chmod 755 "$work"
for d in body proxy fastcgi uwsgi scgi; do mkdir -p "$work/$d" && chmod 777 "$work/$d"; done
"$NGINX" -p "$work" -c "$work/nginx.conf" -t -q
"$NGINX" -p "$work" -c "$work/nginx.conf"

base=http://127.0.0.1:8080
auth=(-H "Authorization: Bearer $token")
check() { # expected status, then curl arguments
  local want="$1"; shift
  local got
  got="$(curl -s -o "$work/body.out" -w '%{http_code}' "$@")"
  if [[ "$got" != "$want" ]]; then
    echo "expected $want, got $got: curl $*" >&2
    cat "$work/body.out" >&2
    exit 1
  fi
}
for _ in $(seq 1 50); do
  curl -s -o /dev/null "$base/healthz" && break
  sleep 0.1
done
check 200 "$base/healthz"
check 201 "${auth[@]}" -H "Content-Type: application/json" \
  --data-binary @examples/plans/coventry-cse-delivery-plan.json "$base/v1/plans"
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' examples/plans/coventry-cse-delivery-plan.json)"
for _ in $(seq 1 20); do
  check 200 "${auth[@]}" "$base/v1/plans/$id/assessment?as_of=2015-06-30"
done
key="$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); o=p["objectives"][0]; a=(o.get("actions") or o["sub_objectives"][0]["actions"])[0]; print(a["key"])' examples/plans/coventry-cse-delivery-plan.json)"
update='{"on": "2015-06-30", "by": "Deploy check", "note": "through nginx"}'
check 201 "${auth[@]}" -H 'If-Match: "1"' -H "Content-Type: application/json" -d "$update" \
  "$base/v1/plans/$id/actions/$key/updates"
check 412 "${auth[@]}" -H 'If-Match: "1"' -H "Content-Type: application/json" -d "$update" \
  "$base/v1/plans/$id/actions/$key/updates"
# Both servers answered some of it.
for port in 8787 8788; do
  n="$(grep -c 'assessment' "$work/serve-$port.log" || true)"
  if [[ "$n" -lt 1 ]]; then
    echo "the server on $port answered no request through nginx" >&2
    cat "$work/serve-$port.log" >&2
    exit 1
  fi
  echo "server on $port: $n assessment requests through nginx"
done
echo "deploy/ragplan.nginx.conf: two servers on one PostgreSQL behind nginx work as docs/deploy.md says"

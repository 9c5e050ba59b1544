#!/usr/bin/env bash
# The PostgreSQL store's tests against a real PostgreSQL: a throwaway cluster made
# with initdb in a temporary folder, started on 127.0.0.1 with pg_ctl, the store
# suite run against it (the `postgres-tests` feature of ragplan-api, which fails,
# never skips, when it cannot reach the database it is given) and the tests of
# several `ragplan serve` on it (the root package's `postgres-tests` feature), then
# stopped and removed. On a CI machine without PostgreSQL, Debian's postgresql package is
# installed first.
#
#   .ci/postgres.sh                 # from the repository root, as .ci/run calls it
#   .ci/postgres.sh -- --nocapture  # extra arguments go to the test binaries
#
# With a database of your own, run the suite directly:
#   RAGPLAN_TEST_POSTGRES=postgres://user@127.0.0.1:5432/postgres \
#   RAGPLAN_TEST_PG_CERTS=/path/to/certs \
#     cargo test -p ragplan-api --features postgres-tests --test store_postgres
# (the user must be allowed to create databases: each test makes its own; the server
# must offer TLS with a certificate for localhost signed by the certs folder's ca.pem,
# beside which other-ca.pem is a root that did not sign it).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${RAGPLAN_PG_PORT:-54329}"

find_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$found" && -x "$found/initdb" ]]; then
    echo "$found"
  elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

bin="$(find_bin)"
if [[ -z "$bin" ]]; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y postgresql
    bin="$(find_bin)"
  fi
fi
if [[ -z "$bin" ]]; then
  echo "error: PostgreSQL's initdb and pg_ctl are needed (apt-get install postgresql)" >&2
  exit 2
fi

work="$(mktemp -d)"
# initdb refuses to run as root: the cluster then belongs to the postgres user.
as_owner=()
if [[ "$(id -u)" == "0" ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$work"
  as_owner=(runuser -u postgres --)
fi
data="$work/data"

stop() {
  if [[ -f "$data/postmaster.pid" ]]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

# TLS: a root that signs the server's certificate (for localhost only, so that a
# check of the host name by address fails), and a second root that signs nothing.
if ! command -v openssl >/dev/null; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y openssl
  else
    echo "error: openssl is needed to make the test server's certificates (apt-get install openssl)" >&2
    exit 2
  fi
fi
certs="$work/certs"
mkdir "$certs"
(
  cd "$certs"
  for ca in ca other-ca; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ragplan test $ca" \
      -keyout "$ca.key" -out "$ca.pem" 2>/dev/null
  done
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile server.ext -out server.pem 2>/dev/null
  chmod 600 server.key
)
if [[ ${#as_owner[@]} -gt 0 ]]; then chown -R postgres "$certs"; fi
ssl="-c ssl=on -c ssl_cert_file=$certs/server.pem -c ssl_key_file=$certs/server.key"

"${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres -A trust --no-sync >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$work/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $work -c fsync=off -c max_connections=200 $ssl" start \
  >/dev/null || { cat "$work/server.log" >&2; exit 1; }

export RAGPLAN_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PORT/postgres"
owner="${as_owner[*]}"
export RAGPLAN_TEST_PG_STOP="$owner $bin/pg_ctl -D $data -m fast -w stop"
export RAGPLAN_TEST_PG_START="$owner $bin/pg_ctl -D $data -l $work/server.log -w -t 30 start -o '-c listen_addresses=127.0.0.1 -p $PORT -k $work -c fsync=off -c max_connections=200 $ssl'"
export RAGPLAN_TEST_PG_CERTS="$certs"
export PATH="$bin:$PATH"
cargo test -p ragplan-api --locked --features postgres-tests --test store_postgres "$@"
# Several `ragplan serve` on the one database: conflicting writes, SIGKILL, and
# PostgreSQL itself stopped and started under load.
cargo test --locked --features postgres-tests --test cli instances:: "$@"
# docs/deploy.md as written: two servers on the database behind nginx with
# deploy/ragplan.nginx.conf.
.ci/deploy.sh

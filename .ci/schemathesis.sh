#!/usr/bin/env bash
# Against a real `ragplan serve` on 127.0.0.1, with a temporary database, an admin
# token and one seeded plan: the served OpenAPI document checked by
# openapi-spec-validator; a Python client generated from it by openapi-python-client
# driving import → update → assessment (.ci/client.py); then API fuzzing by
# schemathesis (all three from PyPI, pinned). Fails on a document that is not valid
# OpenAPI 3.1, on a client that cannot be generated or does not work, on any 5xx and
# on any response that breaks the schema its own OpenAPI document gives.
# Bounded: SCHEMATHESIS_EXAMPLES cases per operation (default 20), about 30 operations.
#
#   .ci/schemathesis.sh            # from the repository root, as .ci/run calls it
#
# Needs python3 with venv; on a CI machine without it, python3-venv is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
SPEC_VALIDATOR_VERSION=0.9.0
CLIENT_GENERATOR_VERSION=0.29.1
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-20}"
SEED="${SCHEMATHESIS_SEED:-15}"

work="$(mktemp -d)"
server=""
stop() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
  if [[ "${CI:-}" == "true" ]] && command -v apt-get >/dev/null; then
    apt-get update && apt-get install -y python3-venv
  else
    echo "error: python3 with the venv module is needed (apt-get install python3-venv)" >&2
    exit 2
  fi
fi

venv="${SCHEMATHESIS_VENV:-target/schemathesis-venv}"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
if ! "$venv/bin/pip" show openapi-spec-validator 2>/dev/null | grep -q "^Version: $SPEC_VALIDATOR_VERSION$"; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$SPEC_VALIDATOR_VERSION"
fi

cargo build --locked --bin ragplan
ragplan="${CARGO_TARGET_DIR:-target}/debug/ragplan"

db="$work/ragplan.db"
token="$("$ragplan" token create --role admin --name schemathesis --db "$db" | tail -n 1)"

source .ci/serve.sh
start_serve "$ragplan" "$db" "$work"

# The document as served is valid OpenAPI 3.1.
curl --silent --show-error --fail "$base/v1/openapi.json" -o "$work/openapi.json"
"$venv/bin/python" -m openapi_spec_validator "$work/openapi.json"

# A client generated from the document works: its own venv, as its dependencies are
# not schemathesis's.
client_venv="${CLIENT_VENV:-target/client-venv}"
[[ "$client_venv" == /* ]] || client_venv="$(pwd)/$client_venv"
if ! "$client_venv/bin/openapi-python-client" --version 2>/dev/null \
  | grep -q "$CLIENT_GENERATOR_VERSION"; then
  python3 -m venv "$client_venv"
  "$client_venv/bin/pip" install --quiet --disable-pip-version-check \
    "openapi-python-client==$CLIENT_GENERATOR_VERSION"
fi
PATH="$client_venv/bin:$PATH" "$client_venv/bin/openapi-python-client" generate \
  --path "$work/openapi.json" --meta none --output-path "$work/client/ragplan_client" \
  >"$work/client.log" 2>&1 || { cat "$work/client.log" >&2; exit 1; }
PYTHONPATH="$work/client" "$client_venv/bin/python" .ci/client.py "$base" "$token" \
  examples/plans/coventry-cse-delivery-plan.tsv

# One plan, so that the routes under /v1/plans/{id} have something to find.
curl --silent --show-error --fail -X POST "$base/v1/plans/import?id=small-plan" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @tests/fixtures/small-plan.json >/dev/null

# One worker: with two, hypothesis parses lambda sources from two threads at once,
# and a gate run on CPython 3.11.7 once failed inside that parse ("AST constructor
# recursion depth mismatch"), a runtime error of the fuzzer, not a finding on ragplan.
fuzz() {
  "$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run "$base/v1/openapi.json" \
    --url "$base" \
    --checks not_a_server_error,response_schema_conformance \
    --generation-with-security-parameters false \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --request-timeout 30 \
    --generation-database none \
    --no-color \
    "$@"
}

# Every operation but revoking a token, which would revoke the run's own token (id 1)
# and leave every later case a 401; then revoking alone, with a token of its own.
fuzz --header "Authorization: Bearer $token" --exclude-path '/v1/tokens/{token_id}'
revoker="$("$ragplan" token create --role admin --name schemathesis-revoke --db "$db" | tail -n 1)"
fuzz --header "Authorization: Bearer $revoker" --include-path '/v1/tokens/{token_id}'

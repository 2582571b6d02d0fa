#!/usr/bin/env bash
# ccxt conformance (issue 5): the npm package ccxt, a real third-party Coinbase client, against
# simex on 127.0.0.1.
#
#   run.sh SIMEX_BINARY NPM_CACHE_DIR [SCRIPT_DIR]
#
# - uses ccxt from NPM_CACHE_DIR/node_modules (outside the source tree), which `make test`
#   installs from the npm registry beforehand (tools/install-deps.sh --ccxt NPM_CACHE_DIR);
#   without node or ccxt, prints why and exits 77 (ctest: skipped; `make test` then fails);
# - generates a throw-away EC P-256 key (SEC1 PEM, the format ccxt's JS ES256 signer parses)
#   in a temporary directory;
# - starts simex on free ports with that key, a fixed seed and a stepped clock (the market
#   stands still, so ccxt's answers can be compared with simex's own);
# - runs ccxt_conformance.mjs, stops simex (always) and exits with the script's status.
set -u

SIMEX=${1:?usage: run.sh SIMEX_BINARY NPM_CACHE_DIR [SCRIPT_DIR]}
CACHE=${2:?usage: run.sh SIMEX_BINARY NPM_CACHE_DIR [SCRIPT_DIR]}
HERE=${3:-$(cd "$(dirname "$0")" && pwd)}
SKIP=77

say() { echo "ccxt_conformance: $*"; }

# -- node and ccxt ------------------------------------------------------------------------------
# Nothing is downloaded here: `make test` installs ccxt into NPM_CACHE_DIR beforehand
# (tools/install-deps.sh --ccxt DIR). A skip fails `make test` (tests/meta/skip-report.sh).
if ! command -v node >/dev/null 2>&1; then
  say "SKIPPED: node is not installed (Debian nodejs; tools/install-deps.sh installs it)"; exit $SKIP
fi
if [ ! -f "$CACHE/node_modules/ccxt/package.json" ]; then
  say "SKIPPED: ccxt is not installed in $CACHE (make test installs it: tools/install-deps.sh --ccxt $CACHE)"
  exit $SKIP
fi
say "node $(node --version), ccxt $(node -p "require('$CACHE/node_modules/ccxt/package.json').version")"

# -- key and simex --------------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ccxt-conformance.XXXXXX") || exit 1
SIMEX_PID=
cleanup() {
  if [ -n "$SIMEX_PID" ] && kill -0 "$SIMEX_PID" 2>/dev/null; then
    kill "$SIMEX_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$SIMEX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SIMEX_PID" 2>/dev/null
    wait "$SIMEX_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

KEY_NAME="organizations/00000000-0000-4000-8000-000000000247/apiKeys/ccxt-conformance"
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/key.pem" 2>"$TMP/openssl.log" \
  && openssl ec -in "$TMP/key.pem" -pubout -out "$TMP/pub.pem" 2>>"$TMP/openssl.log" \
  || { cat "$TMP/openssl.log"; say "FAILED: openssl could not generate the test key"; exit 1; }
chmod 600 "$TMP/key.pem"

"$SIMEX" --port 0 --ws-port 0 --admin-port 0 --bind 127.0.0.1 \
  --api-key "$KEY_NAME=$TMP/pub.pem" --seed 247 --clock stepped \
  --log-file "$TMP/simex.log" >"$TMP/simex.out" 2>"$TMP/simex.err" &
SIMEX_PID=$!

LISTEN=
for _ in $(seq 100); do
  LISTEN=$(grep -m1 '"event":"listening"' "$TMP/simex.out" 2>/dev/null) && break
  kill -0 "$SIMEX_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$LISTEN" ]; then
  cat "$TMP/simex.out" "$TMP/simex.err"
  say "FAILED: simex did not print its listening line"; exit 1
fi
port() { echo "$LISTEN" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
REST=$(port rest_port); ADMIN=$(port admin_port)
say "simex pid $SIMEX_PID: $LISTEN"

# Enough quote for the orders whatever the opening balances are.
curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"user\":\"$KEY_NAME\",\"currency\":\"USD\",\"amount\":\"10000\"}" \
  "http://127.0.0.1:$ADMIN/deposit" >/dev/null 2>&1 || say "note: /deposit failed; relying on the opening balances"

START=$(date +%s%N)
CCXT_DIR="$CACHE" SIMEX_REST="$REST" SIMEX_ADMIN="$ADMIN" KEY_NAME="$KEY_NAME" KEY_FILE="$TMP/key.pem" \
  timeout 120 node "$HERE/ccxt_conformance.mjs"
STATUS=$?
say "conformance script exit $STATUS after $(( ($(date +%s%N) - START) / 1000000 )) ms"
if [ $STATUS -ne 0 ]; then
  echo "---- last simex requests ----"; tail -n 40 "$TMP/simex.log" 2>/dev/null
  tail -n 20 "$TMP/simex.err" 2>/dev/null
fi
exit $STATUS

#!/usr/bin/env bash
# `make run`: traderd in PAPER mode against simex, the simulated exchange, on loopback.
#
#   tools/run-paper.sh BUILD_DIR [CONFIG_DIR]
#
# Starts simex on 127.0.0.1:8790 (REST + WebSocket, the port config/app.toml points at)
# with a local API key generated once under var/simex/ (simex verifies the ES256 JWTs
# exactly like Coinbase), then traderd in the foreground with the paper-demo profile.
# Ctrl-C stops traderd cleanly; simex is stopped when traderd exits. Nothing leaves
# 127.0.0.1. State, logs and the key live under ./var/ (git-ignored); the first run creates
# the state store with `traderctl state init`.
set -euo pipefail

build=${1:?usage: run-paper.sh BUILD_DIR [CONFIG_DIR]}
config=${2:-config/profiles/paper-demo}
simex_bin="$build/tools/simex/server/simex"
traderd_bin="$build/bin/traderd"
traderctl_bin="$build/bin/traderctl"
port=${SIMEX_PORT:-8790}
keydir=var/simex
mkdir -p "$keydir" var/paper-demo/log

# A local CDP-style key: private key for traderd, public key for simex. Not a secret of
# any real account; regenerated only when missing.
key_name="organizations/local-paper/apiKeys/make-run"
if [[ ! -s $keydir/private_key.pem ]]; then
  umask 077
  openssl ecparam -name prime256v1 -genkey -noout -out "$keydir/private_key.pem" 2>/dev/null
  openssl ec -in "$keydir/private_key.pem" -pubout -out "$keydir/public_key.pem" 2>/dev/null
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run-paper: something already listens on 127.0.0.1:$port; stop it first (a previous simex?)" >&2
  exit 1
fi

"$simex_bin" --bind 127.0.0.1 --port "$port" --admin-port 0 \
  --api-key "$key_name=$keydir/public_key.pem" \
  --log-file var/paper-demo/log/simex-requests.log >var/paper-demo/log/simex.log 2>&1 &
simex_pid=$!
trap 'kill "$simex_pid" 2>/dev/null || true; wait "$simex_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$simex_pid" 2>/dev/null; then
    echo "run-paper: simex exited; see var/paper-demo/log/simex.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "run-paper: simex up on 127.0.0.1:$port (log var/paper-demo/log/simex.log); starting traderd in PAPER mode"

# The first run creates the state store (traderd never creates one); later runs find it and
# change nothing. A store that was lost is not replaced: traderctl says how to restore it.
if ! "$traderctl_bin" --config "$config" state init; then
  echo "run-paper: the state store is missing (see above); restore it or run" \
       "\`$traderctl_bin --config $config state init --force\` to start over" >&2
  exit 1
fi

# Secrets through the environment, as the docs describe (never on the command line).
export COINBASE_API_KEY_NAME="$key_name"
COINBASE_API_PRIVATE_KEY="$(cat "$keydir/private_key.pem")"
export COINBASE_API_PRIVATE_KEY
# Not exec: the EXIT trap must stop simex after traderd ends. SIGINT reaches both via
# the terminal's process group; traderd shuts down in order.
"$traderd_bin" --config "$config" &
traderd_pid=$!
trap 'kill -INT "$traderd_pid" 2>/dev/null || true' INT TERM
wait "$traderd_pid" || status=$?
# A second wait if the first one was interrupted by a signal.
wait "$traderd_pid" 2>/dev/null || true
exit "${status:-0}"

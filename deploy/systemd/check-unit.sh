#!/usr/bin/env bash
# Checks deploy/systemd/traderd.service: `systemd-analyze verify` (ExecStart pointed at an
# existing file) and `systemd-analyze security --offline=yes` exposure <= MAX (1.5).
# Exit 77 (skipped) when systemd-analyze is absent. Usage: check-unit.sh [UNIT] [MAX]
set -euo pipefail
unit=${1:-$(dirname "$0")/traderd.service}
max=${2:-1.5}
if ! command -v systemd-analyze > /dev/null; then
  echo "systemd-analyze not installed: skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# verify wants the ExecStart binary to exist; the unit name must stay traderd.service.
printf '#!/bin/sh\nexit 0\n' > "$tmp/traderd"
chmod 0755 "$tmp/traderd"
cp "$tmp/traderd" "$tmp/traderctl"  # ExecStartPre: traderctl state init
sed -e "s|/usr/bin/traderd |$tmp/traderd |" -e "s|/usr/bin/traderctl |$tmp/traderctl |" "$unit" > "$tmp/traderd.service"
if ! out=$(systemd-analyze verify "$tmp/traderd.service" 2>&1); then
  echo "systemd-analyze verify failed:"
  echo "$out"
  exit 1
fi
if grep -Eiq "unknown|invalid|ignoring|failed" <<< "$out"; then
  echo "systemd-analyze verify complained:"
  echo "$out"
  exit 1
fi
echo "verify: ok"
report=$(systemd-analyze security --offline=yes "$tmp/traderd.service" 2>&1 || true)
level=$(sed -n 's/.*Overall exposure level for traderd.service: \([0-9.]*\).*/\1/p' <<< "$report")
if [[ -z "$level" ]]; then
  echo "could not read the exposure level:"
  echo "$report"
  exit 1
fi
echo "security: exposure $level (max $max)"
if ! awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'; then
  grep "✗" <<< "$report" || true
  exit 1
fi

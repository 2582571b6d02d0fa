#!/usr/bin/env bash
# Every trader_* metric used by the alert rules and the Grafana dashboard must be listed in
# docs/metrics.md (the contract the actors implement).
set -euo pipefail
cd "$(dirname "$0")/.."
used=$(grep -ho 'trader_[a-z0-9_]*' deploy/prometheus/traderd.rules.yml deploy/grafana/traderd.json \
  | sed -E 's/_(bucket|sum|count)$//' | sort -u)
missing=0
for m in $used; do
  if ! grep -q "\`$m\`" docs/metrics.md; then
    echo "not in docs/metrics.md: $m"
    missing=1
  fi
done
jq -e . deploy/grafana/traderd.json > /dev/null || { echo "traderd.json is not valid JSON"; exit 1; }
[[ $missing == 0 ]] && echo "metric names: ok ($(wc -w <<< "$used") used)"
exit $missing

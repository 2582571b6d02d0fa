#!/usr/bin/env bash
# Checks deploy/prometheus: `promtool check rules` and `promtool test rules`.
# Exit 77 (skipped) when promtool (Debian package prometheus) is absent.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool > /dev/null; then
  echo "promtool not installed (apt-get install prometheus): skipped"
  exit 77
fi
promtool check rules traderd.rules.yml
promtool test rules traderd.rules.test.yml

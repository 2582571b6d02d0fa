#!/usr/bin/env bash
# Includes run one way: tools → actors → runtime → messages (docs/architecture.md).
# Fails, naming each offending line, when a lower layer includes a higher one.
# Usage: check-includes.sh SOURCE_DIR
set -uo pipefail
cd "${1:?usage: check-includes.sh SOURCE_DIR}" || exit 2

status=0
# layer → the folders its includes must not reach
check() {
  local layer=$1; shift
  local pattern
  pattern=$(printf '|%s/' "$@"); pattern="#include \"(${pattern:1})"
  local hits
  hits=$(grep -rnE --include='*.cpp' --include='*.hpp' --include='*.h' "$pattern" "$layer" 2>/dev/null)
  if [[ -n "$hits" ]]; then
    echo "check-includes: $layer/ includes a layer above it:"
    echo "$hits" | sed 's/^/  /'
    status=1
  fi
}

check messages runtime actors tools tests bench
check runtime actors tools tests bench
check actors tools tests bench
# Pure cores stay free of CAF: no actor header pulls in caf/all.hpp, and the Coinbase
# adapter (coinbase/, feed/) and the rate limiter's core include no CAF at all.
hits=$(grep -rnE --include='*.cpp' --include='*.hpp' '#include <caf/' actors/exchange/coinbase actors/exchange/feed \
         actors/exchange/rate_limiter/{token_bucket,limiter,error_burst,rate_limit_options}.{hpp,cpp} 2>/dev/null)
if [[ -n "$hits" ]]; then
  echo "check-includes: CAF in the exchange layer's pure code:"
  echo "$hits" | sed 's/^/  /'
  status=1
fi
[[ $status -eq 0 ]] && echo "check-includes: tools → actors → runtime → messages, no upward include"
exit $status

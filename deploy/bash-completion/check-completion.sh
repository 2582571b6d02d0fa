#!/usr/bin/env bash
# Checks deploy/bash-completion/traderctl: completions for a few prefixes, and — given the
# traderctl binary — that every subcommand its --help lists is offered.
#   check-completion.sh [path/to/traderctl]
# Exit 0 = pass, 1 = a mismatch (printed), 77 = bash missing (skipped).
command -v bash > /dev/null || exit 77
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
source "$here/traderctl"
failures=0

# complete_line "traderctl alert " → the candidates, space-separated and sorted.
complete_line() {
  local line="$1"
  read -r -a COMP_WORDS <<< "$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _traderctl
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() {
  local line="$1" want="$2" got
  got="$(complete_line "$line")"
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: '$line' completes to '$got', want '$want'"
    failures=$((failures + 1))
  fi
}

expect "traderctl al" "alert"
expect "traderctl alert " "ack test"
expect "traderctl --json alert t" "test"
expect "traderctl st" "state status strategies"
expect "traderctl la" "latency"
expect "traderctl state b" "backup"
expect "traderctl resume state_" "state_unavailable"
expect "traderctl --js" "--json"
expect "traderctl kill --r" "--reason"
expect "traderctl -c /tmp alert a" "ack"
expect "traderctl state i" "init inspect"
expect "traderctl state init --f" "--force"
expect "traderctl au" "audit"
expect "traderctl audit " "verify"
expect "traderctl resume audit_" "audit_unavailable"
expect "traderctl resume startup --f" "--force"
expect "traderctl or" "orders"
expect "traderctl orders --o" "--open"
expect "traderctl p" "pnl positions"
expect "traderctl ca" "cancel-all"
expect "traderctl cancel-all --r" "--reason"

# Every subcommand the binary knows must be offered (catches a new command without completion).
if [[ -n "$1" ]]; then
  subcommands() { "$@" --help 2>&1 | awk 'tolower($0) ~ /^subcommands:/{on=1; next} on && /^  [a-z]/{print $1}'; }
  top="$(complete_line "traderctl ")"
  for c in $(subcommands "$1"); do
    [[ " $top " == *" $c "* ]] || { echo "FAIL: subcommand '$c' of traderctl is not completed"; failures=$((failures + 1)); }
  done
  for parent in alert state audit; do
    offered="$(complete_line "traderctl $parent ")"
    for c in $(subcommands "$1" "$parent"); do
      [[ " $offered " == *" $c "* ]] || { echo "FAIL: 'traderctl $parent $c' is not completed"; failures=$((failures + 1)); }
    done
  done
  [[ -n "$(subcommands "$1")" ]] || { echo "FAIL: no Subcommands in '$1 --help'"; failures=$((failures + 1)); }
fi

[[ $failures -eq 0 ]] && echo "traderctl completion: ok"
[[ $failures -eq 0 ]]

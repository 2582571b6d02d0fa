#!/usr/bin/env bash
# Installs the Debian 12 packages 247trader builds and tests with, and only those that
# are missing (dpkg-query is asked first, apt-get runs only when something is absent).
# Every test in `make test` needs nothing but these (and the npm package ccxt, which the
# conformance test installs into the build tree with the npm installed here); a test that
# skips for want of one of them fails `make test` (tests/meta/skip-report.sh).
# Usage: tools/install-deps.sh               build + test packages
#        tools/install-deps.sh --ccxt DIR    the same, then the npm package ccxt into DIR
#                                            (once; DIR/node_modules/ccxt, outside the
#                                            sources), for the conformance test
#        tools/install-deps.sh --package     the same plus the packaging checks' tools
#                                            (lintian, debootstrap: make package-check)
#        tools/install-deps.sh --fuzz        the same plus clang and libFuzzer (make fuzz)
#        tools/install-deps.sh --lint        the same plus clang-tidy and cppcheck (make lint,
#                                            make lint-changed: tools/lint.sh)
set -euo pipefail

ccxt_dir=""
packaging=0
fuzzing=0
linting=0
if [[ "${1:-}" == "--ccxt" ]]; then
  ccxt_dir=${2:?usage: install-deps.sh [--ccxt DIR]}
elif [[ "${1:-}" == "--package" ]]; then
  packaging=1
elif [[ "${1:-}" == "--fuzz" ]]; then
  fuzzing=1
elif [[ "${1:-}" == "--lint" ]]; then
  linting=1
fi
CCXT_VERSION=${CCXT_VERSION:-4}

PACKAGES=(
  build-essential g++ cmake make ninja-build pkg-config ccache git jq
  libcaf-dev
  libboost-dev libboost-system-dev libboost-thread-dev
  libssl-dev openssl ca-certificates
  libtomlplusplus-dev
  liblmdb-dev lmdb-utils
  fiu-utils libfiu-dev
  prometheus-cpp-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libsimdjson-dev
  nlohmann-json3-dev
  libspdlog-dev libfmt-dev
  libcli11-dev
  libsystemd-dev
  zstd libzstd-dev util-linux curl
  prometheus   # promtool: tests check the /metrics text and the alert rules
)

# Tools asked for by command, not by package: any provider will do (e.g. Node.js from
# NodeSource ships npm inside its nodejs package, and Debian's npm would conflict with it).
#   command:Debian package
COMMANDS=(
  node:nodejs              # ccxt conformance test (tests/conformance/ccxt)
  npm:npm                  # installs ccxt into the build tree for that test
  systemd-analyze:systemd  # verify + offline security check of deploy/systemd/traderd.service;
                           # needs no running systemd (works in a chroot or a container)
)

# `make package-check` only: lintian judges the .deb, debootstrap makes the fresh root it is
# installed into.
if ((packaging)); then PACKAGES+=(lintian debootstrap binutils); fi
# `make fuzz` only: clang and its libFuzzer/sanitizer runtimes build tests/fuzz in build-fuzz/.
if ((fuzzing)); then PACKAGES+=(clang libclang-rt-14-dev); fi
# `make lint` / `make lint-changed` only: clang-tidy (with run-clang-tidy) and cppcheck.
if ((linting)); then PACKAGES+=(clang-tidy cppcheck); fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
for c in "${COMMANDS[@]}"; do
  command -v "${c%%:*}" > /dev/null 2>&1 || missing+=("${c#*:}")
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccxt comes from the npm registry; the test itself never downloads (it skips without it,
# and a skip fails `make test`).
if [[ -n "$ccxt_dir" && ! -f "$ccxt_dir/node_modules/ccxt/package.json" ]]; then
  mkdir -p "$ccxt_dir"
  [[ -f "$ccxt_dir/package.json" ]] || echo '{"name":"ccxt-conformance-cache","private":true}' > "$ccxt_dir/package.json"
  echo "install-deps: installing ccxt@$CCXT_VERSION from the npm registry into $ccxt_dir"
  if ! (cd "$ccxt_dir" && timeout 300 npm install --no-audit --no-fund --loglevel=error "ccxt@$CCXT_VERSION" \
          > npm-install.log 2>&1) || [[ ! -f "$ccxt_dir/node_modules/ccxt/package.json" ]]; then
    tail -n 20 "$ccxt_dir/npm-install.log" >&2 || true
    echo "install-deps: npm could not install ccxt@$CCXT_VERSION (no registry access?), see $ccxt_dir/npm-install.log" >&2
    exit 1
  fi
fi

#!/usr/bin/env bash
# Installs the Debian 12 packages 247trader builds and tests with, and only those that
# are missing (dpkg-query is asked first, apt-get runs only when something is absent).
# Usage: tools/install-deps.sh            (build + test packages)
set -euo pipefail

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

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

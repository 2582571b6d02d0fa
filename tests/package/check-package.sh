#!/usr/bin/env bash
# `make package-check`: the .deb a Debian operator would accept (issue 17, release quality).
#   1. the .deb and its -dbgsym .ddeb exist; the binaries inside are stripped and the debug
#      package carries their debug info under /usr/lib/debug/.build-id;
#   2. maintainer scripts postinst/prerm/postrm are there; every /etc file is a conffile;
#      nothing enables or starts traderd on install;
#   3. lintian passes (errors and warnings; overrides in deploy/debian/lintian-overrides);
#   4. the shipped configuration validates with the packaged traderctl
#      (`traderctl validate`, extracted with dpkg-deb -x, no install needed).
# With --fresh-root it also installs the package into a fresh Debian 12 root made by
# debootstrap (cached under BUILD_DIR/package-root.tar) and runs traderctl validate,
# traderctl state init and a traderd start (DRY_RUN, against nothing) there.
#   check-package.sh BUILD_DIR [--fresh-root]
set -euo pipefail
build=$(cd "${1:?usage: check-package.sh BUILD_DIR [--fresh-root]}" && pwd)
fresh=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "package-check: FAIL: $*" >&2; exit 1; }

deb=$(ls -t "$build"/247trader_*.deb 2>/dev/null | head -n 1 || true)
ddeb=$(ls -t "$build"/247trader-dbgsym_*.ddeb 2>/dev/null | head -n 1 || true)
[[ -n "$deb" ]] || fail "no 247trader_*.deb in $build (run make package)"
[[ -n "$ddeb" ]] || fail "no 247trader-dbgsym_*.ddeb beside $deb (CPACK_DEBIAN_DEBUGINFO_PACKAGE)"
echo "package: $(basename "$deb") $(du -k "$deb" | cut -f1) KiB; debug: $(basename "$ddeb") $(du -k "$ddeb" | cut -f1) KiB"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/control"
echo "installed size: $(du -sk "$tmp/root" | cut -f1) KiB"

# 1. stripped binaries, debug info apart
dpkg-deb -c "$ddeb" > "$tmp/ddeb.list"
for b in traderd traderctl backtest; do
  f="$tmp/root/usr/bin/$b"
  [[ -x "$f" ]] || fail "/usr/bin/$b missing"
  if readelf -S "$f" | grep -q '\.debug_info'; then fail "/usr/bin/$b is not stripped"; fi
  id=$(readelf -n "$f" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
  [[ -n "$id" ]] || fail "/usr/bin/$b has no build id"
  if ! grep -q "usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" "$tmp/ddeb.list"; then
    fail "the debug package has no debug info for /usr/bin/$b (build id $id)"
  fi
done
echo "binaries: stripped; debug info in $(basename "$ddeb")"

# 2. maintainer scripts and conffiles
for s in postinst prerm postrm conffiles; do [[ -f "$tmp/control/$s" ]] || fail "control member $s missing"; done
while IFS= read -r f; do
  [[ -z "$f" ]] && continue
  grep -qxF "$f" "$tmp/control/conffiles" || fail "$f is shipped but not a conffile"
done < <(cd "$tmp/root" && find etc -type f | sed 's|^|/|' | sort)
if grep -Eq 'systemctl[^|;]*(enable|start)|deb-systemd-helper[^|;]*enable|deb-systemd-invoke[^|;]*start' \
     "$tmp/control/postinst"; then
  fail "postinst enables or starts traderd"
fi
echo "control: postinst/prerm/postrm present, $(grep -c . "$tmp/control/conffiles") conffiles, nothing started on install"

# 3. lintian
if ! command -v lintian > /dev/null; then fail "lintian is not installed (tools/install-deps.sh installs it)"; fi
lintian_out=$(lintian --fail-on error,warning "$deb" 2>&1) || {
  echo "$lintian_out"; fail "lintian"; }
[[ -n "$lintian_out" ]] && echo "$lintian_out"
echo "lintian: clean (errors and warnings)"

# 4. the shipped configuration validates with the shipped traderctl
for profile in "$tmp/root/etc/247trader" "$tmp/root/etc/247trader/profiles/systemd"; do
  out=$("$tmp/root/usr/bin/traderctl" validate "$profile" 2>&1) || { echo "$out"; fail "traderctl validate $profile"; }
done
echo "config: the shipped configuration and the systemd profile validate"

if [[ "$fresh" == "--fresh-root" ]]; then
  "$here/fresh-root-install.sh" "$build" "$deb"
fi
echo "package-check: ok"

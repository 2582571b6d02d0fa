#!/usr/bin/env bash
# Installs the .deb into a fresh Debian 12 root (debootstrap --variant=minbase, cached as
# BUILD_DIR/package-root.tar.gz) the way an operator would (apt-get install ./247trader.deb),
# then checks inside it: the traderd user exists (postinst ran systemd-sysusers), the unit
# is neither enabled nor started, the shipped configuration validates, `traderctl state
# init` works as traderd, and traderd starts in DRY_RUN and answers `traderctl status`.
# Needs root and the Debian mirror (like tools/install-deps.sh); no exchange is contacted.
#   fresh-root-install.sh BUILD_DIR DEB
set -euo pipefail
build=${1:?usage: fresh-root-install.sh BUILD_DIR DEB}
deb=${2:?usage: fresh-root-install.sh BUILD_DIR DEB}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache="$build/package-root.tar.gz"
fail() { echo "fresh-root: FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "needs root (debootstrap, chroot)"
command -v debootstrap > /dev/null || fail "debootstrap is not installed (tools/install-deps.sh installs it)"

root=$(mktemp -d /tmp/247trader-root.XXXXXX)
cleanup() {
  for m in proc dev/pts dev sys; do umount -l "$root/$m" 2> /dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT

t0=$(date +%s)
if [[ -s "$cache" ]]; then
  tar -xzf "$cache" -C "$root"
else
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$build/package-root.log" 2>&1 ||
    { tail -n 20 "$build/package-root.log"; fail "debootstrap"; }
  tar -czf "$cache" -C "$root" .
fi
echo "fresh root: ready in $(( $(date +%s) - t0 )) s"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t sysfs sys "$root/sys"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/247trader.deb"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

t0=$(date +%s)
in_root sh -c 'apt-get update -q > /tmp/apt.log 2>&1 &&
               DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/247trader.deb >> /tmp/apt.log 2>&1' ||
  { tail -n 30 "$root/tmp/apt.log"; fail "apt-get install ./247trader.deb"; }
echo "install: apt-get install ./247trader.deb with its dependencies in $(( $(date +%s) - t0 )) s"

in_root getent passwd traderd > /dev/null || fail "postinst did not create the traderd user"
[[ ! -e "$root/etc/systemd/system/multi-user.target.wants/traderd.service" ]] || fail "traderd was enabled on install"
echo "postinst: user traderd exists; traderd.service not enabled"

in_root traderctl validate /etc/247trader > /dev/null || fail "traderctl validate /etc/247trader"
in_root traderctl validate /etc/247trader/profiles/systemd > /dev/null || fail "traderctl validate profiles/systemd"
echo "validate: /etc/247trader and profiles/systemd"

# DRY_RUN with the shipped defaults, as the traderd user; the default configuration's
# directories are relative to the working directory (var/state, var/run, var/log).
in_root sh -c 'mkdir -p /var/lib/247trader-test && chown traderd:traderd /var/lib/247trader-test'
# traderd runs in a network namespace of its own (loopback only), so ports the host already
# uses (a traderd or simex of a developer's) cannot make it fail here.
as_traderd_isolated() {
  unshare --net sh -c 'ip link set lo up && exec "$@"' sh chroot "$root" /usr/bin/env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    setpriv --reuid=traderd --regid=traderd --init-groups sh -c "cd /var/lib/247trader-test || exit 1
$1"
}
# `cd` on its own line: with `cd … && $1`, a `&` inside $1 would background the cd too.
as_traderd() { in_root setpriv --reuid=traderd --regid=traderd --init-groups sh -c "cd /var/lib/247trader-test || exit 1
$1"; }
as_traderd 'traderctl --config /etc/247trader state init > /dev/null' || fail "traderctl state init as traderd"
as_traderd_isolated 'traderd --config /etc/247trader > traderd.log 2>&1 & echo $! > traderd.pid
            for i in $(seq 1 50); do
              traderctl --config /etc/247trader status > status.txt 2>&1 && exit 0
              sleep 0.2
            done
            exit 1' || { grep -E " (error|critical|warning) " "$root/var/lib/247trader-test/traderd.log" | head -n 20; cat "$root/var/lib/247trader-test/status.txt" >&2
    fail "traderd did not answer traderctl status"; }
as_traderd 'pid=$(cat traderd.pid); kill -TERM $pid; for i in $(seq 1 100); do kill -0 $pid 2> /dev/null || exit 0; sleep 0.2; done; exit 1' ||
  fail "traderd did not stop on SIGTERM"
echo "traderd: started in the fresh root, answered status, stopped on SIGTERM"

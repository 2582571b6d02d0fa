#!/usr/bin/env python3
"""Splits each tick_to_order sample into hops from a tracefs trace of traderd's uprobes
(tick_to_order_hops.sh writes it). One `written` event is one exit: its origin (the frame's
read time) and written time are CLOCK_MONOTONIC ns, the trace's clock. Between them, in the
same process, the hops are found by the probes' order:
  frame read → risk on_quote → save_exits → send_intent → order_lifecycle prepare
  → write-ahead → (rate limiter, orders actor) → JWT signed → POST written.
Prints min / p50 / p99 / max per hop (µs) and the fdatasync calls inside the window.
Usage: tick_to_order_hops.py TRACE"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r"^\s*(.+?)-(\d+)\s+\(\s*(\d+|-+)\)\s+\[\d+\]\s+\S+\s+(\d+)\.(\d+):\s+(\w+)(:|\(| ->)(.*)$")
ARG = re.compile(r"(\w+)=(-?\d+)")


def parse(path):
    events = defaultdict(list)  # tgid -> [(ns, tid, name, args)]
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            _, tid, tgid, sec, frac, name, sep, rest = m.groups()
            if not tgid.isdigit():
                continue
            ns = int(sec) * 1_000_000_000 + int(frac.ljust(9, "0")[:9])
            if name == "sys_fdatasync":
                name = "fsync_done" if sep == " ->" else "fsync"
            events[int(tgid)].append((ns, int(tid), name, dict((k, int(v)) for k, v in ARG.findall(rest))))
    for evs in events.values():
        evs.sort(key=lambda e: e[0])
    return events


def last(evs, name, before, tid=None, after=0):
    for e in reversed(evs):
        if after <= e[0] <= before and e[2] == name and (tid is None or e[1] == tid):
            return e
    return None


def first(evs, name, after, tid=None, before=None):
    for e in evs:
        if e[0] >= after and (before is None or e[0] <= before) and e[2] == name and (tid is None or e[1] == tid):
            return e
    return None


def fsyncs(evs, lo, hi, tid=None):
    """(count, total ns) of fdatasync calls that started in [lo, hi]."""
    n, total, open_at = 0, 0, {}
    for ns, t, name, _ in evs:
        if name == "fsync" and lo <= ns <= hi and (tid is None or t == tid):
            open_at[t] = ns
        elif name == "fsync_done" and t in open_at:
            n += 1
            total += ns - open_at.pop(t)
    return n, total


def split(evs, w):
    """The hops of one exit, or None when a probe is missing in its window."""
    o, wr = w[3]["origin"], w[3]["written"]
    si = last(evs, "send_intent", wr, after=o)
    if not si:
        return None
    risk = si[1]
    sx = last(evs, "save_exits", si[0], tid=risk, after=o)
    rq = last(evs, "risk_quote", sx[0] if sx else 0, tid=risk, after=o) if sx else None
    lp = first(evs, "prepare", si[0], before=wr)
    wa = first(evs, "write_ahead", lp[0], tid=lp[1], before=wr) if lp else None
    wd = first(evs, "write_ahead_done", wa[0], tid=wa[1], before=wr) if wa else None
    j0 = last(evs, "jwt", wr, after=wd[0]) if wd else None
    j1 = first(evs, "jwt_done", j0[0], tid=j0[1], before=wr) if j0 else None
    if not all((sx, rq, lp, wa, wd, j0, j1)):
        return None
    risk_fs = fsyncs(evs, sx[0], si[0], risk)
    wa_fs = fsyncs(evs, wa[0], wd[0], wa[1])
    all_fs = fsyncs(evs, o, wr)
    return {
        "frame → risk on_quote (market_data, mailbox)": rq[0] - o,
        "risk: exit check, audit, metrics": sx[0] - rq[0],
        "risk: save exits + pacing (2 store commits)": si[0] - sx[0],
        "risk → order_lifecycle prepare (mailbox)": lp[0] - si[0],
        "order_lifecycle: gate, prepare": wa[0] - lp[0],
        "order_lifecycle: write-ahead (1 store commit)": wd[0] - wa[0],
        "→ orders: rate-limiter permit, mailbox": j0[0] - wd[0],
        "orders: JWT signing": j1[0] - j0[0],
        "orders: request built, written": wr - j1[0],
        "total (tick_to_order)": wr - o,
        "# fdatasync in risk's saves": risk_fs[0],
        "fdatasync time in risk's saves": risk_fs[1],
        "# fdatasync in the write-ahead": wa_fs[0],
        "fdatasync time in the write-ahead": wa_fs[1],
        "# fdatasync by traderd in the window (all threads)": all_fs[0],
    }


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    events = parse(sys.argv[1])
    rows, skipped = defaultdict(list), 0
    for evs in events.values():
        for w in (e for e in evs if e[2] == "written"):
            hops = split(evs, w)
            if hops is None:
                skipped += 1
                continue
            for k, v in hops.items():
                rows[k].append(v)
    n = len(rows.get("total (tick_to_order)", []))
    print(f"hops of {n} exits ({skipped} without every probe in their window); µs, counts as is")
    print(f"{'hop':52} {'min':>9} {'p50':>9} {'p99':>9} {'max':>9}")
    for k, xs in rows.items():
        scale = 1 if k.startswith("#") else 1000
        vals = [pct(xs, 0) / scale, pct(xs, 0.5) / scale, pct(xs, 0.99) / scale, max(xs) / scale]
        print(f"{k:52} " + " ".join(f"{v:9.1f}" for v in vals))
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the soak prints when a phase fails (soak.py): enough to start on a failure seen only in
CI's output, where the work directory is gone. Bounded: a few dozen lines.

report(phase, problems) returns the lines:
  * for each exchange fill missing from the store (LIVE): the fill, the order of that client
    order id on the exchange and in the store, and the last log and audit lines naming it;
  * traderd's gate and its actors, when it still answers;
  * the last reconcile lines of traderd's log;
  * the phase's last steps (kind, detail, seconds), from its steps log.
"""
import glob
import json
import os


def _short(obj, limit=300):
    s = obj if isinstance(obj, str) else json.dumps(obj, sort_keys=True)
    return s if len(s) <= limit else s[:limit] + "…"


def _log_files(logdir):
    out = []
    for path in sorted(glob.glob(os.path.join(logdir, "**", "*"), recursive=True)):
        # simex's request log is every request of the phase: too long, and not traderd's view.
        if os.path.isfile(path) and not os.path.basename(path).startswith("simex-requests"):
            out.append(path)
    return out


def _grep(logdir, needles, last=10):
    hits = []
    for path in _log_files(logdir):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if any(n in line for n in needles):
                        hits.append(f"{os.path.relpath(path, logdir)}: {_short(line.rstrip(), 300)}")
        except OSError:
            continue
    return hits[-last:]


def _last_steps(phase, n=12):
    path = os.path.join(os.path.dirname(phase.dir), "steps.jsonl")
    try:
        with open(path) as f:
            recs = [json.loads(l) for l in f if l.strip()]
    except (OSError, json.JSONDecodeError):
        return []
    recs = [r for r in recs if r.get("mode") == phase.mode and "kind" in r]
    return [f"  step {r['n']} {r['kind']} {_short(r.get('detail'), 200)} ({r.get('s')} s)" for r in recs[-n:]]


def _missing_fills(phase):
    ex, st = getattr(phase, "last_views", ({}, {}))
    stored = {f["trade_id"] for f in st.get("fills", [])}
    lines = []
    for f in ex.get("fills", []):
        if f["trade_id"] in stored:
            continue
        coid = f.get("client_order_id", "")
        lines.append(f"missing fill {_short(f)}")
        ex_orders = [o for o in ex.get("orders", []) if o.get("client_order_id") == coid]
        st_orders = [o for o in st.get("orders", []) if o.get("client_order_id") == coid]
        lines.append(f"  exchange order: {_short(ex_orders)}")
        lines.append(f"  store order (status is persistence::order_status): {_short(st_orders)}")
        needles = [f["trade_id"], coid] + [o.get("exchange_order_id", "") for o in ex_orders]
        needles = [n for n in needles if n]
        lines += ["  " + h for h in _grep(phase.logdir, needles)]
    return lines[:60]


def report(phase, problems):
    lines = [f"--- diagnosis of the {phase.mode} phase ({len(problems)} problem(s)); logs in {phase.logdir}"]
    if phase.mode == "LIVE":
        lines += _missing_fills(phase)
    if phase.alive():
        rc, gate = phase.ctl("gate", timeout=10)
        lines.append(f"gate (rc {rc}): {_short(gate, 600)}")
        rc, actors = phase.ctl("actors", timeout=10)
        lines.append(f"actors (rc {rc}): {_short(actors, 900)}")
    else:
        lines.append("traderd is not running")
    lines.append("last reconcile lines:")
    lines += ["  " + h for h in _grep(phase.logdir, ["order_lifecycle: reconcile"], last=6)]
    lines.append("last steps:")
    lines += _last_steps(phase)
    lines.append("--- end of diagnosis")
    return lines

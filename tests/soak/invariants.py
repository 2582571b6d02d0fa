"""The soak's invariant checker (tests/soak/soak.py runs it after every step).

check(phase, strict) returns a list of violations (empty = every invariant held):
  * no secret in any log: no line of the API private key's PEM body in any file under the
    phase's log directory (traderd's logs, its audit log, simex's logs);
  * no opening order while the gate was closed: in the audit log, in order, a `daemon` event
    (a start) closes the gate, a `gate` event sets it, and a `risk_verdict` approved with a
    non-reduce-only intent while it is closed is a violation;
  * no duplicate order per intent: each proposal's placed intents (`risk_intent`, placed)
    name one client order id, and (LIVE) each client order id is on simex at most once;
  * written before sent (LIVE): every order simex has for our key is in traderd's store
    (the exchange is read first, so the check has no race);
  * every exchange fill in the store exactly once (LIVE; fills are keyed by trade id): strict
    only, after the quiet period (a fill may be in flight during a fault);
  * positions equal the exchange's balances (LIVE: the change of each base currency's balance
    since the phase started; a fill sized in quote may leave the ledger 1e-8 short, a known
    rounding drift that is counted, not hidden) and, in both modes, the sum of the stored
    fills: strict only;
  * PAPER sends nothing to simex: simex holds no order for our key.
"""
import glob
import json
import os
from decimal import Decimal


def actor_names(actors_json):
    return [a.get("name", "") for a in actors_json.get("actors", []) if a.get("name")]


def _secret_lines(pem):
    return [l.strip() for l in pem.splitlines() if l.strip() and not l.startswith("-----") and len(l.strip()) >= 16]


def secrets_in_logs(logdir, pem):
    lines = _secret_lines(pem)
    found = []
    for path in glob.glob(os.path.join(logdir, "**", "*"), recursive=True):
        if not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for l in lines:
            # Also a chunk of it: a key leaked through a wrapped or escaped print.
            if l.encode() in data or l[:24].encode() in data:
                found.append(f"secret in log {path}")
                break
    return found


def audit_events(logdir):
    events = []
    for path in sorted(glob.glob(os.path.join(logdir, "audit", "audit-*.jsonl"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a torn tail after a SIGKILL; the reader skips it too
    return events


def gate_violations(events):
    problems = []
    gate_open = False
    for e in events:
        kind = e.get("kind")
        p = e.get("payload", {})
        if kind == "daemon":
            gate_open = False
        elif kind == "gate":
            gate_open = bool(p.get("open", False))
        elif kind == "risk_verdict" and p.get("approved"):
            intent = p.get("intent", {})
            if not intent.get("reduce_only", False) and not gate_open:
                problems.append(f"opening intent approved while the gate was closed: audit seq {e.get('seq')} "
                                f"proposal {p.get('proposal_id')}")
    return problems


def intent_duplicates(events):
    ids = {}
    for e in events:
        if e.get("kind") != "risk_intent":
            continue
        p = e.get("payload", {})
        if not p.get("placed"):
            continue
        ans = p.get("answer")
        coid = ans.get("client_order_id") if isinstance(ans, dict) else None
        pid = p.get("intent", {}).get("proposal_id")
        if coid and pid:
            ids.setdefault(pid, set()).add(coid)
    return [f"proposal {pid} placed as {sorted(c)}" for pid, c in ids.items() if len(c) > 1]


def _base(product):
    return product.split("-")[0]


def _balances(bal):
    out = {}
    for b in bal or []:
        out[b["currency"]] = Decimal(b["available"]) + Decimal(b["hold"])
    return out


def check(ph, strict):
    problems = []
    problems += secrets_in_logs(ph.logdir, ph.private_pem)
    events = audit_events(ph.logdir)
    problems += gate_violations(events)
    problems += intent_duplicates(events)
    ex = ph.exchange_view()  # first: whatever simex has was written to the store before it was sent
    st = ph.store_view()
    ph.last_views = (ex, st)
    store_orders = {o["client_order_id"] for o in st["orders"]}
    seen = {}
    for o in ex["orders"]:
        seen[o["client_order_id"]] = seen.get(o["client_order_id"], 0) + 1
    if ph.mode == "PAPER":
        if ex["orders"]:
            problems.append(f"PAPER sent {len(ex['orders'])} order(s) to simex")
    else:
        problems += [f"client order id {c} on simex {n} times" for c, n in seen.items() if n > 1]
        problems += [f"simex order {c} is not in the store" for c in seen if c not in store_orders]
    fills = {}
    for f in st["fills"]:
        fills[f["trade_id"]] = fills.get(f["trade_id"], 0) + 1
    problems += [f"fill {t} stored {n} times" for t, n in fills.items() if n > 1]
    if not strict:
        return problems
    # Strict: after the quiet period everything has arrived.
    sums = {}
    for f in st["fills"]:
        q = Decimal(f["qty"]) * (1 if f["side"] == "BUY" else -1)
        sums[f["product"]] = sums.get(f["product"], Decimal(0)) + q
    positions = {p["product"]: Decimal(p["qty"]) for p in st["positions"]}
    for prod in set(sums) | set(positions):
        if sums.get(prod, Decimal(0)) != positions.get(prod, Decimal(0)):
            problems.append(f"position {prod} {positions.get(prod, 0)} != sum of its fills {sums.get(prod, 0)}")
    if ph.mode == "LIVE":
        ex_trades = {f["trade_id"] for f in ex["fills"]}
        problems += [f"exchange fill {t} not in the store" for t in ex_trades if t not in fills]
        problems += [f"stored fill {t} unknown to the exchange" for t in fills if t not in ex_trades]
        start, now = _balances(ph.start_balances), _balances(ex["balances"])
        quote_fills = {}
        for f in ex["fills"]:
            if f.get("size_in_quote"):
                quote_fills[f["product"]] = quote_fills.get(f["product"], 0) + 1
        ph.rounding_drift = {}
        for prod, qty in positions.items():
            cur = _base(prod)
            delta = now.get(cur, Decimal(0)) - start.get(cur, Decimal(0))
            # Known drift (reported in docs/quality.md): a fill sized in quote is booked as
            # quote / price truncated to 8 decimals, while the exchange credits its own
            # rounding, so the ledger may hold up to 1e-8 less per such fill. More than that,
            # or the other way, is a violation.
            slack = Decimal("0.00000001") * quote_fills.get(prod, 0)
            if delta != qty:
                ph.rounding_drift[prod] = str(delta - qty)
            if not (Decimal(0) <= delta - qty <= slack):
                problems.append(f"position {prod} {qty} != exchange {cur} balance change {delta}")
        for cur in set(now) | set(start):
            if cur in ("USD", "USDC") or any(_base(p) == cur for p in positions):
                continue
            if now.get(cur, Decimal(0)) != start.get(cur, Decimal(0)):
                problems.append(f"exchange {cur} balance moved without a position")
    return problems


def summary(ph):
    ex, st = getattr(ph, "last_views", ({}, {}))
    return {"store_orders": len(st.get("orders", [])), "store_fills": len(st.get("fills", [])),
            "positions": {p["product"]: p["qty"] for p in st.get("positions", [])},
            "exchange_orders": len(ex.get("orders", [])), "exchange_fills": len(ex.get("fills", [])),
            "rounding_drift": getattr(ph, "rounding_drift", {})}

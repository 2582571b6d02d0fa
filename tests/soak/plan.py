"""What the chaos soak draws its steps from (soak.py): simex's fault specs and the step kinds
with their weights, which `soak.py --weight KIND=N` overrides (docs/soak.md)."""

# simex fault specs (docs/net.md, docs/simex.md): each a POST /faults body.
SIMEX_FAULTS = [
    {"kind": "http_429", "count": 3, "retry_after_s": 1},
    {"kind": "http_5xx", "count": 3, "status": 503},
    {"kind": "http_5xx", "count": 2, "status": 500},
    {"kind": "latency", "count": 3, "latency_ms": 1500},
    {"kind": "reset", "count": 2},
    {"kind": "no_answer", "count": 1},
    {"kind": "drop_reply", "count": 1},
    {"kind": "drop_reply", "count": 1, "method": "POST", "path_prefix": "/api/v3/brokerage/orders"},
    {"kind": "ws_drop", "count": 1},
    {"kind": "sequence_gap", "count": 1},
    {"kind": "duplicate_update", "count": 2},
    {"kind": "out_of_order_update", "count": 2},
    {"kind": "bad_tick", "product_id": "BTC-USD", "pct": 20},
    {"kind": "status_flip", "product_id": "BTC-USD", "to_status": "cancel_only", "duration_s": 5},
    {"kind": "stale_quotes", "duration_ms": 4000},
    {"kind": "ws_stale", "duration_ms": 4000},
]
# Step kinds and their default weights.
STEPS = [("intent", 8), ("crash_actor", 2), ("simex_fault", 8), ("ws_admin", 2), ("restart_actor", 3), ("sigkill", 2), ("disk_full", 1),
         ("reload_valid", 1), ("reload_invalid", 1), ("kill_switch", 1), ("idle", 2)]


def parse_weights(overrides):
    """STEPS with each "KIND=N" of overrides applied; ValueError names a bad one."""
    weights = dict(STEPS)
    for o in overrides:
        kind, sep, n = o.partition("=")
        if not sep or kind not in weights:
            raise ValueError(f"--weight {o!r}: want KIND=N with KIND one of {', '.join(weights)}")
        try:
            w = int(n)
        except ValueError:
            w = -1
        if w < 0:
            raise ValueError(f"--weight {o!r}: N must be a whole number >= 0")
        weights[kind] = w
    if not any(weights.values()):
        raise ValueError("--weight: every step kind has weight 0")
    return [(k, weights[k]) for k, _ in STEPS]

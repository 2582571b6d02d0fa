#!/usr/bin/env python3
"""The chaos soak (issue 17, docs/soak.md).

Runs traderd against simex (127.0.0.1 only) in PAPER, then in LIVE, each phase with its own
simex, state store and logs under WORKDIR, and injects faults drawn from --seed: simex fault
kinds (admin POST /faults, /ws/drop, /ws/gap, /ws/stale), `traderctl restart <actor>`, an
actor killed by an injected exception (control `debug.crash`), order intents so orders flow
(control `debug.intent`: both test hooks exist only with TRADER_TEST_HOOKS=1),
SIGKILL of traderd then a restart, a full disk under the state directory (a small tmpfs,
filled up and freed; needs root, else skipped and said so), valid and invalid config reloads,
the kill switch on and off. After every step the invariant checker (invariants.py) reads
simex's view, traderd's store and its audit log. A violation fails the run at once, with
the step log (WORKDIR/steps.jsonl) naming the seed and the step, and diagnose.py's report.

  tests/soak/soak.py --build build --minutes 5 --seed 1 [--modes PAPER,LIVE] [--workdir DIR]

Exit 0: every step held every invariant. 1: a violation or a daemon that did not come back.
2: the environment is missing something (binaries).
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diagnose, invariants  # noqa: E402,E401
from plan import SIMEX_FAULTS, STEPS, parse_weights  # noqa: E402,F401

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEY_NAME = "organizations/soak/apiKeys/soak-key"

class Failure(Exception):
    pass


def http(method, url, body=None, timeout=5):
    import urllib.request
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"{}")


class Phase:
    """One mode: a simex, a traderd, a state store, and the steps against them."""

    def __init__(self, args, mode, workdir, rng, log):
        self.args, self.mode, self.dir, self.rng, self.log = args, mode, workdir, rng, log
        self.bin = os.path.join(args.build, "bin")
        self.simex_bin = os.path.join(args.build, "tools", "simex", "server", "simex")
        self.probe = os.path.join(args.build, "tests", "soak", "soak_probe")
        self.cfg = os.path.join(workdir, "config")
        self.state = os.path.join(workdir, "state")
        self.logdir = os.path.join(workdir, "log")
        self.run = os.path.join(workdir, "run")
        self.traderd = None
        self.simex = None
        self.tmpfs = False
        self.counts = {}
        self.rss = []
        self.kill_switch_on = False
        self.starts = 0

    # -- setup -----------------------------------------------------------------------------
    def setup(self):
        os.makedirs(self.logdir, exist_ok=True)
        os.makedirs(self.state, exist_ok=True)
        if os.geteuid() == 0 and not self.args.no_tmpfs:
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "soak-state", self.state],
                               capture_output=True, text=True)
            self.tmpfs = r.returncode == 0
        key = os.path.join(self.dir, "key.pem")
        pub = os.path.join(self.dir, "key.pub.pem")
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key], check=True,
                       capture_output=True)
        subprocess.run(["openssl", "ec", "-in", key, "-pubout", "-out", pub], check=True, capture_output=True)
        with open(key) as f:
            self.private_pem = f.read()
        self.simex_log = open(os.path.join(self.logdir, "simex.log"), "w")
        self.simex = subprocess.Popen(
            [self.simex_bin, "--bind", "127.0.0.1", "--port", "0", "--ws-port", "0", "--admin-port", "0",
             "--seed", str(self.rng.randrange(1, 1 << 30)), "--api-key", f"{KEY_NAME}={pub}",
             "--log-file", os.path.join(self.logdir, "simex-requests.log")],
            stdout=subprocess.PIPE, stderr=self.simex_log, text=True)
        ports = json.loads(self.simex.stdout.readline())
        self.rest = f"http://127.0.0.1:{ports['rest_port']}"
        self.ws = f"ws://127.0.0.1:{ports['ws_port']}/"
        self.admin = f"http://127.0.0.1:{ports['admin_port']}"
        self.write_config()
        self.ctl_ok("state", "init")
        self.env = dict(os.environ, COINBASE_API_KEY_NAME=KEY_NAME, COINBASE_API_PRIVATE_KEY=self.private_pem,
                        TRADER_TEST_HOOKS="1")
        self.start_balances = None
        if self.mode == "LIVE":
            self.start_balances = self.exchange_view()["balances"]
        self.start_traderd()

    def write_config(self, extra_app=""):
        os.makedirs(self.cfg, exist_ok=True)
        # A snapshot of the shipped config/ as the base: the run must not see edits made to the
        # checkout while it runs (a half-written key would make traderctl refuse the config).
        base = os.path.join(self.dir, "base-config")
        if not os.path.isdir(base):
            os.makedirs(base)
            for name in ("app.toml", "policy.toml", "signals.toml", "universe.toml", "strategies.toml"):
                shutil.copy(os.path.join(SRC, "config", name), os.path.join(base, name))
        demo = os.path.join(SRC, "config", "profiles", "paper-demo")
        for name in ("policy.toml", "signals.toml", "strategies.toml"):
            if not os.path.exists(os.path.join(self.cfg, name)):
                shutil.copy(os.path.join(demo, name), os.path.join(self.cfg, name))
        with open(os.path.join(self.cfg, "profile.toml"), "w") as f:
            f.write(f'[profile]\nname = "soak"\nbase = "{base}"\n'
                    'description = "chaos soak (tests/soak): paper-demo against a soak simex"\n')
        live = 'read_only = false\n' if self.mode == "LIVE" else ""
        with open(os.path.join(self.cfg, "app.toml"), "w") as f:
            f.write(f'[app]\nmode = "{self.mode}"\n{live}state_dir = "{self.state}"\nruntime_dir = "{self.run}"\n'
                    f'log_dir = "{self.logdir}"\n'
                    f'[exchange]\nrest_base_url = "{self.rest}/api/v3/brokerage"\nws_market_url = "{self.ws}"\n'
                    f'ws_user_url = "{self.ws}"\n[metrics]\nenabled = false\n[live]\nmin_paper_hours = 0.0\n'
                    f'[alerts]\nmin_severity = "INFO"\n{extra_app}')

    # -- processes -------------------------------------------------------------------------
    def ctl(self, *argv, timeout=30):
        cmd = [os.path.join(self.bin, "traderctl"), "--config", self.cfg, "--json", *argv]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=getattr(self, "env", None))
        except subprocess.TimeoutExpired:
            return 124, {}
        try:
            out = json.loads(r.stdout) if r.stdout.strip() else {}
        except json.JSONDecodeError:
            out = {"text": r.stdout}
        if r.returncode != 0 and isinstance(out, dict):
            out = dict(out, stderr=r.stderr.strip()[-500:])
        return r.returncode, out

    def ctl_ok(self, *argv):
        rc, out = self.ctl(*argv)
        if rc != 0:
            raise Failure(f"traderctl {' '.join(argv)} failed ({rc}): {out}")
        return out

    def control(self, cmd, args, timeout=30):
        """One raw control-protocol call (docs/control.md): for the TRADER_TEST_HOOKS commands."""
        import socket
        self.req_id = getattr(self, "req_id", 0) + 1
        line = json.dumps({"v": 1, "id": self.req_id, "cmd": cmd, "args": args}) + "\n"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(os.path.join(self.run, "traderd.sock"))
            s.sendall(line.encode())
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        return json.loads(buf or b"{}")

    def start_traderd(self):
        self.starts += 1
        argv = [os.path.join(self.bin, "traderd"), "--config", self.cfg]
        if self.mode == "LIVE":
            argv.append("--confirm-live")
        out = open(os.path.join(self.logdir, f"traderd-{self.starts}.out"), "w")
        self.traderd = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.traderd.poll() is not None:
                raise Failure(f"traderd exited with {self.traderd.returncode} at start {self.starts}")
            rc, _ = self.ctl("status", timeout=5)
            if rc == 0:
                return
            time.sleep(0.3)
        raise Failure("traderd did not answer status within 60 s")

    def stop_traderd(self, sig=signal.SIGTERM):
        if self.traderd and self.traderd.poll() is None:
            self.traderd.send_signal(sig)
            try:
                self.traderd.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.traderd.kill()
                self.traderd.wait()
                raise Failure("traderd did not stop within 60 s of SIGTERM")

    def store_poisoned(self):
        """True when the gate holds state_unavailable (the store refuses writes)."""
        rc, gate = self.ctl("gate")
        return "state_unavailable" in json.dumps(gate)

    def alive(self):
        return self.traderd is not None and self.traderd.poll() is None

    def teardown(self):
        try:
            self.stop_traderd()
        finally:
            if self.simex and self.simex.poll() is None:
                self.simex.terminate()
                self.simex.wait(timeout=30)
            if self.tmpfs:
                subprocess.run(["umount", "-l", self.state], capture_output=True)

    # -- views -----------------------------------------------------------------------------
    def exchange_view(self):
        # A fault just installed may still refuse a few requests: ask again, then give up.
        out = {}
        for attempt in range(8):
            r = subprocess.run([self.probe, "exchange", self.rest], capture_output=True, text=True, env=self.env,
                               timeout=90)
            lines = r.stdout.strip().splitlines()
            out = json.loads(lines[-1]) if lines else {}
            if r.returncode == 0:
                return out
            time.sleep(1 + attempt)
        raise Failure(f"soak_probe exchange: {out}")

    def store_view(self):
        r = subprocess.run([self.probe, "store", self.state], capture_output=True, text=True, timeout=60)
        out = json.loads(r.stdout or "{}")
        if r.returncode != 0:
            raise Failure(f"soak_probe store: {out}")
        return out

    def sample_rss(self):
        if self.alive():
            try:
                with open(f"/proc/{self.traderd.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.rss.append((time.time(), int(line.split()[1])))
            except OSError:
                pass

    # -- steps -----------------------------------------------------------------------------
    def step(self, kind):
        rng = self.rng
        if kind == "simex_fault":
            spec = dict(rng.choice(SIMEX_FAULTS))
            http("POST", self.admin + "/faults", spec)
            return spec
        if kind == "intent":
            product = rng.choice(["BTC-USD", "ETH-USD", "SOL-USD"])
            held = {p["product"]: p["qty"] for p in self.store_view()["positions"]}
            if product in held and held[product] not in ("0", "0.00000000") and rng.random() < 0.4:
                args = {"product": product, "side": "sell", "type": "market", "size": held[product],
                        "reduce_only": True, "strategy": "soak"}
            elif rng.random() < 0.7:
                args = {"product": product, "side": "buy", "type": "market", "quote_size": str(rng.randint(10, 40)),
                        "strategy": "soak"}
            else:
                args = {"product": product, "side": "buy", "type": "limit", "size": "0.001", "limit_px": "1.00",
                        "post_only": True, "strategy": "soak"}
            try:
                ans = self.control("debug.intent", args, timeout=110)
            except OSError as e:
                ans = {"error": str(e)}
            resumed = None
            err = json.dumps(ans.get("error", {}))
            # max_drawdown too: the soak's market crashes by design, and a drawdown stop that
            # stayed for the rest of a phase left its intents all refused (a 60-minute run).
            for reason in ("actor_lost_state", "safe_halt", "sequence_gap", "product_degraded", "max_drawdown"):
                if f"reason={reason}" in err:
                    # What an operator does after checking: clear the sticky reason (refused
                    # while its cause still holds); without it one fault would stop the flow.
                    resumed = {reason: self.ctl("resume", reason)[0]}
            return {"args": args, "ok": ans.get("ok"), "answer": ans.get("result", ans.get("error")), "resumed": resumed}
        if kind == "crash_actor":
            rc, out = self.ctl("actors")
            names = sorted(invariants.actor_names(out)) or ["risk"]
            actor = rng.choice(names)
            ans = self.control("debug.crash", {"actor": actor})
            if actor != "root":
                return {"actor": actor, "ok": ans.get("ok")}
            # The root's death takes the tree with it: traderd must enter the safe halt (this
            # soak once found it running on with no actor) and stay up; the operator then
            # restarts it and resumes safe_halt, as docs/operations.md says.
            deadline = time.time() + 30
            halted = False
            while time.time() < deadline and not halted:
                rc, st = self.ctl("status", timeout=10)
                halted = bool(st.get("safe_halt", {}).get("halted"))
                time.sleep(0.5)
            if not halted:
                raise Failure("the root supervisor died and traderd did not enter the safe halt")
            if not self.alive():
                raise Failure("traderd exited after its root supervisor died (it must stay up, halted)")
            self.stop_traderd()
            self.start_traderd()
            resumed = self.ctl("resume", "safe_halt")[0]
            return {"actor": actor, "ok": ans.get("ok"), "safe_halt": True, "resumed": resumed}
        if kind == "ws_admin":
            what = rng.choice(["/ws/drop", "/ws/gap"])
            http("POST", self.admin + what, {})
            return {"admin": what}
        if kind == "restart_actor":
            rc, out = self.ctl("actors")
            names = sorted(invariants.actor_names(out)) or ["risk"]
            actor = rng.choice(names)
            rc, out = self.ctl("restart", actor)
            return {"actor": actor, "rc": rc}
        if kind == "sigkill":
            self.stop_traderd(signal.SIGKILL)
            time.sleep(rng.uniform(0, 1))
            self.start_traderd()
            return {"restarted": self.starts}
        if kind == "disk_full":
            if not self.tmpfs:
                return {"skipped": "no tmpfs (not root, or mount refused)"}
            filler = os.path.join(self.state, "filler")
            subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=64"], capture_output=True)
            hold = rng.uniform(2, 6)
            tried = None
            if rng.random() < 0.6 and self.alive():
                # An order while the store cannot grow: the write-ahead must fail and nothing go
                # out, or it is written and sent; the checker sees either way.
                try:
                    tried = self.control("debug.intent", {"product": "BTC-USD", "side": "buy", "type": "market",
                                                          "quote_size": "12", "strategy": "soak"}, timeout=110)
                    tried = tried.get("result", tried.get("error"))
                except OSError as e:
                    tried = str(e)
            time.sleep(hold)
            alive_full = self.alive()
            os.unlink(filler)
            time.sleep(1.5)  # a commit that failed at the last moment: the gate shows it within 0.5 s
            poisoned = alive_full and self.store_poisoned()
            if poisoned:
                # A failed commit poisons the store for good (docs/state.md): the gate holds
                # state_unavailable and the kill switch cannot be made durable until the
                # operator restarts traderd on the freed disk (docs/operations.md), as here.
                self.stop_traderd()
            if not alive_full or poisoned:
                # A daemon that stops on a full disk is allowed (safe halt); it must restart.
                self.start_traderd()
            return {"held_s": round(hold, 1), "survived": alive_full, "poisoned": poisoned, "intent": tried}
        if kind == "reload_valid":
            sev = rng.choice(["INFO", "WARNING"])
            self.write_config(extra_app="")
            path = os.path.join(self.cfg, "app.toml")
            text = open(path).read().replace('min_severity = "INFO"', f'min_severity = "{sev}"')
            open(path, "w").write(text)
            rc, out = self.ctl("reload")
            if rc != 0:
                raise Failure(f"a valid reload was refused: {out}")
            return {"min_severity": sev}
        if kind == "reload_invalid":
            path = os.path.join(self.cfg, "app.toml")
            good = open(path).read()
            open(path, "w").write(good + "[runtime]\nscheduler_threads = 0\n")
            rc, out = self.ctl("reload")
            open(path, "w").write(good)
            if rc == 0 and out.get("applied", True) is True and "error" not in json.dumps(out).lower():
                raise Failure(f"an invalid reload was accepted: {out}")
            if not self.alive():
                raise Failure("traderd died on an invalid reload")
            return {"refused": True}
        if kind == "kill_switch":
            # On: the gate is closed for opening orders at once, so an opening intent sent now
            # must be refused (and nothing reach simex). Then held a while, then off.
            rc, out = self.ctl("kill", "--reason", "soak")
            not_durable = rc != 0 and "NOT durable" in json.dumps(out)
            if rc != 0 and not (not_durable and self.store_poisoned()):
                raise Failure(f"traderctl kill failed ({rc}): {out}")
            if not_durable and "kill_switch" not in json.dumps(self.ctl("gate")[1]):
                # Not durable is the honest answer on a poisoned store; in force it must be.
                raise Failure(f"traderctl kill answered 'in force but NOT durable' and the gate lacks it: {out}")
            self.kill_switch_on = True
            ans = self.control("debug.intent", {"product": "ETH-USD", "side": "buy", "type": "market",
                                                "quote_size": "15", "strategy": "soak"}, timeout=110)
            if ans.get("ok") and ans.get("result", {}).get("sent"):
                raise Failure(f"an opening order went out under the kill switch: {ans}")
            time.sleep(rng.uniform(1, 5))
            rc, out = self.ctl("resume", "kill_switch")
            self.kill_switch_on = rc != 0
            return {"refused_under_kill_switch": True, "resume_rc": rc}
        time.sleep(rng.uniform(1, 3))
        return {}

    def check(self, strict):
        return invariants.check(self, strict=strict)


def run_phase(args, mode, root, rng, log, deadline):
    wd = os.path.join(root, mode.lower())
    os.makedirs(wd, exist_ok=True)
    ph = Phase(args, mode, wd, rng, log)
    n = 0
    try:
        ph.setup()
        while time.time() < deadline:
            kinds, weights = zip(*args.steps)
            kind = rng.choices(kinds, weights)[0]
            t0 = time.time()
            detail = ph.step(kind)
            time.sleep(rng.uniform(0.5, 2.0))
            if not ph.alive():
                raise Failure(f"traderd died after step {kind} {detail}: see {ph.logdir}")
            ph.sample_rss()
            problems = ph.check(strict=False)
            n += 1
            ph.counts[kind] = ph.counts.get(kind, 0) + 1
            rec = {"mode": mode, "n": n, "kind": kind, "detail": detail, "s": round(time.time() - t0, 2),
                   "rss_kb": ph.rss[-1][1] if ph.rss else None, "problems": problems}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            if problems:
                raise Failure(f"{mode} step {n} ({kind} {detail}): {problems}")
        # Quiesce: clear simex faults, let reconcile and the fills catch up, then the strict check.
        http("DELETE", ph.admin + "/faults")
        if ph.kill_switch_on:
            ph.ctl("resume", "kill_switch")
        problems = []
        for _ in range(12):
            time.sleep(5)
            problems = ph.check(strict=True)
            if not problems:
                break
        log.write(json.dumps({"mode": mode, "final": True, "problems": problems}) + "\n")
        if problems:
            raise Failure(f"{mode} final check: {problems}")
        return {"mode": mode, "steps": n, "by_kind": ph.counts, "sigkills": ph.counts.get("sigkill", 0),
                "starts": ph.starts, "tmpfs": ph.tmpfs, "rss_kb": [r for _, r in ph.rss],
                "summary": invariants.summary(ph)}
    except Failure as e:
        # CI keeps only the output: say there what the work directory would have shown.
        try:
            print("\n".join("soak: " + l for l in diagnose.report(ph, [str(e)])), flush=True)
        except Exception as d:  # the diagnosis must never hide the failure itself
            print(f"soak: diagnosis failed: {d!r}", flush=True)
        raise
    finally:
        ph.teardown()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modes", default="PAPER,LIVE")
    ap.add_argument("--workdir", default="")
    ap.add_argument("--keep", action="store_true", help="keep WORKDIR on success")
    ap.add_argument("--no-tmpfs", action="store_true", help="no tmpfs state dir (and no disk_full steps)")
    ap.add_argument("--weight", action="append", default=[], metavar="KIND=N",
                    help="a step kind's weight instead of its default (repeatable; 0 = never)")
    args = ap.parse_args()
    try:
        args.steps = parse_weights(args.weight)
    except ValueError as e:
        print(f"soak: {e}", file=sys.stderr)
        return 2
    args.build = os.path.abspath(args.build)
    for b in ("bin/traderd", "bin/traderctl", "tools/simex/server/simex", "tests/soak/soak_probe"):
        if not os.path.exists(os.path.join(args.build, b)):
            print(f"soak: {b} is not built in {args.build}", file=sys.stderr)
            return 2
    root = args.workdir or tempfile.mkdtemp(prefix="trader-soak-")
    os.makedirs(root, exist_ok=True)
    modes = [m.strip().upper() for m in args.modes.split(",") if m.strip()]
    rng = random.Random(args.seed)
    print(f"soak: seed {args.seed}, {args.minutes} min over {modes}, workdir {root}, weights "
          + ",".join(f"{k}={w}" for k, w in args.steps), flush=True)
    results = []
    ok = True
    with open(os.path.join(root, "steps.jsonl"), "w") as log:
        start = time.time()
        per = args.minutes * 60 / len(modes)
        for i, mode in enumerate(modes):
            try:
                results.append(run_phase(args, mode, root, rng, log, start + per * (i + 1)))
            except Failure as e:
                print(f"soak: FAILED (seed {args.seed}): {e}\nsoak: steps in {root}/steps.jsonl", flush=True)
                ok = False
                break
    for r in results:
        rss = r.pop("rss_kb")
        r["rss_kb_first_max_last"] = [rss[0], max(rss), rss[-1]] if rss else None
        print("soak: " + json.dumps(r), flush=True)
    with open(os.path.join(root, "result.json"), "w") as f:
        json.dump({"seed": args.seed, "minutes": args.minutes, "weights": dict(args.steps), "ok": ok, "phases": results}, f, indent=1)
    if ok and not args.keep and not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    print("soak: " + ("ok" if ok else "FAILED"), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

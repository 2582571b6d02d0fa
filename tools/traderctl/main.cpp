// traderctl: the operator's CLI. Offline: validate, state init/inspect/verify/backup/restore,
// audit verify. Online (over traderd's control socket): status, actors, restart, reload.
// Exit codes: 0 ok, 1 the command failed, 2 bad usage or unreadable input,
// 3 traderd is not reachable.

#include "runtime/config/loader.hpp"
#include "runtime/config/validate_command.hpp"
#include "runtime/control/control_client.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/state_commands.hpp"
#include "runtime/persistence/verify_spawn.hpp"
#include "tools/traderctl/flatten_cmd.hpp"
#include "tools/traderctl/ban_cmd.hpp"
#include "tools/traderctl/order_print.hpp"
#include "tools/traderctl/risk_print.hpp"
#include "tools/traderctl/drift_print.hpp"
#include "tools/traderctl/signal_print.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <sstream>
#include <iostream>

namespace {

using nlohmann::json;

enum exit_code : int { ok = 0, failed = 1, usage = 2, unreachable = 3 };

struct global_opts {
  std::string config_dir;
  std::string socket;
  std::string state_dir;
  std::string audit_dir;
  bool json = false;
};

std::string default_config_dir() {
  if (auto* env = std::getenv("TRADER_CONFIG_DIR"))  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
    return env;
  if (std::filesystem::exists("config/app.toml"))
    return "config";
  if (std::filesystem::exists("/etc/247trader/profiles/systemd/profile.toml"))
    return "/etc/247trader/profiles/systemd";  // What the packaged unit runs.
  return "/etc/247trader";
}

/// Reads the paths traderctl needs from the configuration; explicit flags win.
bool resolve_paths(global_opts& g, std::ostream& err) {
  if (!g.socket.empty() && !g.state_dir.empty() && !g.audit_dir.empty())
    return true;
  auto dir = g.config_dir.empty() ? default_config_dir() : g.config_dir;
  auto r = trader::config::load_config_dir(dir);
  if (!r.ok()) {
    err << "traderctl: cannot read configuration in " << dir
        << " (fix it, or pass --socket / --state-dir); run `traderctl validate " << dir << "`\n";
    return false;
  }
  auto& c = *r.config;
  if (g.socket.empty()) {
    std::filesystem::path p{c.control.socket};
    g.socket = p.is_absolute() ? p.string() : (std::filesystem::path{c.app.runtime_dir} / p).string();
  }
  if (g.state_dir.empty())
    g.state_dir = c.app.state_dir;
  if (g.audit_dir.empty())
    g.audit_dir = (std::filesystem::path{c.app.log_dir} / "audit").string();  // as traderd writes it
  return true;
}

/// `traderctl audit verify`: the audit log's hash chain and seq continuity.
int run_audit_verify(const std::string& dir, bool as_json) {
  auto rep = trader::persistence::verify_audit_dir(dir);
  if (as_json) {
    std::cout << json{{"dir", dir},
                      {"ok", rep.ok()},
                      {"files", rep.files},
                      {"events", rep.events},
                      {"first_seq", rep.first_seq},
                      {"last_seq", rep.last_seq},
                      {"chain_from_genesis", rep.chain_from_genesis},
                      {"unchained_lines", rep.unchained},
                      {"skipped_lines", rep.skipped_lines},
                      {"problems", rep.problems}}
                   .dump(2)
              << "\n";
  } else if (rep.ok()) {
    std::cout << "ok: " << dir << ": " << rep.events << " events in " << rep.files << " file(s), seq " << rep.first_seq
              << ".." << rep.last_seq << ", hash chain intact"
              << (rep.chain_from_genesis ? " from the first event" : " (older files removed by retention)");
    if (rep.unchained > 0)
      std::cout << "; " << rep.unchained << " line(s) from before the chain existed";
    if (rep.skipped_lines > 0)
      std::cout << "; " << rep.skipped_lines << " torn line(s) from crashes skipped";
    std::cout << "\n";
  } else {
    std::cerr << "FAILED: " << dir << ": " << rep.problems.size() << " problem(s)\n";
    for (const auto& p : rep.problems)
      std::cerr << "  " << p << "\n";
  }
  return rep.ok() ? ok : failed;
}

/// The SAFE HALT block of `traderctl status` (review rows #3, #4): what the halt did and how to
/// recover. Also a note when the gate carries safe_halt from an earlier halt of another run.
void print_safe_halt(const json& r) {
  const json sh = r.value("safe_halt", json::object());
  if (!sh.value("halted", false)) {
    bool in_gate = false;
    if (r.contains("gate"))
      for (auto& x : r["gate"].value("reasons", json::array()))
        in_gate = in_gate || x.value("reason", "") == "safe_halt";
    if (in_gate)
      std::cout << "** The gate still carries safe_halt from an earlier safe halt (restored from the store). Once the "
                   "cause is fixed: traderctl resume safe_halt **\n\n";
    return;
  }
  const json rep = sh.value("report", json::object());
  const json persisted = rep.value("persisted", json::object());
  const json cancel = rep.value("cancel", json::object());
  const json alert = rep.value("alert", json::object());
  std::cout << "================================ SAFE HALT ================================\n"
            << "The root supervisor gave up: nothing restarts any more, no new risk is taken.\n"
            << "  supervisor: " << rep.value("supervisor", "?") << "   since " << rep.value("started_at", "")
            << (rep.value("complete", false) ? "   (halt complete " + rep.value("finished_at", "") + ")"
                                             : "   (HALT STILL RUNNING)")
            << "\n"
            << "  why:        " << rep.value("why", "") << "\n"
            << "  persisted:  " << (persisted.value("ok", false) ? "yes" : "NO") << "  " << persisted.value("detail", "")
            << "\n"
            << "  orders:     " << (cancel.value("ok", false) ? "" : "NOT ALL CANCELLED  ") << cancel.value("detail", "")
            << (cancel.value("order_lifecycle_notified", false) ? " (cancel_all sent to order_lifecycle)" : "") << "\n";
  for (auto& f : cancel.value("failures", json::array()))
    std::cout << "              - " << f.get<std::string>() << "\n";
  std::cout << "  alert:      " << alert.value("delivered", 0) << "/" << alert.value("sinks", 0)
            << " sink(s) took the CRITICAL safe_halt alert\n";
  for (auto& f : alert.value("failures", json::array()))
    std::cout << "              - " << f.get<std::string>() << "\n";
  for (auto& e : rep.value("errors", json::array()))
    std::cout << "  ERROR:      " << e.get<std::string>() << "\n";
  std::cout << "Recovery: find the failing actor (`traderctl actors`, `journalctl -u traderd`), fix the cause, then\n"
            << "  1. sudo systemctl restart traderd    (comes back with the gate closed: safe_halt)\n"
            << "  2. traderctl resume safe_halt        (once `traderctl status` is healthy)\n"
            << "===========================================================================\n\n";
}

void print_status(const json& r) {
  print_safe_halt(r);
  std::cout << "mode:         " << r.value("mode", "?") << (r.value("read_only", true) ? " (read-only)" : "") << "\n"
            << "config hash:  " << r.value("config_hash", "?") << "  (" << r.value("config_dir", "") << ")\n"
            << "pid:          " << r.value("pid", 0) << "\n"
            << "started:      " << r.value("started_at", "") << "  (uptime " << r.value("uptime_s", 0) << " s)\n";
  auto a = r.value("actors", json::object());
  std::cout << "actors:       " << a.value("running", 0) << "/" << a.value("total", 0) << " running, "
            << a.value("failed", 0) << " failed" << (r.value("healthy", false) ? "" : "  ** DEGRADED **") << "\n";
  if (r.contains("gate")) {
    auto& gt = r["gate"];
    std::cout << "gate:         " << (gt.value("open", false) ? "OPEN" : "CLOSED");
    for (auto& x : gt.value("reasons", json::array()))
      std::cout << " " << x.value("reason", "");
    if (gt.contains("unknown"))  // risk does not run (e.g. after a safe halt took the trading subtree)
      std::cout << "  (" << gt.value("unknown", "") << ")";
    std::cout << "\n";
  }
  if (r.contains("risk"))
    trader::ctl::print_risk_summary(r["risk"]);
  if (r.contains("state_store")) {
    auto& st = r["state_store"];
    std::cout << "state store:  " << (st.value("ok", false) ? "ok" : "UNAVAILABLE") << "  " << st.value("detail", "")
              << "  (" << st.value("size_bytes", std::int64_t{0}) / 1024 << " KiB)\n";
  }
  if (r.contains("exchange")) {
    auto& ex = r["exchange"];
    const json md = ex.value("market_data", json::object());
    std::cout << "exchange:     " << (ex.value("connected", false) ? "connected" : "NOT CONNECTED") << "  "
              << ex.value("rest_base_url", "") << "\n"
              << "  actors      " << ex.value("actors_running", 0) << "/" << ex.value("actors_total", 0)
              << " running\n"
              << "  feed        " << md.value("fresh", 0) << "/" << md.value("products", 0) << " products fresh";
    const json feeds = md.value("feeds", json::object());
    for (auto& [product, f] : feeds.items())
      if (f.value("stale", true) || f.contains("error"))
        std::cout << "  " << product << ":" << (f.contains("error") ? "error" : "stale");
    std::cout << "\n";
    for (auto& [product, f] : feeds.items())  // what market data waits for, and since when
      if (f.contains("waiting")) {
        auto& w = f["waiting"];
        std::cout << "    " << std::left << std::setw(12) << product << "waiting for " << w.value("for", "")
                  << " since " << w.value("since", "") << " (" << w.value("for_ms", std::int64_t{0}) / 1000 << " s, "
                  << w.value("retries", 0) << " retries)\n";
      }
  }
  for (auto& [k, v] : r.items())
    if (k != "exchange" && k != "state_store" && k != "mode" && k != "read_only" && k != "config_hash" && k != "config_dir" && k != "pid"
        && k != "started_at" && k != "uptime_s" && k != "actors" && k != "healthy" && k != "version" && k != "gate"
        && k != "safe_halt" && k != "risk")
      std::cout << std::left << std::setw(14) << (k + ":") << v.dump() << "\n";
}

/// "3", "-" (not reported) or "NO ANSWER 31s" when the actor has left a liveness probe unanswered.
std::string mailbox_text(const json& a) {
  auto unanswered = a.value("unanswered_ms", std::int64_t{0});
  if (unanswered >= 5000)
    return "NO ANSWER " + std::to_string(unanswered / 1000) + "s";
  auto depth = a.value("mailbox_depth", std::int64_t{-1});
  return depth < 0 ? "-" : std::to_string(depth);
}

void print_actors(const json& r) {
  std::cout << std::left << std::setw(18) << "ACTOR" << std::setw(12) << "PARENT" << std::setw(11) << "STATE"
            << std::setw(9) << "RESTARTS" << std::setw(9) << "MAILBOX" << "LAST FAILURE\n";
  for (auto& a : r.value("actors", json::array()))
    std::cout << std::left << std::setw(18) << a.value("name", "") << std::setw(12) << a.value("parent", "")
              << std::setw(11) << a.value("state", "") << std::setw(9) << a.value("restarts", 0)
              << std::setw(9) << mailbox_text(a) << a.value("last_failure", "") << "\n";
}

void print_gate(const json& r) {
  if (r.contains("warning"))
    std::cout << "WARNING: " << r.value("warning", "") << "\n";
  std::cout << "gate: " << (r.value("open", false) ? "OPEN" : "CLOSED") << "\n";
  for (auto& x : r.value("reasons", json::array()))
    std::cout << "  " << std::left << std::setw(20) << x.value("reason", "") << " since " << x.value("since", "")
              << "  " << x.value("source", "") << (x.value("product", "").empty() ? "" : " " + x.value("product", ""))
              << ": " << x.value("detail", "") << "\n";
}

std::string ms_text(const json& v) {
  if (!v.is_number())
    return "-";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << v.get<double>();
  return o.str();
}

void print_latency(const json& r) {
  std::cout << std::left << std::setw(34) << "ENDPOINT" << std::right << std::setw(8) << "COUNT" << std::setw(10)
            << "P50 ms" << std::setw(10) << "P95 ms" << std::setw(10) << "P99 ms" << std::setw(10) << "MAX ms"
            << std::setw(11) << "BUDGET ms" << std::setw(6) << "VIOL" << "\n";
  // Bound to a local: items() of the temporary r.value() returns would dangle.
  const json endpoints = r.value("endpoints", json::object());
  for (auto& [key, e] : endpoints.items())
    std::cout << std::left << std::setw(34) << key << std::right << std::setw(8) << e.value("count", 0)
              << std::setw(10) << ms_text(e["p50_ms"]) << std::setw(10) << ms_text(e["p95_ms"]) << std::setw(10)
              << ms_text(e["p99_ms"]) << std::setw(10) << ms_text(e["max_ms"]) << std::setw(11)
              << ms_text(e["budget_ms"]) << std::setw(6) << e.value("violations", 0) << "\n";
}

void print_smoke(const json& r) {
  for (auto& c : r.value("checks", json::array()))
    std::cout << std::left << std::setw(6) << (c.value("ok", false) ? "ok" : "FAIL") << std::setw(22)
              << c.value("name", "") << std::right << std::setw(8) << ms_text(c["ms"]) << " ms  " << std::left
              << c.value("detail", "") << "\n";
  std::cout << (r.value("ok", false) ? "smoke: all checks passed\n" : "smoke: FAILED\n");
}

/// Calls cmd on the daemon and prints the result (also stored in *out when given).
int call(global_opts& g, const std::string& cmd, json args, void (*human)(const json&), json* out = nullptr) {
  if (!resolve_paths(g, std::cerr))
    return usage;
  trader::control::control_client client{g.socket};
  auto res = client.call(cmd, std::move(args), std::chrono::seconds(90));
  if (res.status != trader::control::client_status::ok) {
    std::cerr << "traderctl: " << res.message << " (socket " << g.socket << ")\n";
    return unreachable;
  }
  if (!res.resp.body.ok) {
    if (g.json)
      std::cout << json{{"ok", false},
                        {"error",
                         {{"code", std::string{trader::control::to_string(res.resp.body.err.code)}},
                          {"message", res.resp.body.err.message}}}}
                     .dump()
                << "\n";
    std::cerr << "traderctl: " << cmd << " failed: " << trader::control::to_string(res.resp.body.err.code) << ": "
              << res.resp.body.err.message << "\n";
    return failed;
  }
  if (out)
    *out = res.resp.body.result;
  if (g.json || !human)
    std::cout << res.resp.body.result.dump(g.json ? -1 : 2) << "\n";
  else
    human(res.resp.body.result);
  return ok;
}

/// orders, positions, pnl, cancel-all (issue 16; answered by the order_lifecycle actor).
void add_order_subcommands(CLI::App& app, global_opts& g, int& rc) {
  static bool open_only = false;
  auto* orders = app.add_subcommand("orders", "Orders the daemon tracks (all stored ones; --open: live only)");
  orders->add_flag("--open", open_only, "Only orders that may still trade (created, unknown, open, partially filled)");
  orders->callback([&] { rc = call(g, "orders", json{{"open", open_only}}, trader::ctl::print_orders); });
  app.add_subcommand("positions", "Positions from the ledger: qty, average entry, realized PnL, fees")->callback([&] {
    rc = call(g, "positions", json::object(), trader::ctl::print_positions);
  });
  app.add_subcommand("pnl", "Realized PnL (net of fees): UTC day, ISO week, total")->callback([&] {
    rc = call(g, "pnl", json::object(), trader::ctl::print_pnl);
  });
  static std::string cancel_reason = "operator cancel-all";
  auto* cancel = app.add_subcommand("cancel-all", "Cancel every open order of the account (read from the exchange)");
  cancel->add_option("--reason", cancel_reason, "Recorded in the audit log");
  cancel->callback([&] { rc = call(g, "cancel-all", json{{"reason", cancel_reason}}, trader::ctl::print_cancel_all); });
  auto via = [&g](const std::string& cmd, json args, void (*human)(const json&)) { return call(g, cmd, std::move(args), human); };
  trader::ctl::add_flatten_subcommand(app, via, rc);
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"traderctl — operate a 247trader daemon"};
  app.require_subcommand(1);
  // Global options also after the subcommand (`traderctl universe --json`, as the docs write
  // them); set before any subcommand is added, which inherits it.
  app.fallthrough();
  global_opts g;
  app.add_option("-c,--config", g.config_dir, "Configuration directory (default: $TRADER_CONFIG_DIR, ./config, /etc/247trader/profiles/systemd)");
  app.add_option("--socket", g.socket, "Control socket path (default: from the configuration)");
  app.add_option("--state-dir", g.state_dir, "State directory (default: from the configuration)");
  app.add_option("--audit-dir", g.audit_dir, "Audit log directory (default: <log_dir>/audit from the configuration)");
  app.footer("First start: `traderctl state init` creates the state store (traderd never creates one).\n"
             "Tamper check: `traderctl audit verify` checks the audit log's hash chain.");
  app.add_flag("--json", g.json, "Machine-readable output");
  app.set_version_flag("--version", "traderctl 0.1.0");
  int rc = ok;

  std::string validate_dir;
  auto* validate = app.add_subcommand("validate", "Validate a configuration directory (offline)");
  validate->add_option("DIR", validate_dir, "Configuration directory")->required();
  validate->callback([&] { rc = trader::config::run_validate(validate_dir, g.json, std::cout, std::cerr); });

  // An offline command: resolve the one directory it needs (from the configuration unless
  // given), then run it.
  auto offline = [&](std::string global_opts::*need, const std::function<int()>& run) {
    return [&, need, run] { rc = !(g.*need).empty() || resolve_paths(g, std::cerr) ? run() : usage; };
  };
  auto* state = app.add_subcommand("state", "The state store (offline): init (the first store), inspect, verify, "
                                              "backup, restore");
  state->require_subcommand(1);
  bool init_force = false;
  auto* init = state->add_subcommand("init", "Create the first state store (exit 0 if one exists; refuses to "
                                             "replace a lost one without --force)");
  init->add_flag("--force", init_force, "Start over with an empty store where one was lost (its kill switch, "
                                        "positions and order history are gone)");
  init->callback(offline(&global_opts::state_dir, [&] {
    return trader::persistence::run_state_init(g.state_dir, init_force, std::cout, std::cerr);
  }));
  auto* inspect = state->add_subcommand("inspect", "Counts, gate, positions, open orders, last fills");
  inspect->callback(offline(&global_opts::state_dir, [&] { return trader::persistence::run_state_inspect(g.state_dir, g.json, std::cout, std::cerr); }));
  auto* verify = state->add_subcommand("verify", "Decode every record (in a child process) and report problems");
  long verify_child_of = 0;
  verify->add_option("--child", verify_child_of,
                     "Internal: run as traderd's periodic verify helper for parent PID (needs --state-dir)");
  verify->callback([&] {
    if (verify_child_of > 0) {  // no configuration: traderd passes --state-dir
      rc = g.state_dir.empty() ? usage
                               : trader::persistence::run_verify_child(g.state_dir, static_cast<pid_t>(verify_child_of));
      return;
    }
    rc = !g.state_dir.empty() || resolve_paths(g, std::cerr)
           ? trader::persistence::run_state_verify(g.state_dir, g.json, std::cout, std::cerr)
           : usage;
  });
  std::string backup_dest;
  auto* backup = state->add_subcommand("backup", "Write a verified, compacted copy of the store to DEST");
  backup->add_option("DEST", backup_dest, "Destination directory (created; never overwritten)")->required();
  backup->callback(
    offline(&global_opts::state_dir, [&] { return trader::persistence::run_state_backup(g.state_dir, backup_dest, std::cout, std::cerr); }));

  std::string restore_src;
  auto* restore = state->add_subcommand("restore", "Restore a verified backup into an empty state directory (traderd stopped)");
  restore->add_option("BACKUP", restore_src, "Directory written by `traderctl state backup`")->required();
  restore->callback(
    offline(&global_opts::state_dir, [&] { return trader::persistence::run_state_restore(restore_src, g.state_dir, std::cout, std::cerr); }));

  auto* audit = app.add_subcommand("audit", "The audit log (offline): verify its hash chain");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "Check every line's seq and prev_hash (tamper evidence); exit 1 on a break")
    ->callback(offline(&global_opts::audit_dir, [&] { return run_audit_verify(g.audit_dir, g.json); }));

  app.add_subcommand("status", "Mode, config hash, uptime, actor health")->callback([&] {
    rc = call(g, "status", json::object(), print_status);
  });
  app.add_subcommand("actors", "The supervision tree with state, restarts and last failure")->callback([&] {
    rc = call(g, "actors", json::object(), print_actors);
  });
  std::string actor;
  auto* restart = app.add_subcommand("restart", "Restart one actor through its supervisor");
  restart->add_option("ACTOR", actor, "Actor name (see `traderctl actors`)")->required();
  restart->callback([&] {
    rc = call(g, "restart", json{{"actor", actor}}, [](const json& r) {
      std::cout << "restarted " << r.value("restarted", "?") << " in " << r.value("elapsed_ms", 0.0) << " ms\n";
    });
  });
  app.add_subcommand("gate", "The trading gate: open or closed, with every reason")->callback([&] {
    rc = call(g, "gate", json::object(), print_gate);
  });
  std::string reason;
  bool force = false;
  auto* resume = app.add_subcommand(
    "resume", "Clear one gate reason (sticky ones too: kill_switch, state_unavailable); refused while its cause holds");
  resume->add_option("REASON", reason, "Gate reason, e.g. state_unavailable")->required();
  resume->add_flag("--force", force,
                   "Only for `startup` until reconcile exists: open without a reconcile (check the exchange first)");
  resume->callback([&] {
    json args{{"reason", reason}};
    if (force)
      args["force"] = true;
    rc = call(g, "resume", args, print_gate);
  });
  std::string kill_reason = "operator kill switch";
  auto* kill = app.add_subcommand("kill", "Kill switch: close the gate (cancels only) and cancel all open orders");
  kill->add_option("--reason", kill_reason, "Recorded in the audit log");
  kill->callback([&] { rc = call(g, "kill", json{{"reason", kill_reason}}, print_gate); });
  std::string halt_reason = "operator halt";
  auto* halt = app.add_subcommand("halt", "Close the gate to new risk by hand (operator_halt); exits still go out");
  halt->add_option("--reason", halt_reason, "Recorded in the audit log");
  halt->callback([&] { rc = call(g, "halt", json{{"reason", halt_reason}}, print_gate); });
  app.add_subcommand("risk", "Risk: limits and their current use, loss limits, pacing, protective exits, last verdicts")
    ->callback([&] { rc = call(g, "risk", json::object(), trader::ctl::print_risk); });
  auto* alert = app.add_subcommand("alert", "Alerts: test the sinks, acknowledge one");
  alert->require_subcommand(1);
  alert->add_subcommand("test", "Send a staging alert through every configured sink")->callback([&] {
    rc = call(g, "alert.test", json::object(), [](const json& r) {
      std::cout << "staging alert sent: " << r.value("notifications", 0) << " notification(s)\n";
    });
  });
  std::string fingerprint;
  auto* ack = alert->add_subcommand("ack", "Acknowledge an active alert (stops its escalation)");
  ack->add_option("FINGERPRINT", fingerprint, "As shown in the alert")->required();
  ack->callback([&] {
    rc = call(g, "alert.ack", json{{"fingerprint", fingerprint}}, [](const json& r) {
      std::cout << "acknowledged " << r.value("acknowledged", "") << "\n";
    });
  });
  app.add_subcommand("latency", "Latency per endpoint/stage: count, p50/p95/p99/max (5-min window), budget")
    ->callback([&] { rc = call(g, "latency", json::object(), print_latency); });
  app.add_subcommand("smoke", "Read-only exchange check: time, products, auth, balances, fees, orders, quotes, depth, candles")
    ->callback([&] {
      json result;
      rc = call(g, "smoke", json::object(), print_smoke, &result);
      if (rc == ok && !result.value("ok", false))
        rc = failed;
    });
  app.add_subcommand("reload", "Re-validate the configuration and apply it if valid (like SIGHUP)")->callback([&] {
    rc = call(g, "reload", json::object(), [](const json& r) {
      std::cout << "reload: " << r.value("message", "?") << "  hash " << r.value("old_hash", "") << " -> "
                << r.value("new_hash", "") << "\n";
    });
  });

  add_order_subcommands(app, g, rc);
  app.add_subcommand("universe", "The last cycle's universe: eligible products, exclusions with reasons")
    ->callback([&] { rc = call(g, "universe", json::object(), trader::ctl::print_universe); });
  trader::ctl::add_ban_subcommands(app, [&g](const std::string& c, json a, void (*h)(const json&)) { return call(g, c, std::move(a), h); }, rc);
  app.add_subcommand("signals", "The last cycle's signals per product, blocks and the market regime")
    ->callback([&] { rc = call(g, "signals", json::object(), trader::ctl::print_signals); });
  app.add_subcommand("strategies", "The last cycle's proposals, risk's verdicts or the no-trade reason")
    ->callback([&] { rc = call(g, "strategies", json::object(), trader::ctl::print_strategies); });
  app.add_subcommand("drift", "Each strategy's live results against its backtest baseline: severity and why")
    ->callback([&] { rc = call(g, "drift", json::object(), trader::ctl::print_drift); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto code = app.exit(e);
    return code == 0 ? ok : usage;
  }
  return rc;
}

// backtest: the live decision path (signals → strategies → risk → order lifecycle) in one
// thread and virtual time against simex's matching engine; deterministic JSON report,
// SVG/HTML beside it, and a regression gate (docs/backtest.md).

#include "runtime/config/loader.hpp"
#include "tools/backtest/compare.hpp"
#include "tools/backtest/decisions.hpp"
#include "tools/backtest/replay.hpp"
#include "tools/backtest/report/report.hpp"
#include "tools/backtest/run.hpp"
#include "tools/backtest/walk_forward.hpp"
#include "tools/simex/engine/time_format.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

using namespace trader;
using namespace trader::backtest;

/// UNIX seconds, "YYYY-MM-DD" or RFC 3339 → UNIX seconds; -1 when malformed.
std::int64_t parse_time(const std::string& s) {
  if (s.empty())
    return 0;
  if (s.find_first_not_of("0123456789") == std::string::npos)
    return std::stoll(s);
  auto t = simex::parse_rfc3339(s.size() == 10 ? s + "T00:00:00Z" : s);
  return t ? *t / ns_per_s : -1;
}

struct run_args {
  std::string config_dir = "config";
  std::vector<std::string> data;
  std::string product, from, to, report, audit, products;
  double days = 1.0, cash = 10'000.0;
  std::uint64_t seed = 1;
  std::int64_t step_ms = 10'000;
  int levels = 10;
  double vol_scale = 1.0;
  std::string bars = "data";
  bool no_progress = false;
};

void add_run_options(CLI::App* c, run_args& a) {
  c->add_option("-c,--config", a.config_dir, "Configuration directory")->capture_default_str();
  c->add_option("--data", a.data, "Data file(s): 1-minute candles .csv, Coinbase WS .jsonl[.zst], Binance .gz "
                                   "(none: simex's synthetic market)");
  c->add_option("--product", a.product, "Product id of files whose name names none (e.g. BTC-USD)");
  c->add_option("--from", a.from, "Range start: UNIX s, YYYY-MM-DD or RFC 3339");
  c->add_option("--to", a.to, "Range end (exclusive)");
  c->add_option("--days", a.days, "Synthetic market length, days")->capture_default_str();
  c->add_option("--cash", a.cash, "Initial USD balance")->capture_default_str();
  c->add_option("--seed", a.seed, "Seed of the market model, exchange ids and cycle jitter")->capture_default_str();
  c->add_option("--step-ms", a.step_ms, "Market model step, ms")->capture_default_str();
  c->add_option("--levels", a.levels, "House levels per side of the simulated book (depth the market offers; "
                                      "fewer run faster)")
    ->check(CLI::Range(1, 200))
    ->capture_default_str();
  c->add_option("--vol-scale", a.vol_scale, "Synthetic: variance multiplier of the walk's per-step volatility")
    ->capture_default_str();
  c->add_option("--products", a.products, "Synthetic market: comma-separated product ids (default: the universe)");
  c->add_option("--bars", a.bars, "With --data, what the signal side's bars are built from: data (the file's bars "
                                  "or ticks) or tape (the simulated market's prints, as without --data)")
    ->check(CLI::IsMember({"data", "tape"}))
    ->capture_default_str();
  c->add_option("--audit", a.audit, "Write the audit stream (verdicts, intents, fills, gate) as JSONL here");
  c->add_flag("--no-progress", a.no_progress, "No progress bar on a terminal");
}

bool load(const run_args& a, config::load_result& cfg) {
  cfg = config::load_config_dir(a.config_dir);
  if (!cfg.ok()) {
    std::cerr << "backtest: configuration in " << a.config_dir << " is invalid; run `traderctl validate "
              << a.config_dir << "`\n";
    return false;
  }
  return true;
}

bool options_of(const run_args& a, run_options& o) {
  o.data = a.data;
  o.product = a.product;
  o.from_s = parse_time(a.from);
  o.to_s = parse_time(a.to);
  if (o.from_s < 0 || o.to_s < 0) {
    std::cerr << "backtest: --from/--to: want UNIX seconds, YYYY-MM-DD or RFC 3339\n";
    return false;
  }
  o.days = a.days;
  o.initial_cash = a.cash;
  o.seed = a.seed;
  o.step_ms = a.step_ms;
  o.levels = a.levels;
  o.vol_scale = a.vol_scale;
  o.bars_from_tape = a.bars == "tape";
  o.keep_audit = !a.audit.empty();
  o.progress = !a.no_progress;
  std::string p;
  for (char ch : a.products + ",") {
    if (ch == ',') {
      if (!p.empty())
        o.synthetic_products.push_back(p);
      p.clear();
    } else if (ch != ' ') {
      p += ch;
    }
  }
  return true;
}

int cmd_run(const run_args& a) {
  config::load_result cfg;
  if (!load(a, cfg))
    return 78;
  run_options o;
  if (!options_of(a, o))
    return 64;
  run_result r;
  std::string error;
  if (!run_backtest(*cfg.config, a.config_dir, cfg.hash, cfg.trading_hash, o, r, error)) {
    std::cerr << "backtest: " << error << "\n";
    return 66;
  }
  const auto j = make_report(r);
  if (!a.report.empty() && !write_report(r, a.report, error)) {
    std::cerr << "backtest: " << error << "\n";
    return 73;
  }
  if (!a.audit.empty()) {
    std::ofstream out{a.audit, std::ios::binary | std::ios::trunc};
    for (const auto& line : r.rec.audit)
      out << line << "\n";
    if (!out) {
      std::cerr << "backtest: " << a.audit << ": cannot write\n";
      return 73;
    }
  }
  const auto& s = j["summary"];
  std::printf("trades %s  win_rate %s %%  pnl %s %%  max_dd %s %%  profit_factor %s  sharpe %s\n",
              s["trades"].dump().c_str(), s["win_rate_pct"].dump().c_str(), s["total_pnl_pct"].dump().c_str(),
              s["max_drawdown_pct"].dump().c_str(), s["profit_factor"].dump().c_str(), s["sharpe"].dump().c_str());
  std::printf("events %llu (candles %llu, ticks %llu) in %.3f s wall: %.0f events/s; intent_hash %s\n",
              static_cast<unsigned long long>(r.rec.events), static_cast<unsigned long long>(r.rec.candles),
              static_cast<unsigned long long>(r.rec.ticks), r.wall_s,
              r.wall_s > 0 ? static_cast<double>(r.rec.events) / r.wall_s : 0.0, r.rec.intent_hash.c_str());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"backtest — the live pipeline (signals → strategies → risk → order lifecycle) in virtual time "
               "against simex's matching engine\n\ncommands: run, compare, walk-forward, decisions, replay"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "backtest 0.2.0");

  run_args ra;
  auto* run = app.add_subcommand("run", "Run one backtest and write the JSON report (+ .svg, .html)");
  add_run_options(run, ra);
  run->add_option("--report", ra.report, "Write the JSON report here (chart and HTML beside it)");

  std::string baseline, report, tolerance = "2%";
  auto* cmp = app.add_subcommand("compare", "Compare a report with a baseline: exit 0 pass, 1 fail, 2 error");
  cmp->add_option("BASELINE", baseline, "Baseline report")->required();
  cmp->add_option("REPORT", report, "Report to check")->required();
  cmp->add_option("--tolerance", tolerance, "Allowed relative change of each regression key, e.g. 2%")
    ->capture_default_str();

  run_args wa;
  walk_forward_options wo;
  std::string wf_report;
  auto* wf = app.add_subcommand("walk-forward", "In-sample/out-of-sample windows (80/20 or rolling) with acceptance gates");
  add_run_options(wf, wa);
  add_walk_forward_options(wf, wo);
  wf->add_option("--report", wf_report, "Write the walk-forward JSON here");

  std::string decisions_log, decisions_against;
  auto* dc = app.add_subcommand("decisions",
                                "Verify a run's decision hash (traderd audit log or --audit stream) and compare "
                                "it with another run's: exit 0 equal, 1 diverge, 2 error");
  dc->add_option("LOG", decisions_log, "traderd's audit log (file or directory) or a backtest --audit file")->required();
  dc->add_option("--against", decisions_against, "Another run's log: name the first decision where they part");
  bool decisions_orders = false;
  dc->add_flag("--orders", decisions_orders,
               "Compare only the orders placed (approved intents, sent exits), not rejected proposals");

  std::string recording, replay_config, replay_audit;
  auto* rp = app.add_subcommand("replay",
                                "Re-run a recorded traderd session's risk decisions (traderd --record-market DIR) and "
                                "prove them equal, or name the first that differs: exit 0 equivalent, 1 diverge, 2 error");
  rp->add_option("RECORDING", recording, "The --record-market directory (its risk-*.jsonl tape) or one tape file")
    ->required();
  rp->add_option("-c,--config", replay_config, "Configuration to replay under (default: the one the session ran)");
  rp->add_option("--audit-log", replay_audit,
                 "traderd's audit log of the session (file or directory): its decision hash must be the recording's");

  CLI11_PARSE(app, argc, argv);

  if (*run)
    return cmd_run(ra);
  if (*cmp) {
    const double tol = parse_tolerance(tolerance);
    if (tol < 0) {
      std::cerr << "backtest compare: --tolerance: want a non-negative percentage such as 2%\n";
      return 2;
    }
    auto r = compare_files(baseline, report, tol);
    (r.exit_code == 2 ? std::cerr : std::cout) << render(r, tol);
    return r.exit_code;
  }
  if (*wf) {
    config::load_result cfg;
    if (!load(wa, cfg))
      return 78;
    run_options o;
    if (!options_of(wa, o))
      return 64;
    return cmd_walk_forward(*cfg.config, wa.config_dir, cfg.hash, o, wo, wf_report);
  }
  if (*dc)
    return cmd_decisions(decisions_log, decisions_against, decisions_orders);
  return cmd_replay(recording, replay_config, replay_audit);
}

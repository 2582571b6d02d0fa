#include "tools/backtest/walk_forward.hpp"

#include "tools/backtest/pipeline/settings.hpp"
#include "actors/trading/drift/ks.hpp"
#include "tools/backtest/report/report.hpp"
#include "tools/backtest/sim/sim_market.hpp"
#include "tools/simex/engine/time_format.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace trader::backtest {

std::vector<wf_window> make_windows(std::int64_t from, std::int64_t to, const walk_forward_options& o) {
  std::vector<wf_window> out;
  const double p = std::clamp(o.train_pct, 1.0, 99.0) / 100.0;
  const double span = static_cast<double>(to - from);
  if (span <= 0)
    return out;
  const int k = o.mode == "rolling" ? std::clamp(o.windows, 1, 100) : 1;
  const double len = span / (1.0 + (k - 1) * (1.0 - p));
  const double slide = len * (1.0 - p);
  for (int i = 0; i < k; ++i) {
    const double a = static_cast<double>(from) + i * slide;
    wf_window w;
    w.train_from = std::llround(a) / 60 * 60;
    w.test_from = std::llround(a + len * p) / 60 * 60;
    w.test_to = i + 1 == k ? to : std::llround(a + len) / 60 * 60;
    out.push_back(w);
  }
  return out;
}

std::optional<double> decay_pct(double in_sample, double out_of_sample) {
  if (!(in_sample > 0))
    return std::nullopt;
  return (in_sample - out_of_sample) / std::abs(in_sample) * 100.0;
}

nlohmann::ordered_json gates(const nlohmann::ordered_json& s, std::optional<double> decay, const walk_forward_options& o,
                             bool& all_pass) {
  nlohmann::ordered_json g;
  auto gate = [&](const char* name, double value, double limit, bool pass) {
    g[name] = {{"value", round6(value)}, {"limit", limit}, {"pass", pass}};
    all_pass = all_pass && pass;
  };
  all_pass = true;
  const double wr = s.value("win_rate_pct", 0.0), pf = s.value("profit_factor", 0.0), sh = s.value("sharpe", 0.0),
               dd = s.value("max_drawdown_pct", 0.0);
  gate("win_rate_pct", wr, o.min_win_rate_pct, wr >= o.min_win_rate_pct);
  gate("profit_factor", pf, o.min_profit_factor, pf >= o.min_profit_factor);
  gate("sharpe", sh, o.min_sharpe, sh >= o.min_sharpe);
  gate("max_drawdown_pct", dd, o.max_drawdown_pct, dd <= o.max_drawdown_pct);
  if (decay) {
    gate("oos_decay_pct", *decay, o.max_decay_pct, *decay < o.max_decay_pct);
  } else {
    g["oos_decay_pct"] = {{"value", nullptr}, {"limit", o.max_decay_pct}, {"pass", false},
                          {"why", "in-sample Sharpe is not positive: no decay to measure"}};
    all_pass = false;
  }
  return g;
}

void add_walk_forward_options(CLI::App* c, walk_forward_options& o) {
  c->add_option("--mode", o.mode, "split (one 80/20 cut) or rolling")->capture_default_str();
  c->add_option("--train-pct", o.train_pct, "In-sample share of each window, %")->capture_default_str();
  c->add_option("--windows", o.windows, "Rolling windows")->capture_default_str();
  c->add_option("--min-win-rate", o.min_win_rate_pct, "Gate: OOS win rate %")->capture_default_str();
  c->add_option("--min-profit-factor", o.min_profit_factor, "Gate: OOS profit factor")->capture_default_str();
  c->add_option("--min-sharpe", o.min_sharpe, "Gate: OOS Sharpe")->capture_default_str();
  c->add_option("--max-drawdown", o.max_drawdown_pct, "Gate: OOS max drawdown %")->capture_default_str();
  c->add_option("--max-decay", o.max_decay_pct, "Gate: IS → OOS Sharpe decay %")->capture_default_str();
}

namespace {

/// The synthetic market rendered as 1-minute candles of [from, to) (one history for every window).
market_data synthetic_history(const config::trader_config& cfg, const run_options& o, std::int64_t from,
                              std::int64_t to) {
  market_data md;
  md.synthetic = true;
  sim_market m{md, market_options_for(o, true, settings_from(cfg).universe)};
  m.start(from * ns_per_s);
  market_data out;
  for (const auto& p : m.products())
    out.products.push_back(product_data{p, {}, {}, false});
  for (std::int64_t t = from + 60; t <= to; t += 60) {
    m.advance(t * ns_per_s);
    for (auto& pd : out.products) {
      auto c = m.exchange().stats(pd.product)->candles(t - 60, t, 60, 1);
      if (!c.empty())
        pd.candles.push_back(c.front());
    }
  }
  out.files.push_back(data_file{"simex:synthetic seed=" + std::to_string(o.seed), "", "simex_synthetic", 0});
  return out;
}

market_data slice(const market_data& md, std::int64_t from, std::int64_t to) {
  market_data out;
  out.files = md.files;
  for (const auto& p : md.products) {
    product_data q{p.product, {}, {}, p.from_ticks};
    for (const auto& c : p.candles)
      if (c.start >= from && c.start < to)
        q.candles.push_back(c);
    for (const auto& t : p.ticks)
      if (t.t >= from * ns_per_s && t.t < to * ns_per_s)
        q.ticks.push_back(t);
    if (!q.candles.empty())
      out.products.push_back(std::move(q));
  }
  return out;
}

} // namespace

int cmd_walk_forward(const config::trader_config& cfg, const std::string& config_dir, const std::string& config_hash,
                     run_options o, const walk_forward_options& wo, const std::string& report) {
  market_data md;
  std::string error;
  o.progress = false;
  if (o.data.empty()) {
    const std::int64_t from = o.from_s != 0 ? o.from_s : 1'767'225'600;
    const std::int64_t to = o.to_s != 0 ? o.to_s : from + static_cast<std::int64_t>(o.days * 86'400);
    md = synthetic_history(cfg, o, from, to);
  } else if (auto loaded = load_market_data(o.data, load_options{o.product, o.from_s, o.to_s}, error)) {
    md = std::move(*loaded);
  } else {
    std::cerr << "backtest walk-forward: " << error << "\n";
    return 2;
  }
  const auto [first, last] = md.span();
  const auto windows = make_windows(first, last + 60, wo);
  if (windows.empty()) {
    std::cerr << "backtest walk-forward: no data to cut into windows\n";
    return 2;
  }
  nlohmann::ordered_json out{{"schema", "247trader.backtest.walk_forward/1"}, {"config_hash", config_hash},
                             {"config_dir", config_dir}, {"mode", wo.mode}, {"train_pct", wo.train_pct},
                             {"seed", o.seed}};
  auto& rows = out["windows"] = nlohmann::ordered_json::array();
  double is_sharpe = 0, oos[4] = {0, 0, 0, 0};  // win rate, PF, Sharpe, max DD
  std::printf("%-3s %-20s %-20s %8s %8s %8s %8s\n", "#", "test from", "test to", "IS shrp", "OOS shrp", "OOS pnl%",
              "OOS dd%");
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    run_result in, oo;
    run_loaded(cfg, slice(md, w.train_from, w.test_from), o, in);
    run_loaded(cfg, slice(md, w.test_from, w.test_to), o, oo);
    const auto si = make_report(in)["summary"], so = make_report(oo)["summary"];
    auto d = decay_pct(si.value("sharpe", 0.0), so.value("sharpe", 0.0));
    std::vector<double> ri, ro;  // trade returns, %: one distribution in and out of sample?
    for (const auto& t : in.rec.trades)
      ri.push_back(t.pnl_pct());
    for (const auto& t : oo.rec.trades)
      ro.push_back(t.pnl_pct());
    const auto ks = stats::ks_two_sample(ri, ro);
    rows.push_back({{"train", {{"from", simex::rfc3339(w.train_from * ns_per_s, 0)}, {"to", simex::rfc3339(w.test_from * ns_per_s, 0)}}},
                    {"test", {{"from", simex::rfc3339(w.test_from * ns_per_s, 0)}, {"to", simex::rfc3339(w.test_to * ns_per_s, 0)}}},
                    {"in_sample", si},
                    {"out_of_sample", so},
                    {"sharpe_decay_pct", d ? nlohmann::ordered_json(round6(*d)) : nlohmann::ordered_json(nullptr)},
                    {"trade_returns_ks", {{"d", round6(ks.d)}, {"p", round6(ks.p)}, {"n_in", ks.n}, {"n_out", ks.m}}}});
    is_sharpe += si.value("sharpe", 0.0);
    oos[0] += so.value("win_rate_pct", 0.0);
    oos[1] += so.value("profit_factor", 0.0);
    oos[2] += so.value("sharpe", 0.0);
    oos[3] = std::max(oos[3], so.value("max_drawdown_pct", 0.0));
    std::printf("%-3zu %-20s %-20s %8.3f %8.3f %8.3f %8.3f\n", i + 1, simex::rfc3339(w.test_from * ns_per_s, 0).c_str(),
                simex::rfc3339(w.test_to * ns_per_s, 0).c_str(), si.value("sharpe", 0.0), so.value("sharpe", 0.0),
                so.value("total_pnl_pct", 0.0), so.value("max_drawdown_pct", 0.0));
  }
  const double n = static_cast<double>(windows.size());
  nlohmann::ordered_json agg{{"win_rate_pct", round6(oos[0] / n)}, {"profit_factor", round6(oos[1] / n)},
                             {"sharpe", round6(oos[2] / n)}, {"max_drawdown_pct", round6(oos[3])}};
  const auto decay = decay_pct(is_sharpe / n, oos[2] / n);
  bool pass = false;
  out["out_of_sample"] = agg;
  out["in_sample_sharpe"] = round6(is_sharpe / n);
  out["oos_decay_pct"] = decay ? nlohmann::ordered_json(round6(*decay)) : nlohmann::ordered_json(nullptr);
  out["gates"] = gates(agg, decay, wo, pass);
  out["pass"] = pass;
  for (const auto& [name, g] : out["gates"].items())
    std::printf("gate %-18s %-12s limit %-8s %s\n", name.c_str(), g["value"].dump().c_str(), g["limit"].dump().c_str(),
                g["pass"].get<bool>() ? "pass" : "FAIL");
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  if (!report.empty()) {
    std::ofstream f{report, std::ios::binary | std::ios::trunc};
    f << out.dump(2) << "\n";
    if (!f) {
      std::cerr << "backtest walk-forward: " << report << ": cannot write\n";
      return 2;
    }
  }
  return pass ? 0 : 1;
}

} // namespace trader::backtest

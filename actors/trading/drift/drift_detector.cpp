#include "actors/trading/drift/drift_detector.hpp"

#include "actors/trading/drift/ks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace trader::drift {

namespace {

std::string fmt(const char* f, double a, double b, double c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

/// Relative fall of `live` below `base`, percent (0 when it did not fall or base ≤ 0).
double drop_pct(double base, double live) { return base > 0 && live < base ? (base - live) / base * 100.0 : 0.0; }

nlohmann::json stats_json(const trade_stats& s) {
  return {{"trades", s.trades}, {"win_rate_pct", s.win_rate_pct}, {"profit_factor", s.profit_factor},
          {"sharpe", s.sharpe}};
}

} // namespace

std::vector<std::string> validate(const drift_policy& p) {
  std::vector<std::string> out;
  auto range = [&](const char* key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
      out.push_back(std::string{"drift."} + key + ": " + fmt("%g not in %g..%g", v, lo, hi));
  };
  range("window_trades", static_cast<double>(p.window_trades), 5, 1000);
  range("min_trades", static_cast<double>(p.min_trades), 2, static_cast<double>(std::max<std::size_t>(p.window_trades, 2)));
  range("win_rate_drop_pct", p.win_rate_drop_pct, 1, 100);
  range("profit_factor_drop_pct", p.profit_factor_drop_pct, 1, 100);
  range("sharpe_drop", p.sharpe_drop, 0.01, 10);
  range("ks_alpha", p.ks_alpha, 0.0001, 0.5);
  range("alert_cooldown_s", static_cast<double>(p.alert_cooldown_s), 0, 30.0 * 86'400);
  return out;
}

std::string_view name(drift_severity s) {
  switch (s) {
    case drift_severity::none: return "none";
    case drift_severity::warning: return "warning";
    case drift_severity::critical: return "critical";
  }
  return "none";
}

trade_stats stats_of(const std::vector<double>& r) {
  trade_stats s;
  s.trades = r.size();
  if (r.empty())
    return s;
  double gains = 0, losses = 0, sum = 0;
  std::size_t wins = 0;
  for (double x : r) {
    sum += x;
    if (x > 0) {
      ++wins;
      gains += x;
    } else {
      losses -= x;
    }
  }
  s.win_rate_pct = static_cast<double>(wins) / static_cast<double>(r.size()) * 100.0;
  s.profit_factor = losses > 0 ? gains / losses : gains > 0 ? 999.0 : 0.0;
  if (r.size() > 1) {
    const double mean = sum / static_cast<double>(r.size());
    double sq = 0;
    for (double x : r)
      sq += (x - mean) * (x - mean);
    const double sd = std::sqrt(sq / static_cast<double>(r.size() - 1));
    s.sharpe = sd > 0 ? mean / sd : 0.0;
  }
  return s;
}

baseline_load baselines_from_report(std::string_view text) {
  baseline_load out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    out.error = "not JSON";
    return out;
  }
  if (!j.contains("trades") || !j["trades"].is_array()) {
    out.error = "no trades array (not a backtest report?)";
    return out;
  }
  std::map<std::string, std::vector<double>> by;
  for (const auto& t : j["trades"]) {
    if (!t.is_object() || !t.contains("strategy") || !t["strategy"].is_string() || !t.contains("pnl_pct") ||
        !t["pnl_pct"].is_number()) {
      out.error = "a trade without strategy or pnl_pct";
      return out;
    }
    by[t["strategy"].get<std::string>()].push_back(t["pnl_pct"].get<double>());
  }
  for (auto& [s, r] : by)
    out.baselines.push_back({s, std::move(r)});
  return out;
}

drift_detector::drift_detector(const drift_policy& p, std::vector<strategy_baseline> baselines) : p_(p) {
  for (auto& b : baselines)
    base_[b.strategy] = std::move(b.returns_pct);
}

void drift_detector::on_trade(const std::string& strategy, double return_pct) {
  auto& w = live_[strategy];
  w.push_back(return_pct);
  while (w.size() > std::max<std::size_t>(p_.window_trades, 1))
    w.pop_front();
}

drift_finding drift_detector::judge(const std::string& strategy) const {
  drift_finding f;
  f.strategy = strategy;
  std::vector<double> live, base;
  if (auto it = live_.find(strategy); it != live_.end())
    live.assign(it->second.begin(), it->second.end());
  if (auto it = base_.find(strategy); it != base_.end())
    base = it->second;
  f.live = stats_of(live);
  f.base = stats_of(base);
  if (base.size() < p_.min_trades) {
    f.reasons.push_back("no_baseline: " + std::to_string(base.size()) + " baseline trades < min_trades " +
                        std::to_string(p_.min_trades));
    return f;
  }
  if (live.size() < p_.min_trades) {
    f.reasons.push_back("warming_up: " + std::to_string(live.size()) + " of " + std::to_string(p_.min_trades) +
                        " live trades");
    return f;
  }
  f.ready = true;
  auto ks = stats::ks_two_sample(live, base);
  f.ks_d = ks.d;
  f.ks_p = ks.p;
  const double wr_drop = drop_pct(f.base.win_rate_pct, f.live.win_rate_pct);
  const double pf_drop = drop_pct(std::min(f.base.profit_factor, 100.0), std::min(f.live.profit_factor, 100.0));
  const double sh_drop = f.base.sharpe - f.live.sharpe;
  if (wr_drop >= p_.win_rate_drop_pct)
    f.reasons.push_back(fmt("win_rate: %.1f%% vs baseline %.1f%% (-%.1f%% relative)", f.live.win_rate_pct,
                            f.base.win_rate_pct, wr_drop));
  if (pf_drop >= p_.profit_factor_drop_pct)
    f.reasons.push_back(fmt("profit_factor: %.2f vs baseline %.2f (-%.1f%% relative)", f.live.profit_factor,
                            f.base.profit_factor, pf_drop));
  if (sh_drop >= p_.sharpe_drop)
    f.reasons.push_back(fmt("sharpe: %.2f vs baseline %.2f (-%.2f per trade)", f.live.sharpe, f.base.sharpe, sh_drop));
  if (ks.p < p_.ks_alpha)
    f.reasons.push_back(fmt("ks: D=%.3f p=%.4f < alpha %.4f", ks.d, ks.p, p_.ks_alpha));
  if (f.reasons.size() >= 3 || wr_drop >= 2 * p_.win_rate_drop_pct)
    f.level = drift_severity::critical;
  else if (!f.reasons.empty())
    f.level = drift_severity::warning;
  return f;
}

std::vector<drift_finding> drift_detector::evaluate(ts_ns now) {
  std::vector<std::string> names;
  for (const auto& [s, _] : base_)
    names.push_back(s);
  for (const auto& [s, _] : live_)
    if (!base_.count(s))
      names.push_back(s);
  std::vector<drift_finding> out;
  for (const auto& s : names) {
    auto f = judge(s);
    auto& a = alerted_[s];
    if (f.level != drift_severity::none) {
      const bool escalated = static_cast<int>(f.level) > static_cast<int>(a.level);
      const bool cooled = a.at == 0 || now - a.at >= p_.alert_cooldown_s * ns_per_s;
      if (escalated || cooled) {
        f.alert = true;
        a = {f.level, now};
      }
      f.disable = f.level == drift_severity::critical && p_.disable_on_critical;
    } else if (f.ready) {
      a.level = drift_severity::none;  // recovered: a later drift is new (its cooldown still runs from a.at)
    }
    f.last_alert = a.at;
    out.push_back(std::move(f));
  }
  last_ = out;
  last_at_ = now;
  return out;
}

std::string drift_detector::status_json() const {
  nlohmann::json j{{"ts", last_at_},
                   {"policy",
                    {{"window_trades", p_.window_trades}, {"min_trades", p_.min_trades},
                     {"win_rate_drop_pct", p_.win_rate_drop_pct}, {"profit_factor_drop_pct", p_.profit_factor_drop_pct},
                     {"sharpe_drop", p_.sharpe_drop}, {"ks_alpha", p_.ks_alpha},
                     {"alert_cooldown_s", p_.alert_cooldown_s}, {"disable_on_critical", p_.disable_on_critical}}},
                   {"strategies", nlohmann::json::array()}};
  for (const auto& f : last_)
    j["strategies"].push_back({{"strategy", f.strategy}, {"severity", name(f.level)}, {"ready", f.ready},
                               {"reasons", f.reasons}, {"live", stats_json(f.live)}, {"baseline", stats_json(f.base)},
                               {"ks_d", f.ks_d}, {"ks_p", f.ks_p}, {"disable", f.disable},
                               {"last_alert", f.last_alert}});
  return j.dump();
}

} // namespace trader::drift

#include "runtime/config/sanity_checks.hpp"

#include "runtime/config/schema.hpp"

#include <algorithm>
#include <set>

namespace trader::config {

namespace {

constexpr auto E = severity::error;
constexpr auto W = severity::warning;

const std::vector<sanity_check_info> all_checks = {
  {"PYRAMIDING_NO_ADDS", E, "pyramiding enabled with max_adds_per_day or max_adds_per_position 0"},
  {"PYRAMIDING_SIZING_MISMATCH", E,
   "a fully pyramided position (size x (1 + adds x add_size)) exceeds per_asset_cap_pct"},
  {"PYRAMID_POSITIONS_WHILE_DISABLED", W, "max_pyramid_positions set while pyramiding is disabled"},
  {"STOP_LOSS_GE_TAKE_PROFIT", E, "stop_loss_pct >= take_profit_pct"},
  {"NEGATIVE_PCT", E, "a percentage or bps key is negative (checked while reading each key)"},
  {"POSITION_ABOVE_TOTAL_CAP", E, "max_position_pct > max_total_at_risk_pct"},
  {"POSITIONS_TIMES_SIZE_ABOVE_CAP", W,
   "max_open_positions x max_position_pct > max_total_at_risk_pct (the total cap binds first)"},
  {"DAILY_STOP_NOT_TIGHTER", E, "daily_stop_pct >= weekly_stop_pct"},
  {"MIN_ORDER_ABOVE_MAX", E, "execution.min_order_usd > execution.max_order_usd"},
  {"DRIFT_MIN_ABOVE_WINDOW", E, "drift.min_trades > drift.window_trades (no verdict could ever be reached)"},
  {"SIZING_MIN_ABOVE_MAX", E, "risk.min_position_pct > risk.max_position_pct"},
  {"SPREAD_TOO_WIDE", E, "microstructure.max_spread_bps above 1000 (10%)"},
  {"SLIPPAGE_TOO_HIGH", E, "execution.max_slippage_bps above 500 (5%)"},
  {"DEPRECATED_EXPOSURE_KEY", W,
   "max_exposure_pct used (value applied to risk.max_total_at_risk_pct); error if both are set"},
  {"REMOVED_CACHE_KEY", W, "cache_ttl_seconds used (ignored; use universe.refresh_interval_s)"},
  {"EXPOSURE_ABOVE_50", W, "max_total_at_risk_pct above 50"},
  {"MISSING_CIRCUIT_BREAKERS", E, "policy.toml has no [circuit_breakers] section in any layer"},
  {"STALE_DATA_TOO_LONG", E, "circuit_breakers.max_data_age_s above 300 s"},
  {"THEME_CAP_BELOW_ASSET_CAP", W, "a theme's max_pct is below risk.per_asset_cap_pct"},
  {"THEME_CAP_ABOVE_TOTAL_CAP", W, "a theme's max_pct is above max_total_at_risk_pct (it never binds)"},
  {"STRATEGY_BUDGETS_ABOVE_CAP", E, "enabled strategies' risk_budget_pct sum above max_total_at_risk_pct"},
  {"PER_ASSET_CAP_BELOW_POSITION", E,
   "per_asset_cap_pct < max_position_pct (no position could open at full size)"},
  {"DRAWDOWN_BELOW_WEEKLY_STOP", W, "max_drawdown_pct < weekly_stop_pct (the weekly stop never fires)"},
  {"CYCLE_BUDGET_EXCEEDS_INTERVAL", E, "loop.cycle_budget_s longer than the shortest jittered interval"},
  {"QUOTE_AGE_ABOVE_DATA_AGE", W, "risk.max_quote_age_s above circuit_breakers.max_data_age_s"},
  {"TRADE_LIMITS_INCOHERENT", W,
   "hourly limits above daily, or new positions per hour above trades per hour"},
  {"TAKER_BELOW_MAKER_FEE", W, "taker_fee_bps < maker_fee_bps (fees swapped?)"},
  {"PAPER_CASH_BELOW_MAX_ORDER", W,
   "PAPER with execution.paper_starting_cash below execution.max_order_usd (no full-size order fits)"},
  {"NO_STRATEGY_ENABLED", W, "no strategy is enabled: nothing will trade"},
  {"STRATEGY_TRIGGER_DISABLED", W, "an enabled strategy consumes a disabled trigger"},
  {"EXCLUDED_SYMBOL_IN_TIER", W, "a red-flag symbol is listed in a tier"},
  {"DUPLICATE_SYMBOL", W, "a symbol is listed in both core and rotational"},
  {"RED_FLAG_SPREAD_WITHOUT_LIMIT", W,
   "red_flags.wide_spread_ban_hours > 0 while eligibility.max_spread_bps is 0 (the rule never fires)"},
  {"SYMBOL_QUOTE_MISMATCH", W, "a tier symbol is not quoted in universe.quote_currency"},
  {"ALERT_SINK_INCOMPLETE", E,
   "telegram enabled without chat_id (webhook/json without url: warning, the secret must supply it)"},
  {"ALERT_ESCALATION_SINK_IS_PRIMARY", W,
   "alerts.escalation_sink is also in alerts.sinks: it gets every alert, not only escalations"},
  {"INSECURE_EXCHANGE_URL", E, "LIVE with a plain http:// or ws:// endpoint that is not on loopback"},
  {"LIVE_AGAINST_LOOPBACK", W, "LIVE pointed at a loopback exchange (simex?)"},
  {"METRICS_NOT_LOOPBACK", W, "metrics.listen is not a loopback address"},
};

/// Reports findings with the severity from the table and the key's position.
class reporter {
public:
  reporter(const key_locations& where, std::vector<config_issue>& out) : where_(where), out_(out) {}

  void operator()(const char* id, const std::string& key, std::string msg) {
    report(id, severity_of(id), key, std::move(msg));
  }

  void report(const char* id, severity lvl, const std::string& key, std::string msg) {
    source_position p = locate(key);
    out_.push_back({lvl, id, p.file, p.line, p.column, key, std::move(msg)});
  }

  const key_locations& where() const { return where_; }

private:
  static severity severity_of(const char* id) {
    for (const auto& c : all_checks)
      if (std::string_view(c.id) == id)
        return c.level;
    return E;
  }
  source_position locate(std::string key) const {
    for (;;) {
      auto it = where_.find(key);
      if (it != where_.end())
        return it->second;
      auto dot = key.rfind('.');
      if (dot == std::string::npos)
        return {};
      key.resize(dot);
    }
  }
  const key_locations& where_;
  std::vector<config_issue>& out_;
};

std::string num(double d) { return render_value(config_value{d}); }

bool is_loopback_url(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos)
    return false;
  auto host = url.substr(start + 3);
  return host.rfind("127.", 0) == 0 || host.rfind("localhost", 0) == 0 || host.rfind("[::1]", 0) == 0;
}

void check_risk(const trader_config& c, reporter& r) {
  const auto& k = c.risk;
  const auto& p = c.pyramiding;
  if (p.enabled && (p.max_adds_per_day == 0 || p.max_adds_per_position == 0))
    r("PYRAMIDING_NO_ADDS",
      p.max_adds_per_day == 0 ? "risk.pyramiding.max_adds_per_day" : "risk.pyramiding.max_adds_per_position",
      "pyramiding is enabled but allows no adds; disable it or allow at least 1");
  double full =
    k.max_position_pct * (1.0 + static_cast<double>(p.max_adds_per_position) * p.add_size_pct / 100.0);
  if (p.enabled && full > k.per_asset_cap_pct + 1e-9)
    r("PYRAMIDING_SIZING_MISMATCH", "risk.pyramiding.add_size_pct",
      "a fully pyramided position is " + num(full) + "% of NAV, above risk.per_asset_cap_pct " +
        num(k.per_asset_cap_pct));
  if (!p.enabled && p.max_pyramid_positions > 0)
    r("PYRAMID_POSITIONS_WHILE_DISABLED", "risk.pyramiding.max_pyramid_positions",
      "set to " + std::to_string(p.max_pyramid_positions) + " but pyramiding is disabled; it has no effect");
  if (k.stop_loss_pct >= k.take_profit_pct)
    r("STOP_LOSS_GE_TAKE_PROFIT", "risk.stop_loss_pct",
      "stop loss " + num(k.stop_loss_pct) + "% >= take profit " + num(k.take_profit_pct) + "%");
  if (k.max_position_pct > k.max_total_at_risk_pct)
    r("POSITION_ABOVE_TOTAL_CAP", "risk.max_position_pct",
      num(k.max_position_pct) + "% is above risk.max_total_at_risk_pct " + num(k.max_total_at_risk_pct));
  double all = static_cast<double>(k.max_open_positions) * k.max_position_pct;
  if (all > k.max_total_at_risk_pct + 1e-9)
    r("POSITIONS_TIMES_SIZE_ABOVE_CAP", "risk.max_open_positions",
      std::to_string(k.max_open_positions) + " x " + num(k.max_position_pct) + "% = " + num(all) +
        "% exceeds max_total_at_risk_pct " + num(k.max_total_at_risk_pct) + "; the total cap binds first");
  if (k.daily_stop_pct >= k.weekly_stop_pct)
    r("DAILY_STOP_NOT_TIGHTER", "risk.daily_stop_pct",
      "daily stop " + num(k.daily_stop_pct) + "% must be tighter than weekly stop " + num(k.weekly_stop_pct) +
        "%");
  if (k.min_position_pct > k.max_position_pct)
    r("SIZING_MIN_ABOVE_MAX", "risk.min_position_pct",
      num(k.min_position_pct) + "% is above risk.max_position_pct " + num(k.max_position_pct));
  if (k.max_total_at_risk_pct > 50)
    r("EXPOSURE_ABOVE_50", "risk.max_total_at_risk_pct",
      num(k.max_total_at_risk_pct) + "% of NAV at risk is above 50%: make sure this is intended");
  if (k.per_asset_cap_pct < k.max_position_pct)
    r("PER_ASSET_CAP_BELOW_POSITION", "risk.per_asset_cap_pct",
      num(k.per_asset_cap_pct) + "% is below risk.max_position_pct " + num(k.max_position_pct));
  if (k.max_drawdown_pct < k.weekly_stop_pct)
    r("DRAWDOWN_BELOW_WEEKLY_STOP", "risk.max_drawdown_pct",
      num(k.max_drawdown_pct) + "% is below risk.weekly_stop_pct " + num(k.weekly_stop_pct));
  if (k.max_trades_per_hour > k.max_trades_per_day)
    r("TRADE_LIMITS_INCOHERENT", "risk.max_trades_per_hour",
      std::to_string(k.max_trades_per_hour) + " per hour is above " + std::to_string(k.max_trades_per_day) +
        " per day");
  else if (k.max_new_positions_per_hour > k.max_trades_per_hour)
    r("TRADE_LIMITS_INCOHERENT", "risk.max_new_positions_per_hour",
      std::to_string(k.max_new_positions_per_hour) + " new positions per hour is above " +
        std::to_string(k.max_trades_per_hour) + " trades per hour");
}

void check_execution(const trader_config& c, reporter& r) {
  const auto& x = c.execution;
  if (x.min_order_usd > x.max_order_usd)
    r("MIN_ORDER_ABOVE_MAX", "execution.min_order_usd",
      num(x.min_order_usd) + " USD is above execution.max_order_usd " + num(x.max_order_usd));
  if (c.drift.min_trades > c.drift.window_trades)
    r("DRIFT_MIN_ABOVE_WINDOW", "drift.min_trades",
      std::to_string(c.drift.min_trades) + " is above drift.window_trades " + std::to_string(c.drift.window_trades));
  if (c.microstructure.max_spread_bps > 1000)
    r("SPREAD_TOO_WIDE", "microstructure.max_spread_bps",
      num(c.microstructure.max_spread_bps) + " bps is above 1000 bps (10%)");
  if (x.max_slippage_bps > 500)
    r("SLIPPAGE_TOO_HIGH", "execution.max_slippage_bps",
      num(x.max_slippage_bps) + " bps is above 500 bps (5%)");
  if (x.taker_fee_bps < x.maker_fee_bps)
    r("TAKER_BELOW_MAKER_FEE", "execution.taker_fee_bps",
      num(x.taker_fee_bps) + " bps is below maker_fee_bps " + num(x.maker_fee_bps) + "; swapped?");
  if (c.app.mode == trading_mode::paper && x.paper_starting_cash < x.max_order_usd)
    r("PAPER_CASH_BELOW_MAX_ORDER", "execution.paper_starting_cash",
      num(x.paper_starting_cash) + " USD is below execution.max_order_usd " + num(x.max_order_usd) +
        ": a fresh PAPER account cannot place a full-size order");
}

void check_breakers_and_loop(const trader_config& c, reporter& r) {
  auto cb = r.where().find("circuit_breakers");
  if (cb == r.where().end() || cb->second.line == 0)
    r("MISSING_CIRCUIT_BREAKERS", "circuit_breakers",
      "policy.toml must state its [circuit_breakers] explicitly (copy the section from config/policy.toml)");
  if (c.circuit_breakers.max_data_age_s > 300)
    r("STALE_DATA_TOO_LONG", "circuit_breakers.max_data_age_s",
      std::to_string(c.circuit_breakers.max_data_age_s) + " s lets data be stale for more than 5 minutes");
  double shortest = c.loop.interval_s * (1.0 - c.loop.jitter_pct / 100.0);
  if (c.loop.cycle_budget_s > shortest + 1e-9)
    r("CYCLE_BUDGET_EXCEEDS_INTERVAL", "loop.cycle_budget_s",
      num(c.loop.cycle_budget_s) + " s is longer than the shortest jittered interval " + num(shortest) +
        " s");
  if (c.risk.max_quote_age_s > static_cast<double>(c.circuit_breakers.max_data_age_s))
    r("QUOTE_AGE_ABOVE_DATA_AGE", "risk.max_quote_age_s",
      num(c.risk.max_quote_age_s) + " s is above circuit_breakers.max_data_age_s " +
        std::to_string(c.circuit_breakers.max_data_age_s) + " s; the breaker fires first");
}

void check_universe_and_strategies(const trader_config& c, reporter& r) {
  for (const auto& [name, t] : c.themes) {
    if (t.max_pct < c.risk.per_asset_cap_pct)
      r("THEME_CAP_BELOW_ASSET_CAP", "themes." + name + ".max_pct",
        num(t.max_pct) + "% is below risk.per_asset_cap_pct " + num(c.risk.per_asset_cap_pct) +
          "; the theme cap binds for every symbol in it");
    if (t.max_pct > c.risk.max_total_at_risk_pct)
      r("THEME_CAP_ABOVE_TOTAL_CAP", "themes." + name + ".max_pct",
        num(t.max_pct) + "% is above risk.max_total_at_risk_pct " + num(c.risk.max_total_at_risk_pct) +
          "; it never binds");
  }
  double budgets = 0;
  bool any = false;
  for (const auto& [name, s] : c.strategies) {
    if (!s.enabled)
      continue;
    any = true;
    budgets += s.risk_budget_pct;
    bool on = (s.trigger == "breakout" && c.breakout.enabled) ||
              (s.trigger == "momentum" && c.momentum.enabled) ||
              (s.trigger == "volume_spike" && c.volume_spike.enabled) ||
              (s.trigger == "rsi_reversion" && c.rsi_reversion.enabled) ||
              (s.trigger == "atr_breakout" && c.atr_breakout.enabled) || s.kind == "rsi_reversion";
    if (!on)
      r("STRATEGY_TRIGGER_DISABLED", "strategies." + name + ".trigger",
        "consumes trigger " + s.trigger + ", which is disabled in signals.toml; it will never trade");
  }
  if (budgets > c.risk.max_total_at_risk_pct + 1e-9)
    r("STRATEGY_BUDGETS_ABOVE_CAP", "strategies",
      "enabled strategies' risk_budget_pct sum to " + num(budgets) + "%, above risk.max_total_at_risk_pct " +
        num(c.risk.max_total_at_risk_pct));
  if (!any)
    r("NO_STRATEGY_ENABLED", "strategies", "no strategy is enabled; nothing will trade");
  if (c.red_flags.wide_spread_ban_hours > 0 && c.eligibility.max_spread_bps <= 0)
    r("RED_FLAG_SPREAD_WITHOUT_LIMIT", "red_flags.wide_spread_ban_hours",
      "the wide_spread rule compares with eligibility.max_spread_bps, which is 0 (no check): it never fires");
  std::set<std::string> excluded(c.red_flags.excluded_symbols.begin(), c.red_flags.excluded_symbols.end());
  std::set<std::string> core(c.tiers.core.begin(), c.tiers.core.end());
  for (const auto* tier : {&c.tiers.core, &c.tiers.rotational}) {
    std::string key = tier == &c.tiers.core ? "tiers.core" : "tiers.rotational";
    for (const auto& sym : *tier) {
      if (excluded.count(sym))
        r("EXCLUDED_SYMBOL_IN_TIER", key, sym + " is in red_flags.excluded_symbols; it will never trade");
      if (tier == &c.tiers.rotational && core.count(sym))
        r("DUPLICATE_SYMBOL", key, sym + " is listed in both core and rotational");
      auto dash = sym.find('-');
      if (dash != std::string::npos && sym.substr(dash + 1) != c.universe.quote_currency)
        r("SYMBOL_QUOTE_MISMATCH", key,
          sym + " is not quoted in universe.quote_currency " + c.universe.quote_currency);
    }
  }
}

void check_app(const trader_config& c, reporter& r) {
  const auto& a = c.alerts;
  auto on = [&](const char* sink) {
    return std::find(a.sinks.begin(), a.sinks.end(), sink) != a.sinks.end() || a.escalation_sink == sink;
  };
  if (std::find(a.sinks.begin(), a.sinks.end(), a.escalation_sink) != a.sinks.end())
    r("ALERT_ESCALATION_SINK_IS_PRIMARY", "alerts.escalation_sink",
      a.escalation_sink + " is also in alerts.sinks; name a sink that is not, or none");
  if (on("telegram") && a.telegram.chat_id.empty())
    r("ALERT_SINK_INCOMPLETE", "alerts.telegram.chat_id",
      "the telegram sink is enabled but chat_id is empty");
  if (on("webhook") && a.webhook.url.empty())
    r.report("ALERT_SINK_INCOMPLETE", W, "alerts.webhook.url",
             "empty: the webhook URL must come from secret alert_webhook_url");
  if (on("json") && a.json.url.empty())
    r.report("ALERT_SINK_INCOMPLETE", W, "alerts.json.url",
             "empty: the URL must come from secret alert_json_url");
  if (c.app.mode == trading_mode::live) {
    const std::pair<const char*, const std::string*> urls[] = {
      {"exchange.rest_base_url", &c.exchange.rest_base_url},
      {"exchange.ws_market_url", &c.exchange.ws_market_url},
      {"exchange.ws_user_url", &c.exchange.ws_user_url}};
    bool loopback = false;
    for (const auto& [key, url] : urls) {
      bool plain = url->rfind("http://", 0) == 0 || url->rfind("ws://", 0) == 0;
      if (is_loopback_url(*url))
        loopback = true;
      else if (plain)
        r("INSECURE_EXCHANGE_URL", key, "LIVE must use TLS (https:// or wss://) off loopback: " + *url);
    }
    if (loopback)
      r("LIVE_AGAINST_LOOPBACK", "exchange.rest_base_url",
        "LIVE mode with a loopback exchange endpoint: real orders go to whatever listens there");
  }
  const auto& l = c.metrics.listen;
  if (c.metrics.enabled &&
      !(l.rfind("127.", 0) == 0 || l.rfind("localhost:", 0) == 0 || l.rfind("[::1]:", 0) == 0))
    r("METRICS_NOT_LOOPBACK", "metrics.listen",
      l + " exposes metrics beyond this host; put a proxy in front");
}

} // namespace

const std::vector<sanity_check_info>& sanity_checks() { return all_checks; }

void run_sanity_checks(const trader_config& c, const key_locations& where, std::vector<config_issue>& out) {
  reporter r(where, out);
  check_risk(c, r);
  check_execution(c, r);
  check_breakers_and_loop(c, r);
  check_universe_and_strategies(c, r);
  check_app(c, r);
}

} // namespace trader::config

#include "actors/trading/risk/loss_limits.hpp"

#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/checks/check.hpp"
#include "actors/trading/risk/fixed_math.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

namespace {

// Whether a loss (negative pnl) reaches limit_pct of base.
bool breached(notional pnl, notional base, double limit_pct) {
  if (pnl.units >= 0 || base.units <= 0)
    return false;
  return -pnl >= pct_of(base, limit_pct);
}

} // namespace

loss_status loss_limits::update(const ledger_marks& m, ts_ns now) {
  const ts_ns today = day_start(now), this_week = week_start(now);
  if (day_.period != today) {
    day_ = opening{today, m.nav - m.realized_day, m.unrealized};
    daily_since_ = 0;
    daily_detail_.clear();
  }
  if (week_.period != this_week) {
    week_ = opening{this_week, m.nav - m.realized_week, m.unrealized};
    weekly_since_ = 0;
    weekly_detail_.clear();
  }
  if (m.nav > high_water_) {
    high_water_ = m.nav;
    high_water_at_ = now;
  }

  loss_status s;
  s.pnl_day = m.realized_day + (m.unrealized - day_.unrealized);
  s.pnl_week = m.realized_week + (m.unrealized - week_.unrealized);
  s.pnl_day_pct = pct_value(s.pnl_day, day_.nav);
  s.pnl_week_pct = pct_value(s.pnl_week, week_.nav);
  s.high_water = high_water_;
  s.drawdown_pct = pct_value(high_water_ - m.nav, high_water_);

  if (daily_since_ == 0 && breached(s.pnl_day, day_.nav, p_.daily_stop_pct)) {
    daily_since_ = now;
    daily_detail_ = fmt("pnl=%s pnl_pct=%.2f limit_pct=%.2f day=%s", to_string(s.pnl_day).c_str(), s.pnl_day_pct,
                        p_.daily_stop_pct, day_label(now).c_str());
  }
  if (weekly_since_ == 0 && breached(s.pnl_week, week_.nav, p_.weekly_stop_pct)) {
    weekly_since_ = now;
    weekly_detail_ = fmt("pnl=%s pnl_pct=%.2f limit_pct=%.2f week=%s", to_string(s.pnl_week).c_str(), s.pnl_week_pct,
                         p_.weekly_stop_pct, iso_week_label(now).c_str());
  }
  if (drawdown_since_ == 0 && breached(m.nav - high_water_, high_water_, p_.max_drawdown_pct)) {
    drawdown_since_ = now;
    drawdown_detail_ = fmt("nav=%s high_water=%s drawdown_pct=%.2f limit_pct=%.2f", to_string(m.nav).c_str(),
                           to_string(high_water_).c_str(), s.drawdown_pct, p_.max_drawdown_pct);
  }
  s.active = active(now);
  return s;
}

std::vector<loss_breach> loss_limits::active(ts_ns now) const {
  std::vector<loss_breach> out;
  if (daily_since_ != 0)
    out.push_back({gate_reason::daily_stop, daily_detail_, daily_since_, next_day_start(now)});
  if (weekly_since_ != 0)
    out.push_back({gate_reason::weekly_stop, weekly_detail_, weekly_since_, next_week_start(now)});
  if (drawdown_since_ != 0)
    out.push_back({gate_reason::max_drawdown, drawdown_detail_, drawdown_since_, 0});
  return out;
}

bool loss_limits::resume_drawdown(notional nav, ts_ns now) {
  if (drawdown_since_ == 0)
    return false;
  drawdown_since_ = 0;
  drawdown_detail_.clear();
  high_water_ = nav;
  high_water_at_ = now;
  return true;
}

void loss_limits::on_cash_flow(notional amount) {
  if (day_.period >= 0)
    day_.nav += amount;
  if (week_.period >= 0)
    week_.nav += amount;
  if (high_water_.units > 0) {
    high_water_ += amount;
    if (high_water_.units < 0)
      high_water_ = notional{};
  }
}

void loss_limits::restore_high_water(notional nav, ts_ns at) {
  if (nav > high_water_) {
    high_water_ = nav;
    high_water_at_ = at;
  }
}

bool loss_limits::holds(gate_reason r) const {
  if (r == gate_reason::daily_stop)
    return daily_since_ != 0;
  if (r == gate_reason::weekly_stop)
    return weekly_since_ != 0;
  if (r == gate_reason::max_drawdown)
    return drawdown_since_ != 0;
  return false;  // the other reasons are not loss limits
}

std::string loss_limits::to_json() const {
  auto open = [](const opening& o) {
    return nlohmann::json{{"period", o.period}, {"nav", o.nav.units}, {"unrealized", o.unrealized.units}};
  };
  return nlohmann::json{{"v", 1},
                        {"day", open(day_)},
                        {"week", open(week_)},
                        {"high_water", high_water_.units},
                        {"high_water_at", high_water_at_},
                        {"daily", {{"since", daily_since_}, {"detail", daily_detail_}}},
                        {"weekly", {{"since", weekly_since_}, {"detail", weekly_detail_}}},
                        {"drawdown", {{"since", drawdown_since_}, {"detail", drawdown_detail_}}}}
    .dump();
}

std::optional<loss_limits> loss_limits::from_json(std::string_view text, loss_limit_params p) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1)
    return std::nullopt;
  try {
    loss_limits l{p};
    auto open = [](const nlohmann::json& o) {
      return opening{o.at("period").get<ts_ns>(), notional{o.at("nav").get<std::int64_t>()},
                     notional{o.at("unrealized").get<std::int64_t>()}};
    };
    l.day_ = open(j.at("day"));
    l.week_ = open(j.at("week"));
    l.high_water_ = notional{j.at("high_water").get<std::int64_t>()};
    l.high_water_at_ = j.at("high_water_at").get<ts_ns>();
    l.daily_since_ = j.at("daily").at("since").get<ts_ns>();
    l.daily_detail_ = j.at("daily").at("detail").get<std::string>();
    l.weekly_since_ = j.at("weekly").at("since").get<ts_ns>();
    l.weekly_detail_ = j.at("weekly").at("detail").get<std::string>();
    l.drawdown_since_ = j.at("drawdown").at("since").get<ts_ns>();
    l.drawdown_detail_ = j.at("drawdown").at("detail").get<std::string>();
    return l;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

} // namespace trader::risk

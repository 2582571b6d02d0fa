#include "tools/traderctl/risk_print.hpp"

#include <iomanip>
#include <sstream>
#include <iostream>

namespace trader::ctl {

using nlohmann::json;

namespace {

std::string num(const json& j, const char* k) {
  auto v = j.value(k, json());
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_number()) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(2) << v.get<double>();
    return o.str();
  }
  return "?";
}

} // namespace

void print_risk_summary(const json& risk) {
  auto ex = risk.value("exposure", json::object());
  auto loss = risk.value("loss", json::object());
  if (!ex.value("portfolio_known", false)) {
    std::cout << "risk:         no ledger yet\n";
    return;
  }
  std::cout << "risk:         nav " << num(ex, "nav") << "  exposure " << num(ex, "at_risk_pct") << "%  positions "
            << ex.value("open_positions", 0) << "  pending buys " << ex.value("pending_orders", 0) << "\n";
  if (loss.value("known", false))
    std::cout << "pnl:          day " << num(loss, "pnl_day") << " (" << num(loss, "pnl_day_pct") << "%)  week "
              << num(loss, "pnl_week") << " (" << num(loss, "pnl_week_pct") << "%)  drawdown "
              << num(loss, "drawdown_pct") << "%\n";
}

void print_risk(const json& r) {
  auto gate = r.value("gate", json::object());
  std::cout << "gate: " << (gate.value("open", false) ? "OPEN" : "CLOSED");
  for (auto& x : gate.value("reasons", json::array()))
    std::cout << "  " << x.value("reason", "?");
  std::cout << "\n";
  auto lim = r.value("limits", json::object());
  auto ex = r.value("exposure", json::object());
  if (!ex.value("portfolio_known", false)) {
    std::cout << "exposure: no portfolio from order_lifecycle yet (every entry is refused: STALE_PORTFOLIO)\n";
  } else {
    std::cout << "exposure: nav " << num(ex, "nav") << "  positions " << num(ex, "positions") << "  pending "
              << num(ex, "pending") << "  at risk " << num(ex, "at_risk_pct") << "% (limit "
              << num(lim, "max_total_at_risk_pct") << "%)\n"
              << "          open positions " << ex.value("open_positions", 0) << "/" << lim.value("max_open_positions", 0)
              << "  pending buys " << ex.value("pending_orders", 0) << "  portfolio age "
              << num(ex, "portfolio_age_s") << " s\n";
  }
  auto loss = r.value("loss", json::object());
  if (loss.value("known", false)) {
    std::cout << "loss:     day " << num(loss, "pnl_day") << " (" << num(loss, "pnl_day_pct") << "%, stop -"
              << num(lim, "daily_stop_pct") << "%)  week " << num(loss, "pnl_week") << " (" << num(loss, "pnl_week_pct")
              << "%, stop -" << num(lim, "weekly_stop_pct") << "%)  drawdown " << num(loss, "drawdown_pct")
              << "% (max " << num(lim, "max_drawdown_pct") << "%, high water " << num(loss, "high_water") << ")\n";
    for (auto& b : loss.value("active", json::array()))
      std::cout << "  TRIPPED " << b.value("reason", "?") << ": " << b.value("detail", "") << "\n";
  }
  auto pc = r.value("pacing", json::object());
  std::cout << "pacing:   trades today " << pc.value("trades_today", 0) << "/" << lim.value("max_trades_per_day", 0)
            << "  last hour " << pc.value("trades_last_hour", 0) << "/" << lim.value("max_trades_per_hour", 0)
            << "  new positions last hour " << pc.value("new_positions_last_hour", 0) << "/"
            << lim.value("max_new_positions_per_hour", 0) << "\n";
  auto exits = r.value("exits", json::array());
  std::cout << "exits:    " << exits.size() << " protected position(s)\n";
  for (auto& e : exits)
    std::cout << "  " << std::left << std::setw(12) << e.value("product", "") << "qty " << e.value("qty", "")
              << "  entry " << e.value("entry", "") << "  stop " << e.value("stop", "") << "  take "
              << e.value("take", "") << (e.value("exiting", false) ? "  EXITING" : "") << "\n";
  auto verdicts = r.value("verdicts", json::array());
  std::cout << "verdicts: " << verdicts.size() << " recent (newest first)\n";
  for (auto& v : verdicts) {
    std::cout << "  " << std::left << std::setw(24) << v.value("proposal_id", "") << std::setw(10)
              << v.value("product", "") << (v.value("approved", false) ? "APPROVED" : "rejected");
    auto rej = v.value("rejections", json::array());
    if (!rej.empty())
      std::cout << "  " << rej[0].value("check", "") << ": " << rej[0].value("detail", "");
    std::cout << "\n";
  }
}

} // namespace trader::ctl

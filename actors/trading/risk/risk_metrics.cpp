// The risk actor's metrics (docs/metrics.md "Risk"). Families are registered once per
// registry; a restarted risk gets the same ones back (prometheus-cpp merges by name).
#include "actors/trading/risk/risk_actor_internal.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace trader::risk {

namespace {

prometheus::Gauge& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

} // namespace

risk_metrics::risk_metrics(prometheus::Registry& r)
    : verdicts(prometheus::BuildCounter()
                 .Name("trader_risk_verdicts_total")
                 .Help("Trade proposals judged by risk, by outcome (approved, rejected).")
                 .Register(r)),
      rejections(prometheus::BuildCounter()
                   .Name("trader_risk_rejections_total")
                   .Help("Failed pre-trade checks, by check id (one proposal may fail several).")
                   .Register(r)),
      no_trade(prometheus::BuildCounter()
                 .Name("trader_no_trade_total")
                 .Help("Proposals that did not become an order, by the first reason (a check id).")
                 .Register(r)),
      exits(prometheus::BuildCounter()
              .Name("trader_protective_exits_total")
              .Help("Protective exits that fired, by kind (stop_loss, take_profit) and outcome (sent, blocked, failed).")
              .Register(r)),
      trips(prometheus::BuildCounter()
              .Name("trader_circuit_breaker_trips_total")
              .Help("Loss limits that closed the gate, by reason (daily_stop, weekly_stop, max_drawdown).")
              .Register(r)),
      exposure_pct(gauge(r, "trader_exposure_pct", "Positions plus pending buys, % of NAV.")),
      open_positions(gauge(r, "trader_open_positions", "Open positions in the ledger.")),
      pending_orders(gauge(r, "trader_pending_orders", "Working buy orders counted as pending exposure.")),
      nav(gauge(r, "trader_nav_usd", "Cash plus positions at the newest marks, quote currency.")),
      pnl_daily_usd(gauge(r, "trader_pnl_daily_usd", "PnL of the UTC day: realized plus the change in unrealized.")),
      pnl_daily_pct(gauge(r, "trader_pnl_daily_pct", "Daily PnL, % of the NAV at the day's opening.")),
      pnl_weekly_usd(gauge(r, "trader_pnl_weekly_usd", "PnL of the ISO week.")),
      pnl_weekly_pct(gauge(r, "trader_pnl_weekly_pct", "Weekly PnL, % of the NAV at the week's opening.")),
      drawdown_pct(gauge(r, "trader_drawdown_pct", "Drawdown of NAV from its high-water mark, %.")),
      total_pnl_usd(gauge(r, "trader_total_pnl_usd", "Realized PnL since the ledger began plus unrealized PnL now.")),
      total_pnl_pct(gauge(r, "trader_total_pnl_pct", "Total PnL, % of NAV less that PnL.")),
      kill_switch(gauge(r, "trader_kill_switch", "1 while the kill switch is engaged (nothing but cancels).")),
      breaker_state(prometheus::BuildGauge()
                      .Name("trader_circuit_breaker_state")
                      .Help("1 for each reason holding the trading gate closed, 0 otherwise (every reason listed).")
                      .Register(r)) {}

void gate_gauges(risk_state& st) {
  if (!st.metrics)
    return;
  auto& m = *st.metrics;
  m.kill_switch.Set(st.gate.has(gate_reason::kill_switch) ? 1 : 0);
  for (int i = 0; i <= static_cast<int>(last_gate_reason); ++i) {
    const auto r = static_cast<gate_reason>(i);
    m.breaker_state.Add({{"reason", std::string{to_string(r)}}}).Set(st.gate.has(r) ? 1 : 0);
  }
}

} // namespace trader::risk

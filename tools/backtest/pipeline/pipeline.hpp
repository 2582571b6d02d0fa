#pragma once
// The live decision path in one thread: the pure cores wired as the actors wire them.
//   bars/ticks ─▶ signal_engine (candle store, bad-tick guards, regime)
//   cycle ─▶ signal_engine::evaluate (triggers) ─▶ strategy_registry::run (strategies)
//         ─trade_proposal▶ risk_engine + trading_gate
//         ─order_intent▶ order lifecycle (client ids, state machine, ledger) ─▶ simex
//   every market step ─▶ fills/updates ─▶ ledger, pacing, protective_exits (stop/take)
//   every cycle ─▶ loss_limits ─▶ gate
// This is the one place the wiring lives, so it can follow the actors when theirs lands
// (docs/backtest.md "Pipeline"). No CAF, no clock: time is the event loop's.

#include "actors/trading/order_lifecycle/client_order_ids.hpp"
#include "actors/trading/order_lifecycle/ledger.hpp"
#include "actors/trading/order_lifecycle/order_state_machine.hpp"
#include "actors/trading/risk/loss_limits.hpp"
#include "actors/trading/risk/pacing.hpp"
#include "actors/trading/risk/protective_exits.hpp"
#include "actors/trading/risk/risk_engine.hpp"
#include "actors/trading/risk/trading_gate.hpp"
#include "actors/trading/signals/signal_engine.hpp"
#include "actors/trading/signals/strategy.hpp"
#include "tools/backtest/pipeline/settings.hpp"
#include "tools/backtest/report/run_record.hpp"
#include "tools/backtest/sim/sim_market.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trader::backtest {

/// The pipeline over one simulated market.
class pipeline {
public:
  pipeline(pipeline_settings s, sim_market& m, notional initial_cash, run_record& rec);
  ~pipeline();
  pipeline(const pipeline&) = delete;
  pipeline& operator=(const pipeline&) = delete;

  /// Trades only these products (the universe ∩ the data; the data's own when they share none).
  void set_products(std::vector<std::string> products);
  /// Starts building bars at t0 (buckets that began before are partial, as after a connect)
  /// and reads the account's fee tier, as traderd's risk does at start.
  void start(ts_ns t0);
  /// A closed 1-minute bar, handed in at `now`; refused (lookahead_refused) when its bucket
  /// has not closed by now.
  void on_bar(const std::string& product, const signals::bar& b, ts_ns now);
  /// A public trade (tick data, or the synthetic market's tape).
  void on_tick(const std::string& product, price px, size qty, ts_ns t);
  /// After the market moved to now: fills and order updates, bars closed by now, protective exits.
  void on_step(ts_ns now);
  /// The decision cycle.
  void on_cycle(std::int64_t cycle, ts_ns now);
  /// End of the run: cancels working orders, records the final NAV.
  void finish(ts_ns now);

  /// Merges a history page into p's series of granularity g (live backfills over REST at start).
  void backfill(const std::string& p, signals::granularity g, std::span<const candle> page) {
    signals_.store().backfill(product_id{p}, g, page);
  }
  /// NAV at the newest marks.
  double nav(ts_ns now);
  const order_lifecycle::ledger& ledger() const { return ledger_; }
  const signals::candle_store& store() const { return signals_.store(); }
  const risk::trading_gate& gate() const { return gate_; }

private:
  /// Sizes with the fee tier the exchange reports for the account (its 30-day volume), as
  /// traderd's risk does through accounts; read at start and hourly.
  void refresh_fees(ts_ns now);
  struct tracked;
  struct trip;

  // -- decisions (pipeline.cpp) ---------------------------------------------------
  void update_limits(ts_ns now);
  std::vector<position_state> positions() const;
  risk::portfolio_snapshot portfolio(ts_ns now);
  risk::market_snapshot market(ts_ns now);
  void decide(const trade_proposal& p, ts_ns now);
  // -- orders (pipeline_orders.cpp) -----------------------------------------------
  void send(order_intent intent, const std::string& strategy, const std::string& purpose, ts_ns now);
  void poll_orders(ts_ns now);
  void on_fill(tracked& o, const std::string& trade, simex::side s, price px, size qty, notional fee, bool maker,
               ts_ns t);
  void on_done(tracked& o, order_state final_state, ts_ns now);
  void check_exits(ts_ns now);
  void no_trade(const std::string& why) { ++rec_.no_trade_reasons[why]; }

  pipeline_settings s_;
  sim_market& m_;
  run_record& rec_;
  std::vector<std::string> products_;
  signals::signal_engine signals_;        ///< The triggers actor's core.
  signals::strategy_registry strategies_; ///< The strategies actor's core.
  ts_ns advanced_minute_ = -1;            ///< The minute signals_ was last advanced in.
  risk::risk_engine engine_;
  ts_ns fees_at_ = 0;  ///< When the fee tier was last read from the exchange.
  risk::pacing_state pacing_;
  risk::loss_limits limits_;
  risk::protective_exits exits_;
  risk::trading_gate gate_;
  order_lifecycle::ledger ledger_;
  order_lifecycle::client_order_id_generator ids_{"bt"};
  std::map<std::string, std::unique_ptr<tracked>> orders_;  ///< Working orders by client id.
  std::map<std::string, trip> trips_;                       ///< Open round trips by product.
  std::map<std::string, std::string> exit_reason_;          ///< Product → exit kind of its working exit.
  std::map<std::string, risk::exit_spec> plans_;  ///< Product → exit plan of its approved entry (risk_desk's plans).
  notional initial_cash_;
};

} // namespace trader::backtest

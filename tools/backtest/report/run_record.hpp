#pragma once
// What a backtest run records as it goes: every order and fill, every closed round trip,
// the equity curve, counters of why nothing was traded, gate closures, bad ticks held, and
// the running hash over the ordered stream of risk verdicts and order intents (the replay
// proof; docs/backtest.md "Determinism"). The report is computed from it. No CAF.

#include "actors/infra/audit/decision_stream.hpp"
#include "messages/time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trader::backtest {

/// One order sent to the exchange (or refused by it).
struct order_row {
  std::string id;           ///< Client order id.
  std::string exchange_id;  ///< "" when refused.
  std::string product, strategy, side, type, tif;
  bool post_only = false, reduce_only = false;
  std::string limit_px, base_size, quote_size;  ///< Decimal text ("" when unset).
  std::string purpose;      ///< "entry", "stop_loss", "take_profit", "flatten".
  ts_ns created = 0;
  std::string state = "created";  ///< Final order_state name.
  ts_ns done = 0;                 ///< When it became final (0 = still working at the end).
  std::string filled = "0", avg_px = "0", fees = "0";
  std::string reject;             ///< Exchange failure reason, when refused.
};

/// One execution.
struct fill_row {
  std::string trade_id, order_id, product, side, px, qty, fee, liquidity;
  ts_ns t = 0;
};

/// One closed round trip: flat → long → flat.
struct trade_row {
  std::string product, strategy, exit_reason;
  ts_ns opened = 0, closed = 0;
  double entry_value = 0;  ///< Quote spent on entries (fees excluded).
  double pnl = 0;          ///< Realized, net of every fee.
  double pnl_pct() const { return entry_value > 0 ? pnl / entry_value * 100.0 : 0.0; }
};

/// NAV at one instant.
struct equity_point {
  ts_ns t = 0;
  double nav = 0;
  bool exposed = false;  ///< Any position open.
};

/// Everything recorded.
struct run_record {
  std::vector<order_row> orders;
  std::vector<fill_row> fills;
  std::vector<trade_row> trades;
  std::vector<equity_point> equity;
  std::map<std::string, std::uint64_t> no_trade_reasons;  ///< By check id / note kind.
  std::map<std::string, std::uint64_t> gate_closures;     ///< Times each reason closed the gate.
  std::uint64_t bad_ticks_held = 0;
  std::uint64_t cycles = 0, signals = 0, proposals = 0, approved = 0;
  std::uint64_t lookahead_refused = 0;  ///< Bars handed in before their bucket closed: refused.
  std::uint64_t events = 0;             ///< Candles, ticks, model steps and cycles processed.
  std::uint64_t candles = 0, ticks = 0;
  double fees = 0;      ///< Σ fill fees, quote.
  double traded = 0;    ///< Σ fill notional, quote (turnover's numerator).
  std::string intent_hash = "0";  ///< The decision stream's running hash (chain.hash()), hex.
  audit::decision_chain chain;    ///< traderd's audit actor's chain, over this run's decisions.
  std::vector<std::string> audit;  ///< JSONL lines: verdicts, intents, fills, gate changes.
  bool keep_audit = false;

  /// A decision in traderd's audit shape (kind risk_verdict or risk_exit, payload as the risk
  /// actor writes it): its canonical line goes into intent_hash, and the audit stream gets
  /// {"ts", "kind", "payload"} with decision_seq and decision_hash stamped as traderd's
  /// audit actor stamps them.
  void decision(const std::string& kind, nlohmann::json payload, ts_ns ts);
  /// Appends an audit line without hashing it (fills, gate changes).
  void audit_line(std::string line) {
    if (keep_audit)
      audit.push_back(std::move(line));
  }
};

} // namespace trader::backtest

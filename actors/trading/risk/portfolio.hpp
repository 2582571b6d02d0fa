#pragma once
// The book as risk sees it: NAV, open positions marked to market, and pending exposure
// (open buy orders and fills not yet in a position) — built from the state store's
// snapshot plus the newest marks. exposure_summary folds it once per proposal. No CAF.

#include "actors/trading/risk/risk_policy.hpp"
#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trader::risk {

/// One open (long) position.
struct position_view {
  product_id product;
  std::string strategy;       ///< The strategy that opened it (budgets are charged to it).
  size qty;                   ///< Base quantity held (long only: > 0 when open).
  size initial_qty;           ///< Quantity of the opening fill(s), for add sizing.
  price avg_entry;            ///< Quantity-weighted average entry.
  price mark;                 ///< Newest mark; zero = unknown (avg_entry is used).
  ts_ns opened_at = 0;
  std::int64_t adds = 0;      ///< Adds over the position's life.
  std::int64_t adds_today = 0;  ///< Adds in the current UTC day.
  ts_ns last_add_at = 0;
  price last_entry;           ///< Price of the last add (zero: none yet; avg_entry is used).

  /// qty × (mark, or avg_entry when no mark).
  notional exposure() const;
};

/// Where pending exposure comes from.
enum class pending_source : std::uint8_t { open_order, unsettled_fill };

/// Exposure not in a position yet: an open buy order's remaining value or a fill the
/// position does not show yet. Pending sells are not netted (conservative).
struct pending_exposure {
  product_id product;
  std::string strategy;
  notional amount;            ///< Remaining value, quote currency, fees included.
  bool new_position = false;  ///< It opens a position on a product not held.
  pending_source source = pending_source::open_order;
};

/// The portfolio at one point in time.
struct portfolio_snapshot {
  notional nav;                          ///< Cash + marked positions, quote currency.
  std::vector<position_view> positions;  ///< Open positions (qty > 0).
  std::vector<pending_exposure> pending;
  ts_ns taken_at = 0;                    ///< When the store read it; stale snapshots block new risk.

  /// The open position on p, or null.
  const position_view* find(const product_id& p) const;
};

/// Exposure totals for one proposal's product, strategy and themes.
struct exposure_summary {
  notional total;                   ///< Every position and pending amount.
  notional asset;                   ///< Of the proposal's asset (all its quote pairs).
  notional strategy;                ///< Charged to the proposal's strategy.
  std::int64_t open_positions = 0;  ///< Positions plus products not held that pending orders open (once each).
  std::int64_t strategy_positions = 0;
  std::int64_t pyramided_positions = 0;  ///< Positions with at least one add.
  /// Exposure of every theme holding the asset, in policy order.
  std::vector<std::pair<const theme_limits*, notional>> themes;
};

/// Sums `book` for a proposal on `product` by `strategy`.
exposure_summary summarize(const portfolio_snapshot& book, const risk_policy& policy, const product_id& product,
                           std::string_view strategy);

} // namespace trader::risk

#pragma once
// Loss limits on the ledger: daily stop per UTC day, weekly stop per ISO week, and max
// drawdown from the NAV high-water mark. Inputs are the realized PnL of the day and week
// (from the state store's buckets) plus unrealized PnL from marks; outputs are the gate
// reasons that must be held and when each may clear: daily at the next 00:00 UTC, weekly at
// the next Monday 00:00 UTC, drawdown only by an operator (`traderctl resume max_drawdown`,
// which re-bases the high-water mark). A trip is latched: recovering within the same day or
// week does not clear it. Serializable, so a restart keeps trips and day/week openings.
// No CAF.

#include "messages/gate.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::risk {

/// The ledger at one instant.
struct ledger_marks {
  notional realized_day;   ///< Realized PnL (net of fees) of the UTC day of `now`.
  notional realized_week;  ///< Realized PnL of the ISO week of `now`.
  notional unrealized;     ///< Σ qty × (mark − avg_entry) over open positions, now.
  notional nav;            ///< Cash + marked positions, now.
};

/// One limit that holds the gate closed.
struct loss_breach {
  gate_reason reason = gate_reason::daily_stop;
  std::string detail;   ///< "pnl=-312.5 pnl_pct=-3.13 limit_pct=3.00 day=2026-12-05".
  ts_ns since = 0;      ///< When it tripped.
  ts_ns clears_at = 0;  ///< Next boundary; 0 = only an operator clears it.
};

/// The limits' view after an update.
struct loss_status {
  notional pnl_day;         ///< realized_day + unrealized change since the day opened.
  notional pnl_week;
  double pnl_day_pct = 0;   ///< Of the NAV at the day's opening (display).
  double pnl_week_pct = 0;
  double drawdown_pct = 0;  ///< From the high-water mark (display).
  notional high_water;
  std::vector<loss_breach> active;  ///< Every breach holding the gate, daily first.
};

/// Limits in percent (positive magnitudes).
struct loss_limit_params {
  double daily_stop_pct = 3.0;
  double weekly_stop_pct = 7.0;
  double max_drawdown_pct = 10.0;
};

class loss_limits {
public:
  explicit loss_limits(const loss_limit_params& p = {}) : p_(p) {}

  /// Folds the marks at `now`: rolls the day/week openings at their boundaries (clearing
  /// their trips), raises the high-water mark, trips what is breached.
  loss_status update(const ledger_marks& m, ts_ns now);
  /// Operator resume of max_drawdown: clears the trip and re-bases the high-water mark at
  /// the current NAV. False when it was not tripped.
  bool resume_drawdown(notional nav, ts_ns now);
  /// A deposit (amount > 0) or withdrawal (< 0) found in the ledger's cash: the day's and
  /// week's opening NAV and the high-water mark move by it, so a transfer is neither PnL nor
  /// drawdown (day/week PnL are realized + unrealized change and do not move).
  void on_cash_flow(notional amount);
  /// Seeds the high-water mark from the store's `nav_hwm` (keeps the higher of the two).
  void restore_high_water(notional nav, ts_ns at);
  /// The high-water mark of NAV and when it was set (persist it as `nav_hwm`).
  notional high_water() const { return high_water_; }
  ts_ns high_water_at() const { return high_water_at_; }
  /// Whether r is currently held.
  bool holds(gate_reason r) const;
  /// Every trip holding the gate at `now` (daily first), as update() reports them.
  std::vector<loss_breach> active(ts_ns now) const;

  /// Versioned JSON of the openings, the high-water mark and the trips.
  std::string to_json() const;
  /// Restores to_json()'s output (params come from policy); nullopt when malformed.
  static std::optional<loss_limits> from_json(std::string_view text, loss_limit_params p);

private:
  struct opening {
    ts_ns period = -1;       ///< Start of the day/week this opening belongs to; -1 = none yet.
    notional nav;            ///< NAV when first seen in the period.
    notional unrealized;     ///< Unrealized PnL then.
  };
  loss_limit_params p_;
  opening day_, week_;
  notional high_water_;
  ts_ns high_water_at_ = 0;
  ts_ns daily_since_ = 0, weekly_since_ = 0, drawdown_since_ = 0;  ///< 0 = not tripped.
  std::string daily_detail_, weekly_detail_, drawdown_detail_;
};

} // namespace trader::risk

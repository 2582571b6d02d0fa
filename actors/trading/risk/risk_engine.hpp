#pragma once
// The pure pre-trade engine: runs every check of all_checks() in its fixed order against
// one proposal, keeps every failure, takes the tightest resize, applies the minimum
// position size, sizes the order and writes the verdict with its order intent. Reads no
// clock, socket or store: time and data are arguments. No CAF.

#include "actors/trading/risk/checks/check.hpp"
#include "actors/trading/risk/sizing.hpp"
#include "messages/trading.hpp"

#include <optional>
#include <vector>

namespace trader::risk {

/// A verdict with the working behind it (for audit and `traderctl risk`).
struct evaluation {
  risk_verdict verdict;             ///< approved + every rejection + the intent (id left empty).
  std::vector<rejection> resized;   ///< Checks that shrank the order, tightest last applied.
  notional desired;                 ///< target × regime multiplier.
  notional allowed;                 ///< desired capped by every resize.
  sizing_result sizing;             ///< The sized order (when it got that far).
  bool adds_risk = false;           ///< An entry (open/add buy): record it in pacing_state when sent.
  bool new_position = false;        ///< It opens a position (pacing_state::record_trade's new_position).
  notional nav;                     ///< The book's NAV the caps were taken of.
  exposure_summary exposure;        ///< What the caps already carried (pending included), before this order.
};

class risk_engine {
public:
  explicit risk_engine(risk_policy p);

  /// Judges `p`. The intent's client order id is left empty: the risk actor assigns it and
  /// persists the intent before anything is sent.
  evaluation evaluate(const trade_proposal& p, const portfolio_snapshot& book, const market_snapshot& market,
                      const pacing_state& pacing, ts_ns now) const;

  /// Uses the exchange's fee tier instead of the policy's fallback rates.
  void set_fees(fee_rates f) { fees_ = f; }
  const fee_rates& fees() const { return fees_; }
  const risk_policy& policy() const { return policy_; }

private:
  risk_policy policy_;
  fee_rates fees_;
};

} // namespace trader::risk

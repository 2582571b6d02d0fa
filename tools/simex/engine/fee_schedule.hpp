#pragma once
// Maker/taker fee tiers by 30-day traded volume (USD), as Coinbase Advanced Trade prices
// spot. The default table is the reference sheet's; rates come from config in production.

#include "tools/simex/engine/types.hpp"

#include <string>
#include <vector>

namespace trader::simex {

/// One row of the fee schedule.
struct fee_tier {
  std::string name;   ///< pricing_tier, e.g. "Intro 1".
  notional usd_from;  ///< Inclusive lower bound of 30-day volume.
  notional usd_to;    ///< Exclusive upper bound; zero means unbounded.
  rate maker;         ///< Fee rate for resting (maker) fills.
  rate taker;         ///< Fee rate for immediate (taker) fills; also used for holds.
};

/// The tiers, ascending by usd_from.
class fee_schedule {
public:
  explicit fee_schedule(std::vector<fee_tier> tiers);
  /// Coinbase's spot schedule: Intro 1 (0–1k) maker 0.50 % / taker 0.90 % (reference §2.6,
  /// from 2026-09-16), then the long-standing Advanced tiers above it.
  static fee_schedule coinbase_default();
  /// The tier a user with this 30-day volume pays.
  const fee_tier& tier_for(notional volume_30d) const;
  /// Every tier.
  const std::vector<fee_tier>& tiers() const { return tiers_; }

private:
  std::vector<fee_tier> tiers_;
};

} // namespace trader::simex

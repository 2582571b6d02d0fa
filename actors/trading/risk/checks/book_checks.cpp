// Direction, pyramiding and regime checks.
#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"
#include "actors/trading/risk/fixed_math.hpp"

namespace trader::risk {

check_result check_no_shorts(const check_context& c) {
  const auto& p = c.proposal;
  if (c.adds_risk) {
    if (p.dir == side::buy)
      return check_result::ok();
    return check_result::reject(check_id::no_shorts, "product=" + p.product.value + " sell opens a short");
  }
  if (p.dir == side::buy)
    return check_result::reject(check_id::no_shorts, "product=" + p.product.value + " buy to reduce a short");
  if (!c.position || c.position->qty.units <= 0)
    return check_result::reject(check_id::no_shorts, "product=" + p.product.value + " no position to sell");
  const notional held = c.position->exposure();
  if (p.kind == proposal_kind::close || c.desired <= held)
    return check_result::ok();
  return check_result::resize(check_id::no_shorts, held,
                              "product=" + p.product.value + " sell=" + to_string(c.desired) + " held=" + to_string(held));
}

check_result check_pyramiding(const check_context& c) {
  if (!c.is_add)
    return check_result::ok();
  const auto& r = c.policy.pyramiding;
  const auto& product = c.proposal.product.value;
  if (!r.enabled)
    return check_result::reject(check_id::pyramiding, "product=" + product + " rule=disabled");
  if (!c.position)
    return check_result::reject(check_id::pyramiding, "product=" + product + " rule=no_position");
  const auto& pos = *c.position;
  if (pos.adds >= r.max_adds_per_position)
    return check_result::reject(check_id::pyramiding, fmt("product=%s rule=max_adds_per_position adds=%lld limit=%lld",
                                                          product.c_str(), static_cast<long long>(pos.adds),
                                                          static_cast<long long>(r.max_adds_per_position)));
  const std::int64_t today = pos.last_add_at != 0 && utc_day(pos.last_add_at) == utc_day(c.now) ? pos.adds_today : 0;
  if (today >= r.max_adds_per_day)
    return check_result::reject(check_id::pyramiding, fmt("product=%s rule=max_adds_per_day adds_today=%lld limit=%lld",
                                                          product.c_str(), static_cast<long long>(today),
                                                          static_cast<long long>(r.max_adds_per_day)));
  if (pos.last_add_at != 0 && c.now - pos.last_add_at < r.add_cooldown_s * ns_per_s)
    return check_result::reject(check_id::pyramiding,
                                fmt("product=%s rule=add_cooldown since_s=%lld limit_s=%lld", product.c_str(),
                                    static_cast<long long>((c.now - pos.last_add_at) / ns_per_s),
                                    static_cast<long long>(r.add_cooldown_s)));
  if (r.max_pyramid_positions > 0 && pos.adds == 0 && c.exposure.pyramided_positions >= r.max_pyramid_positions)
    return check_result::reject(check_id::pyramiding,
                                fmt("product=%s rule=max_pyramid_positions pyramided=%lld limit=%lld", product.c_str(),
                                    static_cast<long long>(c.exposure.pyramided_positions),
                                    static_cast<long long>(r.max_pyramid_positions)));
  const price mark = pos.mark.units > 0 ? pos.mark : pos.avg_entry;
  if (mark <= pos.avg_entry)
    return check_result::reject(check_id::pyramiding, "product=" + product + " rule=not_winning mark=" +
                                                        to_string(mark) + " entry=" + to_string(pos.avg_entry));
  // Spacing in price: the mark must have moved min_add_distance_pct above the last entry
  // (the last add's price, or the average entry before any add).
  const price last = pos.last_entry.units > 0 ? pos.last_entry : pos.avg_entry;
  const price need = last + price{scale_up(notional{last.units}, ppm_from_pct(r.min_add_distance_pct)).units};
  if (mark < need)
    return check_result::reject(check_id::pyramiding,
                                fmt("product=%s rule=min_add_distance mark=%s last_entry=%s need=%s limit_pct=%.2f",
                                    product.c_str(), to_string(mark).c_str(), to_string(last).c_str(),
                                    to_string(need).c_str(), r.min_add_distance_pct));
  const size initial = pos.initial_qty.units > 0 ? pos.initial_qty : pos.qty;
  const notional add_cap = pct_of(mark * initial, r.add_size_pct);
  if (c.desired <= add_cap)
    return check_result::ok();
  return check_result::resize(check_id::pyramiding, add_cap,
                              fmt("product=%s rule=add_size_pct add=%s limit=%s", product.c_str(),
                                  to_string(c.desired).c_str(), to_string(add_cap).c_str()));
}

check_result check_regime(const check_context& c) {
  if (!c.adds_risk || c.regime_multiplier > 0)
    return check_result::ok();
  return check_result::reject(check_id::regime_blocked, fmt("regime=%.*s multiplier=%.2f", static_cast<int>(c.regime.size()),
                                                            c.regime.data(), c.regime_multiplier));
}

check_result check_exit_atr(const check_context& c) {
  if (!c.adds_risk)
    return check_result::ok();
  // The plan the position will be armed with: the proposal's levels, the policy's where zero.
  const auto& x = c.proposal.exits;
  const double stop_atr = x.stop_loss_atr > 0 ? x.stop_loss_atr : c.policy.stop_loss_atr;
  const double take_atr = x.take_profit_atr > 0 ? x.take_profit_atr : c.policy.take_profit_atr;
  if (stop_atr <= 0 && take_atr <= 0)
    return check_result::ok();
  if (x.atr.units > 0 || (c.entry && c.entry->atr.units > 0))
    return check_result::ok();
  // Arming a percent stop in place of the ATR stop the plan asked for would be a different
  // risk than the one the strategy sized for: refuse the entry instead.
  return check_result::reject(check_id::exit_atr_unknown, fmt("product=%s stop_loss_atr=%.2f take_profit_atr=%.2f atr=none",
                                                              c.proposal.product.value.c_str(), stop_atr, take_atr));
}

} // namespace trader::risk

// Pacing checks over the persisted pacing_state. Only orders that open or add risk count.
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"

#include <algorithm>

namespace trader::risk {

namespace {

check_result count_limit(std::string_view id, const char* what, std::int64_t n, std::int64_t limit) {
  if (n < limit)
    return check_result::ok();
  return check_result::reject(id, fmt("%s=%lld limit=%lld", what, static_cast<long long>(n),
                                      static_cast<long long>(limit)));
}

check_result spacing(std::string_view id, const std::string& product, ts_ns last, ts_ns now, std::int64_t limit_s) {
  if (last == 0 || now - last >= limit_s * ns_per_s)
    return check_result::ok();
  const double since = static_cast<double>(now - last) / static_cast<double>(ns_per_s);
  if (product.empty())
    return check_result::reject(id, fmt("since_s=%.1f limit_s=%lld", since, static_cast<long long>(limit_s)));
  return check_result::reject(id, fmt("product=%s since_s=%.1f limit_s=%lld", product.c_str(), since,
                                      static_cast<long long>(limit_s)));
}

} // namespace

check_result check_trades_per_day(const check_context& c) {
  return count_limit(check_id::trades_per_day, "trades_today", c.pacing.trades_today(c.now),
                     c.policy.max_trades_per_day);
}

check_result check_trades_per_hour(const check_context& c) {
  return count_limit(check_id::trades_per_hour, "trades_last_hour", c.pacing.trades_last_hour(c.now),
                     c.policy.max_trades_per_hour);
}

check_result check_new_positions_per_hour(const check_context& c) {
  if (c.is_add)
    return check_result::ok();
  return count_limit(check_id::new_positions_per_hour, "new_positions_last_hour",
                     c.pacing.new_positions_last_hour(c.now), c.policy.max_new_positions_per_hour);
}

check_result check_min_trade_spacing(const check_context& c) {
  return spacing(check_id::min_trade_spacing, "", c.pacing.last_trade(), c.now, c.policy.min_seconds_between_trades);
}

check_result check_symbol_cooldown(const check_context& c) {
  const auto s = c.pacing.symbol(c.proposal.product);
  return spacing(check_id::symbol_cooldown, c.proposal.product.value, std::max(s.last_trade, s.last_fill), c.now,
                 c.policy.per_symbol_cooldown_s);
}

check_result check_stop_out_cooldown(const check_context& c) {
  return spacing(check_id::stop_out_cooldown, c.proposal.product.value, c.pacing.symbol(c.proposal.product).last_stop_out,
                 c.now, c.policy.stop_out_cooldown_s);
}

} // namespace trader::risk

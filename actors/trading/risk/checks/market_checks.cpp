// Market checks: exchange status, quote freshness and sanity, spread, depth, impact.
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"

#include "messages/names.hpp"
#include "actors/trading/risk/fixed_math.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace trader::risk {

namespace {

// Exits may go out while the product takes orders at all (post-only / limit-only included).
bool allows_exits(product_state s) {
  return s == product_state::online || s == product_state::post_only || s == product_state::limit_only;
}

bool has_valid_quote(const check_context& c) {
  return c.entry && c.entry->top && c.entry->top->bid.units > 0 && c.entry->top->ask.units >= c.entry->top->bid.units;
}

// No level-2 book for the side the order meets.
bool no_book(const check_context& c) {
  return (c.proposal.dir == side::buy ? c.entry->asks : c.entry->bids).empty();
}

// The levels a buy would take (asks) or a sell would hit (bids); the quote's touch alone
// (written to `touch_only`) when no book is known. No allocation: this runs per proposal.
std::span<const book_level> taking_side(const check_context& c, book_level& touch_only) {
  const auto& e = *c.entry;
  const bool buy = c.proposal.dir == side::buy;
  const auto& levels = buy ? e.asks : e.bids;
  if (!levels.empty())
    return levels;
  touch_only = buy ? book_level{e.top->ask, e.top->ask_size} : book_level{e.top->bid, e.top->bid_size};
  return {&touch_only, 1};
}

} // namespace

check_result check_exchange_status(const check_context& c) {
  if (!c.entry)
    return check_result::ok();  // UNKNOWN_PRODUCT says it
  if (!c.entry->status)
    return check_result::reject(check_id::exchange_status, "product=" + c.proposal.product.value + " status=unknown");
  const auto s = *c.entry->status;
  if (s == product_state::online || (!c.adds_risk && allows_exits(s)))
    return check_result::ok();
  return check_result::reject(check_id::exchange_status,
                              "product=" + c.proposal.product.value + " status=" + std::string{to_string(s)});
}

check_result check_stale_quote(const check_context& c) {
  if (!c.entry)
    return check_result::ok();
  if (!c.entry->top)
    return check_result::reject(check_id::stale_quote, "product=" + c.proposal.product.value + " quote=none");
  const auto age = quote_age_ns(*c.entry->top, c.now, c.market.clock_offset_ns);
  const double age_s = static_cast<double>(age) / static_cast<double>(ns_per_s);
  const double skew_s = static_cast<double>(c.policy.max_clock_skew_ms) / 1000.0;
  if (age_s > c.policy.max_quote_age_s)
    return check_result::reject(check_id::stale_quote, fmt("product=%s age_s=%.3f limit_s=%.3f",
                                                           c.proposal.product.value.c_str(), age_s,
                                                           c.policy.max_quote_age_s));
  // A stamp ahead of local time beyond the allowed skew: the clocks disagree, the age is unknowable.
  const auto ahead = c.entry->top->ts_event - (c.now + c.market.clock_offset_ns);
  const double ahead_s = static_cast<double>(ahead) / static_cast<double>(ns_per_s);
  if (ahead_s > skew_s)
    return check_result::reject(check_id::stale_quote, fmt("product=%s ahead_s=%.3f max_skew_s=%.3f",
                                                           c.proposal.product.value.c_str(), ahead_s, skew_s));
  return check_result::ok();
}

check_result check_invalid_quote(const check_context& c) {
  if (!c.entry || !c.entry->top || has_valid_quote(c))
    return check_result::ok();
  return check_result::reject(check_id::invalid_quote, "product=" + c.proposal.product.value +
                                                         " bid=" + to_string(c.entry->top->bid) +
                                                         " ask=" + to_string(c.entry->top->ask));
}

check_result check_spread(const check_context& c) {
  if (!has_valid_quote(c))
    return check_result::ok();  // STALE_QUOTE / INVALID_QUOTE say it
  const double s = spread_bps(*c.entry->top);
  if (s <= c.policy.max_spread_bps)
    return check_result::ok();
  return check_result::reject(check_id::spread_too_wide, fmt("product=%s spread_bps=%.2f limit_bps=%.2f",
                                                             c.proposal.product.value.c_str(), s,
                                                             c.policy.max_spread_bps));
}

check_result check_depth(const check_context& c) {
  if (!has_valid_quote(c))
    return check_result::ok();
  const auto& q = *c.entry->top;
  const notional min_top = notional::from_double(c.policy.min_top_of_book_usd);
  const notional bid_top = q.bid * q.bid_size, ask_top = q.ask * q.ask_size;
  if (bid_top < min_top || ask_top < min_top)
    return check_result::reject(check_id::insufficient_depth,
                                "product=" + c.proposal.product.value + " bid_top=" + to_string(bid_top) +
                                  " ask_top=" + to_string(ask_top) + " min_top=" + to_string(min_top));
  if (no_book(c) && c.policy.require_book)
    return check_result::reject(check_id::insufficient_depth,
                                "product=" + c.proposal.product.value + " book=none (no usable level-2 book)");
  // Notional resting within depth_window_bps of the touch on the side the order meets.
  book_level touch_only;
  const auto levels = taking_side(c, touch_only);
  const bool buy = c.proposal.dir == side::buy;
  const price touch = levels.front().px;
  const price window{scale_down(notional{touch.units}, ppm_from_bps(c.policy.depth_window_bps)).units};
  const price limit = buy ? touch + window : touch - window;
  notional within;
  for (const auto& l : levels) {
    if (buy ? l.px > limit : l.px < limit)
      break;
    within += l.px * l.qty;
  }
  const notional need = scale_up(c.desired, ppm_from_ratio(c.policy.min_depth_multiple));
  if (within >= need)
    return check_result::ok();
  return check_result::reject(check_id::insufficient_depth,
                              fmt("product=%s within_bps=%.1f depth=%s need=%s", c.proposal.product.value.c_str(),
                                  c.policy.depth_window_bps, to_string(within).c_str(), to_string(need).c_str()));
}

check_result check_price_impact(const check_context& c) {
  if (!has_valid_quote(c) || (no_book(c) && c.policy.require_book))
    return check_result::ok();  // INSUFFICIENT_DEPTH says book=none
  book_level touch_only;
  const auto levels = taking_side(c, touch_only);
  const price touch = levels.front().px;
  notional left = c.desired, spent;
  size got;
  for (const auto& l : levels) {
    if (left.units <= 0)
      break;
    const notional value = l.px * l.qty;
    if (value <= left) {
      left -= value;
      spent += value;
      got += l.qty;
    } else {
      auto part = checked_div(left, l.px).value_or(size{});
      spent += left;
      got += part;
      left = notional{};
    }
  }
  if (left.units > 0)
    return check_result::reject(check_id::price_impact,
                                "product=" + c.proposal.product.value + " order=" + to_string(c.desired) +
                                  " beyond visible depth=" + to_string(spent));
  if (got.units <= 0)
    return check_result::ok();
  const double avg = static_cast<double>(spent.units) / static_cast<double>(got.units);  // display-grade
  const double impact = std::abs(avg - touch.to_double()) / touch.to_double() * 1e4;
  if (impact <= c.policy.max_price_impact_bps)
    return check_result::ok();
  return check_result::reject(check_id::price_impact, fmt("product=%s impact_bps=%.2f limit_bps=%.2f",
                                                          c.proposal.product.value.c_str(), impact,
                                                          c.policy.max_price_impact_bps));
}

} // namespace trader::risk

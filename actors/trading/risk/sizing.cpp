#include "actors/trading/risk/sizing.hpp"

#include "actors/trading/risk/checks/check.hpp"
#include "actors/trading/risk/checks/check_ids.hpp"

#include <algorithm>

namespace trader::risk {

namespace {

sizing_result refuse(std::string_view id, std::string detail) {
  sizing_result out;
  out.why = rejection{std::string(id), std::move(detail)};
  return out;
}

// The gross value whose amount after the fee still meets `min`: ceil(min / (1 − fee)).
notional fee_adjusted_min(notional min, ppm fee) { return divide_up(min, ppm_one - fee); }

// A buy's cost: value + fee (fee rounded up).
notional buy_cost(price px, size base, ppm fee) {
  const notional value = px * base;
  return value + scale_up(value, fee);
}

} // namespace

price post_only_price(side dir, price bid, price ask, price tick, std::int64_t improve_ticks, price limit) {
  if (bid.units <= 0 || ask.units < bid.units)
    return price{};
  const price step = tick.units > 0 ? tick : price{1};
  const auto k = std::max<std::int64_t>(improve_ticks, 0);
  if (dir == side::buy) {
    price px = floor_or_same(bid + step * k, step);
    if (px >= ask)
      px = floor_or_same(ask - step, step);
    if (limit.units > 0 && px > limit)
      px = floor_or_same(limit, step);
    return px.units > 0 && px < ask ? px : price{};
  }
  price px = ceil_to(ask - step * k, step);
  if (px <= bid)
    px = ceil_to(bid + step, step);
  if (limit.units > 0 && px < limit)
    px = ceil_to(limit, step);
  return px > bid ? px : price{};
}

sizing_result size_order(const sizing_request& r, const product_rules& rules) {
  const bool buy = r.dir == side::buy;
  const bool market = r.type == order_type::market;
  const ppm fee = market || !r.post_only ? r.fees.taker : r.fees.maker;
  const notional min_value = fee_adjusted_min(std::max(rules.min_funds, r.min_order), fee);

  // -- price ----------------------------------------------------------------
  price px;
  if (market) {
    px = buy ? r.ask : r.bid;  // for sizing only; the order carries none
  } else if (r.post_only) {
    px = post_only_price(r.dir, r.bid, r.ask, rules.price_increment, r.improve_ticks, r.limit_px);
  } else {
    px = buy ? r.ask : r.bid;
    if (r.limit_px.units > 0)
      px = buy ? std::min(px, r.limit_px) : std::max(px, r.limit_px);
    px = buy ? floor_or_same(px, rules.price_increment) : ceil_to(px, rules.price_increment);
  }
  if (px.units <= 0)
    return refuse(check_id::invalid_quote, "no price at or inside the touch: bid=" + to_string(r.bid) +
                                             " ask=" + to_string(r.ask) + " limit=" + to_string(r.limit_px));

  sizing_result out;
  out.limit_px = market ? price{} : px;

  // -- market buy: a quote amount -------------------------------------------
  if (buy && market) {
    notional spend = std::min(r.desired, r.cap);
    if (rules.max_funds.units > 0)
      spend = std::min(spend, rules.max_funds);
    // Coinbase takes the fee out of quote_size: the amount after the fee must meet the minimum.
    notional q = floor_or_same(spend, rules.quote_increment);
    if (q < min_value) {
      const notional up = ceil_to(min_value, rules.quote_increment);
      if (up > r.cap || (rules.max_funds.units > 0 && up > rules.max_funds))
        return refuse(check_id::below_product_minimum, "quote=" + to_string(q) + " min=" + to_string(min_value) +
                                                         " cap=" + to_string(r.cap));
      q = up;
      out.rounded_up = true;
    }
    out.quote = q;
    out.value = q;
    out.fee = scale_up(q, fee);
    out.ok = true;
    return out;
  }

  // -- base size --------------------------------------------------------------
  size base;
  if (buy) {
    const notional spend = std::min(r.desired, r.cap);
    base = floor_or_same(checked_div(divide_down(spend, ppm_one + fee), px).value_or(size{}), rules.base_increment);
    if (rules.base_max.units > 0)
      base = std::min(base, floor_or_same(rules.base_max, rules.base_increment));
    if (rules.max_funds.units > 0)
      base = std::min(base, floor_or_same(checked_div(rules.max_funds, px).value_or(size{}), rules.base_increment));
    // Never above the cap through rounding of value or fee.
    while (base.units > 0 && buy_cost(px, base, fee) > r.cap)
      base -= rules.base_increment.units > 0 ? rules.base_increment : size{1};
  } else {
    base = r.close_all ? r.held : std::min(r.held, checked_div(r.desired, px).value_or(size{}));
    base = floor_or_same(base, rules.base_increment);
  }

  // -- minimums, with round-up --------------------------------------------------
  const auto meets_min = [&](size b) { return b >= rules.base_min && px * b >= min_value && b.units > 0; };
  if (!meets_min(base)) {
    size up = std::max(size_for_at_least(min_value, px, rules.base_increment), ceil_to(rules.base_min, rules.base_increment));
    bool fits = buy ? buy_cost(px, up, fee) <= r.cap : up <= r.held;
    if (fits && rules.base_max.units > 0)
      fits = up <= rules.base_max;
    if (fits && rules.max_funds.units > 0)
      fits = px * up <= rules.max_funds;
    if (!fits)
      return refuse(check_id::below_product_minimum,
                    "base=" + to_string(base) + " value=" + to_string(px * base) + " min_base=" + to_string(rules.base_min) +
                      " min_value=" + to_string(min_value) + (buy ? " cap=" + to_string(r.cap) : " held=" + to_string(r.held)));
    base = up;
    out.rounded_up = true;
  }
  out.base = base;
  out.value = px * base;
  out.fee = scale_up(out.value, fee);
  out.ok = true;
  return out;
}

std::optional<fee_rates> reported_fee_rates(double maker_rate, double taker_rate) {
  if (!(maker_rate >= 0 && taker_rate >= 0 && maker_rate <= 0.1 && taker_rate <= 0.1))
    return std::nullopt;
  return fee_rates{ppm_from_ratio(maker_rate), ppm_from_ratio(taker_rate)};
}

} // namespace trader::risk

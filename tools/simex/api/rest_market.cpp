// Public market REST endpoints: time, products, product book, best bid/ask, candles, trades.

#include "tools/simex/api/rest_internal.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <algorithm>
#include <charconv>

namespace trader::simex::rest {

namespace {

/// Largest UNIX second accepted in start/end (year 2286): keeps ×10^9 in range.
constexpr std::int64_t max_unix_s = 9'999'999'999;

/// (a - b) / b × 100 as a decimal, in 1e-8 units.
std::int64_t pct_change(price now, price base) {
  if (base.is_zero())
    return 0;
  return detail::div_units((now - base).units * 100, base.units).value_or(0);
}

void write_levels(json_out& j, const order_book& b, side s, std::size_t depth, int qd, int bd) {
  j.begin_array();
  b.for_each_level(s, depth, [&](price px, size q) {
    j.begin_object().kd("price", px, qd).kd("size", q, bd).end_object();
  });
  j.end_array();
}

} // namespace

void get_time(const rest_request&, ts_ns now, http_reply& out) {
  json_out j{out.body};
  j.begin_object().key("iso").time(now, 3);
  j.key("epochSeconds").num_str(now / ns_per_s).key("epochMillis").num_str(now / ns_per_ms);
  j.key("epoch_seconds").num_str(now / ns_per_s).key("epoch_millis").num_str(now / ns_per_ms);
  j.end_object();
}

void write_product(json_out& j, const exchange& ex, const product& p, ts_ns now) {
  const market_stats* st = ex.stats(p.id);
  stats_24h day = st != nullptr ? st->day(now) : stats_24h{};
  const order_book* b = ex.book(p.id);
  auto bid = b->best(side::buy);
  auto ask = b->best(side::sell);
  const int qd = p.quote_decimals();
  j.begin_object();
  j.kv("product_id", p.id).kd("price", day.last, qd).kd("price_percentage_change_24h", price::from_units(pct_change(day.last, day.open)));
  j.kd("volume_24h", day.volume).kv("volume_percentage_change_24h", "0");
  j.kd("base_increment", p.base_increment).kd("quote_increment", p.quote_increment);
  j.kd("quote_min_size", p.quote_min_size).kd("quote_max_size", p.quote_max_size);
  j.kd("base_min_size", p.base_min_size).kd("base_max_size", p.base_max_size);
  j.kv("base_name", p.base_name).kv("quote_name", p.quote_name).kb("watched", false).kb("is_disabled", false);
  j.kb("new", false).kv("status", p.rest_status()).kb("cancel_only", p.cancel_only()).kb("limit_only", p.limit_only());
  j.kb("post_only", p.post_only()).kb("trading_disabled", p.trading_disabled || p.status == product_status::offline);
  j.kb("auction_mode", false).kv("product_type", "SPOT").kv("quote_currency_id", p.quote_currency);
  j.kv("base_currency_id", p.base_currency).key("fcm_trading_session_details").null();
  if (bid && ask)
    j.kd("mid_market_price", price::from_units((bid->units + ask->units) / 2), qd);
  else
    j.kv("mid_market_price", "");
  j.kv("alias", "").key("alias_to").begin_array().end_array();
  j.kv("base_display_symbol", p.base_currency).kv("quote_display_symbol", p.quote_currency).kb("view_only", false);
  j.kd("price_increment", p.quote_increment).kv("display_name", p.id).kv("product_venue", "CBE");
  j.kd("approximate_quote_24h_volume", day.last * day.volume, 2).kv("new_at", "2023-01-01T00:00:00Z");
  j.kd("high_24h", day.high, qd).kd("low_24h", day.low, qd);
  j.end_object();
}

void list_products(exchange& ex, const rest_request& req, ts_ns now, http_reply& out) {
  auto type = param(req.query, "product_type");
  auto ids = params(req.query, "product_ids");
  auto limit = int_param(req.query, "limit", 0);
  auto offset = int_param(req.query, "offset", 0);
  if (!limit || !offset)
    return bad_request(out, "limit and offset must be non-negative integers");
  json_out j{out.body};
  j.begin_object().key("products").begin_array();
  std::int64_t n = 0, skipped = 0;
  if (!type || type->empty() || *type == "SPOT") {
    for (const auto& id : ex.product_ids()) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      if (skipped++ < *offset)
        continue;
      if (*limit != 0 && n >= *limit)
        break;
      write_product(j, ex, *ex.find_product(id), now);
      ++n;
    }
  }
  j.end_array().key("num_products").num(n).end_object();
}

void get_product(exchange& ex, std::string_view id, ts_ns now, http_reply& out) {
  const product* p = ex.find_product(id);
  if (p == nullptr)
    return product_not_found(out, id);
  json_out j{out.body};
  write_product(j, ex, *p, now);
}

void product_book(exchange& ex, const rest_request& req, ts_ns now, http_reply& out) {
  auto id = param(req.query, "product_id");
  if (!id || id->empty())
    return bad_request(out, "product_id is required");
  const product* p = ex.find_product(*id);
  if (p == nullptr)
    return product_not_found(out, *id);
  auto limit = int_param(req.query, "limit", 50);
  if (!limit)
    return bad_request(out, "limit must be a non-negative integer");
  const order_book& b = *ex.book(p->id);
  const int qd = p->quote_decimals(), bd = p->base_decimals();
  json_out j{out.body};
  j.begin_object().key("pricebook").begin_object().kv("product_id", p->id);
  j.key("bids");
  write_levels(j, b, side::buy, static_cast<std::size_t>(*limit), qd, bd);
  j.key("asks");
  write_levels(j, b, side::sell, static_cast<std::size_t>(*limit), qd, bd);
  j.key("time").time(now).end_object();
  const market_stats* st = ex.stats(p->id);
  j.kd("last", st->last(), qd);
  auto bid = b.best(side::buy), ask = b.best(side::sell);
  if (bid && ask) {
    price mid = price::from_units((bid->units + ask->units) / 2);
    price spread = *ask - *bid;
    j.kd("mid_market", mid, qd);
    j.kd("spread_bps", price::from_units(detail::div_units(spread.units * 10'000, mid.units).value_or(0)));
    j.kd("spread_absolute", spread, qd);
  } else {
    j.kv("mid_market", "").kv("spread_bps", "").kv("spread_absolute", "");
  }
  j.end_object();
}

void best_bid_ask(exchange& ex, const rest_request& req, ts_ns now, http_reply& out) {
  auto ids = params(req.query, "product_ids", "product_id");
  if (ids.empty())
    ids = ex.product_ids();
  json_out j{out.body};
  j.begin_object().key("pricebooks").begin_array();
  for (const auto& id : ids) {
    const product* p = ex.find_product(id);
    if (p == nullptr)
      continue;
    const order_book& b = *ex.book(id);
    j.begin_object().kv("product_id", id).key("bids");
    write_levels(j, b, side::buy, 1, p->quote_decimals(), p->base_decimals());
    j.key("asks");
    write_levels(j, b, side::sell, 1, p->quote_decimals(), p->base_decimals());
    j.key("time").time(now).end_object();
  }
  j.end_array().end_object();
}

void candles(exchange& ex, std::string_view id, const rest_request& req, ts_ns now, http_reply& out) {
  const product* p = ex.find_product(id);
  if (p == nullptr)
    return product_not_found(out, id);
  auto start = int_param(req.query, "start", -1);
  auto end = int_param(req.query, "end", -1);
  auto gran = param(req.query, "granularity");
  auto limit = int_param(req.query, "limit", 350);
  if (!start || !end || *start < 0 || *end < 0 || *start > max_unix_s || *end > max_unix_s)
    return bad_request(out, "start and end are required UNIX timestamps in seconds");
  std::int64_t g = gran ? granularity_seconds(*gran) : 0;
  if (g == 0)
    return bad_request(out, "granularity is required: ONE_MINUTE, FIVE_MINUTE, ..., ONE_DAY");
  if (!limit || *limit > 350)
    return bad_request(out, "limit must be at most 350");
  if (*end < *start || (*end - *start) / g > 350)
    return bad_request(out, "start and end argument is invalid - number of candles requested should be less than 350");
  auto bars = ex.stats(id)->candles(*start, *end + 1, g, static_cast<std::size_t>(*limit == 0 ? 350 : *limit));
  const int qd = p->quote_decimals();
  json_out j{out.body};
  j.begin_object().key("candles").begin_array();
  for (const auto& c : bars) {
    j.begin_object().key("start").num_str(c.start).kd("low", c.low, qd).kd("high", c.high, qd);
    j.kd("open", c.open, qd).kd("close", c.close, qd).kd("volume", c.volume).end_object();
  }
  j.end_array().end_object();
}

void market_trades(exchange& ex, std::string_view id, const rest_request& req, ts_ns now, http_reply& out) {
  const product* p = ex.find_product(id);
  if (p == nullptr)
    return product_not_found(out, id);
  auto limit = int_param(req.query, "limit", 100);
  auto start = int_param(req.query, "start", 0);
  auto end = int_param(req.query, "end", 0);
  if (!limit || !start || !end || *start > max_unix_s || *end > max_unix_s)
    return bad_request(out, "limit, start and end must be non-negative integers (UNIX seconds)");
  std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(*limit == 0 ? 100 : *limit, 100));
  auto trades = ex.stats(id)->trades(*start * ns_per_s, *end == 0 ? 0 : (*end + 1) * ns_per_s, n);
  const order_book& b = *ex.book(id);
  const int qd = p->quote_decimals();
  json_out j{out.body};
  j.begin_object().key("trades").begin_array();
  for (const auto* t : trades) {
    j.begin_object().kv("trade_id", t->trade_id).kv("product_id", t->product_id).kd("price", t->px, qd);
    j.kd("size", t->qty).key("time").time(t->time).kv("side", to_wire(t->maker_side));
    j.kv("bid", "").kv("ask", "").kv("exchange", "CBE").end_object();
  }
  j.end_array();
  auto bid = b.best(side::buy), ask = b.best(side::sell);
  if (bid)
    j.kd("best_bid", *bid, qd);
  else
    j.kv("best_bid", "");
  if (ask)
    j.kd("best_ask", *ask, qd);
  else
    j.kv("best_ask", "");
  j.end_object();
}

} // namespace trader::simex::rest

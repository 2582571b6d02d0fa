// Cold-path parsers (nlohmann): time, products, accounts, fee tier, preview.
#include "actors/exchange/coinbase/rest_parse.hpp"

#include "runtime/clock.hpp"
#include "actors/exchange/coinbase/rest_parse_detail.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace trader::exchange {

using detail::parse_failure;
using json = nlohmann::json;

namespace {

/// Reads fields of one JSON object; failures name the path ("accounts[2].hold.value").
class reader {
public:
  reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object())
      throw parse_failure{path_.empty() ? "(body)" : path_, "not an object"};
  }
  std::string name(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
  bool has(std::string_view key) const { return j_.contains(key) && !j_.at(std::string(key)).is_null(); }
  const json& at(std::string_view key) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null())
      throw parse_failure{name(key), "missing"};
    return *it;
  }
  reader object(std::string_view key) const { return reader(at(key), name(key)); }
  std::string str(std::string_view key) const {
    auto& v = at(key);
    if (!v.is_string())
      throw parse_failure{name(key), "not a string"};
    return v.get<std::string>();
  }
  std::string str_or(std::string_view key, std::string fallback) const { return has(key) ? str(key) : std::move(fallback); }
  bool boolean_or(std::string_view key, bool fallback) const {
    if (!has(key))
      return fallback;
    auto& v = at(key);
    if (!v.is_boolean())
      throw parse_failure{name(key), "not a boolean"};
    return v.get<bool>();
  }
  /// `computed`: an amount Coinbase computes at full precision (a balance); digits past 1e-8
  /// round instead of refusing it.
  template <class Tag>
  fixed<Tag> decimal(std::string_view key, bool computed = false) const {
    auto& v = at(key);
    if (!v.is_string())  // Coinbase sends decimals as strings; a number here is a schema change
      throw parse_failure{name(key), "not a decimal string"};
    auto x = computed ? parse_fixed_rounded<Tag>(v.get<std::string>()) : parse_fixed<Tag>(v.get<std::string>());
    if (!x)
      throw parse_failure{name(key), "not a decimal: '" + v.get<std::string>() + "'"};
    return *x;
  }
  template <class Tag>
  fixed<Tag> decimal_or_zero(std::string_view key) const {
    if (!has(key) || (at(key).is_string() && at(key).get<std::string>().empty()))
      return {};
    return decimal<Tag>(key);
  }
  /// A rate like "0.006" or a number; as a double (rates are not money).
  double rate(std::string_view key) const {
    auto& v = at(key);
    if (v.is_number())
      return v.get<double>();
    if (v.is_string()) {
      auto x = parse_fixed<notional_tag>(v.get<std::string>());
      if (x)
        return x->to_double();
    }
    throw parse_failure{name(key), "not a rate"};
  }
  const json& array(std::string_view key) const {
    auto& v = at(key);
    if (!v.is_array())
      throw parse_failure{name(key), "not an array"};
    return v;
  }

private:
  const json& j_;
  std::string path_;
};

json parse_body(std::string_view body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw parse_failure{"(body)", "not JSON"};
  return j;
}

product_info product_from(const reader& r, ts_ns now) {
  product_info p;
  auto id = product_from_exchange(r.str("product_id"));
  if (!id)
    throw parse_failure{r.name("product_id"), id.error()};
  p.product = std::move(*id);
  p.base_currency = r.str_or("base_currency_id", "");
  p.quote_currency = r.str_or("quote_currency_id", "");
  if (p.base_currency.empty() || p.quote_currency.empty()) {  // older shapes: derive from the id
    p.base_currency = p.product.value.substr(0, p.product.value.find('-'));
    p.quote_currency = p.product.value.substr(p.product.value.rfind('-') + 1);
  }
  p.price_increment = r.has("price_increment") ? r.decimal<price_tag>("price_increment")
                                               : r.decimal<price_tag>("quote_increment");
  p.base_increment = r.decimal<size_tag>("base_increment");
  p.base_min_size = r.decimal_or_zero<size_tag>("base_min_size");
  p.base_max_size = r.decimal_or_zero<size_tag>("base_max_size");
  p.quote_min_size = r.decimal_or_zero<notional_tag>("quote_min_size");
  p.quote_max_size = r.decimal_or_zero<notional_tag>("quote_max_size");
  p.raw_status = r.str("status");
  p.state = product_state_of(p.raw_status, r.boolean_or("trading_disabled", false) || r.boolean_or("is_disabled", false),
                             r.boolean_or("cancel_only", false), r.boolean_or("limit_only", false),
                             r.boolean_or("post_only", false));
  p.fetched = now;
  // The listing date (universe's listing age); absent, not a string or unparsable: 0 (unknown).
  if (ts_ns t = 0; r.has("new_at") && r.at("new_at").is_string() && parse_rfc3339(r.str("new_at"), t))
    p.listed_at = t;
  return p;
}

} // namespace

product_state product_state_of(std::string_view status, bool trading_disabled, bool cancel_only, bool limit_only,
                               bool post_only) {
  if (status == "delisted")
    return product_state::delisted;
  if (status != "online" || trading_disabled)
    return product_state::offline;
  if (cancel_only)
    return product_state::cancel_only;
  if (limit_only)
    return product_state::limit_only;
  if (post_only)
    return product_state::post_only;
  return product_state::online;
}

rest_result<ts_ns> parse_time(std::string_view body) {
  return detail::guarded<ts_ns>(ep::time, [&]() -> rest_result<ts_ns> {
    auto j = parse_body(body);
    reader r(j, "");
    if (r.has("epochMillis")) {
      auto s = r.str("epochMillis");
      std::int64_t ms = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
      if (ec != std::errc{} || p != s.data() + s.size() || ms <= 0)
        throw parse_failure{"epochMillis", "not an integer: '" + s + "'"};
      if (ms > std::numeric_limits<ts_ns>::max() / ns_per_ms)  // would overflow (found by tests/fuzz)
        throw parse_failure{"epochMillis", "out of range: '" + s + "'"};
      return ms * ns_per_ms;
    }
    ts_ns t = 0;
    if (!parse_rfc3339(r.str("iso"), t))
      throw parse_failure{"iso", "not RFC 3339"};
    return t;
  });
}

rest_result<products_page> parse_products(std::string_view body, ts_ns now) {
  return detail::guarded<products_page>(ep::products, [&]() -> rest_result<products_page> {
    auto j = parse_body(body);
    reader r(j, "");
    products_page out;
    auto& arr = r.array("products");
    for (std::size_t i = 0; i < arr.size(); ++i)  // one product we cannot represent never fails the list
      detail::skippable(out.skipped, [&] {
        out.products.push_back(product_from(reader(arr[i], "products[" + std::to_string(i) + "]"), now));
      });
    return out;
  });
}

rest_result<product_info> parse_product(std::string_view body, ts_ns now) {
  return detail::guarded<product_info>(ep::product, [&]() -> rest_result<product_info> {
    auto j = parse_body(body);
    return product_from(reader(j, ""), now);
  });
}

rest_result<std::vector<candle>> parse_candles(std::string_view body, const product_id& product,
                                               std::int32_t granularity_s, ts_ns now) {
  return detail::guarded<std::vector<candle>>(ep::candles, [&]() -> rest_result<std::vector<candle>> {
    auto j = parse_body(body);
    reader r(j, "");
    std::vector<candle> out;
    auto& arr = r.array("candles");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      reader c(arr[i], "candles[" + std::to_string(i) + "]");
      candle x;
      x.product = product;
      x.granularity_s = granularity_s;
      auto start = c.str("start");
      std::int64_t secs = 0;
      auto [ptr, ec] = std::from_chars(start.data(), start.data() + start.size(), secs);
      if (ec != std::errc{} || ptr != start.data() + start.size())
        throw detail::parse_failure{c.name("start"), "not UNIX seconds: '" + start + "'"};
      if (secs > std::numeric_limits<ts_ns>::max() / ns_per_s || secs < -(std::numeric_limits<ts_ns>::max() / ns_per_s))
        throw detail::parse_failure{c.name("start"), "out of range: '" + start + "'"};  // found by tests/fuzz
      x.start = secs * ns_per_s;
      x.open = c.decimal<price_tag>("open");
      x.high = c.decimal<price_tag>("high");
      x.low = c.decimal<price_tag>("low");
      x.close = c.decimal<price_tag>("close");
      x.volume = c.decimal<size_tag>("volume");
      x.ts_recv = now;
      out.push_back(std::move(x));
    }
    std::sort(out.begin(), out.end(), [](const candle& a, const candle& b) { return a.start < b.start; });
    return out;
  });
}

rest_result<accounts_page> parse_accounts(std::string_view body) {
  return detail::guarded<accounts_page>(ep::accounts, [&]() -> rest_result<accounts_page> {
    auto j = parse_body(body);
    reader r(j, "");
    accounts_page page;
    auto& arr = r.array("accounts");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      reader a(arr[i], "accounts[" + std::to_string(i) + "]");
      balance b;
      b.currency = a.str("currency");
      b.available = a.object("available_balance").decimal<notional_tag>("value", true);
      b.hold = a.has("hold") ? a.object("hold").decimal<notional_tag>("value", true) : notional{};
      page.balances.push_back(std::move(b));
    }
    page.has_next = r.boolean_or("has_next", false);
    page.cursor = r.str_or("cursor", "");
    return page;
  });
}

rest_result<fee_tier> parse_transaction_summary(std::string_view body, ts_ns now) {
  return detail::guarded<fee_tier>(ep::transaction_summary, [&]() -> rest_result<fee_tier> {
    auto j = parse_body(body);
    reader r(j, "");
    auto t = r.object("fee_tier");
    fee_tier f;
    f.tier = t.str("pricing_tier");
    f.maker_rate = t.rate("maker_fee_rate");
    f.taker_rate = t.rate("taker_fee_rate");
    if (f.maker_rate < 0 || f.maker_rate > 1 || f.taker_rate < 0 || f.taker_rate > 1)
      throw parse_failure{"fee_tier.maker_fee_rate", "rate outside [0, 1]"};
    // total_volume is a JSON number at Coinbase (not a string): read it exactly via its text.
    if (r.has("total_volume")) {
      auto& v = r.at("total_volume");
      auto text = v.is_string() ? v.get<std::string>() : v.dump();
      auto x = parse_fixed<notional_tag>(text);
      if (!x) {
        if (!v.is_number())
          throw parse_failure{"total_volume", "not a number"};
        x = notional::from_double(v.get<double>());  // e.g. 1e+06 from a float encoder
      }
      f.volume_30d = *x;
    }
    f.fetched = now;
    return f;
  });
}

rest_result<order_preview> parse_preview(std::string_view body) {
  return detail::guarded<order_preview>(ep::preview_order, [&]() -> rest_result<order_preview> {
    auto j = parse_body(body);
    reader r(j, "");
    order_preview p;
    p.order_total = r.decimal_or_zero<notional_tag>("order_total");
    p.commission_total = r.decimal_or_zero<notional_tag>("commission_total");
    p.base_size = r.decimal_or_zero<size_tag>("base_size");
    p.quote_size = r.decimal_or_zero<notional_tag>("quote_size");
    if (r.has("errs")) {
      auto& errs = r.array("errs");
      for (std::size_t i = 0; i < errs.size(); ++i) {
        if (!errs[i].is_string())
          throw parse_failure{"errs[" + std::to_string(i) + "]", "not a string"};
        p.errs.push_back(errs[i].get<std::string>());
      }
    }
    return p;
  });
}

} // namespace trader::exchange

// Order-path parsers (simdjson On-Demand): create, batch cancel, one order, order pages,
// fill pages. Each object is walked once, field by field, so field order does not matter
// and unknown fields cost a skip.
#include "actors/exchange/coinbase/rest_parse.hpp"

#include "runtime/clock.hpp"
#include "actors/exchange/coinbase/rest_parse_detail.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_set>

namespace trader::exchange {

using detail::parse_failure;
namespace od = simdjson::ondemand;

namespace {

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

/// A value of the wrong type or range leaves the document readable (the element holding it
/// can be skipped); any other simdjson error means the document itself is broken.
bool document_broken(simdjson::error_code ec) {
  return ec != simdjson::INCORRECT_TYPE && ec != simdjson::NUMBER_ERROR && ec != simdjson::NUMBER_OUT_OF_RANGE;
}

void check(simdjson::error_code ec, const std::string& field, const char* what) {
  if (ec != simdjson::SUCCESS)
    throw parse_failure{field, std::string(what) + " (" + simdjson::error_message(ec) + ")", document_broken(ec)};
}

/// Calls fn(key, value) for each field of the object in v.
void for_fields(od::value v, const std::string& path, const std::function<void(std::string_view, od::value)>& fn) {
  od::object obj;
  check(v.get_object().get(obj), path.empty() ? "(body)" : path, "not an object");
  for (auto field : obj) {
    std::string_view key;
    check(field.unescaped_key().get(key), path, "bad key");
    od::value val;
    check(field.value().get(val), at(path, key), "bad value");
    fn(key, val);
  }
}

/// Calls fn(i, element) for each element of the array in v.
void for_elements(od::value v, const std::string& path, const std::function<void(std::size_t, od::value)>& fn) {
  od::array arr;
  check(v.get_array().get(arr), path, "not an array");
  std::size_t i = 0;
  for (auto el : arr) {
    od::value val;
    check(el.get(val), path + "[" + std::to_string(i) + "]", "bad element");
    fn(i++, val);
  }
}

bool is_null(od::value& v) {
  od::json_type t;
  return v.type().get(t) == simdjson::SUCCESS && t == od::json_type::null;
}

std::string str(od::value v, const std::string& field) {
  if (is_null(v))
    return {};
  std::string_view s;
  check(v.get_string().get(s), field, "not a string");
  return std::string(s);
}

bool boolean(od::value v, const std::string& field) {
  bool b = false;
  check(v.get_bool().get(b), field, "not a boolean");
  return b;
}

/// `computed`: an amount Coinbase computes and sends at full precision (average price, fees,
/// a fill's size and commission); digits past 1e-8 round instead of refusing the element.
template <class Tag>
fixed<Tag> decimal(od::value v, const std::string& field, bool computed = false) {
  if (is_null(v))
    return {};
  std::string_view s;
  check(v.get_string().get(s), field, "not a decimal string");
  if (s.empty())
    return {};
  auto x = computed ? parse_fixed_rounded<Tag>(s) : parse_fixed<Tag>(s);
  if (!x)
    throw parse_failure{field, "not a decimal: '" + std::string(s) + "'"};
  return *x;
}

ts_ns timestamp(od::value v, const std::string& field) {
  auto s = str(v, field);
  if (s.empty())
    return 0;
  ts_ns t = 0;
  if (!parse_rfc3339(s, t))
    throw parse_failure{field, "not RFC 3339: '" + s + "'"};
  return t;
}

void require(bool present, const std::string& field) {
  if (!present)
    throw parse_failure{field, "missing"};
}

product_id product(od::value v, const std::string& field) {
  auto id = product_from_exchange(str(v, field));
  if (!id)
    throw parse_failure{field, id.error()};
  return std::move(*id);
}

order_update order_from(od::value v, const std::string& path, ts_ns now) {
  order_update o;
  std::string status;
  bool has_id = false, has_status = false;
  ts_ns created = 0, last_fill = 0;
  for_fields(v, path, [&](std::string_view k, od::value val) {
    auto f = at(path, k);
    if (k == "order_id") {
      o.exchange_id.value = str(val, f);
      has_id = true;
    } else if (k == "client_order_id") {
      o.id.value = str(val, f);
    } else if (k == "product_id") {
      o.product = product(val, f);
    } else if (k == "side") {
      auto sd = str(val, f);
      if (sd == "BUY" || sd == "SELL") {
        o.dir = sd == "BUY" ? side::buy : side::sell;
        o.dir_known = true;
      }
    } else if (k == "order_configuration" && !is_null(val)) {
      // {"limit_limit_gtc": {"base_size": "0.01", "limit_price": "50000", ...}}: what the
      // order is, for adopting an order this daemon did not place (docs/orders.md).
      for_fields(val, f, [&](std::string_view, od::value cfg) {
        if (is_null(cfg))
          return;
        for_fields(cfg, f, [&](std::string_view k2, od::value v2) {
          if (k2 == "base_size")
            o.ordered_size = decimal<size_tag>(v2, at(f, k2));
          else if (k2 == "limit_price")
            o.limit_px = decimal<price_tag>(v2, at(f, k2));
        });
      });
    } else if (k == "status") {
      status = str(val, f);
      has_status = true;
    } else if (k == "filled_size") {
      o.filled_size = decimal<size_tag>(val, f);
    } else if (k == "average_filled_price") {
      o.avg_fill_px = decimal<price_tag>(val, f, true);
    } else if (k == "total_fees") {
      o.total_fees = decimal<notional_tag>(val, f, true);
    } else if (k == "reject_reason") {
      o.reject_reason = str(val, f);
    } else if (k == "created_time") {
      created = timestamp(val, f);
    } else if (k == "last_fill_time") {
      last_fill = timestamp(val, f);
    }
  });
  require(has_id && !o.exchange_id.empty(), at(path, "order_id"));
  require(has_status, at(path, "status"));
  if (o.reject_reason == "REJECT_REASON_UNSPECIFIED")
    o.reject_reason.clear();
  o.state = order_state_of(status, !o.filled_size.is_zero());
  o.ts_event = std::max(created, last_fill);
  o.ts_recv = now;
  return o;
}

fill fill_from(od::value el, const std::string& path, ts_ns now) {
  fill f;
  bool px = false, qty = false;
  for_fields(el, path, [&](std::string_view k2, od::value v2) {
    auto fld = at(path, k2);
    if (k2 == "trade_id") {
      f.trade.value = str(v2, fld);
    } else if (k2 == "order_id") {
      f.exchange_order.value = str(v2, fld);
    } else if (k2 == "product_id") {
      f.product = product(v2, fld);
    } else if (k2 == "side") {
      auto s = str(v2, fld);
      if (s != "BUY" && s != "SELL")
        throw parse_failure{fld, "not BUY or SELL: '" + s + "'"};
      f.dir = s == "BUY" ? side::buy : side::sell;
    } else if (k2 == "price") {
      f.px = decimal<price_tag>(v2, fld);
      px = true;
    } else if (k2 == "size") {
      f.qty = decimal<size_tag>(v2, fld, true);
      qty = true;
    } else if (k2 == "commission") {
      f.fee = decimal<notional_tag>(v2, fld, true);
    } else if (k2 == "liquidity_indicator") {
      auto s = str(v2, fld);
      f.liq = s == "MAKER" ? liquidity::maker : s == "TAKER" ? liquidity::taker : liquidity::unknown;
    } else if (k2 == "trade_time") {
      f.ts_event = timestamp(v2, fld);
    } else if (k2 == "size_in_quote") {
      // Market buys by quote size: "size" is in the quote currency (converted by the ledger).
      f.size_in_quote = boolean(v2, fld);
    }
  });
  require(!f.trade.empty(), at(path, "trade_id"));
  require(!f.exchange_order.empty(), at(path, "order_id"));
  require(px, at(path, "price"));
  require(qty, at(path, "size"));
  f.ts_recv = now;
  return f;
}

/// Parses body (padded copy) and hands the document's root value to fn.
template <class T, class Fn>
rest_result<T> with_document(std::string_view endpoint, std::string_view body, Fn&& fn) {
  return detail::guarded<T>(endpoint, [&]() -> rest_result<T> {
    od::parser parser;
    simdjson::padded_string padded(body);
    od::document doc;
    check(parser.iterate(padded).get(doc), "(body)", "not JSON");
    od::value root;
    check(doc.get_value().get(root), "(body)", "not JSON");
    return fn(root);
  });
}

} // namespace

order_state order_state_of(std::string_view s, bool partly_filled) {
  if (s == "OPEN" || s == "PENDING" || s == "QUEUED" || s == "CANCEL_QUEUED" || s == "EDIT_QUEUED")
    return partly_filled ? order_state::partially_filled : order_state::open;
  if (s == "FILLED")
    return order_state::filled;
  if (s == "CANCELLED")
    return order_state::canceled;
  if (s == "EXPIRED")
    return order_state::expired;
  if (s == "FAILED")
    return order_state::rejected;
  return order_state::unknown;
}

rest_result<order_ack> parse_create_order(std::string_view body, const client_order_id& id) {
  return with_document<order_ack>(ep::create_order, body, [&](od::value root) -> rest_result<order_ack> {
    order_ack ack;
    ack.id = id;
    bool has_success = false;
    std::string primary, preview, error;
    for_fields(root, "", [&](std::string_view k, od::value val) {
      if (k == "success") {
        ack.accepted = boolean(val, "success");
        has_success = true;
      } else if (k == "success_response") {
        for_fields(val, "success_response", [&](std::string_view k2, od::value v2) {
          if (k2 == "order_id")
            ack.exchange_id.value = str(v2, "success_response.order_id");
        });
      } else if (k == "error_response") {
        for_fields(val, "error_response", [&](std::string_view k2, od::value v2) {
          auto f = "error_response." + std::string(k2);
          if (k2 == "new_order_failure_reason")
            primary = str(v2, f);
          else if (k2 == "preview_failure_reason")
            preview = str(v2, f);
          else if (k2 == "error")
            error = str(v2, f);
        });
      }
    });
    require(has_success, "success");
    if (ack.accepted) {
      require(!ack.exchange_id.empty(), "success_response.order_id");
      return ack;
    }
    // The most specific verbatim reason: new_order_failure_reason (error is deprecated), and
    // the preview reason when the order reason is the uninformative UNKNOWN_FAILURE_REASON.
    auto reason = primary.empty() ? error : primary;
    if ((reason.empty() || reason == "UNKNOWN_FAILURE_REASON") && !preview.empty()
        && preview != "UNKNOWN_PREVIEW_FAILURE_REASON")
      reason = preview;
    ack.failure_reason = reason.empty() ? "UNKNOWN_FAILURE_REASON" : reason;
    return ack;
  });
}

rest_result<cancel_results> parse_batch_cancel(std::string_view body) {
  return with_document<cancel_results>(ep::batch_cancel, body, [&](od::value root) -> rest_result<cancel_results> {
    cancel_results out;
    bool has_results = false;
    for_fields(root, "", [&](std::string_view k, od::value val) {
      if (k != "results")
        return;
      has_results = true;
      for_elements(val, "results", [&](std::size_t i, od::value el) {
        auto path = "results[" + std::to_string(i) + "]";
        cancel_result r;
        bool has_success = false;
        for_fields(el, path, [&](std::string_view k2, od::value v2) {
          if (k2 == "success") {
            r.success = boolean(v2, at(path, k2));
            has_success = true;
          } else if (k2 == "order_id") {
            r.id.value = str(v2, at(path, k2));
          } else if (k2 == "failure_reason") {
            r.failure_reason = str(v2, at(path, k2));
          }
        });
        require(has_success, at(path, "success"));
        require(!r.id.empty(), at(path, "order_id"));
        if (r.success && r.failure_reason == "UNKNOWN_CANCEL_FAILURE_REASON")
          r.failure_reason.clear();
        out.results.push_back(std::move(r));
      });
    });
    require(has_results, "results");
    return out;
  });
}

rest_result<order_update> parse_order(std::string_view body, ts_ns now) {
  return with_document<order_update>(ep::get_order, body, [&](od::value root) -> rest_result<order_update> {
    std::optional<order_update> o;
    for_fields(root, "", [&](std::string_view k, od::value val) {
      if (k == "order")
        o = order_from(val, "order", now);
    });
    require(o.has_value(), "order");
    return *o;
  });
}

rest_result<orders_page> parse_orders(std::string_view body, ts_ns now) {
  return with_document<orders_page>(ep::list_orders, body, [&](od::value root) -> rest_result<orders_page> {
    orders_page page;
    bool has_orders = false;
    for_fields(root, "", [&](std::string_view k, od::value val) {
      if (k == "orders") {
        has_orders = true;
        for_elements(val, "orders", [&](std::size_t i, od::value el) {
          detail::skippable(page.skipped,
                            [&] { page.orders.push_back(order_from(el, "orders[" + std::to_string(i) + "]", now)); });
        });
      } else if (k == "has_next") {
        page.has_next = boolean(val, "has_next");
      } else if (k == "cursor") {
        page.cursor = str(val, "cursor");
      }
    });
    require(has_orders, "orders");
    return page;
  });
}

rest_result<fills_page> parse_fills(std::string_view body, ts_ns now) {
  return with_document<fills_page>(ep::fills, body, [&](od::value root) -> rest_result<fills_page> {
    fills_page page;
    bool has_fills = false;
    for_fields(root, "", [&](std::string_view k, od::value val) {
      if (k == "fills") {
        has_fills = true;
        for_elements(val, "fills", [&](std::size_t i, od::value el) {
          detail::skippable(page.skipped,
                            [&] { page.fills.push_back(fill_from(el, "fills[" + std::to_string(i) + "]", now)); });
        });
      } else if (k == "cursor") {
        page.cursor = str(val, "cursor");
      }
    });
    require(has_fills, "fills");
    return page;
  });
}

} // namespace trader::exchange

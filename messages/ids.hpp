#pragma once
// Identifiers that cross actor boundaries. Distinct types so an order id is never passed
// where a trade id is expected.

#include <caf/meta/type_name.hpp>

#include <compare>
#include <functional>
#include <string>

namespace trader {

/// A string identifier made distinct by Tag.
template <class Tag>
struct string_id {
  std::string value;

  bool empty() const { return value.empty(); }
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=> (fixed in 15).
  auto operator<=>(const string_id&) const = default;
};

struct client_order_id_tag {};
struct exchange_order_id_tag {};
struct trade_id_tag {};
struct product_id_tag {};

using client_order_id = string_id<client_order_id_tag>;      ///< Ours; the idempotency key (UUID).
using exchange_order_id = string_id<exchange_order_id_tag>;  ///< The exchange's order_id.
using trade_id = string_id<trade_id_tag>;                    ///< Exchange trade id; fill dedupe key.
using product_id = string_id<product_id_tag>;                ///< Canonical "BTC-USD".

template <class Inspector, class Tag>
typename Inspector::result_type inspect(Inspector& f, string_id<Tag>& x) {
  return f(caf::meta::type_name("string_id"), x.value);
}

} // namespace trader

template <class Tag>
struct std::hash<trader::string_id<Tag>> {
  std::size_t operator()(const trader::string_id<Tag>& x) const noexcept {
    return std::hash<std::string>{}(x.value);
  }
};

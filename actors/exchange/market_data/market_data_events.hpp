#pragma once
// What the reader thread tells the market_data actor (local messages only).

#include "messages/ids.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader::market_data {

/// A fact from the reader thread.
struct feed_event {
  enum kind_t : std::uint8_t {
    connected,     ///< socket up, subscribes sent
    disconnected,  ///< socket lost (messages lost: every product's book is invalid)
    gap,           ///< sequence gap / unparseable message / crossed book: products resubscribed
    snapshot,      ///< a fresh level2 snapshot arrived for the products
    fresh,         ///< data arrived again for products the staleness check had marked stale
  };
  kind_t kind = connected;
  std::vector<product_id> products;
  std::string detail;
  ts_ns ts = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, feed_event& x) {
  return f(caf::meta::type_name("feed_event"), x.kind, x.products, x.detail, x.ts);
}

} // namespace trader::market_data

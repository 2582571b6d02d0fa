#pragma once
// The products cache: the last product list, what changed at each refresh, and which
// products are degraded (status anything but online). No CAF.

#include "messages/exchange.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::products {

/// What one refresh changed.
struct cache_update {
  std::vector<product_status> changed;  ///< products whose state differs from the last list
  bool degraded_changed = false;        ///< the degraded set is different now
};

class product_cache {
public:
  /// Replaces the list; returns the status changes (first load: every non-online product).
  cache_update replace(std::vector<product_info> products, ts_ns now);
  /// One product, canonical id.
  std::optional<product_info> find(const product_id& id) const;
  /// Every product, sorted by id.
  std::vector<product_info> all() const;
  bool empty() const { return by_id_.empty(); }
  ts_ns fetched() const { return fetched_; }
  /// Degraded products ("BTC-USD=cancel_only,ETH-USD=offline"), "" when none.
  std::string degraded_text() const;
  bool any_degraded() const { return !degraded_.empty(); }

private:
  std::map<std::string, product_info> by_id_;
  std::map<std::string, product_state> degraded_;
  ts_ns fetched_ = 0;
};

} // namespace trader::products

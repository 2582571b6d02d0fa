#pragma once
// When the products actor refreshes its catalogue next (issue 20). Every `period` while all
// is well. Sooner after a refresh that failed — retried after a full-jitter backoff
// (exchange::backoff), never waited on until the next period — and after a status flip:
// when market_data's status channel says a product's status differs from the last list, the
// catalogue is re-read at once and, while the two still disagree (the REST view can lag the
// channel), again on the same backoff up to max_rechecks times; then the REST view stands
// until the next change. Never later than `period`. No CAF, no clock.

#include "actors/exchange/coinbase/backoff.hpp"
#include "actors/exchange/products/product_cache.hpp"

#include <chrono>
#include <map>
#include <string>

namespace trader::products {

class refresh_plan {
public:
  /// The next refresh: after delay; retry = sooner than the period, because of why.
  struct next {
    std::chrono::milliseconds delay{0};
    bool retry = false;
    std::string why;
  };

  refresh_plan(std::chrono::milliseconds period, exchange::retry_policy backoff, int max_rechecks = 5,
               exchange::backoff::uniform_fn uniform = {});

  /// The status channel says p is now s: true when the catalogue says otherwise (re-read now).
  bool hint(const product_id& p, product_state s, const product_cache& cache);
  /// A refresh ended (ok = the list was read); when to refresh next.
  next after_refresh(bool ok, const product_cache& cache);
  /// Products whose channel status the catalogue has not confirmed yet.
  std::size_t unconfirmed() const { return hints_.size(); }

private:
  std::chrono::milliseconds period_;
  exchange::backoff backoff_;
  int max_rechecks_;
  int attempt_ = 0;   ///< sooner refreshes in a row
  int rechecks_ = 0;  ///< re-reads since the last hint
  std::map<product_id, product_state> hints_;
};

} // namespace trader::products

#include "actors/exchange/products/refresh_plan.hpp"

#include "messages/names.hpp"

#include <algorithm>

namespace trader::products {

refresh_plan::refresh_plan(std::chrono::milliseconds period, exchange::retry_policy backoff, int max_rechecks,
                           exchange::backoff::uniform_fn uniform)
  : period_(period), backoff_(backoff, std::move(uniform)), max_rechecks_(std::max(0, max_rechecks)) {}

bool refresh_plan::hint(const product_id& p, product_state s, const product_cache& cache) {
  auto known = cache.find(p);
  if (known && known->state == s) {
    hints_.erase(p);
    return false;
  }
  hints_[p] = s;
  rechecks_ = 0;
  return true;
}

refresh_plan::next refresh_plan::after_refresh(bool ok, const product_cache& cache) {
  next n;
  if (ok) {
    for (auto it = hints_.begin(); it != hints_.end();) {
      auto known = cache.find(it->first);
      it = known && known->state == it->second ? hints_.erase(it) : std::next(it);
    }
    if (!hints_.empty() && rechecks_++ >= max_rechecks_)
      hints_.clear();  // the REST view stands
    if (!hints_.empty()) {
      auto& [p, s] = *hints_.begin();
      n.why = "the status channel says " + p.value + " is " + std::string(to_string(s)) + ", the catalogue does not (yet)";
    }
  } else {
    n.why = "refresh failed";
  }
  if (n.why.empty()) {
    attempt_ = 0;
    n.delay = period_;
    return n;
  }
  n.retry = true;
  n.delay = std::clamp(backoff_.delay(std::min(attempt_++, 30)), std::chrono::milliseconds{1}, period_);
  return n;
}

} // namespace trader::products

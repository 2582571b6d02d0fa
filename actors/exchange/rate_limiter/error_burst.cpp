#include "actors/exchange/rate_limiter/error_burst.hpp"

namespace trader::rate_limit {

bool is_api_error(int http_status) {
  return http_status == 0 || http_status >= 500 || http_status == 429 || http_status == 401 || http_status == 403;
}

void error_burst::prune(std::int64_t now_ns) {
  while (!errors_.empty() && now_ns - errors_.front() >= window_)
    errors_.pop_front();
}

std::optional<bool> error_burst::record(const std::string& endpoint, int http_status, std::int64_t now_ns) {
  prune(now_ns);
  if (!is_api_error(http_status)) {
    consecutive_[endpoint] = 0;
    return std::nullopt;
  }
  ++consecutive_[endpoint];
  errors_.push_back(now_ns);
  last_error_ = now_ns;
  last_text_ = endpoint + " status " + std::to_string(http_status);
  if (!active_ && errors_.size() >= static_cast<std::size_t>(max_)) {
    active_ = true;
    return true;
  }
  return std::nullopt;
}

bool error_burst::tick(std::int64_t now_ns) {
  prune(now_ns);
  if (active_ && errors_.empty() && now_ns - last_error_ >= window_) {
    active_ = false;
    return true;
  }
  return false;
}

int error_burst::consecutive(const std::string& endpoint) const {
  auto i = consecutive_.find(endpoint);
  return i == consecutive_.end() ? 0 : i->second;
}

std::string error_burst::describe() const {
  return std::to_string(errors_.size()) + " API errors in " + std::to_string(window_ / 1'000'000'000) +
         " s (limit " + std::to_string(max_) + "), last: " + (last_text_.empty() ? "-" : last_text_);
}

} // namespace trader::rate_limit

#pragma once
// API error burst detection over every exchange call (the rate limiter sees each call's
// outcome). An "API error" is a call the exchange could not serve us on: no answer
// (transport), 5xx, 429, 401/403. Business refusals and lookups (400, 404, 200 with
// success=false) are not. When max_errors errors fall within `window` the burst is on:
// gate reason api_error_burst and a CRITICAL alert; it is off again once a whole window has
// passed without an error. Consecutive errors are counted per endpoint (reset by any
// success) for metrics. Pure; no CAF.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

namespace trader::rate_limit {

/// True for outcomes counted as API errors (http_status 0 = no answer).
bool is_api_error(int http_status);

class error_burst {
public:
  /// max_errors ≥ 1 within window_ns (circuit_breakers.max_api_errors / api_error_window_s).
  error_burst(int max_errors, std::int64_t window_ns) : max_(max_errors < 1 ? 1 : max_errors), window_(window_ns) {}

  /// One call's outcome. Returns the new burst state when it changed.
  std::optional<bool> record(const std::string& endpoint, int http_status, std::int64_t now_ns);
  /// Periodic: ends the burst once a window passed without errors. Returns true when it did.
  bool tick(std::int64_t now_ns);

  bool active() const { return active_; }
  /// Errors within the window ending now (after tick/record pruned it).
  std::size_t recent() const { return errors_.size(); }
  /// Consecutive API errors of endpoint (0 after a success or when unknown).
  int consecutive(const std::string& endpoint) const;
  const std::map<std::string, int>& consecutive_all() const { return consecutive_; }
  /// "6 API errors in 60 s, last: GET /accounts status 503".
  std::string describe() const;

private:
  void prune(std::int64_t now_ns);
  int max_;
  std::int64_t window_;
  std::deque<std::int64_t> errors_;
  std::map<std::string, int> consecutive_;
  bool active_ = false;
  std::int64_t last_error_ = 0;
  std::string last_text_;
};

} // namespace trader::rate_limit

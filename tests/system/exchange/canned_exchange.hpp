#pragma once
// A loopback HTTP server that answers each REST path with a canned JSON body (200), for
// tests that need the exchange to send exactly these bytes (ids simex would not list,
// elements the daemon cannot represent). One thread, one request per connection.

#include "tests/support/loopback_http.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace trader::testing {

class canned_exchange {
public:
  /// bodies: path without query (e.g. "/api/v3/brokerage/products") → body; other paths 404.
  explicit canned_exchange(std::map<std::string, std::string> bodies) : bodies_(std::move(bodies)) {}

  /// "http://127.0.0.1:<port>".
  std::string url() const { return server_.url(); }
  /// Request targets (path and query) in arrival order.
  std::vector<std::string> targets() {
    std::lock_guard<std::mutex> lock(mtx_);
    return targets_;
  }

private:
  test_support::http_reply answer(const test_support::http_request& r) {
    const auto path = r.target.substr(0, r.target.find('?'));
    std::lock_guard<std::mutex> lock(mtx_);
    targets_.push_back(r.target);
    if (auto it = bodies_.find(path); it != bodies_.end())
      return {200, it->second, "application/json"};
    return {404, R"({"error":"NOT_FOUND"})", "application/json"};
  }

  std::map<std::string, std::string> bodies_;
  std::mutex mtx_;
  std::vector<std::string> targets_;
  // Last: its thread answers from the members above, and stops before they go.
  test_support::loopback_http_server server_{[this](const auto& r) { return answer(r); }};
};

} // namespace trader::testing

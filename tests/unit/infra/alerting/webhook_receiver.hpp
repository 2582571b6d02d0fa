#pragma once
// A loopback HTTP receiver for alert-sink tests: answers each POST with the next scripted
// status (then 200) and records what it got.

#include "tests/support/loopback_http.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace trader::test_support {

/// One request the receiver saw.
struct received_request {
  std::string method;
  std::string target;
  std::string body;
  int answered = 0;  ///< Status code sent back.
};

/// Listens on 127.0.0.1:<any>; one thread, one request per connection.
class webhook_receiver {
public:
  explicit webhook_receiver(std::vector<int> script = {}) : script_(std::move(script)) {}
  /// The base URL, e.g. "http://127.0.0.1:40123".
  std::string url() const { return server_.url(); }
  /// Everything received so far.
  std::vector<received_request> requests() {
    std::lock_guard<std::mutex> lock(mtx_);
    return seen_;
  }

private:
  http_reply answer(const http_request& r) {
    std::lock_guard<std::mutex> lock(mtx_);
    const int status = next_ < script_.size() ? script_[next_++] : 200;
    seen_.push_back({r.method, r.target, r.body, status});
    return {status, "ok", ""};
  }

  std::vector<int> script_;
  std::size_t next_ = 0;
  std::mutex mtx_;
  std::vector<received_request> seen_;
  // Last: its thread answers from the members above, and stops before they go.
  loopback_http_server server_{[this](const http_request& r) { return answer(r); }};
};

} // namespace trader::test_support

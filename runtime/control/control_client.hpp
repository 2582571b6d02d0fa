#pragma once
// The client side of the control socket, for traderctl and tests: connect, send one
// request, wait for its response with a timeout. No CAF.

#include "runtime/control/protocol.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace trader::control {

/// Why a call produced no response (transport level; command errors are in the response).
enum class client_status {
  ok,                 ///< A response arrived (it may still carry ok=false).
  not_running,        ///< No socket file, or nobody listening on it: traderd is not running.
  permission_denied,  ///< The socket exists but this user may not open it.
  timeout,            ///< No response within the timeout.
  connection_lost,    ///< The daemon closed the connection without answering.
  bad_response,       ///< The daemon answered something that is not a valid response.
};

/// "ok", "not_running", ...
std::string_view to_string(client_status s);

/// The outcome of one call.
struct call_result {
  client_status status = client_status::ok;
  std::string message;  ///< Human-readable reason when status != ok.
  response resp;        ///< The daemon's response when status == ok.

  /// True when the transport worked and the command succeeded.
  bool ok() const { return status == client_status::ok && resp.body.ok; }
};

/// Talks to one daemon's control socket; one connection per call.
class control_client {
public:
  explicit control_client(std::string socket_path);

  /// Sends {"cmd":cmd,"args":args} with the next request id and waits for the answer.
  call_result call(const std::string& cmd, nlohmann::json args = nlohmann::json::object(),
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Sends a raw line (a '\n' is appended) and waits for one response line; for tests
  /// and protocol debugging.
  call_result call_raw(std::string_view line, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// The socket path.
  const std::string& socket_path() const { return path_; }

private:
  std::string path_;
  std::int64_t next_id_ = 1;
};

} // namespace trader::control

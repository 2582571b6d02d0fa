#pragma once
// The simex transport: Beast HTTP/1.1 (keep-alive, optional TLS), WebSocket on the REST
// port and on a separate WS port, a loopback admin port, JWT checks, transport faults and
// structured request logs. Single-threaded: one io_context thread runs everything.

#include "tools/simex/server/backend.hpp"
#include "tools/simex/server/server_config.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace trader::simex::transport {

/// Ports actually bound (port 0 in the config picks a free one).
struct bound_ports {
  std::uint16_t rest = 0;
  std::uint16_t ws = 0;
  std::uint16_t admin = 0;
  /// {"event":"listening","rest_port":…,"ws_port":…,"admin_port":…,"tls":…} (one line).
  std::string to_json(bool tls) const;
};

/// The server. start() binds; run() serves until stop() (from any thread or a signal).
class server {
public:
  server(server_config cfg, std::unique_ptr<backend> be);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds every listener; throws std::runtime_error (bad TLS files, port in use, ...).
  bound_ports start();
  /// Serves on the calling thread until stop().
  void run();
  /// Thread-safe; run() returns soon after.
  void stop();

  struct impl;  ///< internal (server_impl.hpp)

private:
  std::unique_ptr<impl> impl_;
};

} // namespace trader::simex::transport

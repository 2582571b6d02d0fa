#pragma once
// The Prometheus exporter: one shared registry, served as text at
// http://127.0.0.1:9100/metrics by prometheus-cpp's Exposer (civetweb). No CAF.

#include "runtime/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Exposer;
class Registry;
} // namespace prometheus

namespace trader::metrics {

/// Where the exporter listens.
struct exporter_options {
  std::string bind_address = "127.0.0.1";  ///< Loopback by default; scrape through a proxy otherwise.
  std::uint16_t port = 9100;               ///< 0: any free port (tests); see exporter::port().
  std::size_t threads = 2;                 ///< civetweb worker threads.
};

/// base with the address and port of "[metrics] listen" ("127.0.0.1:9100", "[::1]:9100"),
/// or why listen is not host:port.
result<exporter_options, std::string> parse_listen(std::string_view listen, exporter_options base = {});
/// True for 127.0.0.0/8, ::1 and "localhost"; the daemon warns when listening elsewhere.
bool is_loopback(const std::string& address);

/// Owns the shared registry and, once started, the HTTP endpoint serving it.
class exporter {
public:
  exporter();
  ~exporter();
  exporter(const exporter&) = delete;
  exporter& operator=(const exporter&) = delete;

  /// The registry every actor declares its metrics in; lives as long as any holder.
  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }
  /// Binds and serves /metrics; or why not (e.g. port in use).
  result<void, std::string> start(const exporter_options& opts);
  /// Stops serving; the registry and its values stay. Idempotent.
  void stop();
  /// True while serving.
  bool running() const { return exposer_ != nullptr; }
  /// The bound port (the real one when options asked for 0), or 0 when not running.
  std::uint16_t port() const { return port_; }

private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::uint16_t port_ = 0;
};

} // namespace trader::metrics

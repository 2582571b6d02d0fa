#pragma once
// traderd's own series: build and config info, the supervision family (from the health
// board), the trading gate and the state store's health. See docs/metrics.md.

#include "messages/gate.hpp"

#include <map>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}
namespace trader::core {
class health_board;
}
namespace trader::persistence {
class state_store;
}
namespace trader::metrics {
class exporter;
}

namespace trader::daemon {

class daemon_metrics {
public:
  daemon_metrics(const std::string& config_hash, const std::string& mode);
  ~daemon_metrics();
  /// Serves /metrics on listen ("127.0.0.1:9100"); false with why.
  bool start(const std::string& listen, std::string& why);
  void stop();
  std::uint16_t port() const;
  void set_config(const std::string& config_hash, const std::string& mode);
  /// Called by the risk actor on every gate change (thread-safe).
  void on_gate(const gate_changed& g);
  /// Copies the health board and the store's health into the gauges (once a second).
  void refresh(const core::health_board& health, const persistence::state_store* store, const std::string& state_dir);
  /// The exporter's registry, for actors' own series (alerting).
  prometheus::Registry& registry();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace trader::daemon

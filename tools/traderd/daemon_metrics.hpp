#pragma once
// traderd's own series: build and config info, the supervision family (from the health
// board), the trading gate, the state store's health and the registry's dropped sends. See
// docs/metrics.md.

#include "messages/gate.hpp"
#include "messages/ops.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
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
  /// Copies a health board snapshot, the store's health and the registry's drop counts
  /// (core::registry::drop_counts) into the series (once a main-loop pass).
  void refresh(const std::vector<health_report>& rows, const persistence::state_store* store,
               const std::string& state_dir, const std::map<std::string, std::uint64_t>& drops);
  /// The exporter's registry, for actors' own series (alerting).
  prometheus::Registry& registry();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace trader::daemon

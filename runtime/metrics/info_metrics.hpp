#pragma once
// Process-wide series: build info, config hash info, start time, and the supervision
// family (one series per actor) that the supervisor updates. No CAF.

#include "runtime/metrics/actor_metrics.hpp"

#include <mutex>
#include <string>

namespace trader::metrics {

/// Labels of trader_build_info.
struct build_info {
  std::string version;     ///< e.g. "0.1.0" (PROJECT_VERSION).
  std::string git_commit;  ///< Short hash, or "unknown".
  std::string build_type;  ///< CMAKE_BUILD_TYPE.
  std::string compiler;    ///< e.g. "gcc-12.2.0".
};

/// trader_build_info{version,git_commit,build_type,compiler} 1 and
/// trader_process_start_time_seconds (wall clock, seconds since the epoch).
void declare_build_info(prometheus::Registry& registry, const build_info& info, double start_time_seconds);

/// trader_config_info{config_hash,mode} 1: exactly one series; set() on load and reload.
class config_info {
public:
  explicit config_info(prometheus::Registry& registry);
  /// Replaces the series with one for hash and mode.
  void set(const std::string& config_hash, const std::string& mode);

private:
  prometheus::Family<prometheus::Gauge>* family_;
  prometheus::Gauge* current_ = nullptr;
  std::mutex mtx_;
};

/// The supervision family, labelled by actor name (bounded by the tree's size):
/// trader_actor_up, trader_actor_restarts_total, trader_actor_mailbox_depth,
/// trader_actor_last_failure_timestamp_seconds.
struct supervision_metrics {
  explicit supervision_metrics(prometheus::Registry& registry);
  labelled<prometheus::Gauge> up;           ///< 1 while the actor runs, 0 when down.
  labelled<prometheus::Counter> restarts;   ///< Restarts by its supervisor.
  labelled<prometheus::Gauge> mailbox_depth;  ///< Messages waiting in its mailbox.
  labelled<prometheus::Gauge> last_failure;   ///< Wall time of its last abnormal exit.
};

} // namespace trader::metrics

#pragma once
// The kill_switch actor's metrics, declared once (docs/metrics.md § Kill switch). No CAF.

#include "runtime/metrics/actor_metrics.hpp"

namespace trader::kill_switch {

/// trader_kill_switch_* series.
struct kill_switch_stats {
  explicit kill_switch_stats(const metrics::actor_metrics& m);

  prometheus::Counter& engaged;  ///< file_engaged_total: absent → present seen (at start included).
  prometheus::Gauge& present;    ///< file_present: 1 while the file exists.
  prometheus::Gauge& watching;   ///< file_watched: 1 while inotify watches its directory.
};

} // namespace trader::kill_switch

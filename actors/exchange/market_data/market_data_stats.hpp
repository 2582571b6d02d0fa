#pragma once
// The market_data actor's metrics, declared once. Thread-safe (prometheus-cpp counters are
// atomic): the reader thread counts messages, the actor the rest. No CAF.

#include "runtime/metrics/actor_metrics.hpp"

namespace trader::market_data {

/// trader_market_data_* series.
struct market_data_stats {
  explicit market_data_stats(const metrics::actor_metrics& m);

  metrics::labelled<prometheus::Counter> messages;  ///< ws_messages_total{channel}
  prometheus::Counter& parse_errors;                ///< parse_errors_total
  prometheus::Counter& gaps;                        ///< sequence_gaps_total
  prometheus::Counter& reconnects;                  ///< reconnects_total
  prometheus::Counter& unknown_deletes;             ///< unknown_level_deletes_total
  prometheus::Counter& crossed;                     ///< crossed_books_total
  prometheus::Counter& snapshot_waits;              ///< snapshot_waits_total
  prometheus::Counter& snapshot_misses;             ///< snapshot_misses_total
  prometheus::Counter& snapshot_retries;            ///< snapshot_retries_total
  prometheus::Counter& snapshot_reconnects;         ///< snapshot_reconnects_total
  prometheus::Counter& held_back;                   ///< recovery_held_back_total
  prometheus::Gauge& snapshots_awaited;             ///< snapshots_awaited
  metrics::labelled<prometheus::Gauge> age;         ///< staleness_age_seconds{product}
  prometheus::Gauge& connected;                     ///< connected (0/1)
  prometheus::Gauge& subscribers;                   ///< subscribers
};

} // namespace trader::market_data

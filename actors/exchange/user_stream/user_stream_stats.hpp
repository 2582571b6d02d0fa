#pragma once
// The user_stream actor's metrics, declared once. No CAF.

#include "runtime/metrics/actor_metrics.hpp"

namespace trader::user_stream {

/// trader_user_stream_* series.
struct user_stream_stats {
  explicit user_stream_stats(const metrics::actor_metrics& m);

  prometheus::Counter& messages;        ///< ws_messages_total
  prometheus::Counter& order_updates;   ///< order_updates_total
  prometheus::Counter& fills;           ///< fills_published_total
  prometheus::Counter& recovered;       ///< fills_recovered_total (found by a re-read after a reconnect/gap)
  prometheus::Counter& gaps;            ///< sequence_gaps_total
  prometheus::Counter& reconnects;      ///< reconnects_total
  prometheus::Counter& parse_errors;    ///< parse_errors_total
  prometheus::Counter& reread_failures; ///< reread_failures_total
  prometheus::Counter& rereads;         ///< rereads_total (first tries and retries)
  prometheus::Gauge& reread_pending;    ///< reread_pending (0/1: updates may be missing)
  prometheus::Gauge& connected;         ///< connected (0/1)
};

} // namespace trader::user_stream

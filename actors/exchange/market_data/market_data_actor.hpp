#pragma once
// The market_data actor: the public WebSocket feed (ticker, level2, market_trades,
// candles, status, heartbeats) for the configured products.
// Receives: subscribe_feed (any; monitored, answered subscribed), get_book (→ book_snapshot).
// Sends:    quote, book_update, market_trade, candle → subscribers straight from the reader
//           thread (one hop); product_status, feed_health → subscribers;
//           gate_signal{sequence_gap | stale_data | product_degraded} → "risk";
//           product_status → "products" (it re-reads the catalogue after a status change);
//           permit_request{ws_connect} → "rate_limiter" before a snapshot retry or reconnect.
// A std::thread (feed::ws_reader) owns the socket: parse, sequence check, books, fan-out.
// Gaps, lost connections and crossed books invalidate the books and resubscribe level2;
// the gate reason clears when every affected product has a fresh snapshot. A snapshot that
// does not come within snapshot_timeout is asked for again after a full-jitter backoff, and
// after resubscribes_before_reconnect misses the connection is renewed (feed::snapshot_waits).
// get_book answers what the product waits for ("snapshot" / "data") and since when.
// On failure: permanent child of `exchange`; a restart reconnects and takes new snapshots
//             (the reader thread is stopped and joined when the actor exits).

#include "actors/exchange/feed/feed_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::market_data {

/// Starts the actor (and its reader thread unless opts.ws_url is empty, as in actor tests).
caf::actor spawn_market_data(caf::actor_system& sys, core::registry& reg, feed::market_data_options opts);

} // namespace trader::market_data

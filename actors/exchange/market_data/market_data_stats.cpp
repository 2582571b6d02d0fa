#include "actors/exchange/market_data/market_data_stats.hpp"

namespace trader::market_data {

market_data_stats::market_data_stats(const metrics::actor_metrics& m)
  : messages(m.counters("ws_messages_total", "WebSocket messages read, by channel.",
                        {{"channel",
                          {"heartbeats", "ticker", "ticker_batch", "level2", "market_trades", "candles", "status",
                           "user", "subscriptions", "error", "unknown"}}})),
    parse_errors(m.counter("parse_errors_total", "WebSocket messages that did not parse (treated as lost).")),
    gaps(m.counter("sequence_gaps_total", "sequence_num gaps seen (messages lost; books resubscribed).")),
    reconnects(m.counter("reconnects_total", "WebSocket connections lost and re-established.")),
    unknown_deletes(m.counter("unknown_level_deletes_total", "level2 deletes of levels the book did not hold.")),
    crossed(m.counter("crossed_books_total", "Books found crossed after an update (resubscribed).")),
    snapshot_waits(m.counter("snapshot_waits_total",
                             "Products that started waiting for a level2 snapshot (connect, gap, crossed book).")),
    snapshot_misses(m.counter("snapshot_misses_total", "Level2 snapshots that did not come within snapshot_timeout_ms.")),
    snapshot_retries(m.counter("snapshot_retries_total", "Level2 snapshots asked for again (product resubscribed).")),
    snapshot_reconnects(m.counter("snapshot_reconnects_total", "Reconnects asked for because a snapshot kept missing.")),
    held_back(m.counter("recovery_held_back_total",
                        "Snapshot retries and reconnects the rate limiter's WebSocket budget held back.")),
    snapshots_awaited(m.gauge("snapshots_awaited", "Products waiting for a level2 snapshot now.")),
    age(m.gauges("staleness_age_seconds", "Age of the newest market-data message per product.", {{"product", {}}},
                 32)),
    connected(m.gauge("connected", "1 while the WebSocket is connected.")),
    subscribers(m.gauge("subscribers", "Actors subscribed to the feed.")) {}

} // namespace trader::market_data

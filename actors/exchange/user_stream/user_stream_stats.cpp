#include "actors/exchange/user_stream/user_stream_stats.hpp"

namespace trader::user_stream {

user_stream_stats::user_stream_stats(const metrics::actor_metrics& m)
  : messages(m.counter("ws_messages_total", "WebSocket messages read.")),
    order_updates(m.counter("order_updates_total", "Order updates published.")),
    fills(m.counter("fills_published_total", "Fills published (each trade id once).")),
    recovered(m.counter("fills_recovered_total", "Fills first seen in a REST re-read after a reconnect or gap.")),
    gaps(m.counter("sequence_gaps_total", "sequence_num gaps on the user stream.")),
    reconnects(m.counter("reconnects_total", "User-stream connections lost and re-established.")),
    parse_errors(m.counter("parse_errors_total", "User-stream messages that did not parse (treated as lost).")),
    reread_failures(m.counter("reread_failures_total", "REST re-reads (fills or open orders) that failed.")),
    rereads(m.counter("rereads_total", "REST re-reads of fills and open orders started (first tries and retries).")),
    reread_pending(m.gauge("reread_pending", "1 while updates may be missing (user_stream_gap raised, re-read owed).")),
    connected(m.gauge("connected", "1 while the user stream is connected.")) {}

} // namespace trader::user_stream

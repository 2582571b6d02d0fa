#pragma once
// The market-data feed's decisions, apart from the market_data actor (no CAF): a frame (and
// the time) in, its effects out — what to publish to which subscribers, what to write on the
// socket, which gate reasons change and which health updates go out. The actor and its
// reader thread only carry the effects out. It also heals itself (issue 20): a level2
// snapshot that does not come after a (re)subscription is asked for again (snapshot_waits),
// and after repeated misses a reconnect is asked for; nothing is waited on forever.
//
// Threads: on_frame / on_connected / on_disconnected run on the reader thread (on_frame is
// the hot path); check / book / late_subscriber on the actor. Books, staleness, gate reasons
// and statuses are shared under one mutex, held on the hot path for the book update only.

#include "actors/exchange/feed/feed_options.hpp"
#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/order_book.hpp"
#include "actors/exchange/feed/snapshot_waits.hpp"
#include "actors/exchange/feed/ws_frame.hpp"
#include "actors/exchange/feed/ws_parser.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace trader::feed {

/// What a market-data subscriber asked for (bits of core::subscriber::mask).
enum channel_bits : std::uint32_t {
  want_quotes = 1,
  want_books = 2,
  want_trades = 4,
  want_candles = 8,
  want_status = 16,
  want_health = 32,  ///< every subscriber gets health
};
/// subscribe_feed.channels → mask ("ticker"/"quotes", "level2"/"books", "market_trades"/
/// "trades", "candles", "status"); empty = everything.
std::uint32_t channel_mask(const std::vector<std::string>& channels);

/// The effects only the actor carries out (risk, health and status subscribers), in order.
struct feed_notice {
  std::vector<gate_change> gates;        ///< to risk
  std::vector<feed_health> health;       ///< to health subscribers
  std::vector<product_status> statuses;  ///< to status subscribers
  bool empty() const { return gates.empty() && health.empty() && statuses.empty(); }
};

/// What to add to the actor's counters.
struct feed_counts {
  std::uint32_t parse_errors = 0;
  std::uint32_t gaps = 0;
  std::uint32_t unknown_deletes = 0;
  std::uint32_t crossed = 0;
  std::uint32_t reconnects = 0;  ///< a connection after one that had delivered
  std::uint32_t snapshot_waits = 0;       ///< products that started waiting for a snapshot
  std::uint32_t snapshot_misses = 0;      ///< snapshots that did not come in time
  std::uint32_t snapshot_retries = 0;     ///< products asked again (resubscribe)
  std::uint32_t snapshot_reconnects = 0;  ///< reconnects asked for because of misses
};

/// Everything one input of market_feed asks its shell to do.
struct feed_effects {
  ws_channel channel = ws_channel::unknown;  ///< the frame's channel (counted); unknown if unparsed
  bool publish = false;                      ///< frame()'s quotes, books, trades, candles go out
  std::vector<std::string> send;             ///< write on the socket now (reader thread)
  /// check(): ask for these products' snapshots again — within the WebSocket budget, then
  /// write resubscribe_messages(resubscribe) (any thread, through the reader).
  std::vector<product_id> resubscribe;
  std::string reconnect;                     ///< check(): non-empty = reconnect (why), within the budget
  feed_notice notice;                        ///< for the actor
  std::vector<std::string> warnings;         ///< to log
  std::vector<std::pair<product_id, std::int64_t>> ages;  ///< check(): age of each product's newest data, ns
  feed_counts counts;

  void clear();
};

/// The market-data feed of one connection's products (see the top of this file).
class market_feed {
public:
  /// Watches o.products' staleness from now on.
  market_feed(const market_data_options& o, mono_ns now);

  // -- reader thread ---------------------------------------------------------------

  /// One frame off the socket, received at recv (wall) / now (monotonic). The result lives
  /// until the next on_frame; its data to publish is frame(), whose quotes and trades carry
  /// now as origin_mono (the tick_to_order origin).
  const feed_effects& on_frame(std::string_view text, ts_ns recv, mono_ns now);
  /// The frame the last on_frame read.
  const ws_frame& frame() const { return frame_; }
  /// The subscribes to send after each connect.
  std::vector<std::string> subscribe_messages() const;
  /// Connected and subscribed: every book waits for its fresh snapshot.
  feed_effects on_connected(ts_ns wall, mono_ns now);
  /// The socket is gone: if data had flowed, every product's book may have missed updates.
  feed_effects on_disconnected(const std::string& why, ts_ns wall);

  // -- actor -----------------------------------------------------------------------

  /// The periodic check: products without data for max_age turn stale; snapshots that did
  /// not come in time are asked for again (or a reconnect, after repeated misses).
  feed_effects check(ts_ns wall, mono_ns now);
  /// Unsubscribe + subscribe level2 for ps: the way a snapshot is asked for again.
  static std::vector<std::string> resubscribe_messages(const std::vector<product_id>& ps);
  /// The best depth levels of p; stale while it has no snapshot, is stale or has a gap;
  /// waiting_for / waiting_since / retries say what market data waits for (at wall, now).
  book_snapshot book(const product_id& p, std::int32_t depth, ts_ns wall, mono_ns now) const;
  /// What a new subscriber is told at once: unhealthy products and non-online statuses.
  feed_notice late_subscriber(ts_ns wall) const;
  /// Products waiting for a level2 snapshot now.
  std::size_t snapshots_awaited() const;
  /// Whether a connection ever delivered (reconnects are counted from the second).
  bool ever_connected() const;
  const std::vector<product_id>& products() const { return products_; }

private:
  /// Messages were lost for ps: forget their books, resubscribe level2, raise sequence_gap.
  void lost(const std::vector<product_id>& ps, const std::string& why, ts_ns wall, mono_ns now, feed_effects& fx);
  /// ps wait for their snapshots from now on (under mtx_).
  void ask(const std::vector<product_id>& ps, ts_ns wall, mono_ns now, feed_effects& fx);
  /// Sets or clears r for p; on a change, the gate change and p's health (under mtx_).
  void set_reason(gate_reason r, const product_id& p, bool active, std::int64_t age_ns, ts_ns wall, feed_notice& n);

  const std::vector<product_id> products_;
  const std::vector<std::string> channels_;
  const bool has_level2_;  ///< level2 subscribed: books to keep, snapshots to wait for

  // Reader thread only.
  ws_parser parser_;
  ws_frame frame_;
  sequence_tracker seq_;
  feed_effects fx_;
  std::vector<product_id> touched_, crossed_;

  // Shared: guarded by mtx_.
  mutable std::mutex mtx_;
  std::map<product_id, order_book> books_;
  staleness_monitor staleness_;
  gate_aggregator gate_;
  std::map<product_id, product_state> status_;
  ts_ns heartbeat_at_ = 0;  ///< Exchange time of the newest heartbeat read.
  snapshot_waits waits_;
  bool connected_ = false;
  bool ever_connected_ = false;
};

} // namespace trader::feed

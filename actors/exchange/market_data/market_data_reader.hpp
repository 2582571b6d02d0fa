#pragma once
// The market_data actor's shared core (for market_data_actor.cpp only): the feed, the
// subscribers, the counters and the link, and the reader-thread side — the hot path from a
// frame to the subscribers in one hop, with gate, health and status changes handed to the
// actor as one feed::feed_notice. Touches nothing of the actor's state.

#include "actors/exchange/common/ws_shell.hpp"
#include "actors/exchange/feed/market_feed.hpp"
#include "actors/exchange/market_data/market_data_events.hpp"
#include "actors/exchange/market_data/market_data_stats.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/type_ids.hpp"

#include <spdlog/spdlog.h>

#include <array>

namespace trader::market_data {

/// What the reader thread and the actor share: the feed (its own lock), the subscribers
/// (copy-on-write), the counters (atomic) and the link to the socket.
struct feed_core {
  feed_core(feed::market_data_options o, prometheus::Registry& r)
    : opts(std::move(o)),
      clock(opts.clock ? *opts.clock : system_time_source::instance()),
      stats(metrics::actor_metrics(r, names::market_data)),
      feed(opts, clock.mono_now()) {
    // One series per channel, looked up once: labelled<>::operator[] locks and builds a key.
    for (std::size_t i = 0; i < per_channel.size(); ++i)
      per_channel[i] = &stats.messages[feed::to_string(static_cast<feed::ws_channel>(i))];
  }

  feed::market_data_options opts;
  const time_source& clock;
  market_data_stats stats;
  std::array<prometheus::Counter*, static_cast<std::size_t>(feed::ws_channel::error) + 1> per_channel{};
  feed::market_feed feed;
  core::subscribers subs;
  exchange::ws_link link;

  /// Counts and logs what one input of the feed did (any thread).
  void account(const feed::feed_effects& fx) {
    auto add = [](prometheus::Counter& c, std::uint32_t n) {
      if (n)
        c.Increment(static_cast<double>(n));
    };
    add(stats.parse_errors, fx.counts.parse_errors);
    add(stats.gaps, fx.counts.gaps);
    add(stats.unknown_deletes, fx.counts.unknown_deletes);
    add(stats.crossed, fx.counts.crossed);
    add(stats.reconnects, fx.counts.reconnects);
    add(stats.snapshot_waits, fx.counts.snapshot_waits);
    add(stats.snapshot_misses, fx.counts.snapshot_misses);
    add(stats.snapshot_retries, fx.counts.snapshot_retries);
    add(stats.snapshot_reconnects, fx.counts.snapshot_reconnects);
    for (auto& w : fx.warnings)
      spdlog::warn("market_data: {}", w);
  }

  template <class T>
  static void fan_out(const core::subscribers::list& subs, std::uint32_t bit, const std::vector<T>& xs) {
    if (xs.empty())
      return;
    for (auto& s : subs)
      if (s.mask & bit)
        for (auto& x : xs)
          caf::anon_send(s.handle, x);
  }

  /// The hot path (reader thread): the frame's data straight to the subscribers, one hop;
  /// gate, health and status changes to the actor.
  void on_frame(std::string_view text, ts_ns recv) {
    auto& fx = feed.on_frame(text, recv, clock.mono_now());
    if (!fx.counts.parse_errors)
      per_channel[static_cast<std::size_t>(fx.channel)]->Increment();
    for (auto& m : fx.send)
      link.send(m);
    if (fx.publish) {
      auto now = subs.snapshot();
      auto& f = feed.frame();
      fan_out(*now, feed::want_books, f.books);
      fan_out(*now, feed::want_quotes, f.quotes);
      fan_out(*now, feed::want_trades, f.trades);
      fan_out(*now, feed::want_candles, f.candles);
    }
    account(fx);
    if (!fx.notice.empty())
      link.tell(fx.notice);
  }

  std::vector<std::string> subscribe_messages() const { return feed.subscribe_messages(); }

  void on_connected(ts_ns at) {
    account(feed.on_connected(at, clock.mono_now()));
    stats.connected.Set(1);
    spdlog::info("market_data: connected to {}", opts.ws_url.empty() ? "the frame injector" : opts.ws_url);
  }

  void on_disconnected(const std::string& why, ts_ns at) {
    stats.connected.Set(0);
    auto fx = feed.on_disconnected(why, at);
    account(fx);
    if (!fx.notice.empty())
      link.tell(std::move(fx.notice));
  }
};

} // namespace trader::market_data

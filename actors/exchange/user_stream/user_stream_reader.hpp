#pragma once
// The user_stream actor's reader-thread side (for user_stream_actor.cpp only): the user
// channel's frames through feed::user_feed, counted, and handed to the actor as
// stream_event / order_update through the ws_link. Runs on the reader thread (or the frame
// injector's caller); touches nothing of the actor's state.

#include "actors/exchange/common/ws_shell.hpp"
#include "actors/exchange/feed/user_feed.hpp"
#include "actors/exchange/user_stream/user_stream_events.hpp"
#include "actors/exchange/user_stream/user_stream_stats.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"

#include <spdlog/spdlog.h>

namespace trader::user_stream {

/// The reader thread's side: the user channel's frames (feed::user_feed); facts go to the actor.
struct stream_core {
  stream_core(feed::user_stream_options o, prometheus::Registry& r)
    : opts(std::move(o)),
      clock(opts.clock ? *opts.clock : system_time_source::instance()),
      stats(metrics::actor_metrics(r, names::user_stream)) {}

  feed::user_stream_options opts;
  const time_source& clock;
  user_stream_stats stats;
  feed::user_feed feed;
  exchange::ws_link link;

  std::vector<std::string> subscribe_messages() {
    if (!opts.credentials)
      spdlog::error("user_stream: no API credentials; the user channel will refuse the subscription");
    return feed::user_feed::subscribe_messages(opts.credentials.get(), clock.wall_now());
  }
  void on_connected(ts_ns at) {
    feed.on_connected();
    stats.connected.Set(1);
    link.tell(stream_event{stream_event::connected, opts.ws_url, at});
  }
  void on_disconnected(const std::string& why, ts_ns at) {
    stats.connected.Set(0);
    link.tell(stream_event{stream_event::disconnected, why, at});
  }
  void on_frame(std::string_view text, ts_ns recv) {
    stats.messages.Increment();
    auto& fx = feed.on_frame(text, recv);
    if (fx.parse_error)
      stats.parse_errors.Increment();
    else if (!fx.lost.empty())
      stats.gaps.Increment();
    if (!fx.rejected.empty())
      link.tell(stream_event{stream_event::rejected, fx.rejected, recv});
    if (!fx.lost.empty())
      link.tell(stream_event{stream_event::gap, fx.lost, recv});
    for (auto& o : *fx.orders)
      link.tell(o);
  }
};

} // namespace trader::user_stream

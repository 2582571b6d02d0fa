#include "actors/exchange/market_data/market_data_actor.hpp"

#include "actors/exchange/common/ws_shell.hpp"
#include "actors/exchange/feed/market_feed.hpp"
#include "actors/exchange/market_data/market_data_events.hpp"
#include "actors/exchange/market_data/market_data_stats.hpp"
#include "messages/names.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <array>

namespace trader::market_data {

namespace {

using check_atom = caf::atom_constant<caf::atom("md_check")>;

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

struct md_state {
  std::shared_ptr<feed_core> core;
  exchange::gap_pager gaps{names::market_data, "sequence gap unresolved for 30 s; the gate stays closed"};
  static inline const char* name = names::market_data;
};

using self_ptr = caf::stateful_actor<md_state>*;

/// What only the actor does: tell risk (and page on a lasting gap), publish health and statuses.
void carry_out(self_ptr self, core::registry& reg, const feed::feed_notice& n) {
  auto& st = self->state;
  auto now = st.core->clock.wall_now();
  for (auto& c : n.gates) {
    spdlog::warn("market_data: gate {} {} ({})", to_string(c.reason), c.active ? "raised" : "cleared", c.detail);
    reg.send(self, names::risk, gate_signal{c.reason, c.active, c.detail, names::market_data, now});
    if (c.reason == gate_reason::sequence_gap)
      st.gaps.set(self, reg, c.active, c.detail, now);
  }
  for (auto& h : n.health)
    st.core->subs.publish(self, h, feed::want_health);
  for (auto& s : n.statuses)
    st.core->subs.publish(self, s, feed::want_status);
}

caf::behavior market_data_impl(self_ptr self, core::registry* reg, std::shared_ptr<feed_core> core) {
  self->state.core = core;
  feed_core* c = core.get();  // the link stops before core dies: the attach_functor below
  self->attach_functor([core] { core->link.stop(); });
  c->subs.remove_on_down(self, [c] { c->stats.subscribers.Set(static_cast<double>(c->subs.size())); });
  auto interval = c->opts.check_interval.count() > 0 ? c->opts.check_interval : c->opts.max_age / 4;
  interval = std::max(interval, std::chrono::milliseconds{1});
  self->delayed_send(self, interval, check_atom::value);
  c->link.start(caf::actor_cast<caf::actor>(self), c, c->opts, std::max(c->opts.max_age * 3, std::chrono::milliseconds{5000}),
                c->clock);
  return {
    core::probe_handler(self),
    [=](const subscribe_feed& req) -> subscribed {
      if (auto who = c->subs.add_sender(self, feed::channel_mask(req.channels))) {
        c->stats.subscribers.Set(static_cast<double>(c->subs.size()));
        auto late = c->feed.late_subscriber(c->clock.wall_now());  // what is already wrong
        for (auto& h : late.health)
          self->send(who, h);
        for (auto& s : late.statuses)
          self->send(who, s);
      }
      return subscribed{c->opts.products};
    },
    [=](const get_book& req) -> book_snapshot { return c->feed.book(req.product, req.depth); },
    [=](const feed::feed_notice& n) { carry_out(self, *reg, n); },
    [=](exchange::gap_alert_atom, std::uint64_t generation) {
      self->state.gaps.check(self, *reg, generation, c->clock.wall_now());
    },
    [=](check_atom) {
      auto fx = c->feed.check(c->clock.wall_now(), c->clock.mono_now());
      for (auto& [p, age] : fx.ages)
        c->stats.age[p.value].Set(static_cast<double>(age) / 1e9);
      c->account(fx);
      carry_out(self, *reg, fx.notice);
      self->delayed_send(self, interval, check_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_market_data(caf::actor_system& sys, core::registry& reg, feed::market_data_options opts) {
  auto& r = exchange::metrics_or_unexported(opts.metrics);
  return sys.spawn(market_data_impl, &reg, std::make_shared<feed_core>(std::move(opts), r));
}

} // namespace trader::market_data

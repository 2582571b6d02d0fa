#include "actors/exchange/user_stream/user_stream_actor.hpp"

#include "actors/exchange/user_stream/user_stream_events.hpp"
#include "actors/exchange/user_stream/user_stream_stats.hpp"
#include "messages/names.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "actors/exchange/feed/alert_latch.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/ws_parser.hpp"
#include "actors/exchange/feed/ws_reader.hpp"
#include "actors/exchange/feed/ws_requests.hpp"
#include "runtime/net/jwt.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace trader::user_stream {

namespace {

using reread_atom = caf::atom_constant<caf::atom("us_reread")>;
using gap_alert_atom = caf::atom_constant<caf::atom("us_gapal")>;
/// A user-stream gap still open this long (the REST re-read keeps failing) pages.
constexpr std::chrono::seconds gap_alert_after{30};

/// The reader thread's side: socket, parser, sequence check.
struct stream_core {
  stream_core(feed::user_stream_options o, prometheus::Registry& r)
    : opts(std::move(o)),
      clock(opts.clock ? *opts.clock : system_time_source::instance()),
      stats(metrics::actor_metrics(r, names::user_stream)) {}

  feed::user_stream_options opts;
  const time_source& clock;
  user_stream_stats stats;
  feed::ws_parser parser;
  feed::ws_frame frame;
  feed::sequence_tracker seq;
  std::unique_ptr<feed::ws_reader> reader;
  caf::actor self;  ///< reset when the actor exits

  void notify(stream_event::kind_t k, std::string detail, ts_ns at) {
    if (self)
      caf::anon_send(self, stream_event{k, std::move(detail), at});
  }

  std::vector<std::string> subscribe_messages() {
    std::string jwt;
    if (opts.credentials)
      jwt = net::sign_ws_jwt(*opts.credentials, clock.wall_now());  // fresh per subscribe
    else
      spdlog::error("user_stream: no API credentials; the user channel will refuse the subscription");
    return {feed::subscribe_message("heartbeats", {}), feed::subscribe_message("user", {}, jwt)};
  }

  void on_frame(std::string_view text, ts_ns recv) {
    auto& f = frame;
    stats.messages.Increment();
    if (auto err = parser.parse(text, recv, f)) {
      stats.parse_errors.Increment();
      notify(stream_event::gap, "unparseable message: " + err->what, recv);
      return;
    }
    if (f.channel == feed::ws_channel::error) {
      notify(stream_event::rejected, f.error, recv);
      return;
    }
    if (f.channel == feed::ws_channel::unknown)
      return;
    auto s = seq.observe(f.sequence);
    if (s.v == feed::sequence_tracker::verdict::old)
      return;
    if (s.v == feed::sequence_tracker::verdict::gap) {
      stats.gaps.Increment();
      notify(stream_event::gap, fmt::format("sequence gap: expected {} got {}", s.expected, f.sequence), recv);
    }
    if (self)
      for (auto& o : f.orders)
        caf::anon_send(self, o);
  }
};

struct us_state {
  std::shared_ptr<stream_core> core;
  feed::alert_latch gap_alert{std::chrono::nanoseconds(gap_alert_after).count()};
  std::vector<caf::actor> subs;
  feed::fill_tracker tracker;
  bool ever_connected = false;
  bool gap_raised = false;
  ts_ns lost_since = 0;       ///< earliest moment updates may have been missed; 0 = none
  std::uint64_t reread_gen = 0;
  int reread_left = 0;        ///< replies still due in the current re-read
  bool reread_ok = true;
  int reread_attempt = 0;
  static inline const char* name = names::user_stream;
};

using self_ptr = caf::stateful_actor<us_state>*;

ts_ns now(self_ptr self) { return self->state.core->clock.wall_now(); }

void gate(self_ptr self, core::registry& reg, bool active, std::string detail) {
  auto& st = self->state;
  if (st.gap_raised == active)
    return;
  st.gap_raised = active;
  spdlog::warn("user_stream: gate user_stream_gap {} ({})", active ? "raised" : "cleared", detail);
  auto at = now(self);
  auto act = st.gap_alert.set(active, at);
  if (active)
    self->delayed_send(self, gap_alert_after, gap_alert_atom::value, st.gap_alert.generation());
  if (act.resolve)
    reg.send(self, names::alerting, feed::sequence_gap_alert(names::user_stream, detail, true, at));
  reg.send(self, names::risk, gate_signal{gate_reason::user_stream_gap, active, std::move(detail), names::user_stream, at});
}

template <class T>
void publish(self_ptr self, const T& x) {
  for (auto& s : self->state.subs)
    self->send(s, x);
}

/// Publishes the fills not seen before; returns how many were new.
std::size_t publish_fills(self_ptr self, const fill_list& l) {
  std::size_t n = 0;
  for (auto& f : l.fills) {
    if (f.trade.empty() || !self->state.tracker.first_time(f.trade))
      continue;
    publish(self, f);
    self->state.core->stats.fills.Increment();
    ++n;
  }
  return n;
}

/// One re-read answered: when all are in and succeeded, nothing can be hidden any more.
void reread_step(self_ptr self, core::registry& reg, std::uint64_t gen, bool ok) {
  auto& st = self->state;
  if (gen != st.reread_gen)
    return;
  st.reread_ok = st.reread_ok && ok;
  if (--st.reread_left > 0)
    return;
  if (st.reread_ok) {
    st.lost_since = 0;
    st.reread_attempt = 0;
    gate(self, reg, false, "fills and open orders re-read over REST");
    return;
  }
  st.core->stats.reread_failures.Increment();
  auto delay = std::min<std::int64_t>(st.core->opts.backoff_cap.count(),
                                      st.core->opts.backoff_base.count() << std::min(st.reread_attempt++, 8));
  self->delayed_send(self, std::chrono::milliseconds{std::max<std::int64_t>(delay, 1)}, reread_atom::value,
                     st.reread_gen);
}

/// Reads fills since the loss (minus a margin) and the open orders over REST.
void start_reread(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto gen = ++st.reread_gen;
  st.reread_left = 2;
  st.reread_ok = true;
  auto since = st.lost_since - st.core->opts.reread_margin.count() * ns_per_ms;
  auto timeout = st.core->opts.rest_timeout;
  core::registry* rp = &reg;  // lambdas capture the pointer, not a copy
  spdlog::info("user_stream: re-reading fills since {} and open orders", format_rfc3339(since));
  reg.request(self, names::fills, timeout, get_fills{since, {}, {}})
    .then(
      [=](const fill_list& l) {
        auto n = publish_fills(self, l);
        self->state.core->stats.recovered.Increment(static_cast<double>(n));
        if (n)
          spdlog::warn("user_stream: {} fill(s) recovered by the REST re-read", n);
        reread_step(self, *rp, gen, true);
      },
      [=](caf::error& e) {
        spdlog::warn("user_stream: fills re-read failed: {}", to_string(e));
        reread_step(self, *rp, gen, false);
      });
  reg.request(self, names::orders, timeout, list_open_orders{})
    .then(
      [=](const order_list& l) {
        for (auto& o : l.orders) {
          self->state.tracker.filled_more(o);
          publish(self, o);
        }
        reread_step(self, *rp, gen, true);
      },
      [=](caf::error& e) {
        spdlog::warn("user_stream: open-orders re-read failed: {}", to_string(e));
        reread_step(self, *rp, gen, false);
      });
}

/// Updates may have been missed since `since`: close the gate until a re-read succeeds.
void lost(self_ptr self, core::registry& reg, ts_ns since, const std::string& why) {
  auto& st = self->state;
  if (st.lost_since == 0 || since < st.lost_since)
    st.lost_since = since;
  gate(self, reg, true, why);
}

caf::behavior user_stream_impl(self_ptr self, core::registry* reg, std::shared_ptr<stream_core> core) {
  self->state.core = core;
  core->self = caf::actor_cast<caf::actor>(self);
  self->attach_functor([core] {
    if (core->reader)
      core->reader->stop();  // joins the reader thread
    core->self = nullptr;
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& subs = self->state.subs;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](auto& s) { return s.address() == dm.source; }),
               subs.end());
  });
  if (core->opts.injector) {
    stream_core* c = core.get();
    core->opts.injector->push = [c](std::string_view text, ts_ns recv) { c->on_frame(text, recv); };
  } else if (!core->opts.ws_url.empty()) {
    // Heartbeats come every second: 30 s of silence means a dead connection.
    auto ro = feed::ws_reader_options::of(core->opts, std::chrono::milliseconds{30000});
    stream_core* c = core.get();
    feed::ws_reader_hooks hooks;
    hooks.subscribe_messages = [c] { return c->subscribe_messages(); };
    hooks.on_connected = [c](ts_ns at) {
      c->seq.reset();
      c->stats.connected.Set(1);
      c->notify(stream_event::connected, c->opts.ws_url, at);
    };
    hooks.on_frame = [c](std::string_view text, ts_ns recv) { c->on_frame(text, recv); };
    hooks.on_disconnected = [c](const std::string& why, ts_ns at) {
      c->stats.connected.Set(0);
      c->notify(stream_event::disconnected, why, at);
    };
    core->reader = std::make_unique<feed::ws_reader>(ro, std::move(hooks), core->clock);
    core->reader->start();
  }
  return {
    core::probe_handler(self),
    [=](gap_alert_atom, std::uint64_t generation) {
      auto at = now(self);
      if (self->state.gap_alert.check(generation, at).fire)
        reg->send(self, names::alerting,
                  feed::sequence_gap_alert(names::user_stream,
                                           "user-stream gap unresolved for 30 s (REST re-read of fills and open "
                                           "orders not yet complete); the gate stays closed",
                                           false, at));
    },
    [=](const subscribe_feed&) -> subscribed {
      auto who = caf::actor_cast<caf::actor>(self->current_sender());
      auto& subs = self->state.subs;
      if (who && std::find(subs.begin(), subs.end(), who) == subs.end()) {
        self->monitor(who);
        subs.push_back(who);
      }
      return subscribed{};
    },
    [=](const order_update& u) {
      auto& st = self->state;
      st.core->stats.order_updates.Increment();
      publish(self, u);
      if (!st.tracker.filled_more(u))
        return;
      // A fill happened; the user channel has no trade id, so fetch the order's fills.
      reg->request(self, names::fills, st.core->opts.rest_timeout, get_fills{0, u.exchange_id, u.product})
        .then([=](const fill_list& l) { publish_fills(self, l); },
              [=](caf::error& e) {
                // The next re-read (reconnect/gap) or the fills actor's own polling covers it.
                spdlog::warn("user_stream: fills of order {} not read: {}", u.exchange_id.value, to_string(e));
              });
    },
    [=](const stream_event& e) {
      auto& st = self->state;
      switch (e.kind) {
        case stream_event::connected:
          spdlog::info("user_stream: connected to {}", e.detail);
          if (st.ever_connected)
            st.core->stats.reconnects.Increment();
          st.ever_connected = true;
          // Subscribed before reading REST, so nothing falls between the two.
          if (st.lost_since != 0)
            start_reread(self, *reg);
          break;
        case stream_event::disconnected:
          spdlog::warn("user_stream: WebSocket lost ({})", e.detail);
          if (st.ever_connected)
            lost(self, *reg, e.ts, "user stream disconnected: " + e.detail);
          break;
        case stream_event::gap:
          lost(self, *reg, e.ts, e.detail);
          start_reread(self, *reg);
          break;
        case stream_event::rejected:
          spdlog::error("user_stream: exchange refused the user channel: {}", e.detail);
          break;
      }
    },
    [=](reread_atom, std::uint64_t gen) {
      if (gen == self->state.reread_gen && self->state.lost_since != 0)
        start_reread(self, *reg);
    },
  };
}

} // namespace

caf::actor spawn_user_stream(caf::actor_system& sys, core::registry& reg, feed::user_stream_options opts) {
  static prometheus::Registry unexported;
  auto* r = opts.metrics ? opts.metrics : &unexported;
  auto core = std::make_shared<stream_core>(std::move(opts), *r);
  return sys.spawn(user_stream_impl, &reg, std::move(core));
}

} // namespace trader::user_stream

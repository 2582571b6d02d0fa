#include "actors/exchange/user_stream/user_stream_actor.hpp"

#include "actors/exchange/common/ws_shell.hpp"
#include "actors/exchange/feed/stream_recovery.hpp"
#include "actors/exchange/user_stream/user_stream_reader.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::user_stream {

namespace {

using reread_atom = caf::atom_constant<caf::atom("us_reread")>;

struct us_state {
  std::shared_ptr<stream_core> core;
  std::unique_ptr<feed::stream_recovery> recovery;
  core::subscribers subs;
  feed::fill_tracker tracker;
  bool gap_raised = false;  ///< what risk was told last
  exchange::gap_pager gaps{names::user_stream, "user-stream gap unresolved for 30 s (REST re-read of fills and open "
                                               "orders not yet complete); the gate stays closed"};
  core::gate_reporter gate{names::user_stream};  ///< user_stream_gap while a re-read is pending
  static inline const char* name = names::user_stream;
};

using self_ptr = caf::stateful_actor<us_state>*;

/// Tells risk (and the pager) when the recovery's pending state differs from what it knows.
void sync_gate(self_ptr self, core::registry& reg, std::string detail) {
  auto& st = self->state;
  bool active = st.recovery->pending();
  if (st.gap_raised == active)
    return;
  st.gap_raised = active;
  st.core->stats.reread_pending.Set(active ? 1 : 0);
  spdlog::warn("user_stream: gate user_stream_gap {} ({})", active ? "raised" : "cleared", detail);
  auto at = st.core->clock.wall_now();
  st.gaps.set(self, reg, active, detail, at);
  if (st.gate.update(gate_reason::user_stream_gap, active, std::move(detail)))
    core::report_gate(self, reg, st.gate, at);
}

/// Publishes the fills not seen before; returns how many were new.
std::size_t publish_fills(self_ptr self, const fill_list& l) {
  std::size_t n = 0;
  for (auto& f : l.fills) {
    if (f.trade.empty() || !self->state.tracker.first_time(f.trade))
      continue;
    self->state.subs.publish(self, f);
    self->state.core->stats.fills.Increment();
    ++n;
  }
  return n;
}

/// One answer of re-read gen: recovered clears the gate, a failure retries after the backoff.
void answered(self_ptr self, core::registry& reg, std::uint64_t gen, bool ok) {
  auto& st = self->state;
  auto o = st.recovery->answered(gen, ok);
  if (o.kind == feed::stream_recovery::outcome::recovered) {
    sync_gate(self, reg, "fills and open orders re-read over REST");
  } else if (o.kind == feed::stream_recovery::outcome::retry) {
    st.core->stats.reread_failures.Increment();
    auto delay = std::max(o.delay, std::chrono::milliseconds{1});
    spdlog::warn("user_stream: re-read {} failed; trying again in {} ms", st.recovery->attempts(), delay.count());
    self->delayed_send(self, delay, reread_atom::value, gen);
  }
}

/// Reads fills since the loss (minus a margin) and the open orders over REST.
void send_reread(self_ptr self, core::registry& reg, std::optional<feed::stream_recovery::reread> r) {
  if (!r)
    return;
  auto gen = r->gen;
  self->state.core->stats.rereads.Increment();
  auto timeout = self->state.core->opts.rest_timeout;
  core::registry* rp = &reg;  // lambdas capture the pointer, not a copy
  spdlog::info("user_stream: re-reading fills since {} and open orders (attempt {})", format_rfc3339(r->fills_since),
               r->attempt + 1);
  auto failed = [=](const char* what) {
    return [=](caf::error& e) {
      spdlog::warn("user_stream: {} re-read failed: {}", what, to_string(e));
      answered(self, *rp, gen, false);
    };
  };
  reg.request(self, names::fills, timeout, get_fills{r->fills_since, {}, {}})
    .then(
      [=](const fill_list& l) {
        auto n = publish_fills(self, l);
        self->state.core->stats.recovered.Increment(static_cast<double>(n));
        if (n)
          spdlog::warn("user_stream: {} fill(s) recovered by the REST re-read", n);
        answered(self, *rp, gen, true);
      },
      failed("fills"));
  reg.request(self, names::orders, timeout, list_open_orders{})
    .then(
      [=](const order_list& l) {
        for (auto& o : l.orders) {
          self->state.tracker.filled_more(o);
          self->state.subs.publish(self, o);
        }
        answered(self, *rp, gen, true);
      },
      failed("open-orders"));
}

caf::behavior user_stream_impl(self_ptr self, core::registry* reg, const std::shared_ptr<stream_core>& core) {
  auto& st = self->state;
  st.core = core;
  auto& o = core->opts;
  st.recovery = std::make_unique<feed::stream_recovery>(feed::stream_recovery::options_of(o), feed::jitter_source(o.seed));
  self->attach_functor([core] { core->link.stop(); });
  st.subs.remove_on_down(self);
  stream_core* c = core.get();  // the link stops before core dies (attach_functor)
  // Heartbeats come every second: 30 s of silence means a dead connection.
  c->link.start(caf::actor_cast<caf::actor>(self), c, o, std::chrono::seconds{30}, c->clock);
  core::start_gate_reassert(self);
  return {
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [c = self->state.core] { return c->clock.wall_now(); }),
    [=](exchange::gap_alert_atom, std::uint64_t generation) {
      self->state.gaps.check(self, *reg, generation, c->clock.wall_now());
    },
    [=](const subscribe_feed&) -> subscribed {
      self->state.subs.add_sender(self);
      return subscribed{};
    },
    [=](const order_update& u) {
      auto& st = self->state;
      st.core->stats.order_updates.Increment();
      st.subs.publish(self, u);
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
      auto& rec = *self->state.recovery;
      switch (e.kind) {
        case stream_event::connected:
          spdlog::info("user_stream: connected to {}", e.detail.empty() ? "the frame injector" : e.detail);
          if (rec.ever_connected())
            c->stats.reconnects.Increment();
          send_reread(self, *reg, rec.connected());  // subscribed before reading REST: nothing falls between
          break;
        case stream_event::disconnected:
          spdlog::warn("user_stream: WebSocket lost ({})", e.detail);
          rec.disconnected(e.ts);
          sync_gate(self, *reg, "user stream disconnected: " + e.detail);
          break;
        case stream_event::gap: {
          auto r = rec.gap(e.ts);
          sync_gate(self, *reg, e.detail);
          send_reread(self, *reg, r);
          break;
        }
        case stream_event::rejected:
          spdlog::error("user_stream: exchange refused the user channel: {}", e.detail);
          break;
      }
    },
    [=](reread_atom, std::uint64_t gen) { send_reread(self, *reg, self->state.recovery->retry(gen)); },
  };
}

} // namespace

caf::actor spawn_user_stream(caf::actor_system& sys, core::registry& reg, feed::user_stream_options opts) {
  auto& r = exchange::metrics_or_unexported(opts.metrics);
  return sys.spawn(user_stream_impl, &reg, std::make_shared<stream_core>(std::move(opts), r));
}

} // namespace trader::user_stream

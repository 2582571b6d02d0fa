#include "actors/exchange/market_data/market_data_actor.hpp"

#include "actors/exchange/market_data/market_data_reader.hpp"
#include "messages/names.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::market_data {

namespace {

using check_atom = caf::atom_constant<caf::atom("md_check")>;

struct md_state {
  std::shared_ptr<feed_core> core;
  exchange::gap_pager gaps{names::market_data, "sequence gap unresolved for 30 s; the gate stays closed"};
  core::gate_reporter gate{names::market_data};  ///< stale_data, sequence_gap, product_degraded
  static inline const char* name = names::market_data;
};

using self_ptr = caf::stateful_actor<md_state>*;

/// A recovery step of the feed (resubscribe, reconnect), within the WebSocket budget.
void recover(self_ptr self, core::registry& reg, const feed::feed_effects& fx) {
  feed_core* c = self->state.core.get();
  auto held_back = [c](const std::string& what) {
    return [c, what](const std::string& why) {
      c->stats.held_back.Increment();
      spdlog::warn("market_data: {} held back by the rate limiter ({}); the next miss asks again", what, why);
    };
  };
  if (!fx.reconnect.empty()) {
    exchange::within_ws_budget(self, reg, "ws connect", 1, [c, why = fx.reconnect] { c->link.reconnect(why); },
                               held_back("reconnect"));
  } else if (!fx.resubscribe.empty()) {
    auto msgs = feed::market_feed::resubscribe_messages(fx.resubscribe);
    exchange::within_ws_budget(
      self, reg, "ws subscribe", static_cast<int>(msgs.size()),
      [c, msgs] {
        for (auto& m : msgs)
          c->link.post(m);
      },
      held_back("snapshot retry"));
  }
}

/// What only the actor does: tell risk (and page on a lasting gap), publish health and statuses.
void carry_out(self_ptr self, core::registry& reg, const feed::feed_notice& n) {
  auto& st = self->state;
  auto now = st.core->clock.wall_now();
  for (auto& c : n.gates) {
    spdlog::warn("market_data: gate {} {} ({})", to_string(c.reason), c.active ? "raised" : "cleared", c.detail);
    st.gate.update(c.reason, c.active, c.detail);
    if (c.reason == gate_reason::sequence_gap)
      st.gaps.set(self, reg, c.active, c.detail, now);
  }
  if (!n.gates.empty())
    core::report_gate(self, reg, st.gate, now);
  for (auto& h : n.health)
    st.core->subs.publish(self, h, feed::want_health);
  for (auto& s : n.statuses) {
    st.core->subs.publish(self, s, feed::want_status);
    reg.send(self, names::products, s);  // its catalogue re-reads the status (products' own recovery)
  }
}

caf::behavior market_data_impl(self_ptr self, core::registry* reg, const std::shared_ptr<feed_core>& core) {
  self->state.core = core;
  feed_core* c = core.get();  // the link stops before core dies: the attach_functor below
  self->attach_functor([core] { core->link.stop(); });
  c->subs.remove_on_down(self, [c] { c->stats.subscribers.Set(static_cast<double>(c->subs.size())); });
  auto interval = c->opts.check_interval.count() > 0 ? c->opts.check_interval : c->opts.max_age / 4;
  interval = std::max(interval, std::chrono::milliseconds{1});
  self->delayed_send(self, interval, check_atom::value);
  c->link.start(caf::actor_cast<caf::actor>(self), c, c->opts, std::max(c->opts.max_age * 3, std::chrono::milliseconds{5000}),
                c->clock);
  core::start_gate_reassert(self);
  return {
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [c = self->state.core] { return c->clock.wall_now(); }),
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
    [=](const get_book& req) -> book_snapshot {
      return c->feed.book(req.product, req.depth, c->clock.wall_now(), c->clock.mono_now());
    },
    [=](const feed::feed_notice& n) { carry_out(self, *reg, n); },
    [=](exchange::gap_alert_atom, std::uint64_t generation) {
      self->state.gaps.check(self, *reg, generation, c->clock.wall_now());
    },
    [=](check_atom) {
      auto fx = c->feed.check(c->clock.wall_now(), c->clock.mono_now());
      for (auto& [p, age] : fx.ages)
        c->stats.age[p.value].Set(static_cast<double>(age) / 1e9);
      c->account(fx);
      c->stats.snapshots_awaited.Set(static_cast<double>(c->feed.snapshots_awaited()));
      carry_out(self, *reg, fx.notice);
      recover(self, *reg, fx);
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

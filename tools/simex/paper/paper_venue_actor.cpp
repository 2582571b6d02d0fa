#include "tools/simex/paper/paper_venue_actor.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::simex {

namespace {

using pv_tick_atom = caf::atom_constant<caf::atom("pv_tick")>;

struct pv_state {
  static inline const char* name = "paper_venue";
  caf::actor owner;
  caf::actor market_data;  ///< Subscribed instance (monitored).
};

using self_ptr = caf::stateful_actor<pv_state>*;

/// Sends what the venue did since the last call to the owner, oldest first.
void forward(self_ptr self, const paper_venue::facts& f) {
  for (auto& u : f.updates)
    self->send(self->state.owner, u);
  for (auto& x : f.fills)
    self->send(self->state.owner, x);
}

void subscribe(self_ptr self, core::registry* reg) {
  auto md = reg->get(names::market_data);
  if (!md || md == self->state.market_data)
    return;
  self->request(md, std::chrono::seconds(5), subscribe_feed{{"quotes"}})
    .then(
      [=](const subscribed&) {
        self->state.market_data = md;
        self->monitor(md);
      },
      [=](caf::error&) {});
}

/// The handlers copy v and now ([=]); the references die with this call.
caf::behavior pv_impl(self_ptr self, caf::actor owner, core::registry* reg, const std::shared_ptr<shared_paper_venue>& v,
                      const std::function<ts_ns()>& now) {
  self->state.owner = std::move(owner);
  self->set_default_handler(caf::drop);  // feed_health and the like: not the venue's business
  self->set_down_handler([=](const caf::down_msg& dm) {
    if (dm.source == self->state.market_data)
      self->state.market_data = nullptr;  // resubscribe on the next tick
  });
  subscribe(self, reg);
  self->delayed_send(self, std::chrono::seconds(1), pv_tick_atom::value);
  return {
    [=](const quote& q) {
      paper_venue::facts f;
      {
        std::lock_guard<std::mutex> lock{v->mu};
        v->venue.on_quote(q, now());
        f = v->venue.drain(now());
      }
      forward(self, f);
    },
    [=](const create_order& c) -> caf::result<order_ack> {
      auto rp = self->make_response_promise<order_ack>();
      order_ack a;
      paper_venue::facts f;
      {
        std::lock_guard<std::mutex> lock{v->mu};
        a = v->venue.create(c, now());
        f = v->venue.drain(now());
      }
      rp.deliver(a);  // the answer first, then what the order did
      forward(self, f);
      return rp;
    },
    [=](const cancel_orders& c) -> caf::result<cancel_results> {
      auto rp = self->make_response_promise<cancel_results>();
      cancel_results r;
      paper_venue::facts f;
      {
        std::lock_guard<std::mutex> lock{v->mu};
        r = v->venue.cancel(c, now());
        f = v->venue.drain(now());
      }
      rp.deliver(r);
      forward(self, f);
      return rp;
    },
    [=](const get_order& g) -> caf::result<order_update> {
      std::lock_guard<std::mutex> lock{v->mu};
      if (auto u = v->venue.find(g))
        return *u;
      return make_error(errc::exchange_error, "paper GET order 404 not_found " + (g.exchange_id.empty() ? g.id.value : g.exchange_id.value));
    },
    [=](const list_open_orders& l) -> order_list {
      std::lock_guard<std::mutex> lock{v->mu};
      return v->venue.open_orders(l, now());
    },
    [=](const list_recent_orders& l) -> order_list {
      std::lock_guard<std::mutex> lock{v->mu};
      return v->venue.recent_orders(l, now());
    },
    [=](const get_fills& g) -> fill_list {
      std::lock_guard<std::mutex> lock{v->mu};
      return v->venue.fills(g, now());
    },
    [=](const get_balances&) -> balance_list {
      std::lock_guard<std::mutex> lock{v->mu};
      return v->venue.balances(now());
    },
    [=](pv_tick_atom) {
      subscribe(self, reg);
      self->delayed_send(self, std::chrono::seconds(1), pv_tick_atom::value);
    },
    [=](const subscribed&) {},
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_paper_venue(caf::event_based_actor* owner, core::registry& reg,
                             std::shared_ptr<shared_paper_venue> venue, std::function<ts_ns()> now) {
  return owner->spawn<caf::linked>(pv_impl, caf::actor_cast<caf::actor>(owner), &reg, std::move(venue), std::move(now));
}

} // namespace trader::simex

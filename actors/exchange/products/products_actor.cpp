#include "actors/exchange/products/products_actor.hpp"

#include "actors/exchange/common/endpoint_support.hpp"
#include "actors/exchange/products/product_cache.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "messages/names.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace trader::products {

namespace {

/// Timer tick; the number is the generation (CAF 0.17 timers cannot be cancelled, so a
/// refresh done on request starts a new generation and the old tick is ignored).
using refresh_atom = caf::atom_constant<caf::atom("pr_refresh")>;

struct products_state {
  exchange::rest_endpoint ep;
  product_cache cache;
  std::vector<caf::actor> subscribers;
  std::uint64_t generation = 0;
  std::chrono::milliseconds period{};
  static inline const char* name = names::products;
};

using self_ptr = caf::stateful_actor<products_state>*;

void schedule(self_ptr self) {
  self->delayed_send(self, self->state.period, refresh_atom::value, ++self->state.generation);
}

/// Fetches the list, publishes changes, signals risk; the error when the fetch failed.
std::optional<exchange::exchange_error> refresh(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto r = st.ep.rest->products();
  if (!r) {
    spdlog::warn("products: refresh failed: {}", r.error().describe());
    return r.error();
  }
  auto now = st.ep.rest->now();
  bool had_degraded = st.cache.any_degraded();
  auto u = st.cache.replace(std::move(*r), now);
  for (auto& s : u.changed) {
    spdlog::warn("products: {} is now {}", s.product.value, to_string(s.state));
    for (auto& sub : st.subscribers)
      self->send(sub, s);
  }
  if (u.degraded_changed) {
    bool active = st.cache.any_degraded();
    if (active || had_degraded)
      reg.send(self, names::risk,
               gate_signal{gate_reason::product_degraded, active,
                           active ? "not online: " + st.cache.degraded_text() : "every product online", names::products,
                           now});
  }
  return std::nullopt;
}

bool fresh(self_ptr self) {
  auto& st = self->state;
  auto age = st.ep.rest->now() - st.cache.fetched();
  return !st.cache.empty() && age < std::chrono::duration_cast<std::chrono::nanoseconds>(st.period).count();
}

caf::behavior products_impl(self_ptr self, core::registry* reg, exchange::endpoint_options opts) {
  self->state.ep = exchange::make_rest_endpoint(self->system(), *reg, names::products, opts);
  self->state.period = opts.products_refresh;
  self->set_down_handler([=](const caf::down_msg& dm) {
    auto& subs = self->state.subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const caf::actor& a) { return a.address() == dm.source; }),
               subs.end());
  });
  self->send(self, refresh_atom::value, self->state.generation);  // first load right after start
  return {
    [=](refresh_atom, std::uint64_t gen) {
      if (gen != self->state.generation)
        return;  // superseded by a refresh on request
      refresh(self, *reg);
      schedule(self);
    },
    [=](const get_products& q) -> caf::result<product_list> {
      if (q.refresh || !fresh(self)) {
        if (auto err = refresh(self, *reg))
          return exchange::to_caf_error(*err);
        schedule(self);
      }
      return product_list{self->state.cache.all(), self->state.cache.fetched()};
    },
    [=](const get_product& q) -> caf::result<product_info> {
      auto id = exchange::canonical_product(q.product.value);
      if (!id)
        return trader::make_error(errc::invalid_argument, "get_product: " + id.error());
      if (!fresh(self)) {
        if (auto err = refresh(self, *reg))
          return exchange::to_caf_error(*err);
        schedule(self);
      }
      if (auto p = self->state.cache.find(*id))
        return *p;
      exchange::exchange_error e;
      e.kind = exchange::error_kind::not_found;
      e.endpoint = std::string(exchange::ep::products);
      e.http_status = 200;
      e.detail = id.value().value + " is not listed";
      return exchange::to_caf_error(e);
    },
    [=](const get_candles& q) -> caf::result<candle_list> {
      auto id = exchange::canonical_product(q.product.value);
      if (!id)
        return trader::make_error(errc::invalid_argument, "get_candles: " + id.error());
      auto r = self->state.ep.rest->candles(*id, q.granularity_s, q.count);
      if (!r)
        return exchange::to_caf_error(r.error());
      return candle_list{std::move(*r), self->state.ep.rest->now()};
    },
    [=](const subscribe_feed&) -> subscribed {
      auto sender = caf::actor_cast<caf::actor>(self->current_sender());
      if (sender) {
        self->monitor(sender);
        self->state.subscribers.push_back(sender);
      }
      subscribed out;
      for (auto& p : self->state.cache.all())
        out.products.push_back(p.product);
      return out;
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_products(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(products_impl, &reg, std::move(opts));
}

} // namespace trader::products

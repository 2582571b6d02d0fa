#include "actors/exchange/orders/orders_actor.hpp"

#include "actors/exchange/common/endpoint_support.hpp"
#include "actors/exchange/orders/tick_to_order.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::orders {

namespace {

struct orders_state {
  exchange::rest_endpoint ep;
  bool read_only = true;
  static inline const char* name = names::orders;
};

using self_ptr = caf::stateful_actor<orders_state>*;

/// The order with its product as the exchange names it (an operator's spelling is made
/// canonical; an id in the exchange's shape is kept, so WBTC-USD stays WBTC-USD), or why not.
caf::expected<create_order> canonical(create_order o) {
  auto c = exchange::requested_product(o.product.value);
  if (!c)
    return trader::make_error(errc::invalid_argument, "create_order " + o.id.value + ": " + c.error());
  o.product = *c;
  if (o.id.empty())
    return trader::make_error(errc::invalid_argument, "create_order: empty client_order_id");
  return o;
}

caf::result<order_ack> on_create(self_ptr self, core::registry& reg, const create_order& req) {
  if (self->state.read_only) {
    spdlog::warn("orders: create {} refused: read-only mode (DRY_RUN/PAPER or app.read_only)", req.id.value);
    return trader::make_error(errc::rejected, "create_order " + req.id.value + ": read-only mode, nothing is sent");
  }
  auto o = canonical(req);
  if (!o)
    return o.error();
  auto& rest = *self->state.ep.rest;
  std::function<void()> written;
  if (req.origin_mono > 0)  // caused by a frame: time it to the request on the socket
    written = [self, &reg, origin = req.origin_mono, path = req.origin_path] {
      auto& clock = system_time_source::instance();
      for (auto& s : tick_to_order_samples(origin, path, clock.mono_now(), clock.wall_now()))
        reg.send(self, names::latency, std::move(s));
    };
  auto r = rest.create(*o, std::move(written));
  if (r.ok()) {
    if (r->resolved_by_lookup)
      spdlog::warn("orders: create {} resolved by lookup: {}", o->id.value,
                   r->accepted     ? "placed as " + r->exchange_id.value
                   : r->not_placed ? std::string("not placed")
                                   : "refused: " + r->failure_reason);
    return std::move(*r);
  }
  auto& e = r.error();
  if (e.kind == exchange::error_kind::unresolved) {
    // The order may or may not exist: no new risk until a reconcile says which.
    spdlog::error("orders: create {} unresolved: {}", o->id.value, e.describe());
    reg.send(self, names::risk,
             gate_signal{gate_reason::order_timeout, true, "create " + o->id.value + ": " + e.describe(), names::orders,
                         rest.now(), o->product.value});
  }
  return exchange::to_caf_error(e);
}

caf::behavior orders_impl(self_ptr self, core::registry* reg, const exchange::endpoint_options& opts) {
  self->state.ep = exchange::make_rest_endpoint(self->system(), *reg, names::orders, opts);
  self->state.read_only = opts.read_only;
  return {
    [=](const create_order& o) -> caf::result<order_ack> { return on_create(self, *reg, o); },
    [=](const preview_order& p) -> caf::result<order_preview> {
      auto o = canonical(p.order);
      if (!o)
        return o.error();
      return exchange::reply(self->state.ep.rest->preview(*o));
    },
    [=](const cancel_orders& c) -> caf::result<cancel_results> {
      if (c.ids.empty())
        return cancel_results{};
      return exchange::reply(self->state.ep.rest->cancel(c.ids));
    },
    [=](const get_order& g) -> caf::result<order_update> {
      auto& rest = *self->state.ep.rest;
      if (!g.exchange_id.empty())
        return exchange::reply(rest.order_by_exchange_id(g.exchange_id));
      if (g.id.empty())
        return trader::make_error(errc::invalid_argument, "get_order: neither exchange_id nor client id");
      return exchange::reply(rest.order_by_client_id(g.id));
    },
    [=](const list_open_orders& l) -> caf::result<order_list> {
      product_id product;
      if (!l.product.empty()) {
        auto c = exchange::requested_product(l.product.value);
        if (!c)
          return trader::make_error(errc::invalid_argument, "list_open_orders: " + c.error());
        product = *c;
      }
      auto& rest = *self->state.ep.rest;
      auto r = rest.open_orders(product, l.for_cancel ? call_priority::cancel : call_priority::data);
      if (!r)
        return exchange::to_caf_error(r.error());
      return order_list{std::move(*r), rest.now(), static_cast<std::uint32_t>(rest.last_skipped())};
    },
    [=](const list_recent_orders& l) -> caf::result<order_list> {
      product_id product;
      if (!l.product.empty()) {
        auto c = exchange::requested_product(l.product.value);
        if (!c)
          return trader::make_error(errc::invalid_argument, "list_recent_orders: " + c.error());
        product = *c;
      }
      auto& rest = *self->state.ep.rest;
      auto r = rest.recent_orders(l.since, product);
      if (!r)
        return exchange::to_caf_error(r.error());
      return order_list{std::move(*r), rest.now(), static_cast<std::uint32_t>(rest.last_skipped())};
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_orders(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(orders_impl, &reg, std::move(opts));
}

} // namespace trader::orders

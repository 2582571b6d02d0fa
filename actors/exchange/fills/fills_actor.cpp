#include "actors/exchange/fills/fills_actor.hpp"

#include "actors/exchange/common/endpoint_support.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <caf/all.hpp>

namespace trader::fills {

namespace {

struct fills_state {
  exchange::rest_endpoint ep;
  static inline const char* name = names::fills;
};

caf::behavior fills_impl(caf::stateful_actor<fills_state>* self, core::registry* reg,
                         const exchange::endpoint_options& opts) {
  self->state.ep = exchange::make_rest_endpoint(self->system(), *reg, names::fills, opts);
  return {
    [=](const get_fills& q) -> caf::result<fill_list> {
      product_id product;
      if (!q.product.empty()) {
        auto c = exchange::requested_product(q.product.value);
        if (!c)
          return trader::make_error(errc::invalid_argument, "get_fills: " + c.error());
        product = *c;
      }
      auto& rest = *self->state.ep.rest;
      auto r = rest.fills(q.since, q.order, product);
      if (!r)
        return exchange::to_caf_error(r.error());
      return fill_list{std::move(*r), rest.now(), static_cast<std::uint32_t>(rest.last_skipped())};
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_fills(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(fills_impl, &reg, std::move(opts));
}

} // namespace trader::fills

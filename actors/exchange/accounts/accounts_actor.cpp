#include "actors/exchange/accounts/accounts_actor.hpp"

#include "actors/exchange/common/endpoint_support.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

namespace trader::accounts {

namespace {

struct accounts_state {
  exchange::rest_endpoint ep;
  static inline const char* name = names::accounts;
};

caf::behavior accounts_impl(caf::stateful_actor<accounts_state>* self, core::registry* reg,
                            const exchange::endpoint_options& opts) {
  self->state.ep = exchange::make_rest_endpoint(self->system(), *reg, names::accounts, opts);
  return {
    [=](get_balances) -> caf::result<balance_list> {
      auto& rest = *self->state.ep.rest;
      auto r = rest.balances();
      if (!r)
        return exchange::to_caf_error(r.error());
      return balance_list{std::move(*r), rest.now()};
    },
    [=](get_fee_tier) -> caf::result<fee_tier> { return exchange::reply(self->state.ep.rest->fee_tier_now()); },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_accounts(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(accounts_impl, &reg, std::move(opts));
}

} // namespace trader::accounts

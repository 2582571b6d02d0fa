#include "actors/exchange/products/products_actor.hpp"

#include "actors/exchange/common/endpoint_support.hpp"
#include "actors/exchange/products/product_cache.hpp"
#include "actors/exchange/products/products_stats.hpp"
#include "actors/exchange/products/refresh_plan.hpp"
#include "actors/exchange/products/products_stats.hpp"
#include "actors/exchange/products/refresh_plan.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/subscribers.hpp"
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
  core::subscribers subscribers;
  std::uint64_t generation = 0;
  std::uint32_t skipped = 0;  ///< listed products the last refresh could not represent
  std::chrono::milliseconds period{};
  std::unique_ptr<refresh_plan> plan;
  refresh_plan::next next;               ///< when the next timer refresh is due
  std::unique_ptr<products_stats> stats;  ///< null without a metrics registry
  core::gate_reporter gate{names::products};  ///< product_degraded while any product is not online
  static inline const char* name = names::products;
};

using self_ptr = caf::stateful_actor<products_state>*;

void schedule(self_ptr self) {
  self->delayed_send(self, self->state.next.delay, refresh_atom::value, ++self->state.generation);
}

/// A refresh ended: when the next one is due (sooner after a failure or an unconfirmed
/// status change), counted and logged; a failure schedules it at once.
void plan_next(self_ptr self, bool ok) {
  auto& st = self->state;
  st.next = st.plan->after_refresh(ok, st.cache);
  if (st.stats) {
    st.stats->refresh_failures.Increment(ok ? 0 : 1);
    st.stats->refresh_retries.Increment(st.next.retry ? 1 : 0);
    st.stats->unconfirmed.Set(static_cast<double>(st.plan->unconfirmed()));
  }
  if (st.next.retry)
    spdlog::warn("products: {}; refreshing again in {} ms", st.next.why, st.next.delay.count());
  if (!ok)
    schedule(self);
}

/// Fetches the list, publishes changes, signals risk; the error when the fetch failed.
std::optional<exchange::exchange_error> refresh(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto r = st.ep.rest->products();
  if (!r) {
    spdlog::warn("products: refresh failed: {}", r.error().describe());
    plan_next(self, false);
    return r.error();
  }
  auto now = st.ep.rest->now();
  st.skipped = static_cast<std::uint32_t>(st.ep.rest->last_skipped());
  auto u = st.cache.replace(std::move(*r), now);
  for (auto& s : u.changed) {
    spdlog::warn("products: {} is now {}", s.product.value, to_string(s.state));
    st.subscribers.publish(self, s);
  }
  if (u.degraded_changed) {
    bool active = st.cache.any_degraded();
    if (st.gate.update(gate_reason::product_degraded, active, active ? "not online: " + st.cache.degraded_text() : ""))
      core::report_gate(self, reg, st.gate, now);
  }
  plan_next(self, true);
  return std::nullopt;
}

bool fresh(self_ptr self) {
  auto& st = self->state;
  auto age = st.ep.rest->now() - st.cache.fetched();
  return !st.cache.empty() && age < std::chrono::duration_cast<std::chrono::nanoseconds>(st.period).count();
}

caf::behavior products_impl(self_ptr self, core::registry* reg, const exchange::endpoint_options& opts) {
  self->state.ep = exchange::make_rest_endpoint(self->system(), *reg, names::products, opts);
  self->state.period = opts.products_refresh;
  self->state.plan = std::make_unique<refresh_plan>(opts.products_refresh, opts.products_recovery);
  self->state.next.delay = opts.products_refresh;
  if (opts.metrics)
    self->state.stats = std::make_unique<products_stats>(metrics::actor_metrics(*opts.metrics, names::products));
  self->state.plan = std::make_unique<refresh_plan>(opts.products_refresh, opts.products_recovery);
  self->state.next.delay = opts.products_refresh;
  if (opts.metrics)
    self->state.stats = std::make_unique<products_stats>(metrics::actor_metrics(*opts.metrics, names::products));
  self->state.subscribers.remove_on_down(self);
  self->send(self, refresh_atom::value, self->state.generation);  // first load right after start
  core::start_gate_reassert(self);
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
      return product_list{self->state.cache.all(), self->state.cache.fetched(), self->state.skipped};
    },
    [=](const get_product& q) -> caf::result<product_info> {
      // The id as the exchange lists it first (WBTC-USD is not BTC-USD), then an operator's
      // spelling of it (btc/usd, XBT-USD).
      auto listed = exchange::product_from_exchange(q.product.value);
      auto spelled = exchange::canonical_product(q.product.value);
      if (!listed && !spelled)
        return trader::make_error(errc::invalid_argument, "get_product: " + spelled.error());
      if (!fresh(self)) {
        if (auto err = refresh(self, *reg))
          return exchange::to_caf_error(*err);
        schedule(self);
      }
      for (const auto* id : {&listed, &spelled})
        if (*id)
          if (auto p = self->state.cache.find(**id))
            return *p;
      exchange::exchange_error e;
      e.kind = exchange::error_kind::not_found;
      e.endpoint = std::string(exchange::ep::products);
      e.http_status = 200;
      e.detail = (listed ? *listed : *spelled).value + " is not listed";
      return exchange::to_caf_error(e);
    },
    [=](const get_candles& q) -> caf::result<candle_list> {
      auto id = exchange::requested_product(q.product.value);
      if (!id)
        return trader::make_error(errc::invalid_argument, "get_candles: " + id.error());
      auto r = self->state.ep.rest->candles(*id, q.granularity_s, q.count, q.end_s);
      if (!r)
        return exchange::to_caf_error(r.error());
      return candle_list{std::move(*r), self->state.ep.rest->now()};
    },
    [=](const subscribe_feed&) -> subscribed {
      self->state.subscribers.add_sender(self);
      subscribed out;
      for (auto& p : self->state.cache.all())
        out.products.push_back(p.product);
      return out;
    },
    [=](const product_status& s) {
      // market_data's status channel saw a change: re-read now if the catalogue disagrees
      // (and again on the backoff while it still does), so product_degraded follows promptly.
      if (!self->state.plan->hint(s.product, s.state, self->state.cache))
        return;
      spdlog::info("products: the status channel says {} is {}; re-reading the catalogue", s.product.value,
                   to_string(s.state));
      if (!refresh(self, *reg))
        schedule(self);
    },
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [] { return system_time_source::instance().wall_now(); }),
  };
}

} // namespace

caf::actor spawn_products(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(products_impl, &reg, std::move(opts));
}

} // namespace trader::products

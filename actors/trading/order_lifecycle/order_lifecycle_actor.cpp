#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "actors/trading/order_lifecycle/utc_buckets.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <set>

namespace trader::order_lifecycle {

namespace {

using namespace detail;

caf::behavior ol_impl(self_ptr self, core::registry* reg, actor_options opts) {
  auto& st = self->state;
  st.reg = reg;
  st.opts = std::move(opts);
  st.book = std::make_unique<lifecycle_book>(st.opts.book);
  if (st.opts.metrics)
    st.metrics = std::make_unique<lifecycle_metrics>(*st.opts.metrics);
  st.started = now_of(self);
  if (st.opts.venue)
    st.venue = st.opts.venue(self);
  start_shadow(self);
  std::string why;
  auto orders = st.opts.store->orders(&why);
  auto fills = orders ? st.opts.store->fills(&why) : std::nullopt;
  if (!orders || !fills) {
    spdlog::error("order_lifecycle: cannot read orders and fills from the store ({}): starting empty; the gate "
                  "holds state_unavailable",
                  why);
  } else {
    auto problems = st.book->restore(*orders, *fills);
    if (!problems.empty())
      spdlog::error("order_lifecycle: restoring the ledger: {}", problems);
    std::size_t recovering = 0;
    for (auto& [id, o] : st.book->orders())
      recovering += o.recovering ? 1 : 0;
    spdlog::info("order_lifecycle: {} mode, {} orders in the store, {} live, {} to resolve by client order id, {} fills "
                 "replayed, next sequence {}",
                 st.opts.book.mode, orders->size(), st.book->orders().size(), recovering, fills->size(),
                 st.book->ids().next_sequence());
  }
  st.balances = balance_reconciler{st.opts.balance_tolerance, st.opts.quote_currency};
  if (auto text = st.opts.store->balance_baseline(st.opts.book.mode, &why)) {
    if (auto base = decode_baseline(*text)) {
      st.balances.restore(std::move(*base));
      st.baseline_ok = true;
    } else {
      spdlog::error("order_lifecycle: the stored balance baseline of {} is malformed: balances cannot agree",
                    st.opts.book.mode);
    }
  } else {
    spdlog::error("order_lifecycle: cannot read the balance baseline ({}): balances cannot agree", why);
  }
  update_order_gauge(self);
  publish_portfolio(self);
  self->set_down_handler([=](const caf::down_msg& dm) {
    if (dm.source == self->state.user_stream)
      self->state.user_stream = nullptr;  // resubscribe on the next tick
  });
  refresh_gate(self, {});
  subscribe_user_stream(self);
  if (st.opts.book.send_orders) {
    // Nothing is trusted before the first reconcile agrees with the exchange.
    st.gate_source.set(gate_reason::reconcile_pending, "waiting for the first reconcile");
    core::report_gate(self, *reg, st.gate_source, now_of(self));
    start_reconcile(self);
  } else {
    st.reconciled = true;  // DRY_RUN: nothing of ours is at the exchange
  }
  core::start_gate_reassert(self);
  self->delayed_send(self, st.opts.tick, ol_tick_atom::value);
  return {
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate_source; },
                              [self] { return now_of(self); }),
    [=](const order_intent& in) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      refresh_gate(self, [=]() mutable { admit(self, in, rp); });
      return rp;
    },
    [=](const order_update& u) {
      auto c = self->state.book->on_update(u, now_of(self));
      if (!c.known)
        report_unknown(self, u, "user_stream");
      apply_change(self, c, "user_stream");
    },
    [=](const fill& f) { on_fill(self, f, "user_stream"); },
    [=](const cancel_all& c) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      cancel_all_orders(self, c.reason, rp);
      return rp;
    },
    [=](const cancel_order& c) { cancel_one(self, c); },
    [=](const flatten_positions& f) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      flatten(self, f, rp);
      return rp;
    },
    [=](ol_orders_atom, bool open_only) -> std::string { return orders_json(self, open_only).dump(); },
    [=](ol_positions_atom) -> std::string { return positions_json(self).dump(); },
    [=](ol_pnl_atom) -> std::string { return pnl_json(self).dump(); },
    [=](ol_shadow_atom) -> std::string { return shadow_json(self).dump(); },
    [=](ol_shadow_atom, const fill& f) { shadow_intended(self, f); },
    [=](ol_balances_atom) -> std::string { return balances_json(self).dump(); },
    [=](ol_balances_atom, const std::string& currency, const std::string& reason) -> caf::result<std::string> {
      return request_rebase(self, currency, reason);
    },
    [=](get_portfolio) -> portfolio_update { return portfolio_of(self); },
    [=](ol_tick_atom) { on_tick(self); },
    [=](const subscribed&) {},
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_order_lifecycle(caf::actor_system& sys, core::registry& reg, actor_options opts) {
  if (!opts.store)
    opts.store = make_store_backend(nullptr, "no store given");
  if (opts.detached)
    return sys.spawn<caf::detached>(ol_impl, &reg, std::move(opts));
  return sys.spawn(ol_impl, &reg, std::move(opts));
}

} // namespace trader::order_lifecycle
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

using persistence::order_record;

void poll_fills(self_ptr self) {
  auto& st = self->state;
  auto since = st.book->newest_fill();
  since = since ? since - 600 * ns_per_s : st.started - 3600 * ns_per_s;
  self->request(fills_of(self), std::chrono::seconds(30), get_fills{since, {}, {}})
    .then(
      [=](const fill_list& l) {
        for (auto& f : l.fills)
          on_fill(self, f, "fills_poll");
      },
      [=](caf::error& e) { spdlog::debug("order_lifecycle: fills poll failed: {}", describe(e)); });
}

/// Re-reads the exchange's open orders: each one we track is applied as an update; a tracked
/// live order missing from the list is looked up (it filled, was cancelled or expired).
void refresh_open(self_ptr self) {
  self->request(orders_of(self), std::chrono::seconds(30), list_open_orders{})
    .then(
      [=](const order_list& l) {
        auto& st = self->state;
        std::set<std::string> seen;
        for (auto& u : l.orders) {
          seen.insert(u.exchange_id.value);
          auto c = st.book->on_update(u, now_of(self));
          if (!c.known)
            report_unknown(self, u, "open_orders");
          apply_change(self, c, "open_orders");
        }
        std::vector<client_order_id> missing;
        for (auto& [id, o] : st.book->orders())
          if (!o.in_flight && !o.rec.exchange_id.empty() && !seen.count(o.rec.exchange_id.value))
            missing.push_back(o.rec.id);
        for (auto& id : missing)
          resolve(self, id);
      },
      [=](caf::error& e) { spdlog::debug("order_lifecycle: open orders re-read failed: {}", describe(e)); });
}

void subscribe_user_stream(self_ptr self) {
  auto us = self->state.reg->get(names::user_stream);
  if (!us || us == self->state.user_stream)
    return;
  self->request(us, std::chrono::seconds(5), subscribe_feed{{}})
    .then(
      [=](const subscribed&) {
        self->state.user_stream = us;
        self->monitor(us);
      },
      [=](caf::error&) {});
}

void refresh_products(self_ptr self) {
  auto& st = self->state;
  constexpr ts_ns every = 600 * ns_per_s;
  auto p = st.reg->get(names::products);
  if (!p || st.asking_products || (st.products_at != 0 && now_of(self) - st.products_at < every))
    return;
  st.asking_products = true;
  self->request(p, std::chrono::seconds(60), get_products{false})
    .then(
      [=](const product_list& l) {
        self->state.asking_products = false;
        self->state.products_at = now_of(self);
        self->state.book->set_base_increments(l.products);
      },
      [=](caf::error& e) {
        self->state.asking_products = false;
        spdlog::debug("order_lifecycle: product catalogue not read ({}); quote-sized fills round to 1e-8 until it is",
                      describe(e));
      });
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  ++st.ticks;
  auto now = now_of(self);
  refresh_gate(self, {});
  subscribe_user_stream(self);
  refresh_products(self);
  check_rejection_burst(self);
  if (st.opts.book.send_orders) {
    // Stale post-only orders.
    auto plan = st.book->stale(now);
    for (auto& c : plan.cancels) {
      auto* o = st.book->find(c.id);
      if (!o || o->rec.exchange_id.empty())
        continue;
      st.book->cancel_requested(c.id, now);
      spdlog::info("order_lifecycle: cancelling {}: {}", c.id.value, c.reason);
      auto id = c.id;
      auto reason = c.reason;
      self->request(orders_of(self), std::chrono::seconds(30), cancel_orders{{o->rec.exchange_id}, c.reason})
        .then(
          [=](const cancel_results& r) {
            for (auto& x : r.results)
              if (x.success)
                apply_change(self, self->state.book->on_event(id, order_event::canceled, reason, now_of(self)), "ttl");
          },
          [=](caf::error& e) { spdlog::warn("order_lifecycle: stale cancel of {} failed: {}", id.value, describe(e)); });
    }
    // Intents in created/unknown (recovered at start, or a create whose outcome is unknown).
    std::vector<client_order_id> unresolved;
    for (auto& [id, o] : st.book->orders())
      if (!o.in_flight && (o.recovering || o.rec.status == persistence::order_status::unknown))
        unresolved.push_back(o.rec.id);
    for (auto& id : unresolved)
      resolve(self, id);
    bool live = !st.book->orders().empty();
    // Fills are polled every fills_poll_ticks while orders are live, six times less often otherwise.
    const std::int64_t fills_every = std::int64_t{st.opts.fills_poll_ticks} * (live ? 1 : 6);
    if (st.ticks % fills_every == 0)
      poll_fills(self);
    if (live && st.ticks % st.opts.refresh_ticks == 0)
      refresh_open(self);
    // Every reconcile_ticks; every 3 while the last one did not agree (the gate waits on it).
    auto every = st.reconciled ? st.opts.reconcile_ticks : std::min(st.opts.reconcile_ticks, 3);
    if (every > 0 && st.ticks - st.last_reconcile_tick >= every)
      start_reconcile(self);
  }
  self->delayed_send(self, st.opts.tick, ol_tick_atom::value);
}
} // namespace trader::order_lifecycle::detail

// Reconcile (docs/orders.md "Reconcile"): at start and every reconcile_ticks, the exchange
// (the paper venue in PAPER) is the truth for orders, fills and the quote balance. Gathers
// open orders, recent fills and balances, looks up by client order id what the pure
// lookups_needed() names, lets reconcile() decide, and carries the plan out: resolutions and
// failures through the state machine (persisted), new fills through the one ledger path,
// unknown open orders cancelled or left per policy, every difference in the
// reconcile_mismatch alert. The gate holds reconcile_pending (this actor's gate condition)
// until a reconcile agrees.
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "actors/trading/order_lifecycle/reconcile.hpp"
#include "messages/ops.hpp"
#include "runtime/core/gate_reporter.hpp"

#include <set>
#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

namespace {

/// What one reconcile gathered so far.
struct run {
  exchange_view view;
  std::vector<local_order> local;
  std::optional<balance_list> balances;
  std::string errors;     ///< Reads that failed: the reconcile cannot agree.
  std::string recent_error;  ///< The recent-orders read failed: matters only when something is looked up.
  int waiting = 0;        ///< Replies still expected.
  bool lookups_sent = false;
  std::size_t looked_up = 0;  ///< Client order ids looked up (each cross-checked against recent orders).
};
using run_ptr = std::shared_ptr<run>;

exchange_order to_exchange(const order_update& u, self_ptr self) {
  exchange_order e;
  e.id = u.exchange_id;
  e.client_id = u.id;
  e.product = u.product;
  e.state = u.state;
  e.filled = u.filled_size;
  e.limit_px = u.limit_px;
  // The side and the ordered size as the exchange reports them; a source that does not say
  // (dir_known false) is compared on product and exchange id only, and takes our size.
  e.dir = u.dir;
  e.dir_known = u.dir_known;
  e.ordered = u.ordered_size;
  const tracked_order* o = self->state.book->find(u.id);
  if (!o)
    o = self->state.book->find_exchange(u.exchange_id);
  if (o && e.ordered.units <= 0)
    e.ordered = o->rec.qty;
  return e;
}

std::vector<local_order> local_of(self_ptr self) {
  std::vector<local_order> out;
  for (auto& [id, o] : self->state.book->orders()) {
    if (o.in_flight || o.recovering)
      continue;  // a create is out, or the tick's recovery owns it (never re-sent under a new id)
    local_order l;
    l.id = o.rec.id;
    l.exchange_id = o.rec.exchange_id;
    l.product = o.rec.product;
    l.dir = to_side(o.rec.side);
    l.state = to_state(o.rec.status);
    l.ordered = o.rec.qty;
    l.filled = o.rec.filled_qty;
    l.updated_at = o.rec.updated_at;
    out.push_back(std::move(l));
  }
  return out;
}

void finish(self_ptr self, const run_ptr& r);

void one_done(self_ptr self, const run_ptr& r) {
  if (--r->waiting > 0)
    return;
  if (!r->lookups_sent) {
    r->lookups_sent = true;
    r->local = local_of(self);
    auto ids = lookups_needed(r->local, r->view.open_orders);
    r->looked_up = ids.size();
    if (!ids.empty()) {
      // The recent-orders list (it carries client_order_id) cross-checks the by-client-id
      // lookups, whose behaviour at Coinbase is undocumented: read only when something is
      // looked up (it shares the list endpoint's rate limit with the open-order reads), from
      // the oldest order looked up (or an hour ago) minus a margin.
      ts_ns oldest = now_of(self) - 3600 * ns_per_s;
      for (auto& id : ids)
        if (auto* o = self->state.book->find(id))
          oldest = std::min(oldest, o->rec.created_at);
      ++r->waiting;
      self->request(orders_of(self), std::chrono::seconds(30), list_recent_orders{oldest - 600 * ns_per_s, {}})
        .then(
          [=](const order_list& l) {
            for (auto& u : l.orders)
              r->view.recent_orders.push_back(to_exchange(u, self));
            if (l.skipped)
              r->recent_error = "recent orders: list incomplete, skipped=" + std::to_string(l.skipped) + "; ";
            one_done(self, r);
          },
          [=](caf::error& e) {
            r->recent_error = "recent orders: " + describe(e) + "; ";
            one_done(self, r);
          });
    }
    for (auto& id : ids) {
      auto* o = self->state.book->find(id);
      if (!o)
        continue;
      ++r->waiting;
      self->request(orders_of(self), std::chrono::seconds(30), get_order{o->rec.exchange_id, id})
        .then(
          [=](const order_update& u) {
            r->view.found_by_client_id.push_back(to_exchange(u, self));
            one_done(self, r);
          },
          [=](caf::error& e) {
            auto why = describe(e);
            if (why.find("not_found") == std::string::npos)
              r->errors += "lookup " + id.value + ": " + why + "; ";
            one_done(self, r);
          });
    }
    if (r->waiting > 0)
      return;
  }
  finish(self, r);
}

/// Makes the unknown open orders the policy adopts ours: written to the store, then tracked.
void adopt_orders(self_ptr self, const std::vector<exchange_order>& orders, ts_ns now) {
  auto& st = self->state;
  for (auto& e : orders) {
    auto o = st.book->adoption(e, now);
    if (!o)
      continue;
    auto out = st.opts.store->write_ahead(o->rec);
    if (!out.ok) {
      spdlog::error("order_lifecycle: adopting {} failed, the store refused it: {}", e.id.value, out.error);
      continue;
    }
    st.book->adopt(*o);
    spdlog::warn("order_lifecycle: adopted exchange order {} as {} ({} {} {} filled {})", e.id.value, o->rec.id.value,
                 e.product.value, to_string(e.dir), to_string(e.ordered), to_string(e.filled));
    auto j = order_json(o->rec);
    j["source"] = "reconcile";
    audit(self, "order_adopted", j);
  }
  update_order_gauge(self);
}

/// The base balances against the ledger's positions (balance_check.hpp): the baseline of
/// never-traded currencies follows their balance and is persisted when it changes. Without
/// balances, or without a readable or durable baseline, nothing agrees (fail closed).
balance_report check_balances(self_ptr self, const run_ptr& r) {
  auto& st = self->state;
  balance_report out;
  if (!r->balances)
    return out;  // the read failed: r->errors says so
  if (!st.baseline_ok) {
    r->errors += "balances: the stored baseline could not be read; ";
    return out;
  }
  std::set<std::string> ordered;  // an order fixes its currency's baseline (a fill may be in flight)
  for (auto& [id, o] : st.book->orders())
    ordered.insert(o.rec.product.value);
  out = st.balances.check(st.book->book().positions(), r->balances->balances, ordered);
  for (auto& a : out.adopted)
    spdlog::warn("order_lifecycle: balance baseline adopted for a currency traded without one: {}", a);
  for (auto& a : out.rebased) {
    spdlog::warn("order_lifecycle: balance re-based by the operator: {}", a);
    audit(self, "balance_rebase", json{{"applied", a}});
  }
  for (auto& a : out.rebase_dropped) {
    spdlog::info("order_lifecycle: balance re-base dropped: {}", a);
    audit(self, "balance_rebase", json{{"dropped", a}});
  }
  note_balances(self, out);
  if (out.baseline_changed) {
    auto put = st.opts.store->put_balance_baseline(st.opts.book.mode, encode_baseline(st.balances.baseline()));
    if (!put.ok) {
      spdlog::error("order_lifecycle: storing the balance baseline failed: {}", put.error);
      r->errors += "balances: storing the baseline failed: " + put.error + "; ";
    }
  }
  return out;
}

void finish(self_ptr self, const run_ptr& r) {
  auto& st = self->state;
  st.reconciling = false;
  auto now = now_of(self);
  if (!r->recent_error.empty() && r->looked_up > 0)
    r->errors += r->recent_error;  // a lookup without its cross-check decides nothing
  reconcile_policy policy;
  policy.on_unknown = st.opts.on_unknown_order;
  policy.venue_forgets_open_orders = static_cast<bool>(st.opts.venue);  // PAPER
  auto plan = reconcile(r->local, r->view, now, policy, [&](const trade_id& t) { return st.book->booked(t); });
  for (auto& res : plan.resolve) {
    auto* o = st.book->find(res.id);
    if (!o)
      continue;
    order_update u;
    u.id = res.id;
    u.exchange_id = res.exchange_id;
    u.product = o->rec.product;
    u.state = res.to;
    u.filled_size = res.filled;
    u.ts_event = now;
    apply_change(self, st.book->on_update(u, now), "reconcile");
  }
  for (auto& id : plan.mark_failed)
    apply_change(self,
                 st.book->on_event(id, order_event::not_placed, "NOT_PLACED: reconcile found no order by client order id",
                                   now),
                 "reconcile");
  for (auto& f : plan.apply_fills)
    on_fill(self, f, "reconcile");
  if (!plan.adopt.empty())
    adopt_orders(self, plan.adopt, now);
  if (!plan.cancel.empty()) {
    std::vector<exchange_order_id> ids;
    for (auto& o : plan.cancel)
      ids.push_back(o.id);
    spdlog::warn("order_lifecycle: reconcile cancels {} open order(s) this daemon does not know (policy cancel)",
                 ids.size());
    self->request(orders_of(self), std::chrono::seconds(60), cancel_orders{ids, "reconcile: unknown order"})
      .then([](const cancel_results&) {},
            [](caf::error& e) { spdlog::warn("order_lifecycle: reconcile cancel failed: {}", describe(e)); });
  }
  // Quote cash: the exchange's balance (available + on hold) is the truth; base balances
  // against the ledger's positions (after the fills above are booked).
  auto balances = check_balances(self, r);
  if (r->balances) {
    for (auto& b : r->balances->balances)
      if (b.currency == st.opts.quote_currency)
        st.book->book_mut().set_cash(b.available + b.hold);
  }
  // An order whose outcome is unknown keeps the gate closed; an intent written ahead and not
  // found at the exchange agrees with it (nothing is there) and is re-sent under its id by
  // the tick once the gate allows.
  bool recovering = false;
  for (auto& [id, o] : st.book->orders())
    recovering = recovering || o.rec.status == persistence::order_status::unknown;
  bool agreed = plan.agreed() && r->errors.empty() && !recovering && balances.agreed();
  ++st.reconciles;
  std::string detail;
  for (auto& m : plan.mismatches)
    detail += std::string{to_string(m.kind)} + " " + m.id + ": " + m.detail + "\n";
  std::size_t balance_mismatches = 0;
  for (auto& d : balances.differences) {
    detail += std::string{d.confirmed ? "balance_mismatch " : "balance_difference (unconfirmed) "} + d.describe() + "\n";
    balance_mismatches += d.confirmed ? 1 : 0;
  }
  if (!r->errors.empty())
    detail += "exchange reads failed: " + r->errors + "\n";
  if (recovering)
    detail += "orders whose outcome is unknown are still resolving by client order id\n";
  json j{{"agreed", agreed},
         {"resolved", plan.resolve.size()},
         {"marked_failed", plan.mark_failed.size()},
         {"fills_applied", plan.apply_fills.size()},
         {"cancelled_unknown", plan.cancel.size()},
         {"adopted_unknown", plan.adopt.size()},
         {"lookup_again", plan.lookup_again.size()},
         {"mismatches", plan.mismatches.size() + balance_mismatches},
         {"balance_differences", balances.differences.size()},
         {"detail", detail}};
  st.last_reconcile = j;
  st.last_reconcile["at"] = now;
  if (!plan.mismatches.empty() || !agreed)
    audit(self, "reconcile", j);
  const std::size_t mismatches = plan.mismatches.size() + balance_mismatches;
  if (mismatches > 0) {
    ++st.reconcile_mismatches;
    spdlog::error("order_lifecycle: reconcile mismatch:\n{}", detail);
    st.reg->send(self, names::alerting,
                 alert{"reconcile_mismatch", severity::critical, "reconcile_mismatch:order_lifecycle",
                       std::to_string(mismatches) + " difference(s) between local state and the exchange",
                       detail, names::order_lifecycle, false, now});
    st.mismatch_alerted = true;
  } else if (st.mismatch_alerted && balances.agreed()) {
    st.mismatch_alerted = false;
    st.reg->send(self, names::alerting,
                 alert{"reconcile_mismatch", severity::critical, "reconcile_mismatch:order_lifecycle",
                       "local state and the exchange agree again", "", names::order_lifecycle, true, now});
  }
  bool gate_changed_now = st.gate_source.update(gate_reason::reconcile_pending, !agreed,
                                                agreed ? std::string{} : "reconcile: " + detail.substr(0, 400));
  if (gate_changed_now)
    core::report_gate(self, *st.reg, st.gate_source, now);
  if (agreed != st.reconciled) {
    st.reconciled = agreed;
    spdlog::info("order_lifecycle: reconcile {}", agreed ? "agrees with the exchange" : "disagrees with the exchange");
  }
  publish_portfolio(self);
}

} // namespace

void start_reconcile(self_ptr self) {
  auto& st = self->state;
  if (st.reconciling)
    return;
  st.reconciling = true;
  st.last_reconcile_tick = st.ticks;
  auto r = std::make_shared<run>();
  r->waiting = 3;
  self->request(orders_of(self), std::chrono::seconds(30), list_open_orders{})
    .then(
      [=](const order_list& l) {
        for (auto& u : l.orders)
          r->view.open_orders.push_back(to_exchange(u, self));
        if (l.skipped)
          r->errors += "open orders: list incomplete, skipped=" + std::to_string(l.skipped) + "; ";
        one_done(self, r);
      },
      [=](caf::error& e) {
        r->errors += "open orders: " + describe(e) + "; ";
        one_done(self, r);
      });
  auto since = st.book->newest_fill();
  since = since ? since - 600 * ns_per_s : st.started - std::int64_t{24} * 3600 * ns_per_s;
  self->request(fills_of(self), std::chrono::seconds(30), get_fills{since, {}, {}})
    .then(
      [=](const fill_list& l) {
        r->view.recent_fills = l.fills;
        if (l.skipped)
          r->errors += "fills: list incomplete, skipped=" + std::to_string(l.skipped) + "; ";
        one_done(self, r);
      },
      [=](caf::error& e) {
        r->errors += "fills: " + describe(e) + "; ";
        one_done(self, r);
      });
  auto accounts = st.venue ? st.venue : st.reg->get(names::accounts);
  self->request(accounts, std::chrono::seconds(30), get_balances{})
    .then(
      [=](const balance_list& b) {
        r->balances = b;
        one_done(self, r);
      },
      [=](caf::error& e) {
        // Without balances the positions cannot be checked: the reconcile cannot agree.
        r->errors += "balances: " + describe(e) + "; ";
        one_done(self, r);
      });
}

} // namespace trader::order_lifecycle::detail

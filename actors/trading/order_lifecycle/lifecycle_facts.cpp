#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "messages/ops.hpp"

#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

using persistence::order_record;

namespace {

/// The unknown_order alert (WARNING), once per order: a fact about an order this daemon
/// does not track came from the exchange.
void alert_unknown(self_ptr self, const std::string& key, std::string title, std::string detail) {
  self->state.reg->send(self, names::alerting,
                        alert{"unknown_order", severity::warning, "unknown_order:" + key, std::move(title),
                              std::move(detail), names::order_lifecycle, false, now_of(self)});
}

/// The order_refused alert (WARNING), once per order and refusal kind: the exchange reported
/// something the state machine cannot accept (backwards, decreased fill, overfill); the order
/// is re-read from the exchange. Resolved by nothing but time: the reconcile is the backstop.
void alert_refused(self_ptr self, const std::string& id, const std::string& why, const char* source) {
  auto kind = reason_label(why);
  if (!self->state.refused_alerted.insert(id + "/" + kind).second)
    return;
  self->state.reg->send(self, names::alerting,
                        alert{"order_refused", severity::warning, "order_refused:" + id + ":" + kind,
                              "order " + id + ": update refused (" + kind + ")", why + " source=" + source,
                              names::order_lifecycle, false, now_of(self)});
}

} // namespace

/// An update for an order the actor does not track (placed by hand, by another client, or
/// lost with the store): never dropped silently — logged, audited and alerted (unknown_order)
/// once per exchange id; an open one starts a reconcile at once, which adopts, cancels or
/// only reports it per execution.unknown_order_policy (and raises reconcile_mismatch). Late
/// updates of an order this actor finished recently are its own and only logged at debug.
void report_unknown(self_ptr self, const order_update& u, const char* source) {
  auto& st = self->state;
  if (st.book->finished_recently(u.id, u.exchange_id)) {
    spdlog::debug("order_lifecycle: {} late update of finished order {} ({})", source, u.id.value, to_string(u.state));
    return;
  }
  auto key = u.exchange_id.empty() ? u.id.value : u.exchange_id.value;
  if (key.empty() || !st.unknown_reported.insert(key).second)
    return;
  spdlog::warn("order_lifecycle: {} update for an order not tracked: exchange id {} client id '{}' state {}", source,
               u.exchange_id.value, u.id.value, to_string(u.state));
  audit(self, "order_unknown",
        json{{"exchange_order_id", u.exchange_id.value},
             {"client_order_id", u.id.value},
             {"product", u.product.value},
             {"state", std::string{to_string(u.state)}},
             {"source", source},
             {"policy", std::string{to_string(st.opts.on_unknown_order)}}});
  bool open = u.state == order_state::open || u.state == order_state::partially_filled;
  std::string detail = "exchange_order_id=" + u.exchange_id.value + " client_order_id=" + u.id.value +
                       " product=" + u.product.value + " source=" + source;
  if (open)
    detail += " policy=" + std::string{to_string(st.opts.on_unknown_order)} + " (reconcile applies it)";
  alert_unknown(self, key, "update for an order not tracked (" + std::string{to_string(u.state)} + ")",
                std::move(detail));
  if (open && st.opts.book.send_orders)
    start_reconcile(self);
}

/// Persists a planned order change, then makes it the tracked state. Refusals are logged,
/// counted and audited; an update for an order we do not track is logged and audited.
void apply_change(self_ptr self, const lifecycle_book::order_change& c, const char* source) {
  auto& st = self->state;
  if (!c.known)
    return;
  if (c.why != refusal::none) {
    ++st.refused_updates;
    if (st.metrics)
      st.metrics->refused.Add({{"refusal", std::string{to_string(c.why)}}}).Increment();
    spdlog::warn("order_lifecycle: {} {} refused: {}", source, c.rec.id.value, c.reason);
    audit(self, "order_refused", json{{"client_order_id", c.rec.id.value}, {"source", source}, {"reason", c.reason}});
    alert_refused(self, c.rec.id.value, c.reason, source);
    // The exchange is the truth: re-read the order (not again for a re-read's own refusal).
    if (std::string_view{source} != "lookup" && st.opts.book.send_orders)
      resolve(self, c.rec.id);
    return;
  }
  if (!c.changed)
    return;
  bool fallback = taker_fallback_due(self, c, source);
  std::string strategy;
  if (auto* o = st.book->find(c.rec.id))
    strategy = o->strategy;
  auto out = st.opts.store->update_order(c.rec);
  if (!out.ok) {
    spdlog::error("order_lifecycle: persisting {} {} -> {} failed: {} (the state is not changed)", c.rec.id.value,
                  to_string(c.from), to_string(c.to), out.error);
    return;
  }
  st.book->commit(c, now_of(self));
  note_transition(self, c.from, c.to, c.rec);
  publish_portfolio(self);
  if (c.to == order_state::rejected)
    count_rejection(self, c.rec.last_error.empty() ? "REJECTED" : c.rec.last_error);
  auto j = order_json(c.rec);
  j["from"] = std::string{to_string(c.from)};
  j["source"] = source;
  audit(self, "order", j);
  spdlog::info("order_lifecycle: {} {} -> {} ({})", c.rec.id.value, to_string(c.from), to_string(c.to), source);
  update_order_gauge(self);
  if (fallback)
    taker_fallback(self, c.rec, strategy);
}

void on_fill(self_ptr self, const fill& f, const char* source) {
  auto& st = self->state;
  auto now = now_of(self);
  auto p = st.book->plan_fill(f, now);
  if (p.duplicate) {
    ++st.duplicate_fills;
    return;
  }
  if (!p.invalid.empty()) {
    spdlog::warn("order_lifecycle: fill {} refused: {}", f.trade.value, p.invalid);
    audit(self, "fill_refused", json{{"trade_id", f.trade.value}, {"reason", p.invalid}, {"source", source}});
    return;
  }
  auto out = st.opts.store->record_fill(p.commit);
  if (!out.ok) {
    spdlog::error("order_lifecycle: fill {} not booked, the store refused it: {}", f.trade.value, out.error);
    return;
  }
  if (out.duplicate) {  // stored before but no longer remembered by the ledger: already booked
    ++st.duplicate_fills;
    return;
  }
  auto fr = p.commit.fill;
  auto order_change = p.order;
  auto refused = p.order_refused;
  bool unknown = p.unknown_order;
  auto realized = p.commit.realized;
  st.book->commit_fill(std::move(p), now);
  shadow_actual(self, fr);
  publish_portfolio(self);
  if (st.metrics)
    st.metrics->fills.Add({}).Increment();
  audit(self, "fill",
        json{{"trade_id", fr.trade.value},
             {"client_order_id", fr.order.value},
             {"exchange_order_id", fr.exchange_order.value},
             {"product", fr.product.value},
             {"side", persistence::to_string(fr.side)},
             {"px", to_string(fr.px)},
             {"qty", to_string(fr.qty)},
             {"size_in_quote", f.size_in_quote},
             {"fee", to_string(fr.fee)},
             {"realized", to_string(realized)},
             {"source", source}});
  if (unknown) {
    spdlog::warn("order_lifecycle: fill {} of an order not tracked (exchange id {}): booked", fr.trade.value,
                 fr.exchange_order.value);
    auto key = fr.exchange_order.empty() ? fr.trade.value : fr.exchange_order.value;
    if (st.unknown_reported.insert(key).second)
      alert_unknown(self, key, "fill of an order not tracked (booked)",
                    "trade_id=" + fr.trade.value + " exchange_order_id=" + fr.exchange_order.value +
                      " product=" + fr.product.value + " side=" + persistence::to_string(fr.side) +
                      " qty=" + to_string(fr.qty) + " px=" + to_string(fr.px) + " source=" + source);
  }
  if (!refused.empty()) {
    ++st.refused_updates;
    if (st.metrics && order_change)
      st.metrics->refused.Add({{"refusal", std::string{to_string(order_change->why)}}}).Increment();
    spdlog::warn("order_lifecycle: fill {} booked, but its order refused it: {}", fr.trade.value, refused);
    audit(self, "order_refused", json{{"client_order_id", fr.order.value}, {"source", source}, {"reason", refused}});
    alert_refused(self, fr.order.value, refused, source);
    if (st.opts.book.send_orders && st.book->find(fr.order))
      resolve(self, fr.order);
  } else if (order_change && order_change->changed) {
    note_transition(self, order_change->from, order_change->to, order_change->rec);
    auto j = order_json(order_change->rec);
    j["from"] = std::string{to_string(order_change->from)};
    j["source"] = std::string{source} + " fill";
    audit(self, "order", j);
    update_order_gauge(self);
  }
}
} // namespace trader::order_lifecycle::detail

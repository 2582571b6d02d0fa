#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "actors/trading/order_lifecycle/utc_buckets.hpp"
#include "runtime/clock.hpp"

#include "messages/ops.hpp"

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <map>

namespace trader::order_lifecycle::detail {

using persistence::order_record;

lifecycle_metrics::lifecycle_metrics(prometheus::Registry& r)
    : fills(prometheus::BuildCounter().Name("trader_fills_total").Help("New fills booked (deduplicated by trade id).").Register(r)),
      orders(prometheus::BuildGauge().Name("trader_orders").Help("Orders order_lifecycle tracks, by state.").Register(r)),
      rejections(prometheus::BuildCounter()
                   .Name("trader_order_rejections_total")
                   .Help("Intents and orders refused: by the gate, validation, a failed write-ahead, or the exchange.")
                   .Register(r)),
      ack(prometheus::BuildHistogram()
            .Name("trader_order_ack_seconds")
            .Help("From sending a create to its answer.")
            .Register(r)
            .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90})),
      refused(prometheus::BuildCounter()
                .Name("trader_order_lifecycle_refused_updates_total")
                .Help("Order updates and fills the order state machine refused, by refusal.")
                .Register(r)),
      fill_ratio(prometheus::BuildGauge()
                   .Name("trader_fill_ratio")
                   .Help("Of the accepted orders that finished since start (filled, canceled, expired), the share that "
                         "filled at least in part.")
                   .Register(r)
                   .Add({})),
      shadow(prometheus::BuildGauge()
               .Name("trader_shadow")
               .Help("Shadow mode: orders compared, and the median slippage (bps, positive = worse), delay of the "
                     "first fill (ms) and mean size ratio of actual vs simulated fills.")
               .Register(r)) {}

std::string reason_label(const std::string& why) {
  std::string out;
  for (char c : why) {
    if ((c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'))
      out += c;
    else
      break;
  }
  if (out.empty() || out.size() > 40)
    return "OTHER";
  return out;
}

caf::actor orders_of(self_ptr self) {
  return self->state.venue ? self->state.venue : self->state.reg->get(names::orders);
}

caf::actor fills_of(self_ptr self) {
  return self->state.venue ? self->state.venue : self->state.reg->get(names::fills);
}

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

void audit(self_ptr self, const char* kind, json payload) {
  payload["mode"] = self->state.opts.book.mode;
  self->state.reg->send(self, names::audit, audit_entry{kind, names::order_lifecycle, payload.dump()});
}

void count_rejection(self_ptr self, const std::string& why) {
  if (self->state.metrics)
    self->state.metrics->rejections.Add({{"reason", reason_label(why)}}).Increment();
}

void update_order_gauge(self_ptr self) {
  if (!self->state.metrics)
    return;
  std::map<std::string, double> n;
  for (auto s : {order_state::created, order_state::unknown, order_state::open, order_state::partially_filled})
    n[std::string{to_string(s)}] = 0;
  for (auto& [id, o] : self->state.book->orders())
    n[std::string{to_string(to_state(o.rec.status))}] += 1;
  for (auto& [s, v] : n)
    self->state.metrics->orders.Add({{"state", s}}).Set(v);
}

json order_json(const order_record& r) {
  return json{{"client_order_id", r.id.value},
              {"exchange_order_id", r.exchange_id.value},
              {"product", r.product.value},
              {"side", persistence::to_string(r.side)},
              {"type", persistence::to_string(r.kind)},
              {"limit_px", to_string(r.limit_px)},
              {"qty", to_string(r.qty)},
              {"filled_qty", to_string(r.filled_qty)},
              {"state", persistence::to_string(r.status)},
              {"reduce_only", r.reduce_only},
              {"created_at", r.created_at ? format_rfc3339_ms(r.created_at) : ""},
              {"updated_at", r.updated_at ? format_rfc3339_ms(r.updated_at) : ""},
              {"last_error", r.last_error}};
}

json positions_json(self_ptr self) {
  auto arr = json::array();
  for (auto& [product, p] : self->state.book->book().positions()) {
    if (p.flat() && p.realized.is_zero())
      continue;
    arr.push_back(json{{"product", product},
                       {"qty", to_string(p.qty)},
                       {"avg_entry", to_string(p.avg_entry())},
                       {"cost", to_string(p.cost)},
                       {"realized", to_string(p.realized)},
                       {"fees", to_string(p.fees)},
                       {"updated_at", p.updated_at ? format_rfc3339_ms(p.updated_at) : ""}});
  }
  return json{{"positions", arr}, {"mode", self->state.opts.book.mode}};
}

json pnl_json(self_ptr self) {
  auto& l = self->state.book->book();
  auto now = now_of(self);
  auto bucket = [](const pnl_totals& t) {
    return json{{"realized", to_string(t.realized)}, {"fees", to_string(t.fees)}, {"fills", t.fills}};
  };
  return json{{"day", bucket(l.day(now))},
              {"day_key", day_bucket_key(now)},
              {"week", bucket(l.week(now))},
              {"week_key", week_bucket_key(now)},
              {"total", bucket(l.total())},
              {"cash", to_string(l.cash())},
              {"high_water", to_string(l.high_water())},
              {"mode", self->state.opts.book.mode}};
}

json orders_json(self_ptr self, bool open_only) {
  auto arr = json::array();
  if (open_only) {
    for (auto& [id, o] : self->state.book->orders())
      arr.push_back(order_json(o.rec));
  } else {
    std::string why;
    auto all = self->state.opts.store->orders(&why);
    if (!all)
      return json{{"error", why}};
    for (auto& r : *all)
      arr.push_back(order_json(r));
  }
  return json{{"orders", arr},
              {"mode", self->state.opts.book.mode},
              {"next_sequence", self->state.book->ids().next_sequence()},
              {"refused_updates", self->state.refused_updates},
              {"duplicate_fills", self->state.duplicate_fills},
              {"reconciled", self->state.reconciled},
              {"reconciles", self->state.reconciles},
              {"last_reconcile", self->state.last_reconcile}};
}

void note_transition(self_ptr self, order_state from, order_state to, const order_record& rec) {
  auto& st = self->state;
  auto now = now_of(self);
  if (to == order_state::rejected && from != order_state::rejected
      && st.burst.on_rejection(now) == rejection_burst::edge::raised) {
    spdlog::warn("order_lifecycle: order_rejection_burst: {} rejections within the window", st.burst.in_window());
    st.reg->send(self, names::alerting,
                 alert{"order_rejection_burst", severity::warning, "order_rejection_burst:order_lifecycle",
                       std::to_string(st.burst.in_window()) + " orders rejected by the exchange within 60 s",
                       "last: " + rec.id.value + " " + rec.last_error, names::order_lifecycle, false, now});
  }
  bool accepted_end = to == order_state::filled || to == order_state::canceled || to == order_state::expired;
  bool was_live = from == order_state::open || from == order_state::partially_filled || from == order_state::unknown
                  || from == order_state::created;
  if (!accepted_end || !was_live)
    return;
  ++st.orders_finished;
  if (rec.filled_qty.units > 0)
    ++st.orders_with_fills;
  if (st.metrics)
    st.metrics->fill_ratio.Set(static_cast<double>(st.orders_with_fills) / static_cast<double>(st.orders_finished));
}

void check_rejection_burst(self_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  if (st.burst.on_time(now) == rejection_burst::edge::resolved)
    st.reg->send(self, names::alerting,
                 alert{"order_rejection_burst", severity::warning, "order_rejection_burst:order_lifecycle",
                       "exchange rejections back below the burst threshold", "", names::order_lifecycle, true, now});
}

portfolio_update portfolio_of(self_ptr self) {
  auto& st = self->state;
  auto u = st.book->portfolio(now_of(self));
  u.version = st.portfolio_version;
  u.reconciled = st.reconciled;
  return u;
}

void publish_portfolio(self_ptr self) {
  ++self->state.portfolio_version;
  self->state.reg->send(self, names::risk, portfolio_of(self));
}

} // namespace trader::order_lifecycle::detail

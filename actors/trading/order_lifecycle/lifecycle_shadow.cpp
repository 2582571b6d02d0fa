// Shadow mode ([execution] shadow_mode; docs/orders.md "Shadow mode"): beside LIVE or PAPER
// every create also goes to a fill simulator of its own — simex's engine fed with the live
// quotes (the PAPER venue), spawned behind a relay so its facts never reach the order path.
// The relay hands the simulator's fills back as shadow fills; shadow_book pairs them with the
// venue's fills per client order id: intended vs actual price, time and size, in
// `traderctl shadow` and the trader_shadow_* metrics.
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

namespace {

/// Owns the shadow simulator (its parent, so its order_update and fill come here) and
/// passes only the fills on to order_lifecycle, tagged. The handlers copy owner ([=]); the
/// references die with this call.
caf::behavior shadow_relay(caf::event_based_actor* self, const caf::actor& owner,
                           const std::function<caf::actor(caf::event_based_actor*)>& make_venue) {
  auto venue = make_venue(self);
  return {
    [=](const create_order& c) {
      self->request(venue, std::chrono::seconds(30), c)
        .then([](const order_ack&) {},
              [id = c.id](caf::error& e) {
                spdlog::debug("order_lifecycle: shadow create {} failed: {}", id.value, describe(e));
              });
    },
    [=](const fill& f) { self->send(owner, ol_shadow_atom::value, f); },
    [=](const order_update&) {},  // the simulator's order states are not compared
  };
}

size base_of(const fill& f) {
  if (!f.size_in_quote || f.px.units <= 0)
    return f.qty;
  return size::from_units(mul_div_units(f.qty.units, size::scale, f.px.units));
}

} // namespace

void start_shadow(self_ptr self) {
  auto& st = self->state;
  if (!st.opts.shadow_venue)
    return;
  st.shadow = self->spawn<caf::linked>(shadow_relay, caf::actor_cast<caf::actor>(self), st.opts.shadow_venue);
  spdlog::info("order_lifecycle: shadow mode: every create also goes to a local simulator fed with the live quotes");
}

void shadow_sent(self_ptr self, const create_order& c) {
  auto& st = self->state;
  if (!st.shadow)
    return;
  st.shadow_orders.on_sent(c.id, c.product, c.dir, c.base_size, now_of(self));
  self->send(st.shadow, c);
}

void shadow_intended(self_ptr self, const fill& f) {
  self->state.shadow_orders.on_intended_fill(f.order, f.px, base_of(f), f.ts_event);
  update_shadow_metrics(self);
}

void shadow_actual(self_ptr self, const persistence::fill_record& f) {
  if (!self->state.shadow)
    return;
  self->state.shadow_orders.on_actual_fill(f.order, f.px, f.qty, f.ts_event);
  update_shadow_metrics(self);
}

void update_shadow_metrics(self_ptr self) {
  auto& st = self->state;
  if (!st.metrics)
    return;
  auto s = st.shadow_orders.summary();
  st.metrics->shadow.Add({{"what", "compared"}}).Set(static_cast<double>(s.compared));
  st.metrics->shadow.Add({{"what", "slippage_bps_median"}}).Set(s.slippage_bps_median);
  st.metrics->shadow.Add({{"what", "delay_ms_median"}}).Set(s.delay_ms_median);
  st.metrics->shadow.Add({{"what", "size_ratio_mean"}}).Set(s.size_ratio_mean);
}

json shadow_json(self_ptr self) {
  auto& st = self->state;
  auto s = st.shadow_orders.summary();
  json j{{"enabled", static_cast<bool>(st.shadow)},
         {"mode", st.opts.book.mode},
         {"orders", s.orders},
         {"compared", s.compared},
         {"only_intended", s.only_intended},
         {"only_actual", s.only_actual},
         {"slippage_bps_mean", s.slippage_bps_mean},
         {"slippage_bps_median", s.slippage_bps_median},
         {"delay_ms_median", s.delay_ms_median},
         {"size_ratio_mean", s.size_ratio_mean},
         {"recent", json::array()}};
  auto all = st.shadow_orders.orders();
  auto from = all.size() > 20 ? all.size() - 20 : 0;
  for (auto i = from; i < all.size(); ++i) {
    auto& o = all[i];
    j["recent"].push_back(json{{"client_order_id", o.id.value},
                               {"product", o.product.value},
                               {"side", std::string{to_string(o.dir)}},
                               {"intended_qty", to_string(o.intended.qty)},
                               {"intended_px", o.intended.avg()},
                               {"actual_qty", to_string(o.actual.qty)},
                               {"actual_px", o.actual.avg()},
                               {"slippage_bps", o.slippage_bps()},
                               {"delay_ms", o.intended.first && o.actual.first
                                              ? static_cast<double>(o.actual.first - o.intended.first) / 1e6
                                              : 0.0}});
  }
  return j;
}

} // namespace trader::order_lifecycle::detail

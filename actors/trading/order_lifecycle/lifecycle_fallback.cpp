// Taker fallback ([execution] allow_taker_fallback, default off; docs/orders.md "Taker
// fallback"): a post-only limit order that did not fill within its TTL — cancelled by the
// TTL planner, or expired at the exchange (risk's entries are GTD at limit_order_ttl_s) — is
// followed by a market IOC order for what is left. The exchange is asked for the order's
// final filled size first (a fill may have raced the cancel), and the fallback goes through
// the ordinary intent path: gate check (as an exit when the original was reduce-only),
// client order id, write-ahead, create.
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

bool taker_fallback_due(self_ptr self, const lifecycle_book::order_change& c, const char* source) {
  if (!self->state.opts.taker_fallback || !self->state.opts.book.send_orders)
    return false;
  bool ttl_end = c.to == order_state::expired || (c.to == order_state::canceled && std::string_view{source} == "ttl");
  if (!ttl_end || c.from == c.to || c.rec.exchange_id.empty() || c.rec.qty.units <= 0)
    return false;
  auto* o = self->state.book->find(c.rec.id);
  return o && o->post_only && o->type == order_type::limit;
}

void taker_fallback(self_ptr self, const persistence::order_record& rec, const std::string& strategy) {
  self->request(orders_of(self), std::chrono::seconds(30), get_order{rec.exchange_id, rec.id})
    .then(
      [=](const order_update& u) {
        auto remaining = rec.qty - u.filled_size;
        if (remaining.units <= 0)
          return;
        order_intent in;
        in.proposal_id = (strategy.empty() ? std::string{"manual"} : strategy) + ":taker_fallback";
        in.product = rec.product;
        in.dir = to_side(rec.side);
        in.type = order_type::market;
        in.tif = time_in_force::ioc;
        in.base_size = remaining;
        in.post_only = false;
        in.reduce_only = rec.reduce_only;
        in.ts_created = now_of(self);
        spdlog::info("order_lifecycle: taker fallback for {}: market IOC {} {} {}", rec.id.value,
                     to_string(in.dir), to_string(remaining), rec.product.value);
        self->request(caf::actor_cast<caf::actor>(self), std::chrono::seconds(100), in)
          .then(
            [=](const std::string& s) {
              auto j = json::parse(s, nullptr, false);
              audit(self, "taker_fallback",
                    json{{"after", rec.id.value}, {"qty", to_string(remaining)}, {"order", j}});
            },
            [=](caf::error& e) {
              spdlog::warn("order_lifecycle: taker fallback for {} not placed: {}", rec.id.value, describe(e));
              audit(self, "taker_fallback", json{{"after", rec.id.value}, {"error", describe(e)}});
            });
      },
      [=](caf::error& e) {
        // Without the exchange's final filled size the remainder is unknown: nothing is sent.
        spdlog::warn("order_lifecycle: taker fallback for {} skipped: the order could not be re-read: {}",
                     rec.id.value, describe(e));
      });
}

} // namespace trader::order_lifecycle::detail

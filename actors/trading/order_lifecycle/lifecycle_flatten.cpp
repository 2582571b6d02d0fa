// flatten (traderctl flatten [SYMBOL]; docs/orders.md "Flatten"): closes long positions with
// reduce-only market sells. The gate is asked first and its rule for exits applies (allowed
// while it is closed, except under the kill switch and the reasons that make positions
// uncertain: trading_gate::blocks_reduce_only). The product's working orders are cancelled
// first (a resting sell holds the coins the exit needs), then each exit goes through the
// ordinary intent path: client order id, write-ahead, create, state machine.
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include <spdlog/spdlog.h>

namespace trader::order_lifecycle::detail {

namespace {

struct exit_target {
  product_id product;
  size qty;
};

/// Collects the exits' answers and answers the operator once all are in.
struct flatten_run {
  json answer;
  std::size_t waiting = 0;
  caf::response_promise rp;
};

void send_exits(self_ptr self, const std::vector<exit_target>& targets, const std::shared_ptr<flatten_run>& run) {
  run->waiting = targets.size();
  for (auto& t : targets) {
    order_intent in;
    in.proposal_id = "flatten:operator";
    in.product = t.product;
    in.dir = side::sell;
    in.type = order_type::market;
    in.tif = time_in_force::ioc;
    in.base_size = t.qty;
    in.post_only = false;
    in.reduce_only = true;
    in.ts_created = now_of(self);
    auto done = [=](json j) {
      j["product"] = t.product.value;
      j["qty"] = to_string(t.qty);
      run->answer["orders"].push_back(std::move(j));
      if (--run->waiting == 0) {
        audit(self, "flatten", run->answer);
        run->rp.deliver(run->answer.dump());
      }
    };
    // Through the actor's own intent handler: the same gate check, write-ahead and create.
    self->request(caf::actor_cast<caf::actor>(self), std::chrono::seconds(100), in)
      .then([=](const std::string& s) { done(json::parse(s, nullptr, false)); },
            [=](caf::error& e) { done(json{{"error", describe(e)}, {"sent", false}}); });
  }
}

void flatten_now(self_ptr self, const flatten_positions& req, caf::response_promise rp) {
  auto& st = self->state;
  auto refusal = st.have_gate ? gate_refusal(st.gate, true) : std::string{"GATE_UNKNOWN: risk did not answer"};
  if (!refusal.empty()) {
    spdlog::warn("order_lifecycle: flatten {} refused: {}", req.product.value, refusal);
    audit(self, "flatten", json{{"product", req.product.value}, {"refused", refusal}, {"reason", req.reason}});
    rp.deliver(trader::make_error(errc::rejected, refusal));
    return;
  }
  std::vector<exit_target> targets;
  for (auto& [p, pos] : st.book->book().positions())
    if (pos.qty.units > 0 && (req.product.empty() || p == req.product.value))
      targets.push_back({product_id{p}, pos.qty});
  std::vector<exchange_order_id> working;
  for (auto& [id, o] : st.book->orders()) {
    bool mine = std::any_of(targets.begin(), targets.end(), [&rec = o.rec](auto& t) { return t.product == rec.product; });
    if (mine && !o.rec.exchange_id.empty() && persistence::is_open(o.rec.status))
      working.push_back(o.rec.exchange_id);
  }
  auto run = std::make_shared<flatten_run>();
  run->rp = rp;
  run->answer = json{{"product", req.product.empty() ? std::string{"all"} : req.product.value},
                     {"positions", targets.size()},
                     {"cancelled", 0},
                     {"orders", json::array()},
                     {"mode", st.opts.book.mode}};
  spdlog::warn("order_lifecycle: flatten {}: {} position(s), {} working order(s) to cancel first ({})",
               req.product.empty() ? std::string{"all"} : req.product.value, targets.size(), working.size(),
               req.reason);
  if (targets.empty() || !st.opts.book.send_orders) {
    if (!st.opts.book.send_orders) {
      run->answer["dry_run"] = true;
      for (auto& t : targets)
        run->answer["orders"].push_back(json{{"product", t.product.value}, {"qty", to_string(t.qty)}, {"sent", false}});
    }
    audit(self, "flatten", run->answer);
    rp.deliver(run->answer.dump());
    return;
  }
  if (working.empty())
    return send_exits(self, targets, run);
  for (auto& id : working)
    if (auto* o = st.book->find_exchange(id))
      st.book->cancel_requested(o->rec.id, now_of(self));
  self->request(orders_of(self), std::chrono::seconds(60), cancel_orders{working, "flatten"})
    .then(
      [=](const cancel_results& r) {
        int ok = 0;
        for (auto& x : r.results)
          if (x.success) {
            ++ok;
            if (auto* o = self->state.book->find_exchange(x.id))
              apply_change(self, self->state.book->on_event(o->rec.id, order_event::canceled, "flatten", now_of(self)),
                           "flatten");
          }
        run->answer["cancelled"] = ok;
        send_exits(self, targets, run);
      },
      [=](caf::error& e) {
        // The exits are tried all the same: a sell the held coins cannot cover is refused by
        // the exchange, never over-sold.
        run->answer["cancel_error"] = describe(e);
        send_exits(self, targets, run);
      });
}

} // namespace

void flatten(self_ptr self, const flatten_positions& req, const caf::response_promise& rp) {
  refresh_gate(self, [=]() mutable { flatten_now(self, req, rp); });
}

} // namespace trader::order_lifecycle::detail

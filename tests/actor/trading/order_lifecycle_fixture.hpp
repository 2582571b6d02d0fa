#pragma once
// The order_lifecycle actor's test fixture (issue 16): CAF's deterministic scheduler, with fake risk,
// orders, fills and audit actors and a fake store that logs every write next to every send.

#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/metric_value.hpp"
#include "tools/simex/paper/paper_venue_actor.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace trader;
using namespace trader::order_lifecycle;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// Everything the fakes saw, in order: "write:<id>", "update:<id>:<status>", "fill:<trade>",
/// "create:<id>", "cancel:<exchange id>".
struct world {
  std::vector<std::string> log;
  bool fail_write_ahead = false;
  std::vector<persistence::order_record> stored_orders;
  std::vector<persistence::fill_record> stored_fills;
  gate_changed gate{true, {}, 0};
  bool create_accepts = true;
  bool lookup_finds = false;
  int audits = 0;
  int creates = 0;
  std::vector<portfolio_update> portfolios;  ///< What risk received, in order.
  caf::actor quote_subscriber;               ///< Who subscribed to market_data (PAPER's venue).
  std::vector<order_update> exchange_open;   ///< What list_open_orders answers.
  std::vector<order_update> exchange_recent; ///< What list_recent_orders answers.
  bool recent_fails = false;                 ///< list_recent_orders answers an error.
  int recent_reads = 0;
  std::vector<fill> exchange_fills;          ///< What get_fills answers.
  std::vector<gate_conditions> gate_reports; ///< order_lifecycle's gate conditions, in order.
  std::vector<alert> alerts;
  std::vector<balance> exchange_balances;    ///< What get_balances answers (accounts, LIVE).
  bool balances_fail = false;                ///< get_balances answers an error.
  std::string baseline;                      ///< The stored balance baseline (survives restarts).
  int count(const std::string& prefix) const {
    int n = 0;
    for (auto& l : log)
      n += l.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }
};

class fake_store final : public lifecycle_store {
public:
  explicit fake_store(std::shared_ptr<world> w) : w_(std::move(w)) {}
  store_outcome write_ahead(const persistence::order_record& r) override {
    if (w_->fail_write_ahead)
      return store_outcome::failure("write_failed: fdatasync: Input/output error");
    for (auto& o : w_->stored_orders)
      if (o.id == r.id)
        return store_outcome::failure("duplicate");
    w_->stored_orders.push_back(r);
    w_->log.push_back("write:" + r.id.value);
    return store_outcome::success();
  }
  store_outcome update_order(const persistence::order_record& r) override {
    for (auto& o : w_->stored_orders)
      if (o.id == r.id)
        o = r;
    w_->log.push_back("update:" + r.id.value + ":" + persistence::to_string(r.status));
    return store_outcome::success();
  }
  store_outcome record_fill(const fill_commit& c) override {
    for (auto& f : w_->stored_fills)
      if (f.trade == c.fill.trade)
        return store_outcome::dup();
    w_->stored_fills.push_back(c.fill);
    if (c.order)
      update_order(*c.order);
    w_->log.push_back("fill:" + c.fill.trade.value);
    return store_outcome::success();
  }
  std::optional<std::vector<persistence::order_record>> orders(std::string*) override { return w_->stored_orders; }
  std::optional<std::vector<persistence::fill_record>> fills(std::string*) override { return w_->stored_fills; }
  std::optional<std::string> balance_baseline(const std::string&, std::string*) override { return w_->baseline; }
  store_outcome put_balance_baseline(const std::string&, const std::string& text) override {
    w_->baseline = text;
    return store_outcome::success();
  }

private:
  std::shared_ptr<world> w_;
};

caf::behavior fake_risk(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {
    [=](get_gate) { return w->gate; },
    [=](const portfolio_update& u) { w->portfolios.push_back(u); },
    [=](const gate_conditions& c) { w->gate_reports.push_back(c); },
  };
}

caf::behavior fake_orders(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {
    [=](const create_order& c) -> caf::result<order_ack> {
      w->log.push_back("create:" + c.id.value);
      ++w->creates;
      if (!w->create_accepts)
        return order_ack{c.id, {}, false, "INSUFFICIENT_FUND", false, false};
      return order_ack{c.id, exchange_order_id{"ex-" + c.id.value}, true, {}, false, false};
    },
    [=](const get_order& g) -> caf::result<order_update> {
      w->log.push_back("lookup:" + g.id.value);
      if (!w->lookup_finds)
        return make_error(errc::exchange_error, "GET /orders/historical 404 not_found -");
      order_update u;
      u.id = g.id;
      u.exchange_id = exchange_order_id{"ex-" + g.id.value};
      u.state = order_state::open;
      return u;
    },
    [=](const list_open_orders&) {
      order_list l;
      l.orders = w->exchange_open;
      return l;
    },
    [=](const list_recent_orders&) -> caf::result<order_list> {
      ++w->recent_reads;
      if (w->recent_fails)
        return make_error(errc::exchange_error, "GET /orders/historical/batch 503");
      order_list l;
      l.orders = w->exchange_recent;
      return l;
    },
    [=](const cancel_orders& c) {
      cancel_results r;
      for (auto& id : c.ids) {
        w->log.push_back("cancel:" + id.value);
        r.results.push_back(cancel_result{id, true, {}});
      }
      return r;
    },
  };
}

caf::behavior fake_market_data(caf::event_based_actor* self, std::shared_ptr<world> w) {
  return {[=](const subscribe_feed&) {
    w->quote_subscriber = caf::actor_cast<caf::actor>(self->current_sender());
    return subscribed{};
  }};
}

caf::behavior fake_fills(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {[=](const get_fills&) {
    fill_list l;
    l.fills = w->exchange_fills;
    return l;
  }};
}

caf::behavior fake_accounts(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {[=](get_balances) -> caf::result<balance_list> {
    if (w->balances_fail)
      return make_error(errc::exchange_error, "GET /accounts 503");
    return balance_list{w->exchange_balances, 0};
  }};
}

caf::behavior fake_alerting(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {[=](const alert& a) { w->alerts.push_back(a); }};
}

caf::behavior fake_audit(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {[=](const audit_entry&) { ++w->audits; }};
}

class OrderLifecycleActorTest : public test::actor_fixture {
protected:
  template <class... Ts>
  std::shared_ptr<replied<std::string>> ask(const caf::actor& dst, Ts... xs) {
    return request<std::string>(dst, std::chrono::seconds(120), xs...);
  }
  json ask_json(const caf::actor& dst, auto... xs) {
    auto a = ask(dst, xs...);
    EXPECT_TRUE(a->value.has_value()) << describe(a->err);
    return a->value ? json::parse(*a->value) : json{};
  }

  void SetUp() override {
    reg_.put(names::risk, keep(sys().spawn(fake_risk, w)));
    reg_.put(names::orders, keep(sys().spawn(fake_orders, w)));
    reg_.put(names::fills, keep(sys().spawn(fake_fills, w)));
    reg_.put(names::accounts, keep(sys().spawn(fake_accounts, w)));
    reg_.put(names::alerting, keep(sys().spawn(fake_alerting, w)));
    reg_.put(names::audit, keep(sys().spawn(fake_audit, w)));
    reg_.put(names::market_data, keep(sys().spawn(fake_market_data, w)));
  }

  /// PAPER: order_lifecycle with simex's engine fed by the quotes the test sends (a fresh
  /// paper account unless the test passes its own).
  caf::actor start_paper(std::shared_ptr<simex::shared_paper_venue> venue = nullptr) {
    actor_options o;
    o.book.send_orders = true;
    o.book.mode = "PAPER";
    o.store = std::make_shared<fake_store>(w);
    o.detached = false;
    o.now = [this] { return now; };
    if (!venue)
      venue = std::make_shared<simex::shared_paper_venue>(simex::paper_options{});
    paper = venue;
    o.venue = [this, venue](caf::event_based_actor* self) {
      return simex::spawn_paper_venue(self, reg_, venue, [this] { return now; });
    };
    auto a = keep(spawn_order_lifecycle(sys(), reg_, o));
    reg_.put(names::order_lifecycle, a);
    run();
    return a;
  }

  /// Lets n of order_lifecycle's 1 s ticks run (each re-arms itself one second later).
  void ticks(int n) {
    for (int i = 0; i < n; ++i)
      advance(std::chrono::seconds(1));
  }

  void send_quote(const char* bid, const char* ask) {
    quote q{};
    q.product = product_id{"BTC-USD"};
    q.bid = *parse_fixed<price_tag>(bid);
    q.ask = *parse_fixed<price_tag>(ask);
    q.bid_size = *parse_fixed<size_tag>("1");
    q.ask_size = *parse_fixed<size_tag>("1");
    ASSERT_TRUE(w->quote_subscriber);
    caf::anon_send(w->quote_subscriber, q);
    run();
  }

  caf::actor start(bool live = true) {
    actor_options o;
    o.book.send_orders = live;
    o.book.mode = live ? "LIVE" : "DRY_RUN";
    o.store = std::make_shared<fake_store>(w);
    o.detached = false;
    o.now = [this] { return now; };
    o.metrics = &metrics;
    o.on_unknown_order = unknown_policy;
    o.taker_fallback = taker_fallback;
    if (shadow) {
      auto venue = std::make_shared<simex::shared_paper_venue>(simex::paper_options{});
      o.shadow_venue = [this, venue](caf::event_based_actor* self) {
        return simex::spawn_paper_venue(self, reg_, venue, [this] { return now; });
      };
    }
    auto a = keep(spawn_order_lifecycle(sys(), reg_, o));
    reg_.put(names::order_lifecycle, a);
    run();
    return a;
  }

  static order_intent limit_buy(const char* product = "BTC-USD", const char* qty = "0.01") {
    order_intent in;
    in.proposal_id = "momentum:1";
    in.product = product_id{product};
    in.dir = side::buy;
    in.type = order_type::limit;
    in.limit_px = *parse_fixed<price_tag>("50000");
    in.base_size = *parse_fixed<size_tag>(qty);
    in.post_only = true;
    return in;
  }

  static fill make_fill(const std::string& trade, const std::string& ex_order, const char* px, const char* qty,
                        ts_ns at) {
    fill f;
    f.trade = trade_id{trade};
    f.exchange_order = exchange_order_id{ex_order};
    f.product = product_id{"BTC-USD"};
    f.dir = side::buy;
    f.px = *parse_fixed<price_tag>(px);
    f.qty = *parse_fixed<size_tag>(qty);
    f.fee = *parse_fixed<notional_tag>("0.1");
    f.ts_event = at;
    return f;
  }

  prometheus::Registry metrics;
  unknown_order_policy unknown_policy = unknown_order_policy::cancel;  ///< start()'s execution.unknown_order_policy.
  bool taker_fallback = false;  ///< start()'s execution.allow_taker_fallback.
  bool shadow = false;          ///< start()'s execution.shadow_mode (a shadow paper venue).
  std::shared_ptr<simex::shared_paper_venue> paper;  ///< start_paper()'s simulated account.
  std::shared_ptr<world> w = std::make_shared<world>();
  ts_ns now = 1'780'000'000 * ns_per_s;
};

} // namespace

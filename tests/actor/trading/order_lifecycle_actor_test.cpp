// The order_lifecycle actor (issue 16) on CAF's deterministic scheduler, with fake risk,
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
  std::vector<fill> exchange_fills;          ///< What get_fills answers.
  std::vector<gate_conditions> gate_reports; ///< order_lifecycle's gate conditions, in order.
  std::vector<alert> alerts;
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
    reg_.put(names::alerting, keep(sys().spawn(fake_alerting, w)));
    reg_.put(names::audit, keep(sys().spawn(fake_audit, w)));
    reg_.put(names::market_data, keep(sys().spawn(fake_market_data, w)));
  }

  /// PAPER: order_lifecycle with simex's engine fed by the quotes the test sends.
  caf::actor start_paper() {
    actor_options o;
    o.book.send_orders = true;
    o.book.mode = "PAPER";
    o.store = std::make_shared<fake_store>(w);
    o.detached = false;
    o.now = [this] { return now; };
    auto venue = std::make_shared<simex::shared_paper_venue>(simex::paper_options{});
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
  std::shared_ptr<world> w = std::make_shared<world>();
  ts_ns now = 1'780'000'000 * ns_per_s;
};

} // namespace

TEST_F(OrderLifecycleActorTest, TheIntentIsWrittenAheadBeforeItIsSent) {
  auto ol = start();
  auto r = ask_json(ol, limit_buy());
  ASSERT_EQ(w->log.size(), 3u);
  EXPECT_EQ(w->log[0], "write:t-1-b-btcusd-momentum");
  EXPECT_EQ(w->log[1], "create:t-1-b-btcusd-momentum");
  EXPECT_EQ(w->log[2], "update:t-1-b-btcusd-momentum:open");
  EXPECT_EQ(r["state"], "open");
  EXPECT_EQ(r["exchange_order_id"], "ex-t-1-b-btcusd-momentum");
  EXPECT_GE(w->audits, 2);
}

TEST_F(OrderLifecycleActorTest, AFailedWriteAheadSendsNothing) {
  auto ol = start();
  w->fail_write_ahead = true;
  auto a = ask(ol, limit_buy());
  EXPECT_FALSE(a->value.has_value());
  EXPECT_TRUE(is(a->err, errc::state_unavailable)) << describe(a->err);
  EXPECT_EQ(w->creates, 0);
  EXPECT_TRUE(w->log.empty());
}

TEST_F(OrderLifecycleActorTest, AClosedGateRefusesOpenOrAddButNotReduceOnlyUnlessKillSwitch) {
  auto ol = start();
  w->gate = gate_changed{false, {gate_reason_entry{gate_reason::stale_data, "BTC-USD 90s", 1, "market_data", {}}}, 1};
  auto a = ask(ol, limit_buy());
  EXPECT_TRUE(is(a->err, errc::rejected)) << describe(a->err);
  EXPECT_NE(describe(a->err).find("GATE_CLOSED"), std::string::npos);
  EXPECT_EQ(w->creates, 0);
  EXPECT_TRUE(w->log.empty());

  auto exit = limit_buy();
  exit.dir = side::sell;
  exit.reduce_only = true;
  auto b = ask(ol, exit);
  EXPECT_TRUE(b->value.has_value()) << describe(b->err);
  EXPECT_EQ(w->creates, 1);

  w->gate.reasons.push_back(gate_reason_entry{gate_reason::kill_switch, "operator", 2, "control", {}});
  auto c = ask(ol, exit);
  EXPECT_TRUE(is(c->err, errc::rejected));
  EXPECT_EQ(w->creates, 1);
}

TEST_F(OrderLifecycleActorTest, DryRunAuditsTheIntentAndSendsNothing) {
  auto ol = start(false);
  auto r = ask_json(ol, limit_buy());
  EXPECT_EQ(r["sent"], false);
  EXPECT_EQ(r["dry_run"], true);
  EXPECT_EQ(w->creates, 0);
  EXPECT_TRUE(w->log.empty());
  EXPECT_EQ(w->audits, 1);
}

TEST_F(OrderLifecycleActorTest, ADuplicatedFillIsBookedOnce) {
  auto ol = start();
  ask_json(ol, limit_buy("BTC-USD", "0.02"));
  auto f = make_fill("tr-1", "ex-t-1-b-btcusd-momentum", "50000", "0.01", now);
  caf::anon_send(ol, f);
  caf::anon_send(ol, f);
  run();
  EXPECT_EQ(w->count("fill:"), 1);
  auto pos = ask_json(ol, ol_positions_atom::value);
  ASSERT_EQ(pos["positions"].size(), 1u);
  EXPECT_EQ(pos["positions"][0]["qty"], "0.01");
  // The fill moved its order to partially_filled in the same commit.
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::partially_filled);
  auto orders = ask_json(ol, ol_orders_atom::value, true);
  EXPECT_EQ(orders["duplicate_fills"], 1);
  auto pnl = ask_json(ol, ol_pnl_atom::value);
  EXPECT_EQ(pnl["total"]["fills"], 1);
}

TEST_F(OrderLifecycleActorTest, ASizeInQuoteFillIsConvertedToCoins) {
  auto ol = start();
  auto f = make_fill("tr-q", "ex-market", "50000", "100", now);  // $100 at 50,000
  f.size_in_quote = true;
  caf::anon_send(ol, f);
  run();
  ASSERT_EQ(w->stored_fills.size(), 1u);
  EXPECT_EQ(to_string(w->stored_fills[0].qty), "0.002");
  auto pos = ask_json(ol, ol_positions_atom::value);
  ASSERT_EQ(pos["positions"].size(), 1u);
  EXPECT_EQ(pos["positions"][0]["qty"], "0.002");
  EXPECT_EQ(pos["positions"][0]["avg_entry"], "50000");
}

TEST_F(OrderLifecycleActorTest, AnIllegalTransitionIsRefusedCountedAndNotPersisted) {
  auto ol = start();
  ask_json(ol, limit_buy("BTC-USD", "1"));
  order_update part;
  part.id = client_order_id{"t-1-b-btcusd-momentum"};
  part.exchange_id = exchange_order_id{"ex-t-1-b-btcusd-momentum"};
  part.state = order_state::open;
  part.filled_size = *parse_fixed<size_tag>("0.5");
  caf::anon_send(ol, part);
  run();
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::partially_filled);
  auto writes = w->count("update:");
  // Backwards: the exchange now says 0.3 filled (and OPEN): refused.
  auto back = part;
  back.filled_size = *parse_fixed<size_tag>("0.3");
  w->lookup_finds = true;
  caf::anon_send(ol, back);
  run();
  EXPECT_EQ(w->count("update:"), writes);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::partially_filled);
  // The refusal made the actor re-read the order from the exchange (the fake answers OPEN,
  // nothing filled: refused too, and not re-read again).
  auto orders = ask_json(ol, ol_orders_atom::value, true);
  EXPECT_EQ(orders["refused_updates"], 2);
  EXPECT_EQ(w->count("lookup:t-1-b-btcusd-momentum"), 1);
  ASSERT_EQ(orders["orders"].size(), 1u);
  EXPECT_EQ(orders["orders"][0]["filled_qty"], "0.5");
}

TEST_F(OrderLifecycleActorTest, TheSequenceIsRestoredFromTheStoreAndAnUnsentIntentIsSentOnceUnderItsId) {
  persistence::order_record r;
  r.id = client_order_id{"t-7-b-btcusd-momentum"};
  r.product = product_id{"BTC-USD"};
  r.kind = persistence::order_kind::limit;
  r.limit_px = *parse_fixed<price_tag>("50000");
  r.qty = *parse_fixed<size_tag>("0.01");
  r.status = persistence::order_status::created;
  r.created_at = now - 5 * ns_per_s;
  r.updated_at = r.created_at;
  w->stored_orders.push_back(r);
  auto ol = start();
  advance(1s);  // tick: the lookup says not found → sent again under the same id
  run();
  EXPECT_EQ(w->count("create:t-7-b-btcusd-momentum"), 1);
  advance(1s);
  advance(1s);
  EXPECT_EQ(w->creates, 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::open);
  // A new intent continues the sequence.
  auto res = ask_json(ol, limit_buy());
  EXPECT_EQ(res["client_order_id"], "t-8-b-btcusd-momentum");
}

TEST_F(OrderLifecycleActorTest, AnOldUnsentIntentIsMarkedFailedNotResent) {
  persistence::order_record r;
  r.id = client_order_id{"t-3-s-btcusd-x"};
  r.product = product_id{"BTC-USD"};
  r.side = persistence::order_side::sell;
  r.qty = *parse_fixed<size_tag>("0.01");
  r.limit_px = *parse_fixed<price_tag>("50000");
  r.status = persistence::order_status::created;
  r.created_at = now - 3600 * ns_per_s;
  w->stored_orders.push_back(r);
  start();
  advance(1s);
  EXPECT_EQ(w->creates, 0);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::failed);
}

TEST_F(OrderLifecycleActorTest, CancelAllCancelsWhatTheExchangeAndTheStoreHold) {
  auto ol = start();
  ask_json(ol, limit_buy());
  auto r = ask_json(ol, cancel_all{"test"});
  EXPECT_EQ(r["sent"], 1);
  EXPECT_EQ(r["confirmed"], 1);
  EXPECT_EQ(w->count("cancel:ex-t-1-b-btcusd-momentum"), 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::canceled);
}

TEST_F(OrderLifecycleActorTest, AStalePostOnlyOrderIsCancelledAfterItsTtl) {
  auto ol = start();
  ask_json(ol, limit_buy());
  now += 121 * ns_per_s;
  advance(1s);
  EXPECT_EQ(w->count("cancel:"), 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::canceled);
}

TEST_F(OrderLifecycleActorTest, AnUpdateForAnOrderNotTrackedIsAuditedOnceNotDropped) {
  auto ol = start();
  order_update u;
  u.exchange_id = exchange_order_id{"ex-by-hand"};
  u.product = product_id{"ETH-USD"};
  u.state = order_state::open;
  caf::anon_send(ol, u);
  caf::anon_send(ol, u);
  run();
  EXPECT_EQ(w->audits, 1);
  EXPECT_TRUE(w->log.empty());  // nothing persisted for it
}

// A duplicated, out-of-order fill stream ends with the position and PnL of the clean one.
TEST_F(OrderLifecycleActorTest, ADuplicatedOutOfOrderFillStreamGivesTheCleanPosition) {
  std::vector<fill> clean;
  for (int i = 0; i < 20; ++i) {
    auto f = make_fill("tr-" + std::to_string(i), "ex-x", i % 3 == 2 ? "51000" : "50000", "0.01",
                       now + i * ns_per_s);
    f.dir = i % 3 == 2 ? side::sell : side::buy;
    clean.push_back(f);
  }
  auto run_stream = [&](const std::vector<fill>& stream) {
    auto ol = start();
    for (auto& f : stream)
      caf::anon_send(ol, f);
    run();
    auto out = std::make_pair(ask_json(ol, ol_positions_atom::value), ask_json(ol, ol_pnl_atom::value)["total"]);
    caf::anon_send_exit(ol, caf::exit_reason::user_shutdown);
    run();
    return out;
  };
  auto a = run_stream(clean);
  w = std::make_shared<world>();
  SetUp();
  std::vector<fill> messy;
  for (int i = 19; i >= 0; --i) {  // reversed, every third one twice
    messy.push_back(clean[i]);
    if (i % 3 == 0)
      messy.push_back(clean[i]);
  }
  auto b = run_stream(messy);
  EXPECT_EQ(a.first["positions"], b.first["positions"]);
  EXPECT_EQ(a.second, b.second);
  EXPECT_EQ(b.second["fills"], 20);
  EXPECT_EQ(w->stored_fills.size(), 20u);
}

TEST_F(OrderLifecycleActorTest, RiskGetsAPortfolioUpdateAfterEveryCommittedChange) {
  auto ol = start();
  auto at_start = w->portfolios.size();  // from the store, and after the startup reconcile
  ASSERT_GE(at_start, 1u);
  ask_json(ol, limit_buy("BTC-USD", "0.02"));
  // The write-ahead (a working order in created) and the acknowledgement (open).
  ASSERT_EQ(w->portfolios.size(), at_start + 2);
  auto& working = w->portfolios.back();
  ASSERT_EQ(working.working.size(), 1u);
  EXPECT_EQ(working.working[0].state, order_state::open);
  EXPECT_EQ(working.working[0].remaining, *parse_fixed<notional_tag>("1000"));
  caf::anon_send(ol, make_fill("tr-1", "ex-t-1-b-btcusd-momentum", "50000", "0.02", now));
  run();
  ASSERT_EQ(w->portfolios.size(), at_start + 3);
  auto& filled = w->portfolios.back();
  EXPECT_TRUE(filled.working.empty());
  ASSERT_EQ(filled.positions.size(), 1u);
  EXPECT_EQ(filled.positions[0].qty, *parse_fixed<size_tag>("0.02"));
  EXPECT_EQ(filled.fees_total, *parse_fixed<notional_tag>("0.1"));
  for (std::size_t i = 1; i < w->portfolios.size(); ++i)
    EXPECT_GT(w->portfolios[i].version, w->portfolios[i - 1].version);
  // A duplicate fill commits nothing and publishes nothing.
  caf::anon_send(ol, make_fill("tr-1", "ex-t-1-b-btcusd-momentum", "50000", "0.02", now));
  run();
  EXPECT_EQ(w->portfolios.size(), at_start + 3);
}

TEST_F(OrderLifecycleActorTest, GetPortfolioAnswersTheCurrentView) {
  auto ol = start();
  ask_json(ol, limit_buy());
  auto a = request<portfolio_update>(ol, std::chrono::seconds(5), get_portfolio{});
  ASSERT_TRUE(a->value.has_value());
  EXPECT_EQ(a->value->version, w->portfolios.back().version);
  ASSERT_EQ(a->value->working.size(), 1u);
  EXPECT_TRUE(a->value->reconciled);  // the startup reconcile agreed (nothing on the exchange)
}

TEST_F(OrderLifecycleActorTest, PaperFillsComeFromTheSimulatorThroughTheSameLedgerPath) {
  auto ol = start_paper();
  send_quote("49990", "50010");
  auto r = ask_json(ol, limit_buy("BTC-USD", "0.02"));  // post-only buy at 50,000 rests
  EXPECT_EQ(r["state"], "open");
  EXPECT_EQ(w->creates, 0);  // nothing went to the orders actor
  EXPECT_EQ(w->log.at(0), "write:t-1-b-btcusd-momentum");  // written ahead as in LIVE
  EXPECT_EQ(w->count("fill:"), 0);
  send_quote("49980", "49999");  // the live ask comes through the limit: filled as maker
  ASSERT_EQ(w->stored_fills.size(), 1u);
  EXPECT_EQ(to_string(w->stored_fills[0].px), "50000");
  EXPECT_EQ(to_string(w->stored_fills[0].qty), "0.02");
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::filled);
  auto pos = ask_json(ol, ol_positions_atom::value);
  ASSERT_EQ(pos["positions"].size(), 1u);
  EXPECT_EQ(pos["positions"][0]["qty"], "0.02");
  ASSERT_FALSE(w->portfolios.empty());
  EXPECT_TRUE(w->portfolios.back().working.empty());
  ASSERT_EQ(w->portfolios.back().positions.size(), 1u);
}

TEST_F(OrderLifecycleActorTest, PaperCancelAllCancelsTheSimulatorsOpenOrders) {
  auto ol = start_paper();
  send_quote("49990", "50010");
  ask_json(ol, limit_buy("BTC-USD", "0.02"));
  auto r = ask_json(ol, cancel_all{"test"});
  EXPECT_EQ(r["open_on_exchange"], 1);
  EXPECT_EQ(r["confirmed"], 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::canceled);
}

TEST_F(OrderLifecycleActorTest, TheFirstReconcileAgreeingClearsReconcilePendingAndMarksThePortfolio) {
  auto ol = start();
  ASSERT_GE(w->gate_reports.size(), 2u);
  ASSERT_EQ(w->gate_reports.front().active.size(), 1u);  // held from start
  EXPECT_EQ(w->gate_reports.front().active[0].reason, gate_reason::reconcile_pending);
  EXPECT_TRUE(w->gate_reports.back().active.empty());     // the empty exchange agrees
  EXPECT_TRUE(w->portfolios.back().reconciled);
  EXPECT_TRUE(w->alerts.empty());
}

TEST_F(OrderLifecycleActorTest, AnUnknownOpenOrderOnTheExchangeIsCancelledAlertedAndHoldsTheGate) {
  order_update foreign;
  foreign.id = client_order_id{"by-hand"};
  foreign.exchange_id = exchange_order_id{"ex-foreign"};
  foreign.product = product_id{"ETH-USD"};
  foreign.state = order_state::open;
  w->exchange_open.push_back(foreign);
  auto ol = start();
  EXPECT_EQ(w->count("cancel:ex-foreign"), 1);
  ASSERT_EQ(w->alerts.size(), 1u);
  EXPECT_EQ(w->alerts[0].type, "reconcile_mismatch");
  EXPECT_NE(w->alerts[0].detail.find("unknown_exchange_order ex-foreign"), std::string::npos);
  ASSERT_FALSE(w->gate_reports.empty());
  ASSERT_EQ(w->gate_reports.back().active.size(), 1u);
  EXPECT_EQ(w->gate_reports.back().active[0].reason, gate_reason::reconcile_pending);
  EXPECT_FALSE(w->portfolios.back().reconciled);
  // The cancel went through: the next reconcile agrees, clears the gate and resolves the alert.
  w->exchange_open.clear();
  ticks(30);
  EXPECT_TRUE(w->gate_reports.back().active.empty());
  EXPECT_TRUE(w->portfolios.back().reconciled);
  ASSERT_EQ(w->alerts.size(), 2u);
  EXPECT_TRUE(w->alerts[1].resolved);
}

TEST_F(OrderLifecycleActorTest, AFillMadeWhileTheDaemonWasDownIsBookedOnceByTheStartupReconcile) {
  persistence::order_record r;
  r.id = client_order_id{"t-7-b-btcusd-momentum"};
  r.exchange_id = exchange_order_id{"ex-7"};
  r.product = product_id{"BTC-USD"};
  r.limit_px = *parse_fixed<price_tag>("50000");
  r.qty = *parse_fixed<size_tag>("0.01");
  r.status = persistence::order_status::open;
  r.created_at = r.updated_at = now;
  w->stored_orders.push_back(r);
  auto f = make_fill("tr-down", "ex-7", "50000", "0.01", now);
  f.order = r.id;
  w->exchange_fills = {f, f};  // listed twice
  order_update filled;
  filled.id = r.id;
  filled.exchange_id = r.exchange_id;
  filled.product = r.product;
  filled.state = order_state::filled;
  filled.filled_size = r.qty;
  w->lookup_finds = false;
  auto ol = start();
  EXPECT_EQ(w->count("fill:tr-down"), 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::filled);
  auto pos = ask_json(ol, ol_positions_atom::value);
  ASSERT_EQ(pos["positions"].size(), 1u);
  EXPECT_EQ(pos["positions"][0]["qty"], "0.01");
  // A second reconcile books nothing again.
  ticks(30);
  EXPECT_EQ(w->count("fill:tr-down"), 1);
}

TEST_F(OrderLifecycleActorTest, FiveExchangeRejectionsWithinAMinuteRaiseOrderRejectionBurstOnce) {
  w->create_accepts = false;
  auto ol = start();
  for (int i = 0; i < 4; ++i)
    ask_json(ol, limit_buy());
  EXPECT_TRUE(w->alerts.empty());
  ask_json(ol, limit_buy());
  ask_json(ol, limit_buy());
  ASSERT_EQ(w->alerts.size(), 1u);
  EXPECT_EQ(w->alerts[0].type, "order_rejection_burst");
  EXPECT_FALSE(w->alerts[0].resolved);
  now += 61 * ns_per_s;  // the window empties
  ticks(1);
  ASSERT_EQ(w->alerts.size(), 2u);
  EXPECT_TRUE(w->alerts[1].resolved);
}

TEST_F(OrderLifecycleActorTest, TheFillRatioIsTheShareOfFinishedOrdersThatFilled) {
  auto ol = start();
  ask_json(ol, limit_buy());  // t-1: fills
  ask_json(ol, limit_buy());  // t-2: cancelled unfilled
  caf::anon_send(ol, make_fill("tr-1", "ex-t-1-b-btcusd-momentum", "50000", "0.01", now));
  run();
  caf::anon_send(ol, cancel_order{client_order_id{"t-2-b-btcusd-momentum"}, "test"});
  run();
  auto ratio = test::metric_value(metrics, "trader_fill_ratio", {});
  ASSERT_TRUE(ratio.has_value());
  EXPECT_DOUBLE_EQ(*ratio, 0.5);
}

// The order_lifecycle actor (issue 16) with the fakes of order_lifecycle_fixture.hpp: orders and
// fills it does not know (execution.unknown_order_policy: cancel, adopt, alert_only; always
// alerted), the cross-check of a by-client-id lookup against the recent-orders list,
// traderctl flatten (reduce-only exits through the gate's rule for exits), the taker
// fallback (execution.allow_taker_fallback) and shadow mode (execution.shadow_mode).

#include "tests/actor/trading/order_lifecycle_fixture.hpp"

namespace {

class OrderLifecycleUnknownTest : public OrderLifecycleActorTest {
protected:
  /// An order placed by hand on the exchange: a resting limit buy the store does not know.
  static order_update by_hand(bool side_reported = true) {
    order_update u;
    u.id = client_order_id{"by-hand"};
    u.exchange_id = exchange_order_id{"ex-foreign"};
    u.product = product_id{"ETH-USD"};
    u.state = order_state::open;
    u.dir_known = side_reported;
    u.dir = side::buy;
    u.ordered_size = *parse_fixed<size_tag>("0.5");
    u.limit_px = *parse_fixed<price_tag>("3000");
    return u;
  }
  const persistence::order_record* stored(const std::string& id) const {
    for (auto& o : w->stored_orders)
      if (o.id.value == id)
        return &o;
    return nullptr;
  }
  int alerts_of(const std::string& type) const {
    int n = 0;
    for (auto& a : w->alerts)
      n += a.type == type && !a.resolved ? 1 : 0;
    return n;
  }
  /// An intent written ahead by an earlier run, never resolved (state created).
  void stored_intent(const char* id, ts_ns created) {
    persistence::order_record r;
    r.id = client_order_id{id};
    r.product = product_id{"BTC-USD"};
    r.limit_px = *parse_fixed<price_tag>("50000");
    r.qty = *parse_fixed<size_tag>("0.01");
    r.status = persistence::order_status::created;
    r.created_at = r.updated_at = created;
    w->stored_orders.push_back(r);
  }
  /// A long position of 0.01 BTC-USD booked through an intent and its fill.
  void hold_btc(const caf::actor& ol) {
    auto r = ask_json(ol, limit_buy());
    auto f = make_fill("tr-entry", r["exchange_order_id"].get<std::string>(), "50000", "0.01", now);
    caf::anon_send(ol, f);
    run();
    ASSERT_EQ(ask_json(ol, ol_positions_atom::value)["positions"].size(), 1u);
  }
};

} // namespace

TEST_F(OrderLifecycleUnknownTest, AdoptTracksAnUnknownOpenOrderAlertsItAndTheNextReconcileAgrees) {
  unknown_policy = unknown_order_policy::adopt;
  w->exchange_open = {by_hand()};
  auto ol = start();
  EXPECT_EQ(w->count("cancel:"), 0);
  auto* rec = stored("by-hand");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->status, persistence::order_status::open);
  EXPECT_EQ(rec->exchange_id.value, "ex-foreign");
  EXPECT_EQ(rec->side, persistence::order_side::buy);
  EXPECT_EQ(to_string(rec->qty), "0.5");
  ASSERT_EQ(alerts_of("reconcile_mismatch"), 1);  // alerted whatever the policy
  EXPECT_NE(w->alerts[0].detail.find("policy=adopt"), std::string::npos);
  auto open = ask_json(ol, ol_orders_atom::value, true);
  ASSERT_EQ(open["orders"].size(), 1u);
  ticks(3);  // the adopted order is ours now: the exchange and the store agree
  EXPECT_TRUE(w->gate_reports.back().active.empty());
  EXPECT_TRUE(w->portfolios.back().reconciled);
  ASSERT_FALSE(w->portfolios.back().working.empty());
  EXPECT_EQ(w->portfolios.back().working[0].product.value, "ETH-USD");
}

TEST_F(OrderLifecycleUnknownTest, AdoptLeavesAnOrderWhoseSideIsNotReportedAndKeepsAlerting) {
  unknown_policy = unknown_order_policy::adopt;
  w->exchange_open = {by_hand(false)};
  auto ol = start();
  EXPECT_EQ(stored("by-hand"), nullptr);
  EXPECT_EQ(w->count("cancel:"), 0);
  ASSERT_EQ(alerts_of("reconcile_mismatch"), 1);
  EXPECT_NE(w->alerts[0].detail.find("not adopted"), std::string::npos);
  ticks(3);
  EXPECT_FALSE(w->gate_reports.back().active.empty());
}

TEST_F(OrderLifecycleUnknownTest, AlertOnlyLeavesTheOrderAloneAndTheGateHeldUntilItIsGone) {
  unknown_policy = unknown_order_policy::alert;
  w->exchange_open = {by_hand()};
  auto ol = start();
  EXPECT_EQ(w->count("cancel:"), 0);
  EXPECT_EQ(stored("by-hand"), nullptr);
  EXPECT_EQ(alerts_of("reconcile_mismatch"), 1);
  ticks(6);
  EXPECT_EQ(w->count("cancel:"), 0);
  EXPECT_EQ(w->gate_reports.back().active.at(0).reason, gate_reason::reconcile_pending);
  w->exchange_open.clear();  // the operator cancelled it by hand
  ticks(3);
  EXPECT_TRUE(w->gate_reports.back().active.empty());
}

TEST_F(OrderLifecycleUnknownTest, AUserStreamUpdateOfAnUnknownOpenOrderIsAlertedAndReconciledAtOnce) {
  auto ol = start();
  ASSERT_TRUE(w->alerts.empty());
  w->exchange_open = {by_hand()};
  caf::anon_send(ol, by_hand());
  run();  // no tick: the update itself starts the reconcile
  EXPECT_EQ(alerts_of("unknown_order"), 1);
  EXPECT_EQ(alerts_of("reconcile_mismatch"), 1);
  EXPECT_EQ(w->count("cancel:ex-foreign"), 1);  // policy cancel
  caf::anon_send(ol, by_hand());
  run();
  EXPECT_EQ(alerts_of("unknown_order"), 1);  // once per order
}

TEST_F(OrderLifecycleUnknownTest, AFillOfAnUnknownOrderIsBookedAndAlertedOnce) {
  auto ol = start();
  auto f = make_fill("tr-x", "ex-foreign", "50000", "0.01", now);
  caf::anon_send(ol, f);
  caf::anon_send(ol, f);
  run();
  EXPECT_EQ(w->count("fill:tr-x"), 1);
  ASSERT_EQ(alerts_of("unknown_order"), 1);
  EXPECT_NE(w->alerts.back().detail.find("trade_id=tr-x"), std::string::npos);
  EXPECT_EQ(ask_json(ol, ol_positions_atom::value)["positions"].size(), 1u);
}

TEST_F(OrderLifecycleUnknownTest, ALateUpdateOfAnOrderThisDaemonFinishedIsNotAlerted) {
  auto ol = start();
  auto r = ask_json(ol, limit_buy());
  order_update u;
  u.id = client_order_id{r["client_order_id"].get<std::string>()};
  u.exchange_id = exchange_order_id{r["exchange_order_id"].get<std::string>()};
  u.product = product_id{"BTC-USD"};
  u.state = order_state::canceled;
  caf::anon_send(ol, u);
  run();
  caf::anon_send(ol, u);  // the user stream repeats it after the order left the book
  run();
  EXPECT_EQ(alerts_of("unknown_order"), 0);
}

TEST_F(OrderLifecycleUnknownTest, AnIntentTheLookupMissesButTheRecentOrdersListHoldsIsResolvedNotResent) {
  stored_intent("t-5-b-btcusd-momentum", now - 10 * ns_per_s);
  order_update listed;
  listed.id = client_order_id{"t-5-b-btcusd-momentum"};
  listed.exchange_id = exchange_order_id{"ex-5"};
  listed.product = product_id{"BTC-USD"};
  listed.state = order_state::open;
  w->exchange_recent = {listed};
  w->lookup_finds = false;  // GET by client order id says not_found
  auto ol = start();
  ticks(2);
  EXPECT_EQ(w->creates, 0);  // never re-sent
  ASSERT_NE(stored("t-5-b-btcusd-momentum"), nullptr);
  EXPECT_EQ(stored("t-5-b-btcusd-momentum")->status, persistence::order_status::open);
  EXPECT_EQ(stored("t-5-b-btcusd-momentum")->exchange_id.value, "ex-5");
}

TEST_F(OrderLifecycleUnknownTest, AnIntentTheLookupMissesStaysUnresolvedWhileTheRecentOrdersListFails) {
  stored_intent("t-5-b-btcusd-momentum", now - 10 * ns_per_s);
  w->lookup_finds = false;
  w->recent_fails = true;
  auto ol = start();
  ticks(3);
  EXPECT_EQ(w->creates, 0);  // neither re-sent nor failed on the lookup's word alone
  EXPECT_EQ(stored("t-5-b-btcusd-momentum")->status, persistence::order_status::created);
  w->recent_fails = false;  // the list answers: nothing there, so the intent is sent under its id
  ticks(2);
  EXPECT_EQ(w->creates, 1);
  EXPECT_EQ(w->count("create:t-5-b-btcusd-momentum"), 1);
}

TEST_F(OrderLifecycleUnknownTest, FlattenSellsThePositionReduceOnlyWhileTheGateIsClosedForEntries) {
  auto ol = start();
  hold_btc(ol);
  ask_json(ol, limit_buy());  // a working buy on the product: cancelled first
  w->gate = gate_changed{false, {gate_reason_entry{gate_reason::daily_stop, "loss", 1, "risk", {}}}, 1};
  auto r = ask_json(ol, flatten_positions{product_id{"BTC-USD"}, "test"});
  EXPECT_EQ(r["positions"], 1);
  EXPECT_EQ(r["cancelled"], 1);
  ASSERT_EQ(r["orders"].size(), 1u);
  EXPECT_EQ(r["orders"][0]["qty"], "0.01");
  auto& exit = w->stored_orders.back();
  EXPECT_EQ(exit.side, persistence::order_side::sell);
  EXPECT_EQ(exit.kind, persistence::order_kind::market);
  EXPECT_TRUE(exit.reduce_only);
  EXPECT_EQ(to_string(exit.qty), "0.01");
  auto cancel_at = std::find(w->log.begin(), w->log.end(), "cancel:ex-t-2-b-btcusd-momentum");
  auto create_at = std::find(w->log.begin(), w->log.end(), "create:" + exit.id.value);
  EXPECT_LT(cancel_at, create_at);  // the working order went first
}

TEST_F(OrderLifecycleUnknownTest, FlattenIsRefusedUnderTheKillSwitch) {
  auto ol = start();
  hold_btc(ol);
  auto creates = w->creates;
  w->gate = gate_changed{false, {gate_reason_entry{gate_reason::kill_switch, "operator", 1, "control", {}}}, 1};
  auto a = ask(ol, flatten_positions{product_id{}, "test"});
  EXPECT_TRUE(is(a->err, errc::rejected)) << describe(a->err);
  EXPECT_NE(describe(a->err).find("kill_switch"), std::string::npos);
  EXPECT_EQ(w->creates, creates);
}

TEST_F(OrderLifecycleUnknownTest, FlattenWithoutAPositionSendsNothing) {
  auto ol = start();
  auto r = ask_json(ol, flatten_positions{product_id{"BTC-USD"}, "test"});
  EXPECT_EQ(r["positions"], 0);
  EXPECT_EQ(w->creates, 0);
}

TEST_F(OrderLifecycleUnknownTest, TakerFallbackFollowsAStalePostOnlyOrderWithAMarketOrderForTheRest) {
  taker_fallback = true;
  w->lookup_finds = true;  // the re-read after the cancel: nothing filled
  auto ol = start();
  ask_json(ol, limit_buy("BTC-USD", "0.01"));
  now += 121 * ns_per_s;  // past execution.limit_order_ttl_s (120 s): cancelled, then the fallback
  ticks(2);
  EXPECT_EQ(w->count("cancel:ex-t-1-b-btcusd-momentum"), 1);
  ASSERT_EQ(w->creates, 2);
  auto& fallback = w->stored_orders.back();
  EXPECT_EQ(fallback.id.value, "t-2-b-btcusd-momentum");  // same strategy, next sequence
  EXPECT_EQ(fallback.kind, persistence::order_kind::market);
  EXPECT_EQ(to_string(fallback.qty), "0.01");
  EXPECT_FALSE(fallback.reduce_only);
}

TEST_F(OrderLifecycleUnknownTest, WithoutTakerFallbackAStaleOrderIsOnlyCancelled) {
  w->lookup_finds = true;
  auto ol = start();
  ask_json(ol, limit_buy("BTC-USD", "0.01"));
  now += 121 * ns_per_s;
  ticks(2);
  EXPECT_EQ(w->count("cancel:"), 1);
  EXPECT_EQ(w->creates, 1);
}

TEST_F(OrderLifecycleUnknownTest, ShadowModeComparesTheVenuesFillWithTheSimulatorsForTheSameCreate) {
  shadow = true;
  auto ol = start();
  send_quote("49990", "50010");  // reaches the shadow simulator (the only quote subscriber)
  auto in = limit_buy("BTC-USD", "0.01");
  in.type = order_type::market;
  in.tif = time_in_force::ioc;
  auto r = ask_json(ol, in);
  EXPECT_EQ(w->creates, 1);  // one create to the venue; the simulator's copy is not an order of ours
  auto f = make_fill("tr-real", r["exchange_order_id"].get<std::string>(), "50020", "0.01", now + ns_per_s);
  caf::anon_send(ol, f);
  run();
  auto sh = ask_json(ol, ol_shadow_atom::value);
  EXPECT_EQ(sh["enabled"], true);
  EXPECT_EQ(sh["compared"], 1) << sh.dump();
  EXPECT_NEAR(sh["slippage_bps_median"].get<double>(), 10.0 / 50010.0 * 1e4, 1e-6);  // paid 10 more than the ask
  ASSERT_EQ(sh["recent"].size(), 1u);
  EXPECT_EQ(sh["recent"][0]["intended_qty"], "0.01");
  EXPECT_EQ(w->stored_orders.size(), 1u);  // the simulator's fill booked nothing
  EXPECT_EQ(w->count("fill:"), 1);
}

TEST_F(OrderLifecycleUnknownTest, AnUpdateMovingAnOrderBackwardsIsAlertedOnceAndReRead) {
  auto ol = start();
  ask_json(ol, limit_buy("BTC-USD", "1"));
  order_update filled;
  filled.id = client_order_id{"t-1-b-btcusd-momentum"};
  filled.exchange_id = exchange_order_id{"ex-t-1-b-btcusd-momentum"};
  filled.state = order_state::partially_filled;
  filled.filled_size = *parse_fixed<size_tag>("0.5");
  caf::anon_send(ol, filled);
  run();
  auto back = filled;
  back.filled_size = *parse_fixed<size_tag>("0.2");  // FILLED_DECREASED
  caf::anon_send(ol, back);
  caf::anon_send(ol, back);
  run();
  EXPECT_EQ(alerts_of("order_refused"), 1);
  EXPECT_NE(w->alerts.back().fingerprint.find("FILLED_DECREASED"), std::string::npos);
  EXPECT_GE(w->count("lookup:t-1-b-btcusd-momentum"), 1);  // the exchange is asked again
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::partially_filled);
}

// The order_lifecycle actor (issue 16) with the fakes of order_lifecycle_fixture.hpp: PAPER
// through simex's engine, reconcile (reconcile_pending, reconcile_mismatch, missed fills),
// order_rejection_burst and trader_fill_ratio.

#include "tests/actor/trading/order_lifecycle_fixture.hpp"

namespace {
class OrderLifecyclePaperReconcileTest : public OrderLifecycleActorTest {};
} // namespace

TEST_F(OrderLifecyclePaperReconcileTest, PaperFillsComeFromTheSimulatorThroughTheSameLedgerPath) {
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

TEST_F(OrderLifecyclePaperReconcileTest, PaperCancelAllCancelsTheSimulatorsOpenOrders) {
  auto ol = start_paper();
  send_quote("49990", "50010");
  ask_json(ol, limit_buy("BTC-USD", "0.02"));
  auto r = ask_json(ol, cancel_all{"test"});
  EXPECT_EQ(r["open_on_exchange"], 1);
  EXPECT_EQ(r["confirmed"], 1);
  EXPECT_EQ(w->stored_orders.at(0).status, persistence::order_status::canceled);
}

TEST_F(OrderLifecyclePaperReconcileTest, TheFirstReconcileAgreeingClearsReconcilePendingAndMarksThePortfolio) {
  auto ol = start();
  ASSERT_GE(w->gate_reports.size(), 2u);
  ASSERT_EQ(w->gate_reports.front().active.size(), 1u);  // held from start
  EXPECT_EQ(w->gate_reports.front().active[0].reason, gate_reason::reconcile_pending);
  EXPECT_TRUE(w->gate_reports.back().active.empty());     // the empty exchange agrees
  EXPECT_TRUE(w->portfolios.back().reconciled);
  EXPECT_TRUE(w->alerts.empty());
}

TEST_F(OrderLifecyclePaperReconcileTest, AnUnknownOpenOrderOnTheExchangeIsCancelledAlertedAndHoldsTheGate) {
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

TEST_F(OrderLifecyclePaperReconcileTest, AFillMadeWhileTheDaemonWasDownIsBookedOnceByTheStartupReconcile) {
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

TEST_F(OrderLifecyclePaperReconcileTest, FiveExchangeRejectionsWithinAMinuteRaiseOrderRejectionBurstOnce) {
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

TEST_F(OrderLifecyclePaperReconcileTest, TheFillRatioIsTheShareOfFinishedOrdersThatFilled) {
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

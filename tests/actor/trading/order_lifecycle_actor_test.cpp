// The order_lifecycle actor (issue 16) on CAF's deterministic scheduler, with fake risk,
// orders, fills and audit actors and a fake store that logs every write next to every send
// (order_lifecycle_fixture.hpp): intents, write-ahead, gate, fills, recovery, cancels, the
// portfolio_update. PAPER, reconcile and the alerts: order_lifecycle_reconcile_test.cpp.

#include "tests/actor/trading/order_lifecycle_fixture.hpp"
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

  caf::anon_send(ol, make_fill("held-1", "ex-held", "50000", "0.01", now));  // an exit sells what is held
  run();
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

// The catalogue's base increment (read from products on the first tick) rounds a quote-sized
// fill whose order's base was never reported: the exchange fills whole increments.
TEST_F(OrderLifecycleActorTest, ASizeInQuoteFillIsRoundedToTheCataloguesBaseIncrement) {
  reg_.put(names::products, keep(sys().spawn([]() -> caf::behavior {
    return {[](const get_products&) {
      product_info p;
      p.product = product_id{"BTC-USD"};
      p.base_increment = size::from_double(0.0001);
      product_list l;
      l.products.push_back(p);
      return l;
    }};
  })));
  auto ol = start();
  advance(1s);  // the first tick reads the catalogue
  auto f = make_fill("tr-q", "ex-market", "49999", "100", now);  // quotient 0.00200004
  f.size_in_quote = true;
  caf::anon_send(ol, f);
  run();
  ASSERT_EQ(w->stored_fills.size(), 1u);
  EXPECT_EQ(to_string(w->stored_fills[0].qty), "0.002");
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

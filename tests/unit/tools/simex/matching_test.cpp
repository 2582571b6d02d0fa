// Matching engine: priority, partial fills, fees, post-only, GTD, constraints, holds,
// status enforcement, client order id reuse, pagination.

#include "fixtures.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;

namespace {

struct Matching : ::testing::Test {
  exchange ex;
  Matching() {
    setup(ex);
    ex.deposit("carol", "USD", amt("100000"));
    ex.deposit("carol", "BTC", amt("10"));
  }
  const order_record& place_ok(const order_request& r, ts_ns t = t0) {
    auto res = ex.place(r, t);
    EXPECT_EQ(res.order != nullptr, true) << res.why.reason << " " << res.why.message;
    return *res.order;
  }
  amount avail(const char* u, const char* c) { return ex.ledger().find(u, c)->available; }
  amount held(const char* u, const char* c) { return ex.ledger().find(u, c)->hold; }
};

} // namespace

TEST_F(Matching, BetterPriceThenOlderOrderFillsFirst) {
  const auto& a = place_ok(limit("alice", side::sell, "50000.00", "0.5", "a1"));
  const auto& b = place_ok(limit("bob", side::sell, "50000.00", "0.5", "b1"), t0 + 1);
  const auto& b2 = place_ok(limit("bob", side::sell, "49999.00", "0.1", "b2"), t0 + 2);
  const auto& c = place_ok(market("carol", side::buy, "0.3", "c1"), t0 + 3);
  EXPECT_EQ(c.status, order_status::filled);
  EXPECT_EQ(b2.status, order_status::filled);                 // best price first
  EXPECT_EQ(a.filled_size, qty("0.2"));                        // then the older order at 50000
  EXPECT_EQ(b.filled_size, qty("0"));
  EXPECT_EQ(c.average_filled_price(), px("49999.66666667"));  // 14999.9/0.3, rounded half away from zero
}

TEST_F(Matching, PartialFillLeavesRestOpen) {
  const auto& a = place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  const auto& c = place_ok(limit("carol", side::buy, "50000.00", "0.4", "c1"));
  EXPECT_EQ(c.status, order_status::filled);
  EXPECT_EQ(a.status, order_status::open);
  EXPECT_EQ(a.filled_size, qty("0.4"));
  EXPECT_EQ(a.leaves(), qty("0.6"));
  EXPECT_EQ(a.number_of_fills, 1);
  EXPECT_EQ(ex.book("BTC-USD")->qty_at(side::sell, px("50000")), qty("0.6"));
}

TEST_F(Matching, MakerAndTakerPayTheirTierRates) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  const auto& c = place_ok(limit("carol", side::buy, "50000.00", "0.4", "c1"));
  // notional 20000: taker 0.9 % = 180, maker 0.5 % = 100 (Intro 1)
  EXPECT_EQ(c.total_fees, usd("180"));
  EXPECT_EQ(avail("carol", "USD"), amt("79820"));
  EXPECT_EQ(held("carol", "USD"), amt("0"));
  EXPECT_EQ(avail("carol", "BTC"), amt("10.4"));
  EXPECT_EQ(avail("alice", "USD"), amt("119900"));
  EXPECT_EQ(held("alice", "BTC"), amt("0.6"));
  auto fills = ex.list_fills({.user = "alice"}, "", 10);
  ASSERT_EQ(fills.items.size(), 1u);
  EXPECT_EQ(fills.items[0]->liq, liquidity::maker);
  EXPECT_EQ(fills.items[0]->commission, usd("100"));
}

TEST_F(Matching, FeeTierFollowsThirtyDayVolume) {
  ex.add_prior_volume("carol", usd("60000"), t0 - 86400 * ns_per_s);
  EXPECT_EQ(ex.fees_of("carol", t0).tier->name, "Advanced 3");
  ex.add_prior_volume("bob", usd("60000"), t0 - 31 * 86400 * ns_per_s);  // too old to count
  EXPECT_EQ(ex.fees_of("bob", t0).tier->name, "Intro 1");
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  const auto& c = place_ok(limit("carol", side::buy, "50000.00", "0.4", "c1"));
  EXPECT_EQ(c.total_fees, usd("50"));  // taker 0.25 %
}

TEST_F(Matching, PostOnlyThatWouldCrossIsRejected) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  auto r = ex.place(limit("carol", side::buy, "50000.00", "0.1", "c1", true), t0);
  ASSERT_EQ(r.order, nullptr);
  EXPECT_EQ(r.why.reason, "INVALID_LIMIT_PRICE_POST_ONLY");
  EXPECT_EQ(r.why.preview_reason, "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY");
  EXPECT_EQ(avail("carol", "USD"), amt("100000"));
  const auto& ok = place_ok(limit("carol", side::buy, "49999.99", "0.1", "c2", true));
  EXPECT_EQ(ok.status, order_status::open);
}

TEST_F(Matching, GtdOrderExpiresAtEndTimeAndReleasesHold) {
  auto r = limit("alice", side::buy, "40000.00", "1", "a1");
  r.kind = order_kind::limit_gtd;
  r.end_time = t0 + 10 * ns_per_s;
  const auto& o = place_ok(r);
  EXPECT_EQ(held("alice", "USD"), amt("40360"));
  ex.advance(t0 + 9 * ns_per_s);
  EXPECT_EQ(o.status, order_status::open);
  ex.advance(t0 + 10 * ns_per_s);
  EXPECT_EQ(o.status, order_status::expired);
  EXPECT_EQ(held("alice", "USD"), amt("0"));
  EXPECT_EQ(avail("alice", "USD"), amt("100000"));
  EXPECT_FALSE(ex.book("BTC-USD")->best(side::buy).has_value());
}

TEST_F(Matching, GtdInThePastOrWithoutEndTimeIsRejected) {
  auto r = limit("alice", side::buy, "40000.00", "1", "a1");
  r.kind = order_kind::limit_gtd;
  EXPECT_EQ(ex.place(r, t0).why.reason, "GTD_ORDERS_MUST_HAVE_END_TIME");
  r.end_time = t0 - 1;
  EXPECT_EQ(ex.place(r, t0).why.reason, "END_TIME_IS_IN_THE_PAST");
}

TEST_F(Matching, ProductConstraintsRejectWithCoinbaseReasons) {
  EXPECT_EQ(ex.place(limit("alice", side::buy, "40000.001", "1", "x1"), t0).why.reason, "INVALID_PRICE_PRECISION");
  auto small = ex.place(limit("alice", side::buy, "40000.00", "0.00005", "x2"), t0);
  EXPECT_EQ(small.why.preview_reason, "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL");
  EXPECT_EQ(ex.place(limit("alice", side::buy, "1.00", "4000", "x3"), t0).why.preview_reason,
            "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE");
  EXPECT_EQ(ex.place(limit("alice", side::buy, "1.00", "0.5", "x4"), t0).why.preview_reason,
            "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL");
  EXPECT_EQ(ex.place(limit("alice", side::buy, "40000.00", "3", "x5"), t0).why.reason, "INSUFFICIENT_FUND");
  EXPECT_EQ(ex.place(market("alice", side::buy, "0.1", "x6"), t0).why.reason, "INVALID_NO_LIQUIDITY");
  auto bad = limit("alice", side::buy, "40000.00", "1", "x7");
  bad.product_id = "NOPE-USD";
  EXPECT_EQ(ex.place(bad, t0).why.reason, "INVALID_PRODUCT_ID");
  product eth = btc_usd();
  eth.id = "ETH-USD";
  eth.base_currency = "ETH";
  eth.base_increment = qty("0.0001");
  ex.add_product(eth);
  auto e = limit("alice", side::buy, "2000.00", "0.00015", "x8");
  e.product_id = "ETH-USD";
  EXPECT_EQ(ex.place(e, t0).why.reason, "INVALID_SIZE_PRECISION");
  EXPECT_TRUE(ex.list_orders({.user = "alice"}, "", 10).items.empty());
}

TEST_F(Matching, HoldsAreTakenOnPlacementAndReleasedOnCancel) {
  const auto& o = place_ok(limit("alice", side::buy, "40000.00", "1", "a1"));
  EXPECT_EQ(held("alice", "USD"), amt("40360"));  // notional + taker fee
  EXPECT_EQ(avail("alice", "USD"), amt("59640"));
  const auto& s = place_ok(limit("alice", side::sell, "60000.00", "2", "a2"));
  EXPECT_EQ(held("alice", "BTC"), amt("2"));
  EXPECT_TRUE(ex.cancel("alice", o.order_id, t0).ok());
  EXPECT_EQ(o.status, order_status::cancelled);
  EXPECT_EQ(held("alice", "USD"), amt("0"));
  EXPECT_EQ(avail("alice", "USD"), amt("100000"));
  EXPECT_EQ(ex.cancel("alice", o.order_id, t0).failure_reason, "DUPLICATE_CANCEL_REQUEST");
  EXPECT_EQ(ex.cancel("bob", s.order_id, t0).failure_reason, "UNKNOWN_CANCEL_ORDER");
}

TEST_F(Matching, MakerBuyFilledBelowHoldReturnsTheDifference) {
  const auto& o = place_ok(limit("alice", side::buy, "50000.00", "1", "a1"));
  place_ok(market("carol", side::sell, "1", "c1"));
  EXPECT_EQ(o.status, order_status::filled);
  EXPECT_EQ(held("alice", "USD"), amt("0"));
  EXPECT_EQ(avail("alice", "USD"), amt("49750"));  // 100000 - 50000 - 250 maker fee
  EXPECT_EQ(avail("alice", "BTC"), amt("11"));
}

TEST_F(Matching, MarketBuyByQuoteSizeSpendsAtMostTheQuoteIncludingFees) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  auto r = market("carol", side::buy, "0", "c1");
  r.base_size.reset();
  r.quote_size = usd("1000");
  const auto& o = place_ok(r);
  EXPECT_EQ(o.status, order_status::filled);
  auto spent = o.filled_value + exact_notional::of(o.total_fees);
  EXPECT_LE(spent, exact_notional::of(usd("1000")));
  EXPECT_GT(spent, exact_notional::of(usd("999.9")));
  EXPECT_EQ(held("carol", "USD"), amt("0"));
}

TEST_F(Matching, ProductStatusIsEnforced) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  const auto& rest = place_ok(limit("bob", side::buy, "40000.00", "0.1", "b1"));
  ex.set_status("BTC-USD", product_status::cancel_only, t0);
  EXPECT_EQ(ex.place(limit("carol", side::buy, "40000.00", "0.1", "c1"), t0).why.reason, "ORDER_ENTRY_DISABLED");
  EXPECT_TRUE(ex.cancel("bob", rest.order_id, t0).ok());
  ex.set_status("BTC-USD", product_status::limit_only, t0);
  EXPECT_EQ(ex.place(market("carol", side::buy, "0.1", "c2"), t0).why.reason, "ORDER_ENTRY_DISABLED");
  EXPECT_NE(ex.place(limit("carol", side::buy, "40000.00", "0.1", "c3"), t0).order, nullptr);
  ex.set_status("BTC-USD", product_status::post_only, t0);
  EXPECT_EQ(ex.place(limit("carol", side::buy, "40000.00", "0.1", "c4"), t0).why.reason, "ORDER_ENTRY_DISABLED");
  EXPECT_NE(ex.place(limit("carol", side::buy, "40000.00", "0.1", "c5", true), t0).order, nullptr);
  ex.set_status("BTC-USD", product_status::offline, t0);
  EXPECT_EQ(ex.place(limit("carol", side::buy, "40000.00", "0.1", "c6", true), t0).why.reason, "UNTRADABLE_PRODUCT");
  int status_events = 0;
  for (const auto& e : ex.events())
    status_events += std::holds_alternative<status_changed>(e) ? 1 : 0;
  EXPECT_EQ(status_events, 4);
}

TEST_F(Matching, ReusedClientOrderIdReturnsTheOriginalOrder) {
  auto first = ex.place(limit("alice", side::buy, "40000.00", "1", "same"), t0);
  auto again = ex.place(limit("alice", side::buy, "41000.00", "2", "same"), t0 + 1);
  ASSERT_NE(again.order, nullptr);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.order->order_id, first.order->order_id);
  EXPECT_EQ(ex.list_orders({.user = "alice"}, "", 10).items.size(), 1u);
  EXPECT_EQ(held("alice", "USD"), amt("40360"));
  // Another user may use the same client id.
  EXPECT_FALSE(ex.place(limit("bob", side::buy, "40000.00", "1", "same"), t0).duplicate);
  EXPECT_EQ(ex.find_by_client_id("alice", "same"), first.order);
}

TEST_F(Matching, SelfTradeCancelsTheRestingOrder) {
  const auto& a = place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  place_ok(limit("bob", side::sell, "50001.00", "1", "b1"));
  const auto& t = place_ok(market("alice", side::buy, "0.5", "a2"));
  EXPECT_EQ(a.status, order_status::cancelled);
  EXPECT_EQ(t.average_filled_price(), px("50001"));
}

TEST_F(Matching, OrdersPaginateNewestFirstWithCursor) {
  for (int i = 0; i < 5; ++i)
    place_ok(limit("alice", side::buy, "40000.00", "0.1", ("p" + std::to_string(i)).c_str()), t0 + i);
  place_ok(limit("bob", side::buy, "40000.00", "0.1", "other"));
  order_filter f{.user = "alice"};
  auto p1 = ex.list_orders(f, "", 2);
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_TRUE(p1.has_next);
  EXPECT_EQ(p1.items[0]->req.client_order_id, "p4");
  auto p2 = ex.list_orders(f, p1.cursor, 2);
  EXPECT_EQ(p2.items[0]->req.client_order_id, "p2");
  auto p3 = ex.list_orders(f, p2.cursor, 2);
  ASSERT_EQ(p3.items.size(), 1u);
  EXPECT_FALSE(p3.has_next);
  EXPECT_EQ(p3.cursor, "");
  EXPECT_EQ(p3.items[0]->req.client_order_id, "p0");
  f.start = t0 + 1;
  f.end = t0 + 3;
  EXPECT_EQ(ex.list_orders(f, "", 10).items.size(), 2u);
  f = {.user = "alice", .statuses = {order_status::filled}};
  EXPECT_TRUE(ex.list_orders(f, "", 10).items.empty());
}

TEST_F(Matching, FillsPaginateNewestFirstWithCursor) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  for (int i = 0; i < 3; ++i)
    place_ok(market("carol", side::buy, "0.1", ("c" + std::to_string(i)).c_str()), t0 + i);
  auto p1 = ex.list_fills({.user = "carol"}, "", 2);
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_TRUE(p1.has_next);
  auto p2 = ex.list_fills({.user = "carol"}, p1.cursor, 2);
  ASSERT_EQ(p2.items.size(), 1u);
  EXPECT_FALSE(p2.has_next);
  EXPECT_EQ(p2.items[0]->client_order_id, "c0");
  EXPECT_EQ(ex.list_fills({.user = "alice", .trade_ids = {p2.items[0]->trade_id}}, "", 10).items.size(), 1u);
}

TEST_F(Matching, EveryChangeEmitsEventsWithAPerProductSequence) {
  ex.clear_events();
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  place_ok(market("carol", side::buy, "0.25", "c1"));
  std::uint64_t last_seq = 0;
  int trades = 0, fills = 0, books = 0, tickers = 0, orders = 0;
  for (const auto& e : ex.events()) {
    if (const auto* b = std::get_if<book_change>(&e)) {
      EXPECT_EQ(b->sequence, last_seq + 1);
      last_seq = b->sequence;
      ++books;
    }
    trades += std::holds_alternative<trade_print>(e);
    fills += std::holds_alternative<fill_happened>(e);
    tickers += std::holds_alternative<ticker_change>(e);
    orders += std::holds_alternative<order_changed>(e);
  }
  EXPECT_EQ(books, 2);   // level added, level reduced
  EXPECT_EQ(trades, 1);
  EXPECT_EQ(fills, 2);   // maker and taker
  EXPECT_EQ(tickers, 1);  // one match, one ticker: Coinbase sends ticker on matches only
  EXPECT_GE(orders, 3);
  EXPECT_EQ(ex.book_sequence("BTC-USD"), last_seq);
}

// Verifies that one taker meeting several makers (a cascade) gives one print per maker but one
// ticker, after the book changes, quoting the last price and the book the cascade left.
TEST_F(Matching, ACascadeThroughSeveralMakersGivesOneTickerAfterTheBookChanges) {
  place_ok(limit("alice", side::sell, "50000.00", "0.1", "a1"));
  place_ok(limit("alice", side::sell, "50001.00", "0.1", "a2"));
  place_ok(limit("bob", side::sell, "50002.00", "0.1", "b1"));
  place_ok(limit("bob", side::sell, "50003.00", "0.1", "b2"));
  const std::string bid_id = place_ok(limit("bob", side::buy, "49990.00", "0.1", "b3")).order_id;
  ex.clear_events();
  place_ok(market("carol", side::buy, "0.25", "c1"));
  int trades = 0, tickers = 0;
  std::size_t last_book = 0, ticker_at = 0;
  for (std::size_t i = 0; i < ex.events().size(); ++i) {
    const auto& e = ex.events()[i];
    trades += std::holds_alternative<trade_print>(e);
    if (std::holds_alternative<book_change>(e))
      last_book = i;
    if (const auto* t = std::get_if<ticker_change>(&e)) {
      ++tickers;
      ticker_at = i;
      EXPECT_EQ(t->last, px("50002.00"));
      EXPECT_EQ(t->best_ask, px("50002.00"));  // 0.05 left there
      EXPECT_EQ(t->best_ask_qty, qty("0.05"));
      EXPECT_EQ(t->best_bid, px("49990.00"));
    }
  }
  EXPECT_EQ(trades, 3);
  EXPECT_EQ(tickers, 1);
  EXPECT_GT(ticker_at, last_book);
  // A book change without a match (a cancel) sends no ticker.
  ex.clear_events();
  ASSERT_TRUE(ex.cancel("bob", bid_id, t0).ok());
  for (const auto& e : ex.events())
    EXPECT_FALSE(std::holds_alternative<ticker_change>(e));
}

TEST_F(Matching, PreviewEstimatesWithoutPlacing) {
  place_ok(limit("alice", side::sell, "50000.00", "1", "a1"));
  auto p = ex.preview(market("carol", side::buy, "0.5", ""), t0);
  EXPECT_FALSE(p.why);
  EXPECT_EQ(p.base_size, qty("0.5"));
  EXPECT_EQ(p.quote_size, usd("25000"));
  EXPECT_EQ(p.commission_total, usd("225"));
  EXPECT_EQ(p.order_total, usd("25225"));
  EXPECT_EQ(p.best_ask, px("50000"));
  EXPECT_EQ(ex.book("BTC-USD")->qty_at(side::sell, px("50000")), qty("1"));
  EXPECT_EQ(ex.preview(limit("carol", side::buy, "50000.00", "3", ""), t0).why.preview_reason, "PREVIEW_INSUFFICIENT_FUND");
}

TEST_F(Matching, LimitIocFillsWhatCrossesAndCancelsTheRest) {
  place_ok(limit("alice", side::sell, "50000.00", "0.3", "a1"));
  auto r = limit("carol", side::buy, "50000.00", "1", "c1");
  r.kind = order_kind::limit_ioc;
  const auto& o = place_ok(r);
  EXPECT_EQ(o.status, order_status::cancelled);
  EXPECT_EQ(o.filled_size, qty("0.3"));
  EXPECT_FALSE(ex.book("BTC-USD")->best(side::buy).has_value());
  EXPECT_EQ(held("carol", "USD"), amt("0"));
}

TEST_F(Matching, LimitFokExecutesAllOrNothing) {
  place_ok(limit("alice", side::sell, "50000.00", "0.3", "a1"));
  auto r = limit("carol", side::buy, "50000.00", "0.5", "c1");
  r.kind = order_kind::limit_fok;
  const auto& killed = place_ok(r);
  EXPECT_EQ(killed.status, order_status::cancelled);
  EXPECT_TRUE(killed.filled_size.is_zero());
  EXPECT_EQ(ex.book("BTC-USD")->qty_at(side::sell, px("50000")), qty("0.3"));
  r.client_order_id = "c2";
  r.base_size = qty("0.3");
  EXPECT_EQ(place_ok(r).status, order_status::filled);
  r.client_order_id = "c3";
  r.post_only = true;
  EXPECT_EQ(ex.place(r, t0).why.reason, "POST_ONLY_NOT_ALLOWED_WITH_FOK");
}

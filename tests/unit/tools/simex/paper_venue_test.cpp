// PAPER's fill simulator: simex's engine fed with live quotes (tools/simex/paper). A resting
// order fills when the live market moves through its price; a market order takes the live
// top of book; the exchange's refusals (post-only crossing, insufficient funds) hold.
#include "tools/simex/paper/paper_venue.hpp"

#include <gtest/gtest.h>

using namespace trader;
using trader::simex::paper_venue;

namespace {

constexpr ts_ns t0 = 1'795'219'200LL * ns_per_s;

price px(double v) { return price::from_double(v); }
size sz(double v) { return size::from_double(v); }

quote q(double bid, double ask, double bid_qty = 1, double ask_qty = 1) {
  quote x{};
  x.product = product_id{"BTC-USD"};
  x.bid = px(bid);
  x.ask = px(ask);
  x.bid_size = sz(bid_qty);
  x.ask_size = sz(ask_qty);
  return x;
}

create_order limit_buy(const char* id, double limit, double qty, bool post_only = true) {
  create_order c;
  c.id = client_order_id{id};
  c.product = product_id{"BTC-USD"};
  c.dir = side::buy;
  c.type = order_type::limit;
  c.tif = time_in_force::gtc;
  c.limit_px = px(limit);
  c.base_size = sz(qty);
  c.post_only = post_only;
  return c;
}

create_order market(const char* id, side dir, double qty) {
  create_order c;
  c.id = client_order_id{id};
  c.product = product_id{"BTC-USD"};
  c.dir = dir;
  c.type = order_type::market;
  c.tif = time_in_force::ioc;
  c.base_size = sz(qty);
  return c;
}

} // namespace

TEST(PaperVenue, ARestingBuyFillsAsMakerWhenTheLiveAskComesDownToIt) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  auto a = v.create(limit_buy("c1", 100.5, 0.5), t0);
  ASSERT_TRUE(a.accepted) << a.failure_reason;
  auto placed = v.drain(t0);
  ASSERT_EQ(placed.updates.size(), 1u);
  EXPECT_EQ(placed.updates[0].state, order_state::open);
  EXPECT_TRUE(placed.fills.empty());
  v.on_quote(q(100, 100.4), t0 + ns_per_s);  // the ask moves through the limit
  auto f = v.drain(t0 + ns_per_s);
  ASSERT_EQ(f.fills.size(), 1u);
  EXPECT_EQ(f.fills[0].order, client_order_id{"c1"});
  EXPECT_EQ(f.fills[0].exchange_order, a.exchange_id);
  EXPECT_EQ(f.fills[0].px, px(100.5));  // a maker fills at its own limit
  EXPECT_EQ(f.fills[0].qty, sz(0.5));
  EXPECT_EQ(f.fills[0].liq, liquidity::maker);
  EXPECT_GT(f.fills[0].fee.units, 0);
  ASSERT_FALSE(f.updates.empty());
  EXPECT_EQ(f.updates.back().state, order_state::filled);
}

TEST(PaperVenue, ARestingOrderLargerThanTheLiveSizeFillsPartially) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  ASSERT_TRUE(v.create(limit_buy("c1", 100.5, 2), t0).accepted);
  v.drain(t0);
  v.on_quote(q(100, 100.5, 1, 0.75), t0 + ns_per_s);
  auto f = v.drain(t0 + ns_per_s);
  ASSERT_EQ(f.fills.size(), 1u);
  EXPECT_EQ(f.fills[0].qty, sz(0.75));
  EXPECT_EQ(f.updates.back().state, order_state::partially_filled);
  EXPECT_EQ(f.updates.back().filled_size, sz(0.75));
  auto open = v.open_orders({}, t0 + ns_per_s);
  ASSERT_EQ(open.orders.size(), 1u);
}

TEST(PaperVenue, AMarketBuyTakesTheLiveAskAsTaker) {
  paper_venue v;
  v.on_quote(q(100, 101, 1, 2), t0);
  auto a = v.create(market("m1", side::buy, 0.5), t0);
  ASSERT_TRUE(a.accepted) << a.failure_reason;
  auto f = v.drain(t0);
  ASSERT_EQ(f.fills.size(), 1u);
  EXPECT_EQ(f.fills[0].px, px(101));
  EXPECT_EQ(f.fills[0].qty, sz(0.5));
  EXPECT_EQ(f.fills[0].liq, liquidity::taker);
  EXPECT_EQ(f.updates.back().state, order_state::filled);
}

TEST(PaperVenue, APostOnlyOrderThatWouldTakeIsRefused) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  auto a = v.create(limit_buy("c1", 101, 0.1), t0);
  EXPECT_FALSE(a.accepted);
  EXPECT_FALSE(a.failure_reason.empty());
}

TEST(PaperVenue, SellingCoinsTheAccountDoesNotHoldIsRefused) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  auto a = v.create(market("s1", side::sell, 0.1), t0);
  EXPECT_FALSE(a.accepted);
  EXPECT_EQ(a.failure_reason, "INSUFFICIENT_FUND");
}

TEST(PaperVenue, NoQuoteYetMeansNothingToTradeAgainst) {
  paper_venue v;
  EXPECT_FALSE(v.create(limit_buy("c1", 100, 0.1), t0).accepted);
}

TEST(PaperVenue, OrdersAreFoundByClientIdOrExchangeIdAndCancelled) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  auto a = v.create(limit_buy("c1", 99, 0.1), t0);
  ASSERT_TRUE(a.accepted);
  auto by_client = v.find(get_order{{}, client_order_id{"c1"}});
  ASSERT_TRUE(by_client);
  EXPECT_EQ(by_client->exchange_id, a.exchange_id);
  EXPECT_TRUE(v.find(get_order{a.exchange_id, {}}));
  EXPECT_FALSE(v.find(get_order{{}, client_order_id{"nope"}}));
  auto r = v.cancel(cancel_orders{{a.exchange_id}, "test"}, t0);
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_TRUE(r.results[0].success);
  EXPECT_EQ(v.find(get_order{a.exchange_id, {}})->state, order_state::canceled);
  EXPECT_TRUE(v.open_orders({}, t0).orders.empty());
}

TEST(PaperVenue, AReusedClientOrderIdPlacesNothingNew) {
  paper_venue v;
  v.on_quote(q(100, 101), t0);
  auto a = v.create(limit_buy("c1", 99, 0.1), t0);
  auto b = v.create(limit_buy("c1", 99, 0.1), t0);
  EXPECT_EQ(a.exchange_id, b.exchange_id);
  EXPECT_EQ(v.open_orders({}, t0).orders.size(), 1u);
}

TEST(PaperVenue, FillsAndBalancesFollowTheTrades) {
  paper_venue v;
  v.on_quote(q(100, 101, 1, 2), t0);
  ASSERT_TRUE(v.create(market("m1", side::buy, 1), t0).accepted);
  auto fills = v.fills(get_fills{t0 - ns_per_s, {}, {}}, t0);
  ASSERT_EQ(fills.fills.size(), 1u);
  auto b = v.balances(t0);
  notional usd, btc;
  for (auto& x : b.balances) {
    if (x.currency == "USD")
      usd = x.available;
    if (x.currency == "BTC")
      btc = x.available;
  }
  EXPECT_EQ(btc, notional::from_int(1));
  EXPECT_EQ(usd, notional::from_int(10'000) - notional::from_int(101) - fills.fills[0].fee);
}

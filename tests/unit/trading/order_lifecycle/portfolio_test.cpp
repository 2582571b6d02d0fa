// The portfolio_update order_lifecycle publishes to risk, built from the lifecycle book:
// positions with their opener and fill count, working orders as pending exposure, PnL
// buckets of the UTC day and ISO week.
#include "actors/trading/order_lifecycle/lifecycle_book.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns s = ns_per_s;
constexpr ts_ns nov21 = 1'795'219'200LL * s;  // 2026-11-21T00:00:00Z, a Saturday

price px(double v) { return price::from_double(v); }
size sz(double v) { return size::from_double(v); }
notional usd(double v) { return notional::from_double(v); }

order_intent limit(side dir, double p, double q, const char* strategy = "momentum:1") {
  order_intent in;
  in.proposal_id = strategy;
  in.product = product_id{"BTC-USD"};
  in.dir = dir;
  in.limit_px = px(p);
  in.base_size = sz(q);
  return in;
}

/// Prepares, tracks and acknowledges an intent; returns its client order id.
client_order_id place(lifecycle_book& b, const order_intent& in, ts_ns t) {
  auto p = b.prepare(in, t);
  EXPECT_TRUE(p.refused.empty()) << p.refused;
  b.track(p);
  auto c = b.on_ack(order_ack{p.rec.id, exchange_order_id{"ex-" + p.rec.id.value}, true, {}, false, false}, t);
  b.commit(c, t);
  return p.rec.id;
}

void book_fill(lifecycle_book& b, const client_order_id& id, const char* trade, side dir, double p, double q,
               double fee, ts_ns t) {
  fill f;
  f.trade = trade_id{trade};
  f.order = id;
  f.exchange_order = exchange_order_id{"ex-" + id.value};
  f.product = product_id{"BTC-USD"};
  f.dir = dir;
  f.px = px(p);
  f.qty = sz(q);
  f.fee = usd(fee);
  f.ts_event = t;
  auto plan = b.plan_fill(f, t);
  ASSERT_FALSE(plan.duplicate);
  ASSERT_TRUE(plan.invalid.empty()) << plan.invalid;
  b.commit_fill(std::move(plan), t);
}

} // namespace

TEST(Portfolio, AnAcceptedOrderIsWorkingExposureAtItsLimitPrice) {
  lifecycle_book b{{}};
  auto id = place(b, limit(side::buy, 100, 2), nov21);
  auto u = b.portfolio(nov21);
  ASSERT_EQ(u.working.size(), 1u);
  EXPECT_EQ(u.working[0].id, id);
  EXPECT_EQ(u.working[0].strategy, "momentum");
  EXPECT_EQ(u.working[0].state, order_state::open);
  EXPECT_EQ(u.working[0].remaining_qty, sz(2));
  EXPECT_EQ(u.working[0].remaining, usd(200));
  EXPECT_TRUE(u.positions.empty());
}

TEST(Portfolio, APartialFillMovesExposureFromWorkingToThePosition) {
  lifecycle_book b{{}};
  auto id = place(b, limit(side::buy, 100, 2), nov21);
  book_fill(b, id, "t1", side::buy, 100, 0.5, 0.1, nov21 + s);
  auto u = b.portfolio(nov21 + 2 * s);
  ASSERT_EQ(u.working.size(), 1u);
  EXPECT_EQ(u.working[0].state, order_state::partially_filled);
  EXPECT_EQ(u.working[0].remaining_qty, sz(1.5));
  EXPECT_EQ(u.working[0].remaining, usd(150));
  ASSERT_EQ(u.positions.size(), 1u);
  EXPECT_EQ(u.positions[0].qty, sz(0.5));
  EXPECT_EQ(u.positions[0].avg_entry, px(100));
  EXPECT_EQ(u.positions[0].strategy, "momentum");
  EXPECT_EQ(u.positions[0].fills, 1);
  EXPECT_EQ(u.positions[0].opened_at, nov21 + s);
  EXPECT_EQ(u.fees_total, usd(0.1));
}

TEST(Portfolio, AFilledOrderIsNoLongerWorking) {
  lifecycle_book b{{}};
  auto id = place(b, limit(side::buy, 100, 1), nov21);
  book_fill(b, id, "t1", side::buy, 100, 1, 0, nov21 + s);
  auto u = b.portfolio(nov21 + 2 * s);
  EXPECT_TRUE(u.working.empty());
  ASSERT_EQ(u.positions.size(), 1u);
  EXPECT_EQ(u.positions[0].qty, sz(1));
}

TEST(Portfolio, AClosedPositionLeavesRealizedPnlInTheDayWeekAndTotalBuckets) {
  lifecycle_book b{{}};
  auto buy = place(b, limit(side::buy, 100, 1), nov21);
  book_fill(b, buy, "t1", side::buy, 100, 1, 0, nov21 + s);
  auto sell = place(b, limit(side::sell, 110, 1, "exit:2"), nov21 + 2 * s);
  book_fill(b, sell, "t2", side::sell, 110, 1, 0, nov21 + 3 * s);
  auto u = b.portfolio(nov21 + 4 * s);
  EXPECT_TRUE(u.positions.empty());
  EXPECT_EQ(u.realized_day, usd(10));
  EXPECT_EQ(u.realized_week, usd(10));
  EXPECT_EQ(u.realized_total, usd(10));
  // The next UTC day (a Sunday, same ISO week): the day bucket is empty, the week is not.
  auto next_day = b.portfolio(nov21 + 86'400 * s);
  EXPECT_EQ(next_day.realized_day, usd(0));
  EXPECT_EQ(next_day.realized_week, usd(10));
}

TEST(Portfolio, AReopenedPositionCountsItsFillsAndOpenerAfresh) {
  lifecycle_book b{{}};
  auto a = place(b, limit(side::buy, 100, 1), nov21);
  book_fill(b, a, "t1", side::buy, 100, 1, 0, nov21 + s);
  auto c = place(b, limit(side::sell, 100, 1, "exit:2"), nov21 + 2 * s);
  book_fill(b, c, "t2", side::sell, 100, 1, 0, nov21 + 3 * s);
  auto d = place(b, limit(side::buy, 90, 1, "meanrev:3"), nov21 + 4 * s);
  book_fill(b, d, "t3", side::buy, 90, 1, 0, nov21 + 5 * s);
  auto u = b.portfolio(nov21 + 6 * s);
  ASSERT_EQ(u.positions.size(), 1u);
  EXPECT_EQ(u.positions[0].strategy, "meanrev");
  EXPECT_EQ(u.positions[0].fills, 1);
  EXPECT_EQ(u.positions[0].opened_at, nov21 + 5 * s);
}

TEST(Portfolio, RestoreRebuildsThePositionMeta) {
  lifecycle_book live{{}};
  auto a = place(live, limit(side::buy, 100, 1), nov21);
  book_fill(live, a, "t1", side::buy, 100, 0.4, 0, nov21 + s);
  book_fill(live, a, "t2", side::buy, 100, 0.6, 0, nov21 + 2 * s);
  std::vector<persistence::fill_record> fills;
  for (const char* t : {"t2", "t1"}) {  // stored order does not matter
    persistence::fill_record r;
    r.trade = trade_id{t};
    r.order = a;
    r.product = product_id{"BTC-USD"};
    r.side = persistence::order_side::buy;
    r.px = px(100);
    r.qty = sz(std::string_view{t} == "t1" ? 0.4 : 0.6);
    r.ts_event = nov21 + (std::string_view{t} == "t1" ? 1 : 2) * s;
    fills.push_back(r);
  }
  lifecycle_book restored{{}};
  EXPECT_EQ(restored.restore({}, fills), "");
  auto u = restored.portfolio(nov21 + 3 * s);
  ASSERT_EQ(u.positions.size(), 1u);
  EXPECT_EQ(u.positions[0].fills, 2);
  EXPECT_EQ(u.positions[0].opened_at, nov21 + s);
  EXPECT_EQ(u.positions[0].strategy, "momentum");
  EXPECT_EQ(u.positions[0].qty, sz(1));
}

// Coinbase's user stream (and PAPER's venue) often says FILLED before the fill itself comes:
// the fill still belongs to its order (by client or exchange id), is booked once, and is not
// reported as the fill of an unknown order.
TEST(Portfolio, AFillAfterItsOrdersTerminalUpdateIsStillItsOrders) {
  lifecycle_book b{{}};
  auto id = place(b, limit(side::buy, 100, 2), nov21);
  order_update u;
  u.id = id;
  u.exchange_id = exchange_order_id{"ex-" + id.value};
  u.product = product_id{"BTC-USD"};
  u.state = order_state::filled;
  u.filled_size = sz(2);
  u.avg_fill_px = px(100);
  u.ts_event = nov21 + s;
  b.commit(b.on_update(u, nov21 + s), nov21 + s);
  ASSERT_TRUE(b.portfolio(nov21 + s).working.empty());

  fill f;
  f.trade = trade_id{"t1"};
  f.exchange_order = exchange_order_id{"ex-" + id.value};  // by exchange id only
  f.product = product_id{"BTC-USD"};
  f.dir = side::buy;
  f.px = px(100);
  f.qty = sz(2);
  f.fee = usd(0.2);
  f.ts_event = nov21 + s;
  auto plan = b.plan_fill(f, nov21 + 2 * s);
  EXPECT_FALSE(plan.unknown_order);
  EXPECT_EQ(plan.commit.fill.order, id);
  b.commit_fill(std::move(plan), nov21 + 2 * s);
  auto p = b.portfolio(nov21 + 2 * s);
  ASSERT_EQ(p.positions.size(), 1u);
  EXPECT_EQ(p.positions[0].qty, sz(2));
  EXPECT_EQ(p.positions[0].strategy, "momentum");

  f.trade = trade_id{"t2"};
  f.exchange_order = exchange_order_id{"ex-someone-else"};
  EXPECT_TRUE(b.plan_fill(f, nov21 + 3 * s).unknown_order) << "an order never seen stays unknown";
}

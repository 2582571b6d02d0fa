// The reconcile diff, a test per outcome: agree, resolve, failed after the window, look
// again, lost open order, refused state, identity conflict, unknown exchange orders per
// policy, fills applied once, fills of unknown orders.
#include "actors/trading/order_lifecycle/reconcile.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns s = ns_per_s;
constexpr ts_ns now = 1'795'219'200LL * s;

size sz(double v) { return size::from_double(v); }

local_order local(const char* id, order_state st, double filled = 0, ts_ns updated = now - 5 * s) {
  local_order o;
  o.id = client_order_id{id};
  o.product = product_id{"BTC-USD"};
  o.state = st;
  o.ordered = sz(1);
  o.filled = sz(filled);
  o.updated_at = updated;
  if (st == order_state::open || st == order_state::partially_filled)
    o.exchange_id = exchange_order_id{std::string{"x-"} + id};
  return o;
}

exchange_order remote(const char* id, order_state st, double filled = 0) {
  exchange_order o;
  o.id = exchange_order_id{std::string{"x-"} + id};
  o.client_id = client_order_id{id};
  o.product = product_id{"BTC-USD"};
  o.state = st;
  o.ordered = sz(1);
  o.filled = sz(filled);
  return o;
}

fill make_fill(const char* trade, const char* order, ts_ns t) {
  fill f;
  f.trade = trade_id{trade};
  f.order = client_order_id{order};
  f.product = product_id{"BTC-USD"};
  f.px = price::from_int(100);
  f.qty = sz(0.1);
  f.ts_event = t;
  return f;
}

reconcile_policy policy(unknown_order_policy p = unknown_order_policy::cancel) {
  reconcile_policy r;
  r.on_unknown = p;
  r.not_found_window_ns = 60 * s;
  return r;
}

auto none_applied = [](const trade_id&) { return false; };

} // namespace

TEST(Reconcile, AgreeingOpenOrderNeedsNothing) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::open)};
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.agreed());
  EXPECT_TRUE(plan.resolve.empty());
  EXPECT_TRUE(lookups_needed({local("a", order_state::open)}, ex.open_orders).empty());
}

TEST(Reconcile, UnknownOrderFoundByClientIdIsResolvedToTheExchangeState) {
  exchange_view ex;
  ex.found_by_client_id = {remote("a", order_state::partially_filled, 0.4)};
  auto plan = reconcile({local("a", order_state::unknown)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].from, order_state::unknown);
  EXPECT_EQ(plan.resolve[0].to, order_state::partially_filled);
  EXPECT_EQ(plan.resolve[0].filled, sz(0.4));
  EXPECT_EQ(plan.resolve[0].exchange_id.value, "x-a");
  EXPECT_STREQ(plan.resolve[0].note, "resolved by client order id");
  EXPECT_TRUE(plan.agreed());
}

TEST(Reconcile, CreatedOrderFoundOnlyInTheRecentOrdersListIsResolved) {
  // The by-client-id lookup found nothing; the recent-orders list (which carries
  // client_order_id) is the cross-check that finds it.
  exchange_view ex;
  ex.recent_orders = {remote("a", order_state::filled, 1)};
  auto plan = reconcile({local("a", order_state::created)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].to, order_state::filled);
  EXPECT_TRUE(plan.mark_failed.empty());
}

TEST(Reconcile, SourcesDisagreeingTheMostAdvancedWins) {
  exchange_view ex;
  ex.found_by_client_id = {remote("a", order_state::open)};
  ex.recent_orders = {remote("a", order_state::filled, 1)};
  auto plan = reconcile({local("a", order_state::unknown)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].to, order_state::filled);
}

TEST(Reconcile, OpenOrderThatFilledWhileWeWereDownIsResolved) {
  exchange_view ex;
  ex.recent_orders = {remote("a", order_state::filled, 1)};
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].from, order_state::open);
  EXPECT_EQ(plan.resolve[0].to, order_state::filled);
  EXPECT_TRUE(plan.agreed());
}

TEST(Reconcile, NotFoundAfterTheWindowIsFailed) {
  auto plan = reconcile({local("a", order_state::unknown, 0, now - 61 * s)}, {}, now, policy(), none_applied);
  ASSERT_EQ(plan.mark_failed.size(), 1u);
  EXPECT_EQ(plan.mark_failed[0].value, "a");
  EXPECT_TRUE(plan.lookup_again.empty());
  EXPECT_TRUE(plan.agreed());
}

TEST(Reconcile, NotFoundInsideTheWindowIsLookedUpAgain) {
  auto plan = reconcile({local("a", order_state::created, 0, now - 10 * s)}, {}, now, policy(), none_applied);
  EXPECT_TRUE(plan.mark_failed.empty());
  ASSERT_EQ(plan.lookup_again.size(), 1u);
  EXPECT_FALSE(plan.agreed());  // the gate stays reconcile_pending
}

TEST(Reconcile, OpenOrderMissingEverywhereIsALostOpenOrderMismatch) {
  auto plan = reconcile({local("a", order_state::open)}, {}, now, policy(), none_applied);
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::lost_open_order);
  EXPECT_EQ(plan.mismatches[0].detail, "local=open filled=0 exchange=<not found>");
  EXPECT_FALSE(plan.agreed());
}

// PAPER's simulated venue keeps no resting order across a daemon restart: the soak's PAPER
// phase held reconcile_pending for 25 minutes on such an order. There it is canceled.
TEST(Reconcile, InPaperAnOpenOrderTheVenueForgotIsCanceledNotAMismatch) {
  auto p = policy();
  p.venue_forgets_open_orders = true;
  auto plan = reconcile({local("a", order_state::partially_filled, 0)}, {}, now, p, none_applied);
  EXPECT_TRUE(plan.mismatches.empty());
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].id.value, "a");
  EXPECT_EQ(plan.resolve[0].to, order_state::canceled);
  EXPECT_TRUE(plan.agreed());
  // created / unknown orders are still looked up and re-sent or failed, as in LIVE
  auto pending = reconcile({local("b", order_state::created, 0, now - 10 * s)}, {}, now, p, none_applied);
  EXPECT_TRUE(pending.resolve.empty());
  EXPECT_EQ(pending.lookup_again.size(), 1u);
}

TEST(Reconcile, LookupsNamePendingAndMissingOpenOrders) {
  std::vector<local_order> l{local("new", order_state::created), local("unk", order_state::unknown),
                             local("here", order_state::open), local("gone", order_state::partially_filled, 0.5),
                             local("done", order_state::canceled)};
  auto ids = lookups_needed(l, {remote("here", order_state::open)});
  std::set<std::string> got;
  for (auto& id : ids)
    got.insert(id.value);
  EXPECT_EQ(got, (std::set<std::string>{"new", "unk", "gone"}));
}

TEST(Reconcile, ExchangeStateThatMovesBackwardsIsAMismatchNotAResolution) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::open, 0.2)};  // we already booked 0.5
  auto plan = reconcile({local("a", order_state::partially_filled, 0.5)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.resolve.empty());
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::state_refused);
  EXPECT_NE(plan.mismatches[0].detail.find("FILLED_DECREASED"), std::string::npos);
}

TEST(Reconcile, OverfilledOrderIsAMismatch) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::partially_filled, 1.5)};
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_NE(plan.mismatches[0].detail.find("OVERFILL"), std::string::npos);
}

TEST(Reconcile, SameClientIdOnAnotherProductIsAnIdentityConflict) {
  exchange_view ex;
  auto r = remote("a", order_state::open);
  r.product = product_id{"ETH-USD"};
  ex.found_by_client_id = {r};
  auto plan = reconcile({local("a", order_state::unknown)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.resolve.empty());
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::identity_conflict);
}

TEST(Reconcile, UnknownExchangeOrderIsCancelledUnderCancelPolicy) {
  exchange_view ex;
  ex.open_orders = {remote("foreign", order_state::open)};
  auto plan = reconcile({}, ex, now, policy(unknown_order_policy::cancel), none_applied);
  ASSERT_EQ(plan.cancel.size(), 1u);
  EXPECT_TRUE(plan.adopt.empty());
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::unknown_exchange_order);
  EXPECT_NE(plan.mismatches[0].detail.find("policy=cancel"), std::string::npos);
}

TEST(Reconcile, UnknownExchangeOrderIsAdoptedUnderAdoptPolicy) {
  exchange_view ex;
  ex.open_orders = {remote("foreign", order_state::open)};
  auto plan = reconcile({}, ex, now, policy(unknown_order_policy::adopt), none_applied);
  ASSERT_EQ(plan.adopt.size(), 1u);
  EXPECT_TRUE(plan.cancel.empty());
  EXPECT_EQ(plan.mismatches.size(), 1u);  // alerted all the same
}

TEST(Reconcile, AnUnknownOrderWhoseSideIsNotReportedIsNotAdoptedButAlerted) {
  exchange_view ex;
  auto r = remote("foreign", order_state::open);
  r.dir_known = false;
  ex.open_orders = {r};
  auto plan = reconcile({}, ex, now, policy(unknown_order_policy::adopt), none_applied);
  EXPECT_TRUE(plan.adopt.empty());
  EXPECT_TRUE(plan.cancel.empty());
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_NE(plan.mismatches[0].detail.find("not adopted"), std::string::npos);
  EXPECT_FALSE(plan.agreed());
}

TEST(Reconcile, AQuoteSizedUnknownOrderIsNotAdopted) {
  exchange_view ex;
  auto r = remote("foreign", order_state::open);
  r.ordered = size{};
  ex.open_orders = {r};
  auto plan = reconcile({}, ex, now, policy(unknown_order_policy::adopt), none_applied);
  EXPECT_TRUE(plan.adopt.empty());
  EXPECT_EQ(plan.mismatches.size(), 1u);
}

TEST(Reconcile, AnIntentTheByClientIdLookupMissesIsResolvedFromTheRecentOrdersList) {
  // Coinbase's by-client-id lookup is undocumented: an order it does not find but the
  // recent-orders list carries is the exchange's, never failed (and never re-sent).
  exchange_view ex;
  ex.recent_orders = {remote("a", order_state::filled, 1)};
  auto plan = reconcile({local("a", order_state::unknown, 0, now - 600 * s)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.mark_failed.empty());
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].to, order_state::filled);
  EXPECT_TRUE(plan.agreed());
}

TEST(Reconcile, AnOrderWithoutAReportedSideIsComparedOnProductAndExchangeIdOnly) {
  exchange_view ex;
  auto r = remote("a", order_state::open);
  r.dir = side::sell;
  r.dir_known = false;
  ex.open_orders = {r};
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.agreed());
  r.dir_known = true;  // reported, and not ours: a conflict
  ex.open_orders = {r};
  plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::identity_conflict);
}

TEST(Reconcile, UnknownExchangeOrderIsOnlyReportedUnderAlertPolicy) {
  exchange_view ex;
  ex.open_orders = {remote("foreign", order_state::open)};
  auto plan = reconcile({}, ex, now, policy(unknown_order_policy::alert), none_applied);
  EXPECT_TRUE(plan.adopt.empty());
  EXPECT_TRUE(plan.cancel.empty());
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_NE(plan.mismatches[0].detail.find("policy=alert_only"), std::string::npos);
}

TEST(Reconcile, OpenOrderKnownByExchangeIdOnlyIsNotUnknown) {
  exchange_view ex;
  auto r = remote("a", order_state::open);
  r.client_id = client_order_id{};  // a user-stream row without client id
  ex.open_orders = {r};
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), none_applied);
  EXPECT_TRUE(plan.cancel.empty());
}

TEST(Reconcile, FillsAreAppliedOnceInExchangeTimeOrder) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::partially_filled, 0.3)};
  ex.recent_fills = {make_fill("f3", "a", now - 1 * s), make_fill("f1", "a", now - 3 * s),
                     make_fill("f2", "a", now - 2 * s), make_fill("f1", "a", now - 3 * s),
                     make_fill("old", "a", now - 9 * s)};
  auto applied = [](const trade_id& t) { return t.value == "old"; };
  auto plan = reconcile({local("a", order_state::open)}, ex, now, policy(), applied);
  ASSERT_EQ(plan.apply_fills.size(), 3u);
  EXPECT_EQ(plan.apply_fills[0].trade.value, "f1");
  EXPECT_EQ(plan.apply_fills[1].trade.value, "f2");
  EXPECT_EQ(plan.apply_fills[2].trade.value, "f3");
  EXPECT_TRUE(plan.agreed());
}

TEST(Reconcile, FillOfAnOrderNobodyKnowsIsBookedAndReported) {
  exchange_view ex;
  ex.recent_fills = {make_fill("f1", "manual-order", now - s)};
  auto plan = reconcile({}, ex, now, policy(), none_applied);
  EXPECT_EQ(plan.apply_fills.size(), 1u);
  ASSERT_EQ(plan.mismatches.size(), 1u);
  EXPECT_EQ(plan.mismatches[0].kind, mismatch_kind::fill_for_unknown_order);
  EXPECT_EQ(plan.mismatches[0].id, "f1");
}

TEST(Reconcile, LearningTheExchangeIdIsAResolution) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::open)};
  auto l = local("a", order_state::open);
  l.exchange_id = exchange_order_id{};
  auto plan = reconcile({l}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].to, order_state::open);
  EXPECT_EQ(plan.resolve[0].exchange_id.value, "x-a");
}

TEST(Reconcile, OrderGivenUpAsFailedThatTurnsUpOpenFollowsTheExchange) {
  exchange_view ex;
  ex.open_orders = {remote("a", order_state::open)};
  auto plan = reconcile({local("a", order_state::failed)}, ex, now, policy(), none_applied);
  ASSERT_EQ(plan.resolve.size(), 1u);
  EXPECT_EQ(plan.resolve[0].to, order_state::open);
  EXPECT_STREQ(plan.resolve[0].note, "found after the lookup window: the exchange is the truth");
  EXPECT_TRUE(plan.cancel.empty());  // ours, not an unknown order
}

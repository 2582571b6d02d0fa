// The balance reconcile (balance_check.hpp), a test per outcome: agree, within the tolerance,
// a difference (unconfirmed, then confirmed), a currency the exchange does not list, the
// baseline of coins held outside the ledger, and its bytes.
#include "actors/trading/order_lifecycle/balance_check.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

size sz(double v) { return size::from_double(v); }

balance bal(const char* currency, double available, double hold = 0) {
  return balance{currency, notional::from_double(available), notional::from_double(hold)};
}

std::map<std::string, position> positions(std::initializer_list<std::pair<const char*, double>> xs) {
  std::map<std::string, position> out;
  for (auto& [product, qty] : xs)
    out[product].qty = sz(qty);
  return out;
}

/// A reconciler whose first check saw the account before any fill: 1 BTC and 10 ETH outside.
balance_reconciler seen_before_trading() {
  balance_reconciler r;
  auto first = r.check({}, {bal("USD", 100'000), bal("BTC", 1), bal("ETH", 10)});
  EXPECT_TRUE(first.agreed());
  EXPECT_TRUE(first.baseline_changed);
  return r;
}

TEST(BalanceCheck, BaseCurrencyIsThePartBeforeTheDash) {
  EXPECT_EQ(base_currency_of("BTC-USD"), "BTC");
  EXPECT_EQ(base_currency_of("DOGE-USDC"), "DOGE");
  EXPECT_EQ(base_currency_of("XYZ"), "XYZ");
}

TEST(BalanceCheck, CoinsHeldBeforeTradingAreTheBaselineNotTheLedgers) {
  auto r = seen_before_trading();
  EXPECT_EQ(r.baseline().at("BTC"), sz(1));
  EXPECT_EQ(r.baseline().at("ETH"), sz(10));
  EXPECT_EQ(r.baseline().count("USD"), 0u);  // the quote currency is cash, never compared
}

TEST(BalanceCheck, BalancesThatMatchThePositionsAgree) {
  auto r = seen_before_trading();
  // 0.25 BTC bought (0.1 of it on hold for a resting sell), 2 ETH bought and sold again.
  auto rep = r.check(positions({{"BTC-USD", 0.25}, {"ETH-USD", 0}}),
                     {bal("USD", 90'000), bal("BTC", 1.15, 0.1), bal("ETH", 10)});
  EXPECT_TRUE(rep.agreed());
  EXPECT_FALSE(rep.baseline_changed);
  EXPECT_TRUE(rep.adopted.empty());
}

TEST(BalanceCheck, ADifferenceWithinTheToleranceAgrees) {
  balance_reconciler r{sz(0.000001)};
  r.check({}, {bal("BTC", 1)});
  EXPECT_TRUE(r.check(positions({{"BTC-USD", 0.25}}), {bal("BTC", 1.2500005)}).agreed());
  EXPECT_FALSE(r.check(positions({{"BTC-USD", 0.25}}), {bal("BTC", 1.250002)}).agreed());
}

TEST(BalanceCheck, ADifferenceHoldsTheGateAndIsConfirmedWhenSeenTwice) {
  auto r = seen_before_trading();
  auto pos = positions({{"BTC-USD", 0.25}, {"BTC-USDC", 0.05}});
  auto first = r.check(pos, {bal("BTC", 1.2)});  // the ledger says 0.3, the exchange 0.2
  ASSERT_EQ(first.differences.size(), 1u);
  const auto& d = first.differences[0];
  EXPECT_FALSE(first.agreed());
  EXPECT_FALSE(first.confirmed());  // a fill may have landed between the two reads
  EXPECT_EQ(d.currency, "BTC");
  EXPECT_EQ(d.exchange, sz(1.2));
  EXPECT_EQ(d.outside, sz(1));
  EXPECT_EQ(d.ledger, sz(0.3));
  EXPECT_EQ(d.difference, sz(-0.1));
  EXPECT_EQ(d.products, (std::vector<std::string>{"BTC-USD", "BTC-USDC"}));
  EXPECT_EQ(d.describe(), "BTC exchange=1.2 outside=1 ledger=0.3 difference=-0.1 products=BTC-USD,BTC-USDC");
  auto second = r.check(pos, {bal("BTC", 1.2)});
  EXPECT_TRUE(second.confirmed());
  // The difference changed (a fill raced the reads again): not confirmed yet.
  EXPECT_FALSE(r.check(pos, {bal("BTC", 1.21)}).confirmed());
  // Booked: agree again.
  EXPECT_TRUE(r.check(positions({{"BTC-USD", 0.25}, {"BTC-USDC", -0.05}}), {bal("BTC", 1.2)}).agreed());
}

TEST(BalanceCheck, ACurrencyTheExchangeDoesNotListCountsAsZero) {
  auto r = seen_before_trading();
  r.check({}, {bal("SOL", 0)});  // listed, empty, before trading: nothing held outside
  EXPECT_TRUE(r.check(positions({{"SOL-USD", 3}}), {bal("SOL", 3)}).agreed());
  auto gone = r.check(positions({{"SOL-USD", 3}}), {bal("USD", 1)});
  ASSERT_EQ(gone.differences.size(), 1u);
  EXPECT_FALSE(gone.differences[0].listed);
  EXPECT_EQ(gone.differences[0].exchange, sz(0));
  EXPECT_EQ(gone.differences[0].difference, sz(-3));
}

TEST(BalanceCheck, ADepositBeforeTradingMovesTheBaselineAfterwardsItIsAMismatch) {
  auto r = seen_before_trading();
  EXPECT_TRUE(r.check({}, {bal("BTC", 2)}).baseline_changed);
  EXPECT_EQ(r.baseline().at("BTC"), sz(2));
  r.check(positions({{"BTC-USD", 0.5}}), {bal("BTC", 2.5)});
  auto deposit = r.check(positions({{"BTC-USD", 0.5}}), {bal("BTC", 3.5)});
  EXPECT_FALSE(deposit.agreed());
  EXPECT_FALSE(deposit.baseline_changed);
  EXPECT_EQ(r.baseline().at("BTC"), sz(2));
}

// The kill loop's race: the reconcile read the fills before an order filled and the balances
// after, and the fill is not booked yet. The order fixed the baseline, so the fill in flight is
// one unconfirmed difference, not part of the coins held outside for ever.
TEST(BalanceCheck, AnOrderFixesTheBaselineSoAFillInFlightIsNotAbsorbed) {
  auto r = seen_before_trading();
  const std::set<std::string> ordered{"BTC-USD"};
  auto in_flight = r.check({}, {bal("BTC", 1.001)}, ordered);
  EXPECT_FALSE(in_flight.baseline_changed);
  EXPECT_EQ(r.baseline().at("BTC"), sz(1));
  ASSERT_EQ(in_flight.differences.size(), 1u);
  EXPECT_FALSE(in_flight.differences[0].confirmed);
  EXPECT_EQ(in_flight.differences[0].difference, sz(0.001));
  EXPECT_TRUE(r.check(positions({{"BTC-USD", 0.001}}), {bal("BTC", 1.001)}, ordered).agreed());
  // Without the order the same sighting moves the baseline, and the booked fill then differs.
  auto unaware = seen_before_trading();
  EXPECT_TRUE(unaware.check({}, {bal("BTC", 1.001)}).baseline_changed);
  EXPECT_FALSE(unaware.check(positions({{"BTC-USD", 0.001}}), {bal("BTC", 1.001)}).agreed());
}

TEST(BalanceCheck, AnOrderOfAnotherCurrencyLeavesThisOneFollowingItsBalance) {
  auto r = seen_before_trading();
  EXPECT_TRUE(r.check({}, {bal("BTC", 1), bal("ETH", 11)}, {"BTC-USD"}).agreed());
  EXPECT_EQ(r.baseline().at("ETH"), sz(11));
}

// An operator deposited 1 BTC after trading began: a confirmed difference, which the re-base
// moves into the baseline; nothing else changes.
TEST(BalanceCheck, ARebaseMovesAConfirmedDifferenceIntoTheBaseline) {
  auto r = seen_before_trading();
  const auto pos = positions({{"BTC-USD", 0.5}});
  EXPECT_TRUE(r.check(pos, {bal("BTC", 1.5)}).agreed());
  r.request_rebase("BTC");
  auto first = r.check(pos, {bal("BTC", 2.5)});  // one sighting: maybe a fill in flight
  EXPECT_FALSE(first.agreed());
  EXPECT_TRUE(first.rebased.empty());
  ASSERT_EQ(first.compared.size(), 1u);
  EXPECT_FALSE(first.compared[0].agrees);
  EXPECT_EQ(r.rebases_pending(), (std::set<std::string>{"BTC"}));
  auto second = r.check(pos, {bal("BTC", 2.5)});  // the same difference again: re-based
  EXPECT_TRUE(second.agreed());
  EXPECT_TRUE(second.baseline_changed);
  EXPECT_EQ(second.rebased, (std::vector<std::string>{"BTC outside=1 -> 2 difference=1"}));
  EXPECT_EQ(r.baseline().at("BTC"), sz(2));
  EXPECT_TRUE(r.rebases_pending().empty());
  ASSERT_EQ(second.compared.size(), 1u);
  EXPECT_EQ(second.compared[0].outside, sz(2));
  EXPECT_TRUE(second.compared[0].agrees);
  EXPECT_TRUE(r.check(pos, {bal("BTC", 2.5)}).agreed());
  EXPECT_FALSE(r.check(pos, {bal("BTC", 2.4)}).agreed());  // a later loss is a difference again
}

TEST(BalanceCheck, ARebaseWaitsWhileTheDifferenceMovesAndIsDroppedWhenNothingDiffers) {
  auto r = seen_before_trading();
  const auto pos = positions({{"BTC-USD", 0.5}});
  r.check(pos, {bal("BTC", 1.5)});
  r.request_rebase("BTC");
  r.check(pos, {bal("BTC", 1.6)});
  EXPECT_TRUE(r.check(pos, {bal("BTC", 1.7)}).rebased.empty());  // not the same twice: waits
  EXPECT_EQ(r.baseline().at("BTC"), sz(1));
  auto settled = r.check(pos, {bal("BTC", 1.5)});  // the fills were booked: agrees
  EXPECT_TRUE(settled.agreed());
  EXPECT_EQ(settled.rebase_dropped, (std::vector<std::string>{"BTC: agrees, nothing to re-base"}));
  EXPECT_TRUE(r.rebases_pending().empty());
  r.request_rebase("ETH");  // never ordered: its baseline follows its balance anyway
  auto eth = r.check(pos, {bal("BTC", 1.5), bal("ETH", 12)});
  EXPECT_EQ(eth.rebase_dropped, (std::vector<std::string>{"ETH: not traded, its baseline follows its balance"}));
}

TEST(BalanceCheck, ATradedCurrencyWithoutABaselineAdoptsOnceAndSaysSo) {
  balance_reconciler r;  // a store from before the check: positions, no baseline
  auto rep = r.check(positions({{"BTC-USD", 0.25}}), {bal("BTC", 1.25)});
  EXPECT_TRUE(rep.agreed());
  EXPECT_TRUE(rep.baseline_changed);
  EXPECT_EQ(rep.adopted, (std::vector<std::string>{"BTC outside=1"}));
  EXPECT_FALSE(r.check(positions({{"BTC-USD", 0.25}}), {bal("BTC", 1.2)}).agreed());
}

TEST(BalanceCheck, TheBaselineRoundTripsAsBytes) {
  auto r = seen_before_trading();
  auto text = encode_baseline(r.baseline());
  EXPECT_EQ(text, "v1\nBTC 100000000\nETH 1000000000\n");
  auto back = decode_baseline(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r.baseline());
  EXPECT_TRUE(decode_baseline("")->empty());
  EXPECT_FALSE(decode_baseline("v2\nBTC 1\n"));
  EXPECT_FALSE(decode_baseline("v1\nBTC x\n"));
  EXPECT_FALSE(decode_baseline("v1\nBTC 1\nBTC 2\n"));
  EXPECT_FALSE(decode_baseline("v1\n 5\n"));
}

} // namespace

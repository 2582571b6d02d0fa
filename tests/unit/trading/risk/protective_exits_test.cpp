// Stop loss / take profit per quote per position, reduce-only exits, serialization.
#include "risk_world.hpp"

#include "actors/trading/risk/protective_exits.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
const product_id btc = pid("BTC-USD");
exit_spec pct_spec() { return exit_spec{10.0, 12.0, 0, 0}; }
protective_exits armed_btc() {
  protective_exits x;
  x.arm(protect(btc, qty(0.01), px(50'000), pct_spec(), px(0), px(0.01)));
  return x;
}
quote bid_at(double bid, ts_ns t = t0) { return quote_at("BTC-USD", bid, bid + 1, 1, t); }
} // namespace

TEST(ProtectiveExits, FixedPercentLevels) {
  auto pp = protect(btc, qty(0.01), px(50'000), pct_spec(), px(0), px(0.01));
  EXPECT_EQ(pp.stop, px(45'000));
  EXPECT_EQ(pp.take, px(56'000));
}

TEST(ProtectiveExits, AtrLevelsWhenTheAtrIsKnownElsePercent) {
  exit_spec spec{10.0, 12.0, 2.0, 3.0};
  auto pp = protect(btc, qty(0.01), px(50'000), spec, px(1'000), px(0.01));
  EXPECT_EQ(pp.stop, px(48'000));
  EXPECT_EQ(pp.take, px(53'000));
  pp = protect(btc, qty(0.01), px(50'000), spec, px(0), px(0.01));
  EXPECT_EQ(pp.stop, px(45'000));
}

TEST(ProtectiveExits, StopLevelsRoundAwayFromEntryOnTheTick) {
  auto pp = protect(btc, qty(1), px(101), exit_spec{3.0, 3.0, 0, 0}, px(0), px(1));
  EXPECT_EQ(pp.stop, px(97));   // 97.97 down
  EXPECT_EQ(pp.take, px(105));  // 104.03 up
}

TEST(ProtectiveExits, AQuoteAtTheStopProducesOneReduceOnlyExit) {
  auto x = armed_btc();
  EXPECT_FALSE(x.on_quote(bid_at(45'000.01), t0));
  auto sig = x.on_quote(bid_at(45'000), t0);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->kind, exit_kind::stop_loss);
  EXPECT_TRUE(sig->intent.reduce_only);
  EXPECT_EQ(sig->intent.dir, side::sell);
  EXPECT_EQ(sig->intent.type, order_type::market);
  EXPECT_EQ(sig->intent.tif, time_in_force::ioc);
  EXPECT_EQ(sig->intent.base_size, qty(0.01));
  EXPECT_EQ(sig->detail, "stop_loss: product=BTC-USD bid=45000 stop=45000 entry=50000 qty=0.01");
  EXPECT_FALSE(x.on_quote(bid_at(44'000), t0 + 1));  // already exiting
  x.exit_failed(btc);
  EXPECT_TRUE(x.on_quote(bid_at(44'000), t0 + 2));   // fires again
}

TEST(ProtectiveExits, AQuoteAtTheTakeProducesATakeProfitExit) {
  auto x = armed_btc();
  EXPECT_FALSE(x.on_quote(bid_at(55'999.99), t0));
  auto sig = x.on_quote(bid_at(56'000), t0);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->kind, exit_kind::take_profit);
}

TEST(ProtectiveExits, OtherProductsQuotesAreIgnored) {
  auto x = armed_btc();
  EXPECT_FALSE(x.on_quote(quote_at("ETH-USD", 1, 2, 1, t0), t0));
}

TEST(ProtectiveExits, ResizeChangesTheExitSizeAndZeroDisarms) {
  auto x = armed_btc();
  x.resize(btc, qty(0.004));
  EXPECT_EQ(x.on_quote(bid_at(40'000), t0)->intent.base_size, qty(0.004));
  x.resize(btc, qty(0));
  EXPECT_EQ(x.count(), 0u);
}

TEST(ProtectiveExits, PositionsWithStaleQuotesAreListed) {
  auto x = armed_btc();
  x.on_quote(bid_at(50'000, t0), t0);
  EXPECT_TRUE(x.stale(t0 + seconds(30), seconds(30)).empty());
  EXPECT_EQ(x.stale(t0 + seconds(31), seconds(30)), std::vector<product_id>{btc});
}

TEST(ProtectiveExits, LevelsSurviveARestart) {
  auto x = armed_btc();
  x.on_quote(bid_at(45'000), t0);  // now exiting
  auto back = protective_exits::from_json(x.to_json());
  ASSERT_TRUE(back);
  ASSERT_NE(back->find(btc), nullptr);
  EXPECT_EQ(*back->find(btc), *x.find(btc));
  EXPECT_TRUE(back->find(btc)->exiting);
  EXPECT_FALSE(protective_exits::from_json(R"({"v":1,"positions":[{"product":"X"}]})"));
}

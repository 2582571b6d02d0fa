#include "actors/trading/signals/bad_tick_guard.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {

bad_tick_params params(double jump = 15, std::int64_t confirm = 2) {
  bad_tick_params p;
  p.max_jump_pct = jump;
  p.confirm_ticks = confirm;
  return p;
}

} // namespace

TEST(BadTickGuard, PassesTheFirstPriceAndSmallMoves) {
  bad_tick_guard g{params()};
  EXPECT_EQ(g.check_price(100).verdict, tick_verdict::pass);
  EXPECT_EQ(g.check_price(114).verdict, tick_verdict::pass);
  EXPECT_EQ(g.check_price(100).verdict, tick_verdict::pass);  // 12.3 % from 114
  EXPECT_EQ(g.counts().passed, 3u);
  EXPECT_EQ(g.counts().held, 0u);
}

TEST(BadTickGuard, HoldsAnUnconfirmedJumpAndSaysWhy) {
  bad_tick_guard g{params()};
  g.check_price(40000);
  auto d = g.check_price(52000);
  EXPECT_EQ(d.verdict, tick_verdict::held);
  EXPECT_FALSE(d.passes());
  EXPECT_EQ(d.reason, "BAD_TICK: px=52000 ref=40000 jump_pct=30.00 limit_pct=15.00 agreeing=0/2");
  EXPECT_EQ(g.reference(), 40000.0);  // the reference does not follow a held tick
  EXPECT_EQ(g.check_price(40010).verdict, tick_verdict::pass);
  EXPECT_EQ(g.counts().held, 1u);
}

TEST(BadTickGuard, ConfirmsAMoveAfterEnoughAgreeingTicks) {
  bad_tick_guard g{params(15, 2)};
  g.check_price(100);
  EXPECT_EQ(g.check_price(80).verdict, tick_verdict::held);
  EXPECT_EQ(g.check_price(80.5).verdict, tick_verdict::held);  // 1 of 2
  auto d = g.check_price(79.8);                                // 2 of 2
  EXPECT_EQ(d.verdict, tick_verdict::confirmed);
  EXPECT_TRUE(d.passes());
  EXPECT_NE(d.reason.find("by=ticks agreeing=2/2"), std::string::npos);
  EXPECT_EQ(g.reference(), 79.8);
  EXPECT_EQ(g.check_price(79).verdict, tick_verdict::pass);
  EXPECT_EQ(g.counts().confirmed, 1u);
  EXPECT_EQ(g.counts().held, 2u);
}

TEST(BadTickGuard, ADisagreeingSuspectStartsCountingAgain) {
  bad_tick_guard g{params(15, 1)};
  g.check_price(100);
  EXPECT_EQ(g.check_price(130).verdict, tick_verdict::held);
  EXPECT_EQ(g.check_price(70).verdict, tick_verdict::held);  // a different suspect
  EXPECT_EQ(g.check_price(70.2).verdict, tick_verdict::confirmed);
}

TEST(BadTickGuard, ANormalTickInBetweenDiscardsTheSuspect) {
  bad_tick_guard g{params(15, 1)};
  g.check_price(100);
  g.check_price(130);
  g.check_price(101);
  EXPECT_EQ(g.check_price(130).verdict, tick_verdict::held);  // counting starts over
}

TEST(BadTickGuard, HeavyVolumeConfirmsABarAtOnce) {
  bad_tick_guard g{params()};
  for (int m = 0; m < 5; ++m)
    g.check_bar(mk(m, 100, 101, 99, 100, 10));
  auto d = g.check_bar(mk(5, 100, 100, 78, 80, 31));  // 3.1 × the mean volume
  EXPECT_EQ(d.verdict, tick_verdict::confirmed);
  EXPECT_NE(d.reason.find("by=volume"), std::string::npos);
  EXPECT_EQ(g.reference(), 80.0);
}

TEST(BadTickGuard, HoldsAThinBarAndMarksItsWindowUnclean) {
  bad_tick_guard g{params()};
  std::vector<bar> bars;
  for (int m = 0; m < 5; ++m)
    bars.push_back(mk(m, 100, 101, 99, 100, 10));
  bars.push_back(mk(5, 100, 130, 99, 100, 12));  // a wick 30 % up on normal volume
  bars.push_back(mk(6, 100, 101, 99, 100, 10));
  for (const auto& b : bars)
    g.check_bar(b);
  EXPECT_EQ(g.counts().held, 1u);
  EXPECT_FALSE(g.clean(bars));
  EXPECT_FALSE(g.clean(std::span(bars).subspan(5)));
  EXPECT_TRUE(g.clean(std::span(bars).first(5)));
  EXPECT_TRUE(g.clean(std::span(bars).subspan(6)));
}

TEST(BadTickGuard, BarsOfAConfirmedMoveAreNotLeftUnclean) {
  bad_tick_guard g{params(15, 2)};
  std::vector<bar> bars{mk(0, 100, 101, 99, 100, 10), mk(1, 100, 100, 75, 76, 10), mk(2, 76, 77, 75, 76, 10),
                        mk(3, 76, 77, 75, 76.2, 10)};
  EXPECT_EQ(g.check_bar(bars[0]).verdict, tick_verdict::pass);
  EXPECT_EQ(g.check_bar(bars[1]).verdict, tick_verdict::held);
  EXPECT_EQ(g.check_bar(bars[2]).verdict, tick_verdict::held);
  EXPECT_EQ(g.check_bar(bars[3]).verdict, tick_verdict::confirmed);
  EXPECT_TRUE(g.clean(bars));
}

/// Bars of a sustained −30 % crash: 40 flat bars at 100, a first bar −17 %, then −1.5 % a bar
/// (each close disagrees with the last by more than agree_pct, so ticks never confirm it) on
/// unremarkable volume, 20 bars in all, ending 36 % down.
std::vector<bar> sustained_crash() {
  std::vector<bar> bars;
  for (int m = 0; m < 40; ++m)
    bars.push_back(mk(m, 100, 100.2, 99.8, 100, 10));
  double c = 83;
  for (int m = 40; m < 60; ++m, c *= 0.985)
    bars.push_back(mk(m, c / 0.985, c / 0.985, c, c, 11));
  return bars;
}

TEST(BadTickGuard, ASustainedCrashReanchorsAfterConsecutiveHoldsAndPasses) {
  bad_tick_params p;  // defaults: 15 %, reanchor after 5 holds
  bad_tick_guard g{p};
  auto bars = sustained_crash();
  std::vector<tick_verdict> v;
  for (const auto& b : bars)
    v.push_back(g.check_bar(b).verdict);
  for (int i = 40; i < 45; ++i)
    EXPECT_EQ(v[i], tick_verdict::held) << i;  // five holds while it may be a bad print
  EXPECT_EQ(v[45], tick_verdict::confirmed);    // the sixth on the same side re-anchors
  for (std::size_t i = 46; i < v.size(); ++i)
    EXPECT_EQ(v[i], tick_verdict::pass) << i;   // and the rest of the crash is seen
  EXPECT_LT(bars.back().close.to_double(), 70.0);
  EXPECT_NEAR(*g.reference(), bars.back().close.to_double(), 1e-9);
  EXPECT_TRUE(g.clean(std::span(bars).subspan(35)));  // the held bars were the move itself
}

TEST(BadTickGuard, WithoutReanchoringASustainedCrashIsHeldForever) {
  bad_tick_params p;
  p.reanchor_after_holds = 0;
  bad_tick_guard g{p};
  auto bars = sustained_crash();
  for (const auto& b : bars)
    g.check_bar(b);
  EXPECT_EQ(g.counts().held, 20u);  // what the re-anchor exists for
  EXPECT_FALSE(g.clean(std::span(bars).subspan(55)));
}

TEST(BadTickGuard, ASingleSpikeStaysHeldWithReanchoringOn) {
  bad_tick_guard g{bad_tick_params{}};
  std::vector<bar> bars;
  for (int m = 0; m < 40; ++m)
    bars.push_back(mk(m, 100, 100.2, 99.8, 100, 10));
  bars.push_back(mk(40, 100, 135, 100, 135, 11));  // one print 35 % up
  for (int m = 41; m < 60; ++m)
    bars.push_back(mk(m, 100, 100.2, 99.8, 100, 10));
  std::vector<tick_verdict> v;
  for (const auto& b : bars)
    v.push_back(g.check_bar(b).verdict);
  EXPECT_EQ(v[40], tick_verdict::held);
  EXPECT_EQ(g.counts().held, 1u);
  EXPECT_EQ(g.counts().confirmed, 0u);
  EXPECT_FALSE(g.clean(std::span(bars).subspan(35, 10)));
}

TEST(BadTickGuard, SpikesOnAlternatingSidesNeverReanchor) {
  bad_tick_guard g{bad_tick_params{}};
  g.check_bar(mk(0, 100, 100, 100, 100, 10));
  for (int m = 1; m < 30; ++m) {
    const double c = m % 2 ? 130 + m : 70 - m;  // garbage above and below, never agreeing
    EXPECT_EQ(g.check_bar(mk(m, c, c, c, c, 10)).verdict, tick_verdict::held) << m;
  }
  EXPECT_EQ(*g.reference(), 100.0);
}

// -- the real 1-minute data -------------------------------------------------------
// shared/data/market/ftx_btc-perp_1m_20211231-20220201.csv: 45,031 real FTX BTC-PERP bars
// with no bad ticks (its README: a negative control). The guard at the default 15 % must
// hold none; with one spike injected, it must hold exactly that bar.

namespace {

std::vector<bar> load_ftx() {
  std::vector<bar> out;
  std::ifstream in(std::string(TRADER_MARKET_DATA_DIR) + "/ftx_btc-perp_1m_20211231-20220201.csv");
  std::string line;
  std::getline(in, line);
  std::int64_t i = 0;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string t;
    double v[5];
    std::getline(ls, t, ',');
    for (double& x : v) {
      std::string c;
      std::getline(ls, c, ',');
      x = std::stod(c);
    }
    bar b;
    if (!bar_from_doubles(at_min(i++), v[0], v[1], v[2], v[3], v[4], granularity::one_minute, b))
      out.push_back(b);
  }
  return out;
}

const std::string ftx_file = std::string(TRADER_MARKET_DATA_DIR) + "/ftx_btc-perp_1m_20211231-20220201.csv";

} // namespace

TEST(BadTickReplay, HoldsNothingOnTheRealMinuteBars) {
  if (!std::filesystem::exists(ftx_file))
    GTEST_SKIP() << "data:ftx_btc-perp_1m_20211231-20220201.csv absent";
  auto bars = load_ftx();
  ASSERT_EQ(bars.size(), 45031u);
  bad_tick_guard g{bad_tick_params{}};
  for (const auto& b : bars)
    g.check_bar(b);
  EXPECT_EQ(g.counts().held, 0u);
  EXPECT_EQ(g.counts().confirmed, 0u);
  EXPECT_TRUE(g.clean(bars));
}

TEST(BadTickReplay, HoldsASpikeInjectedIntoTheRealMinuteBars) {
  if (!std::filesystem::exists(ftx_file))
    GTEST_SKIP() << "data:ftx_btc-perp_1m_20211231-20220201.csv absent";
  auto bars = load_ftx();
  const std::size_t at = 20000;
  const price spike = price::from_double(bars[at - 1].close.to_double() * 1.25);
  bars[at].high = spike;
  bars[at].close = spike;
  bad_tick_guard g{bad_tick_params{}};
  std::size_t held_at = 0;
  for (std::size_t i = 0; i < bars.size(); ++i)
    if (g.check_bar(bars[i]).verdict == tick_verdict::held)
      held_at = i;
  EXPECT_EQ(g.counts().held, 1u);
  EXPECT_EQ(held_at, at);
  EXPECT_FALSE(g.clean(std::span(bars).subspan(at - 10, 20)));
  EXPECT_TRUE(g.clean(std::span(bars).subspan(at + 1, 20)));
}

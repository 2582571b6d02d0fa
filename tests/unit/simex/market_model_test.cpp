// Synthetic market: determinism, liquidity around the mid, regimes, clock modes.

#include "fixtures.hpp"

#include "tools/simex/engine/market_model.hpp"
#include "tools/simex/engine/sim_clock.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;

namespace {

/// Text of every event, with a user resting near the mid so fills happen too.
std::string run(std::uint64_t seed, int seconds) {
  exchange ex{exchange_config{.seed = seed}};
  synthetic_market m{ex, model_config::standard(seed)};
  m.start(t0);
  ex.deposit("u", "USD", amt("1000000"));
  ex.deposit("u", "BTC", amt("100"));
  std::string out;
  for (int s = 1; s <= seconds; ++s) {
    const ts_ns now = t0 + s * ns_per_s;
    m.advance(now);
    if (s % 10 == 0) {
      const auto bid = *ex.book("BTC-USD")->best(side::buy);
      order_request r;
      r.user = "u";
      r.client_order_id = "c" + std::to_string(s);
      r.product_id = "BTC-USD";
      r.order_side = s % 20 == 0 ? side::buy : side::sell;
      r.limit_price = r.order_side == side::buy ? bid : bid + price::from_units(1'000'000);
      r.base_size = qty("0.01");
      ex.place(r, now);
    }
    for (const auto& e : ex.events()) {
      if (const auto* b = std::get_if<book_change>(&e))
        out += "L " + b->product_id + " " + to_string(b->level) + " " + to_string(b->new_quantity) + "\n";
      else if (const auto* t = std::get_if<trade_print>(&e))
        out += "T " + t->trade_id + " " + to_string(t->px) + " " + to_string(t->qty) + "\n";
      else if (const auto* f = std::get_if<fill_happened>(&e))
        out += "F " + f->fill.order_id + " " + to_string(f->fill.px) + " " + to_string(f->fill.commission) + "\n";
    }
    ex.clear_events();
  }
  return out;
}

} // namespace

TEST(SyntheticMarket, SameSeedGivesByteIdenticalMarketDataAndFills) {
  auto a = run(7, 120);
  auto b = run(7, 120);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\nF "), std::string::npos) << "the user order should have been filled";
  EXPECT_NE(a.find("\nT "), std::string::npos);
}

TEST(SyntheticMarket, DifferentSeedGivesDifferentOutput) {
  EXPECT_NE(run(7, 30), run(8, 30));
}

TEST(SyntheticMarket, ListsThreeProductsWithTwoSidedBooksAndHistory) {
  exchange ex;
  synthetic_market m{ex, model_config::standard(1)};
  m.start(t0);
  m.advance(t0 + 10 * ns_per_s);
  ASSERT_EQ(ex.product_ids().size(), 3u);
  for (const auto& id : ex.product_ids()) {
    const auto* b = ex.book(id);
    ASSERT_TRUE(b->best(side::buy) && b->best(side::sell)) << id;
    EXPECT_LT(*b->best(side::buy), *b->best(side::sell)) << id;
    EXPECT_GE(b->level_count(side::buy), 15u) << id;
    auto bars = ex.stats(id)->candles(t0 / ns_per_s - 3600, t0 / ns_per_s, 60, 350);
    EXPECT_EQ(bars.size(), 61u) << id;  // the bucket holding start counts
  }
  const price mid = m.mid("BTC-USD");
  const price spread = *ex.book("BTC-USD")->best(side::sell) - *ex.book("BTC-USD")->best(side::buy);
  EXPECT_LT(spread.to_double() / mid.to_double(), 0.001);
}

TEST(SyntheticMarket, CrashRegimeWidensTheSpread) {
  exchange ex;
  synthetic_market m{ex, model_config::standard(3)};
  m.start(t0);
  m.advance(t0 + ns_per_s);
  auto spread = [&] { return *ex.book("ETH-USD")->best(side::sell) - *ex.book("ETH-USD")->best(side::buy); };
  const price calm = spread();
  m.set_regime("ETH-USD", regime::crash);
  m.advance(t0 + 2 * ns_per_s);
  EXPECT_GT(spread(), calm);
  EXPECT_EQ(m.regime_of("ETH-USD"), regime::crash);
}

TEST(SyntheticMarket, FollowsARecordedCandlePath) {
  auto cfg = model_config::standard(1);
  cfg.products.resize(1);
  cfg.products[0].path = {{0, px("100.00"), px("110.00"), px("90.00"), px("105.00"), qty("1")},
                          {60, px("105.00"), px("106.00"), px("104.00"), px("106.00"), qty("1")}};
  exchange ex;
  synthetic_market m{ex, cfg};
  m.start(t0);
  EXPECT_NEAR(m.mid("BTC-USD").to_double(), 100.0, 0.01);
  m.advance(t0 + 60 * ns_per_s);
  EXPECT_NEAR(m.mid("BTC-USD").to_double(), 105.0, 0.01);
}

TEST(SimClock, ModesMapWallTimeToEngineTime) {
  EXPECT_EQ(sim_clock::real_time().now(123), 123);
  auto fast = sim_clock::accelerated(t0, 1000, 60);
  EXPECT_EQ(fast.now(1000 + ns_per_s), t0 + 60 * ns_per_s);
  auto stepped = sim_clock::stepped(t0);
  EXPECT_EQ(stepped.now(999), t0);
  stepped.step(5 * ns_per_s);
  EXPECT_EQ(stepped.now(0), t0 + 5 * ns_per_s);
}

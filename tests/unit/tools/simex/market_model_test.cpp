// Synthetic market: determinism, liquidity around the mid, regimes, clock modes.

#include "fixtures.hpp"

#include "tools/simex/engine/market_model.hpp"
#include "tools/simex/engine/replay.hpp"
#include "tools/simex/engine/sim_clock.hpp"
#include "tools/simex/engine/time_format.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

TEST(SyntheticMarket, ListsTheDefaultUniverseWithTwoSidedBooksAndHistory) {
  exchange ex;
  synthetic_market m{ex, model_config::standard(1)};
  m.start(t0);
  m.advance(t0 + 10 * ns_per_s);
  ASSERT_EQ(ex.product_ids().size(), 6u);  // config/universe.toml's default tiers
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

TEST(SyntheticMarket, FollowsALongCandlePathBarByBar) {
  // The path is walked forward from the last bar found: every minute's start is that bar's open.
  auto cfg = model_config::standard(1);
  cfg.products.resize(1);
  cfg.step = 10 * ns_per_s;
  for (std::int64_t i = 0; i < 120; ++i) {
    const auto o = price::from_double(100.0 + static_cast<double>(i % 7) * 3.0 + static_cast<double>(i) * 0.5);
    cfg.products[0].path.push_back({i * 60, o, o + px("2.00"), o - px("2.00"), o + px("1.00"), qty("1")});
  }
  exchange ex;
  synthetic_market m{ex, cfg};
  m.start(t0);
  for (std::int64_t i = 0; i < 120; ++i) {
    m.advance(t0 + i * 60 * ns_per_s);
    EXPECT_NEAR(m.mid("BTC-USD").to_double(), cfg.products[0].path[static_cast<std::size_t>(i)].open.to_double(), 0.01)
      << "minute " << i;
  }
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

TEST(CandlesCsv, ReadsCryptoDataDownloadAndPlainFiles) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto cdd = (dir / "simex_cdd_test.csv").string();
  {
    std::ofstream f{cdd, std::ios::binary};
    f << "Timestamps are UTC timezone,https://www.CryptoDataDownload.com\r\n"
      << "Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USD\r\n"
      << "2019-10-17 01-PM,BTCUSD,8000.00,8100.00,7900.00,8050.00,10.5,84000\r\n"
      << "2019-10-17 12-PM,BTCUSD,7990.00,8010.00,7980.00,8000.00,3,24000\r\n"
      << "2019-10-17 12-AM,BTCUSD,7900.00,7995.00,7890.00,7990.00,1,8000\r\n";
  }
  std::string err;
  auto bars = load_candles_csv(cdd, err);
  ASSERT_TRUE(bars) << err;
  ASSERT_EQ(bars->size(), 3u);
  EXPECT_EQ((*bars)[0].start, 1571270400);  // 12-AM = 00:00, oldest first
  EXPECT_EQ((*bars)[1].start, 1571270400 + 12 * 3600);
  EXPECT_EQ((*bars)[2].close, px("8050"));
  const auto plain = (dir / "simex_plain_test.csv").string();
  {
    std::ofstream f{plain};
    f << "timestamp,open,high,low,close,volume\n2022-01-01 00:01:00.000000,1,2,0.5,1.5,7\n";
  }
  bars = load_candles_csv(plain, err);
  ASSERT_TRUE(bars) << err;
  EXPECT_EQ((*bars)[0].start, 1640995260);
  EXPECT_EQ((*bars)[0].volume, qty("7"));
  EXPECT_FALSE(load_candles_csv((dir / "simex_missing.csv").string(), err));
}

TEST(CandlesCsv, ReadsTheSharedCoinbaseHourlyFile) {
  const std::string path = TRADER_MARKET_DATA_DIR "/coinbase_btc-usd_1h_cryptodatadownload.csv";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "shared data not present: " << path << " (optional)";
  std::string err;
  auto bars = load_candles_csv(path, err);
  ASSERT_TRUE(bars) << err;
  EXPECT_GT(bars->size(), 20'000u);  // 20,111 rows minus the 5 duplicated labels
  EXPECT_LT(bars->front().start, bars->back().start);
}

TEST(TimeFormat, Rfc3339RoundTrips) {
  EXPECT_EQ(rfc3339(t0 + 228'568'804, 9), "2026-08-09T21:05:48.228568804Z");
  EXPECT_EQ(rfc3339(t0, 0), "2026-08-09T21:05:48Z");
  EXPECT_EQ(parse_rfc3339("2026-08-09T21:05:48.228568804Z"), t0 + 228'568'804);
  EXPECT_EQ(parse_rfc3339("2026-08-09T23:05:48+02:00"), t0);
  EXPECT_FALSE(parse_rfc3339("2026-08-09 nope"));
}

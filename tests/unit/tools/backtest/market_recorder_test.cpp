// traderd's market recording reads back through backtest's loader (issue 19): every recorded
// trade comes back with its product, price, size, taker side and time; files rotate per UTC
// day and at max_file_bytes; the oldest beyond keep_files go.

#include "actors/infra/recorder/market_recorder.hpp"
#include "tools/backtest/data/market_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace {

using namespace trader;
namespace fs = std::filesystem;

constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;  // 2026-12-02 12:00:00 UTC

market_trade trade(const char* product, int n, double px, double qty, side taker, ts_ns at) {
  return market_trade{product_id{product}, trade_id{std::to_string(n)}, price::from_double(px), size::from_double(qty),
                      taker, at, at + 2'000'000};
}

class MarketRecorder : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("bt-recorder-" + std::string{
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()});
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path dir;
};

TEST_F(MarketRecorder, ARecordedSessionReadsBackThroughBacktestsLoader) {
  {
    recorder::market_recorder r{{dir.string()}};
    r.on_trade(trade("BTC-USD", 1, 65000.5, 0.01, side::buy, t0));
    r.on_trade(trade("ETH-USD", 7, 1900.25, 1.5, side::sell, t0 + ns_per_s));
    r.on_trade(trade("BTC-USD", 2, 65001.0, 0.02, side::sell, t0 + 61 * ns_per_s));
    EXPECT_EQ(r.counts().trades, 3u);
  }
  ASSERT_EQ(files(), (std::vector<std::string>{"market-2026-12-02-000.jsonl"}));
  std::string error;
  auto ticks = backtest::coinbase_ticks((dir / "market-2026-12-02-000.jsonl").string(), error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0].first, "BTC-USD");
  ASSERT_EQ(ticks[0].second.size(), 2u);
  EXPECT_EQ(ticks[0].second[0].t, t0);
  EXPECT_EQ(ticks[0].second[0].px, price::from_double(65000.5));
  EXPECT_EQ(ticks[0].second[0].qty, size::from_double(0.01));
  EXPECT_EQ(ticks[0].second[0].taker, side::buy);
  EXPECT_EQ(ticks[0].second[1].taker, side::sell);
  EXPECT_EQ(ticks[1].first, "ETH-USD");
  EXPECT_EQ(ticks[1].second[0].px, price::from_double(1900.25));
}

TEST_F(MarketRecorder, FilesRotatePerDayAndBySizeAndTheOldestGo) {
  recorder::market_recorder r{{dir.string(), 300, 3}};  // two lines a file (≈ 260 bytes each)
  for (int i = 0; i < 6; ++i)
    r.on_trade(trade("BTC-USD", i, 65000, 0.01, side::buy, t0 + i * ns_per_s));
  r.on_trade(trade("BTC-USD", 99, 65000, 0.01, side::buy, t0 + 86'400 * ns_per_s));  // the next day
  r.flush();
  auto f = files();
  ASSERT_EQ(f.size(), 3u);  // keep_files
  EXPECT_EQ(f, (std::vector<std::string>{"market-2026-12-02-001.jsonl", "market-2026-12-02-002.jsonl",
                                          "market-2026-12-03-000.jsonl"}));
  EXPECT_EQ(r.current_file(), (dir / "market-2026-12-03-000.jsonl").string());
  EXPECT_EQ(r.counts().files, 4u);
  EXPECT_EQ(r.counts().write_errors, 0u);
}

} // namespace

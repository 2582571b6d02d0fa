#include "actors/trading/signals/indicators.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {

using vec = std::vector<double>;

void expect_near_all(const vec& got, const vec& want, double tol = 1e-12) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

} // namespace

// -- hand-computed small cases ------------------------------------------------

TEST(Indicators, SimpleMovingAverageOfAShortSeries) {
  expect_near_all(sma(vec{1, 2, 3, 4, 5}, 3), {2, 3, 4});
  EXPECT_TRUE(sma(vec{1, 2}, 3).empty());
  EXPECT_TRUE(sma(vec{1, 2}, 0).empty());
}

TEST(Indicators, ExponentialMovingAverageSeededWithTheSma) {
  // k = 2/(3+1) = 0.5; seed mean(1,2,3) = 2; then 2 + 0.5·(4−2) = 3; 3 + 0.5·(8−3) = 5.5.
  expect_near_all(ema(vec{1, 2, 3, 4, 8}, 3), {2, 3, 5.5});
}

TEST(Indicators, WilderRsiOfAShortSeries) {
  // Changes +1, −1, +2 (n = 2): G = (1+0)/2 = .5, L = .5 → 50; next G = (.5+2)/2 = 1.25,
  // L = (.5+0)/2 = .25 → 100 − 100/(1+5) = 83.333…
  expect_near_all(rsi(vec{10, 11, 10, 12}, 2), {50.0, 100.0 - 100.0 / 6.0});
  expect_near_all(rsi(vec{1, 2, 3}, 2), {100});  // no losses
  expect_near_all(rsi(vec{3, 2, 1}, 2), {0});    // no gains
}

TEST(Indicators, WilderAtrSkipsTheFirstBarsRange) {
  // TR_1 = max(12−9, |12−10|, |9−10|) = 3; TR_2 = max(2, |15−11|, |13−11|) = 4;
  // TR_3 = max(1, |14−14|, |13−14|) = 1. n = 2: A = 3.5, then (3.5·1 + 1)/2 = 2.25.
  vec h{11, 12, 15, 14}, l{9, 9, 13, 13}, c{10, 11, 14, 13.5};
  expect_near_all(atr(h, l, c, 2), {3.5, 2.25});
}

TEST(Indicators, RateOfChangeInPercent) { expect_near_all(roc(vec{100, 110, 121, 99}, 2), {21, -10}); }

TEST(Indicators, RollingHighAndLow) {
  expect_near_all(rolling_high(vec{1, 3, 2, 5, 4, 1}, 3), {3, 5, 5, 5});
  expect_near_all(rolling_low(vec{1, 3, 2, 5, 4, 1}, 3), {1, 2, 2, 1});
}

TEST(Indicators, PearsonCorrelationOfPerfectlyRelatedReturns) {
  vec a{100, 101, 99, 102, 103};
  vec b{50, 50.5, 49.5, 51, 51.5};  // the same returns
  EXPECT_NEAR(return_correlation(a, b, 4), 1.0, 1e-12);
  vec inv{10, 9.9, 10.1, 9.8, 9.7};
  EXPECT_LT(return_correlation(a, inv, 4), -0.99);
  EXPECT_TRUE(std::isnan(return_correlation(a, b, 10)));
  EXPECT_TRUE(std::isnan(pearson(vec{1, 1, 1}, vec{1, 2, 3})));
}

TEST(Indicators, RealizedVolatilityIsTheSampleDeviationOfLogReturns) {
  // Log returns ±ln(1.1) alternating: mean 0 for an even count; sample sd = ln(1.1)·√(4/3).
  vec x{100, 110, 100, 110, 100};
  const double r = std::log(1.1);
  EXPECT_NEAR(realized_volatility(x, 4), r * std::sqrt(4.0 / 3.0), 1e-12);
  EXPECT_NEAR(realized_volatility(x, 4, 365.0), r * std::sqrt(4.0 / 3.0) * std::sqrt(365.0), 1e-12);
  EXPECT_TRUE(std::isnan(realized_volatility(x, 5)));
}

TEST(Indicators, ReadsBarsAsDoubles) {
  std::vector<bar> bars{mk(0, 10, 11, 9, 10.5, 2), mk(1, 10.5, 12, 10, 11, 3)};
  expect_near_all(closes(bars), {10.5, 11});
  expect_near_all(highs(bars), {11, 12});
  expect_near_all(lows(bars), {9, 10});
  expect_near_all(volumes(bars), {2, 3});
}

// -- fixtures from independent implementations --------------------------------
//
// fixtures/indicators_ftx_1m.csv holds 300 real 1-minute bars of FTX BTC-PERP
// (shared/data/market/ftx_btc-perp_1m_20211231-20220201.csv from 2022-01-21 21:00 UTC) and
// the values npm technicalindicators 3.1.0 (SMA, EMA, AverageGain/AverageLoss → RSI, ATR,
// ROC, Highest, Lowest) and npm simple-statistics 7.12.1 (sampleCorrelation,
// sampleStandardDeviation) computed on them; fixtures/gen_fixtures.js made it and says how
// to run it again. Our values must agree to 1e-9 relative error.

namespace {

struct fixture {
  std::map<std::string, vec> cols;  // every column; NaN where empty
  std::size_t rows = 0;
};

fixture load_fixture() {
  fixture f;
  std::ifstream in(std::string(SIGNALS_FIXTURE_DIR) + "/indicators_ftx_1m.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  for (std::string n; std::getline(hs, n, ',');)
    names.push_back(n);
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string cell;
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::getline(ls, cell, ',');
      f.cols[names[i]].push_back(i == 0 || cell.empty() ? std::nan("") : std::stod(cell));
    }
    ++f.rows;
  }
  return f;
}

const fixture& data() {
  static const fixture f = load_fixture();
  return f;
}

// Compares an indicator (last value at the last row) with a fixture column.
void expect_matches(const vec& got, const std::string& column, double rel = 1e-9) {
  const auto& want = data().cols.at(column);
  ASSERT_EQ(data().rows, 300u);
  std::size_t defined = 0;
  for (double w : want)
    defined += std::isnan(w) ? 0 : 1;
  ASSERT_EQ(got.size(), defined) << column;
  const std::size_t offset = want.size() - got.size();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double w = want[offset + i];
    EXPECT_LE(std::fabs(got[i] - w), rel * std::max(std::fabs(w), 1e-300)) << column << " row " << offset + i;
  }
}

const vec& col(const std::string& name) { return data().cols.at(name); }

vec rolling(std::size_t n, double (*f)(std::span<const double>, std::span<const double>, std::size_t),
            const vec& a, const vec& b) {
  vec out;
  for (std::size_t i = n; i < a.size(); ++i)
    out.push_back(f(std::span(a).first(i + 1), std::span(b).first(i + 1), n));
  return out;
}

} // namespace

TEST(IndicatorFixtures, SmaMatchesTechnicalIndicators) { expect_matches(sma(col("close"), 20), "sma20"); }

TEST(IndicatorFixtures, EmaMatchesTechnicalIndicators) { expect_matches(ema(col("close"), 20), "ema20"); }

TEST(IndicatorFixtures, RsiMatchesTechnicalIndicatorsWilderAverages) {
  expect_matches(rsi(col("close"), 14), "rsi14");
  auto ours = rsi(col("close"), 14);
  const auto& rounded = col("rsi14_ti");  // technicalindicators rounds RSI to 2 decimals
  for (std::size_t i = 0; i < ours.size(); ++i)
    EXPECT_NEAR(ours[i], rounded[14 + i], 0.005 + 1e-9);
}

TEST(IndicatorFixtures, AtrMatchesTechnicalIndicators) {
  expect_matches(atr(col("high"), col("low"), col("close"), 14), "atr14");
}

TEST(IndicatorFixtures, RocMatchesTechnicalIndicators) { expect_matches(roc(col("close"), 12), "roc12"); }

TEST(IndicatorFixtures, RollingHighAndLowMatchTechnicalIndicators) {
  expect_matches(rolling_high(col("high"), 20), "high20", 0);
  expect_matches(rolling_low(col("low"), 20), "low20", 0);
}

TEST(IndicatorFixtures, ReturnCorrelationMatchesSimpleStatistics) {
  expect_matches(rolling(30, return_correlation, col("close"), col("close_b")), "corr30");
}

TEST(IndicatorFixtures, RealizedVolatilityMatchesSimpleStatistics) {
  vec got;
  const auto& c = col("close");
  for (std::size_t i = 30; i < c.size(); ++i)
    got.push_back(realized_volatility(std::span(c).first(i + 1), 30));
  expect_matches(got, "rvol30");
}

TEST(IndicatorFixtures, BarsFromTheFixtureGiveTheSameAtr) {
  std::vector<bar> bars;
  const auto& o = col("open");
  for (std::size_t i = 0; i < data().rows; ++i) {
    bar b;
    ASSERT_FALSE(bar_from_doubles(at_min(static_cast<std::int64_t>(i)), o[i], col("high")[i], col("low")[i],
                                  col("close")[i], col("volume")[i], granularity::one_minute, b));
    bars.push_back(b);
  }
  expect_matches(atr(bars, 14), "atr14");
}

// The decision cycle's forms (no series kept) give exactly the series' last value, and NaN
// when the input is too short, for every prefix of the fixture.
TEST(IndicatorFixtures, LastValueFormsEqualTheSeriesLastValueBitForBit) {
  const auto& c = col("close");
  std::vector<bar> bars;
  for (std::size_t i = 0; i < data().rows; ++i) {
    bar b;
    ASSERT_FALSE(bar_from_doubles(at_min(static_cast<std::int64_t>(i)), col("open")[i], col("high")[i], col("low")[i],
                                  c[i], col("volume")[i], granularity::one_minute, b));
    bars.push_back(b);
  }
  for (std::size_t len = 0; len <= 60 && len <= c.size(); ++len) {
    const auto x = std::span(c).first(len);
    const auto r = rsi(x, 14);
    const auto a = atr(std::span<const bar>(bars).first(len), 14);
    if (r.empty())
      EXPECT_TRUE(std::isnan(rsi_last(x, 14))) << len;
    else
      EXPECT_EQ(rsi_last(x, 14), r.back()) << len;
    if (a.empty())
      EXPECT_TRUE(std::isnan(atr_last(std::span<const bar>(bars).first(len), 14))) << len;
    else
      EXPECT_EQ(atr_last(std::span<const bar>(bars).first(len), 14), a.back()) << len;
  }
}

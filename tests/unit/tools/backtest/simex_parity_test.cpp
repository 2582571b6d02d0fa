// Issue 19, parity point 2: simex's server, given the options that describe backtest's
// synthetic market (--seed, --products, --model-step-ms, --levels, --vol-scale), runs the very
// market `backtest run --seed S` runs. Both sides are built here as their binaries build them
// (simex: simulator_config_from(server_config); backtest: sim_market with run.cpp's options)
// and compared over two simulated hours: every print of the tape, the top of book and 10
// levels a side at every 10 s step (simex's as its REST product_book serves them), and the
// history candles backtest backfills at start against simex's REST /candles.

#include "tools/backtest/sim/sim_market.hpp"
#include "tools/simex/server/simulator_setup.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace trader;
using namespace trader::backtest;

namespace {

constexpr ts_ns start_2026 = 1'767'225'600LL * ns_per_s;  ///< 2026-01-01T00:00:00Z, backtest's default --from.
/// The shipped config's universe (config/universe.toml: core + rotational tiers).
const std::vector<std::string> shipped_universe = {"BTC-USD", "ETH-USD", "SOL-USD", "AVAX-USD", "LINK-USD", "DOGE-USD"};

/// One side's market shape, in the options each binary takes.
struct shape {
  std::uint64_t seed = 1;
  std::int64_t step_ms = 10'000;
  int levels = 10;
  double vol_scale = 1.0;
  std::vector<std::string> products = shipped_universe;
};

/// backtest's market as run.cpp builds it for `backtest run --seed ... --step-ms ...`.
sim_market backtest_market(const shape& s) {
  market_data md;
  md.synthetic = true;
  market_options mo;
  mo.seed = s.seed;
  mo.step = s.step_ms * ns_per_ms;
  mo.levels = s.levels;
  mo.vol_scale = s.vol_scale;
  mo.synthetic_products = s.products;
  return sim_market{md, mo};
}

/// simex's simulator as the binary builds it for `simex --seed ... --model-step-ms ...`.
simex::simulator simex_market(const shape& s) {
  simex::transport::server_config sc;
  sc.seed = s.seed;
  sc.model_step_ms = s.step_ms;
  sc.levels = s.levels;
  sc.vol_scale = s.vol_scale;
  sc.products = s.products;
  return simex::simulator{simex::transport::simulator_config_from(sc)};
}

nlohmann::json get(simex::simulator& sim, const std::string& path, simex::query_params q, ts_ns now,
                   std::string_view key = {}) {
  simex::rest_request r;
  r.method = "GET";
  r.path = path;
  r.query = std::move(q);
  r.key_name = key;
  simex::http_reply out;
  sim.handle(r, now, out);
  if (out.status != 200)
    throw std::runtime_error(path + " answered " + std::to_string(out.status) + ": " + out.body);
  return nlohmann::json::parse(out.body);
}

price px_of(const nlohmann::json& v) { return *parse_fixed<price_tag>(v.get<std::string>()); }
size qty_of(const nlohmann::json& v) { return *parse_fixed<size_tag>(v.get<std::string>()); }

std::string str(price p) { return to_string(p); }
std::string str(size q) { return to_string(q); }

/// Newest-first candles of granularity g that simex's REST /candles serves for [from_s, to_s),
/// asked in pages of 300 (what traderd's backfill asks at most) aligned to g.
std::vector<simex::candle> rest_candles(simex::simulator& sim, const std::string& p, std::int64_t from_s,
                                        std::int64_t to_s, std::int64_t g, ts_ns now) {
  static const std::map<std::int64_t, std::string> names = {
    {60, "ONE_MINUTE"}, {300, "FIVE_MINUTE"}, {900, "FIFTEEN_MINUTE"}, {3600, "ONE_HOUR"}};
  std::vector<simex::candle> out;
  for (std::int64_t s = from_s / g * g; s < to_s; s += 300 * g) {
    const std::int64_t e = std::min(s + 300 * g, to_s) - 1;  // end is inclusive
    auto j = get(sim, "/api/v3/brokerage/market/products/" + p + "/candles",
                 {{"start", std::to_string(s)}, {"end", std::to_string(e)}, {"granularity", names.at(g)}}, now);
    for (const auto& c : j["candles"])
      out.push_back({std::stoll(c["start"].get<std::string>()), px_of(c["open"]), px_of(c["high"]), px_of(c["low"]),
                     px_of(c["close"]), qty_of(c["volume"])});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start > b.start; });
  return out;
}

std::string candle_text(const simex::candle& c) {
  return std::to_string(c.start) + " o" + str(c.open) + " h" + str(c.high) + " l" + str(c.low) + " c" + str(c.close)
         + " v" + str(c.volume);
}

std::string print_text(const simex::trade_print& t) {
  return t.product_id + " " + t.trade_id + " " + std::to_string(t.time) + " " + str(t.px) + " " + str(t.qty) + " "
         + std::string{simex::to_wire(t.maker_side)};
}

std::string levels_text(const std::vector<book_level>& ls) {
  std::string s;
  for (const auto& l : ls)
    s += str(l.px) + "x" + str(l.qty) + " ";
  return s;
}

/// Runs backtest's market with bt and simex's with sx from t0 for `seconds`, stepping backtest
/// every bt.step_ms as run.cpp does and simex every second as POST /clock/advance walks; the
/// first difference found ("" when none), naming what and where.
struct compared {
  std::size_t prints = 0;  ///< Prints of the tape compared.
  std::size_t levels = 0;  ///< Book levels compared (both sides, every step and product).
};

std::string first_difference_of(sim_market& market, simex::simulator& sim, ts_ns step, ts_ns t0, std::int64_t seconds,
                                compared* n) {
  market.start(t0);
  market.exchange().deposit("bt", "USD", simex::amount::from_double(10'000));
  sim.start(t0);
  sim.step(t0);  // the server's first tick at --start-time
  sim.fund("parity");  // a key's opening balances: deposits only, no orders
  std::ostringstream where;

  // The history candles backtest backfills at start (run.cpp) and simex's REST serves then.
  if (market.products() != sim.engine().product_ids())
    return "listed products differ";
  const std::int64_t t0_s = t0 / ns_per_s;
  for (const auto& p : market.products())
    for (std::int64_t g : {60, 300, 900, 3600}) {
      auto want = market.exchange().stats(p)->candles(t0_s - std::int64_t{6} * 3600, t0_s, g, 1000);
      auto got = rest_candles(sim, p, t0_s - std::int64_t{6} * 3600, t0_s, g, t0);
      if (want.size() != got.size())
        return p + " history at " + std::to_string(g) + " s: backtest reads " + std::to_string(want.size())
               + " candles, simex serves " + std::to_string(got.size());
      for (std::size_t i = 0; i < want.size(); ++i)
        if (candle_text(want[i]) != candle_text(got[i]))
          return p + " history candle at " + std::to_string(g) + " s: backtest " + candle_text(want[i]) + ", simex "
                 + candle_text(got[i]);
    }

  std::vector<ts_ns> tape_from(market.products().size(), t0 - ns_per_s * 3600);
  std::vector<book_level> bids, asks;
  std::size_t n_prints = 0, n_levels = 0;
  for (ts_ns now = t0 + step, simex_now = t0; now <= t0 + seconds * ns_per_s; now += step) {
    market.advance(now);
    while (simex_now < now) {
      simex_now = std::min(now, (simex_now / ns_per_s + 1) * ns_per_s);
      sim.step(simex_now);
    }
    for (std::size_t i = 0; i < market.products().size(); ++i) {
      const auto& p = market.products()[i];
      const std::string at = p + " at " + std::to_string((now - t0) / ns_per_s) + " s: ";
      // The tape since the last step (the seeded prints before start on the first).
      auto a = market.exchange().stats(p)->trades(tape_from[i], now + 1, 1000);
      auto b = sim.engine().stats(p)->trades(tape_from[i], now + 1, 1000);
      tape_from[i] = now + 1;
      if (a.size() != b.size())
        return at + "backtest printed " + std::to_string(a.size()) + " trades, simex " + std::to_string(b.size());
      for (std::size_t k = 0; k < a.size(); ++k)
        if (print_text(*a[k]) != print_text(*b[k]))
          return at + "print backtest " + print_text(*a[k]) + ", simex " + print_text(*b[k]);
      n_prints += a.size();
      // Top of book and 10 levels a side: backtest's view, simex's REST product_book.
      auto q = market.top(p, now);
      market.depth(p, 10, bids, asks);
      auto j = get(sim, "/api/v3/brokerage/market/product_book", {{"product_id", p}, {"limit", "10"}}, now);
      std::vector<book_level> sbids, sasks;
      for (const auto& l : j["pricebook"]["bids"])
        sbids.push_back({px_of(l["price"]), qty_of(l["size"])});
      for (const auto& l : j["pricebook"]["asks"])
        sasks.push_back({px_of(l["price"]), qty_of(l["size"])});
      if (!q || sbids.empty() || sasks.empty())
        return at + "a book side is empty";
      const std::string top_bt = str(q->bid) + "x" + str(q->bid_size) + " / " + str(q->ask) + "x" + str(q->ask_size)
                                 + " last " + str(q->last);
      const std::string top_sx = str(sbids[0].px) + "x" + str(sbids[0].qty) + " / " + str(sasks[0].px) + "x"
                                 + str(sasks[0].qty) + " last " + str(px_of(j["last"]));
      if (top_bt != top_sx)
        return at + "top of book backtest " + top_bt + ", simex " + top_sx;
      if (levels_text(bids) != levels_text(sbids))
        return at + "bids backtest " + levels_text(bids) + ", simex " + levels_text(sbids);
      if (levels_text(asks) != levels_text(sasks))
        return at + "asks backtest " + levels_text(asks) + ", simex " + levels_text(sasks);
      n_levels += bids.size() + asks.size();  // fewer than 10 while a taker's gap waits for the next refresh
    }
  }
  if (n != nullptr)
    *n = {n_prints, n_levels};
  return "";
}

std::string first_difference(const shape& bt, const shape& sx, ts_ns t0, std::int64_t seconds, compared* n = nullptr) {
  auto market = backtest_market(bt);
  auto sim = simex_market(sx);
  return first_difference_of(market, sim, bt.step_ms * ns_per_ms, t0, seconds, n);
}

/// 2026-05-28 20:27:00 UTC; a whole minute.
constexpr std::int64_t candles_start_s = 1'780'000'020;

/// Two hours of 1-minute candles of a slow wave around `around`, written to a temporary file
/// named for the product (backtest reads the product from the name).
std::string write_candles(const std::string& name, double around) {
  const auto path = (std::filesystem::temp_directory_path()
                     / ("simex_parity_" + std::to_string(::getpid()) + "_" + name + ".csv")).string();
  std::ofstream out(path);
  out << "timestamp,open,high,low,close,volume\n";
  double prev = around;
  for (int m = 0; m < 120; ++m) {
    const double close = around * (1.0 + 0.008 * std::sin(m / 9.0));
    out << candles_start_s + 60 * m << "," << prev << "," << std::max(prev, close) * 1.0001 << ","
        << std::min(prev, close) * 0.9999 << "," << close << ",12\n";
    prev = close;
  }
  return path;
}

/// backtest's market for `backtest run --data path --seed seed` and simex's for `simex
/// --candles-csv path --candles-product product --candles-model model --seed seed
/// --model-step-ms 10000 --levels 10`, compared from the file's first minute.
std::string data_difference(const std::string& path, const std::string& product, const std::string& model,
                            std::uint64_t seed, compared* n = nullptr) {
  std::string err;
  auto md = load_market_data({path}, load_options{}, err);
  if (!md)
    return "backtest cannot load " + path + ": " + err;
  market_options mo;  // run.cpp's: --seed, --step-ms 10000, 10 levels
  mo.seed = seed;
  sim_market market{*md, mo};
  simex::transport::server_config sc;
  sc.seed = seed;
  sc.model_step_ms = 10'000;
  sc.levels = 10;
  sc.candles_csv_file = path;
  sc.candles_product = product;
  sc.candles_model = model;
  simex::simulator sim{simex::transport::simulator_config_from(sc)};
  return first_difference_of(market, sim, mo.step, candles_start_s * ns_per_s, 3600, n);
}

constexpr std::int64_t two_hours_s = 2 * 3600 + 60;

} // namespace

TEST(SimexBacktestParity, TheShippedUniverseIsTheSameMarketForTwoHours) {
  shape s;
  s.seed = 19;
  compared n;
  EXPECT_EQ(first_difference(s, s, start_2026, two_hours_s, &n), "");
  EXPECT_GT(n.prints, 6u * 300u) << "the tape compared is the market's trade flow, not a handful of prints";
  EXPECT_GT(n.levels, 6u * 720u * 19u) << "nearly every step compares 10 levels a side";
}

TEST(SimexBacktestParity, ASubsetAScaledVolatilityAndAnUnalignedStartAreTheSameMarketToo) {
  shape s;
  s.seed = 2026;
  s.vol_scale = 4.0;
  s.products = {"DOGE-USD", "BTC-USD", "LINK-USD"};  // both list them in the standard's order
  const ts_ns t0 = start_2026 + 3 * 86'400 * ns_per_s + 7 * 60 * ns_per_s + 30 * ns_per_s;  // 00:07:30
  EXPECT_EQ(first_difference(s, s, t0, two_hours_s), "");
}

TEST(SimexBacktestParity, AnotherStepSeedLevelCountOrVolatilityIsAnotherMarket) {
  shape bt;
  bt.seed = 19;
  auto differs = [&](shape sx) { return first_difference(bt, sx, start_2026, 600); };
  shape sx = bt;
  sx.step_ms = 250;  // simex's default model step
  EXPECT_NE(differs(sx), "");
  sx = bt;
  sx.seed = 20;
  EXPECT_NE(differs(sx), "");
  sx = bt;
  sx.levels = 0;  // simex's default: the standard's 20 levels
  EXPECT_NE(differs(sx), "");
  sx = bt;
  sx.vol_scale = 2.0;
  EXPECT_NE(differs(sx), "");
}

TEST(SimexBacktestParity, ACandleFileIsTheSameMarketWithTheBacktestCandleModel) {
  const auto path = write_candles("btc-usd", 50'000);
  compared n;
  EXPECT_EQ(data_difference(path, "BTC-USD", "backtest", 7, &n), "");
  EXPECT_GT(n.prints, 150u) << "the tape compared is the market's trade flow (a house taker on ~60 % of 360 steps)";
  EXPECT_GT(n.levels, 360u * 19u) << "nearly every step compares 10 levels a side";
  const auto sol = write_candles("sol-usd", 150);  // another listing, another price scale
  EXPECT_EQ(data_difference(sol, "SOL-USD", "backtest", 3), "");
  std::filesystem::remove(path);
  std::filesystem::remove(sol);
}

TEST(SimexBacktestParity, TheStandardCandleModelOrAnotherSeedIsAnotherMarket) {
  const auto path = write_candles("btc-usd", 50'000);
  EXPECT_NE(data_difference(path, "BTC-USD", "standard", 7), "") << "the standard model walks the other products too";
  std::string err;
  auto md = load_market_data({path}, load_options{}, err);
  ASSERT_TRUE(md) << err;
  market_options mo;
  mo.seed = 7;
  sim_market market{*md, mo};
  simex::transport::server_config sc;
  sc.seed = 8;
  sc.model_step_ms = 10'000;
  sc.levels = 10;
  sc.candles_csv_file = path;
  sc.candles_model = "backtest";
  simex::simulator sim{simex::transport::simulator_config_from(sc)};
  EXPECT_NE(first_difference_of(market, sim, mo.step, candles_start_s * ns_per_s, 600, nullptr), "");
  std::filesystem::remove(path);
}

TEST(SimexBacktestParity, TheBacktestCandleModelNeedsAReadableCandleFile) {
  simex::transport::server_config sc;
  sc.candles_model = "backtest";
  EXPECT_THROW((void)simex::transport::simulator_config_from(sc), std::invalid_argument);
  sc.candles_csv_file = "/nonexistent/btc-usd.csv";
  try {
    (void)simex::transport::simulator_config_from(sc);
    FAIL() << "a missing file was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string{e.what()}.find("btc-usd.csv"), std::string::npos) << e.what();
  }
  sc.candles_model = "walk";
  EXPECT_THROW((void)simex::transport::simulator_config_from(sc), std::invalid_argument);
}

TEST(SimexBacktestParity, SimexRefusesAProductItDoesNotSimulateNamingIt) {
  simex::transport::server_config sc;
  sc.products = {"BTC-USD", "XRP-USD"};
  try {
    (void)simex::transport::simulator_config_from(sc);
    FAIL() << "XRP-USD was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string{e.what()}.find("'XRP-USD'"), std::string::npos) << e.what();
    EXPECT_NE(std::string{e.what()}.find("--products"), std::string::npos) << e.what();
  }
}

TEST(SimexBacktestParity, SimexDefaultsAreTheStandardMarket) {
  const auto cfg = simex::transport::simulator_config_from(simex::transport::server_config{}).market;
  const auto std_cfg = simex::model_config::standard(1);
  EXPECT_EQ(cfg.step, std_cfg.step);
  EXPECT_EQ(cfg.history_minutes, std_cfg.history_minutes);
  ASSERT_EQ(cfg.products.size(), std_cfg.products.size());
  for (std::size_t i = 0; i < cfg.products.size(); ++i) {
    EXPECT_EQ(cfg.products[i].listing.id, std_cfg.products[i].listing.id);
    EXPECT_EQ(cfg.products[i].levels, std_cfg.products[i].levels);
    EXPECT_EQ(cfg.products[i].vol_bps, std_cfg.products[i].vol_bps);
  }
}

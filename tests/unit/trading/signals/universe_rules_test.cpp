// The universe's rules: tiers, eligibility, red flags, bans, liquidity hours, rank cap.

#include "actors/trading/signals/universe_rules.hpp"
#include "test_bars.hpp"

#include <gtest/gtest.h>

namespace trader::signals {
namespace {

using test::at_min;

market_facts online(double vol = 1e9, double spread = 5) {
  market_facts f;
  f.listed = true;
  f.quote_currency = "USD";
  f.volume_24h_usd = vol;
  f.spread_bps = spread;
  return f;
}

universe_rules rules() {
  universe_rules r;
  r.core = {"BTC-USD", "ETH-USD"};
  r.rotational = {"SOL-USD", "DOGE-USD"};
  r.max_spread_bps = 50;
  return r;
}

const universe_entry& entry(const std::vector<universe_entry>& u, const std::string& p) {
  for (const auto& e : u)
    if (e.product.value == p)
      return e;
  static universe_entry none;
  return none;
}

TEST(UniverseRules, CoreAndPassingRotationalAreEligibleInTierOrder) {
  std::map<std::string, market_facts> f{{"BTC-USD", online()}, {"ETH-USD", online()},
                                        {"SOL-USD", online(2e7)}, {"DOGE-USD", online(9e7)}};
  auto u = build_universe(rules(), f, {}, at_min(0));
  ASSERT_EQ(u.size(), 4u);
  EXPECT_EQ(u[0].product.value, "BTC-USD");
  EXPECT_EQ(u[0].tier, "core");
  EXPECT_EQ(u[2].product.value, "DOGE-USD");  // rotational ranked by 24 h volume
  for (const auto& e : u)
    EXPECT_TRUE(e.eligible) << e.product.value << " " << e.reason;
}

TEST(UniverseRules, EveryExclusionCarriesItsReason) {
  auto r = rules();
  r.red_flags = {"ETH-USD"};
  std::map<std::string, market_facts> f{{"BTC-USD", online(1e9, 80)}, {"ETH-USD", online()},
                                        {"SOL-USD", online(1e6)}};
  auto u = build_universe(r, f, {}, at_min(0));
  EXPECT_EQ(exclusion_id(entry(u, "BTC-USD").reason), "wide_spread");
  EXPECT_EQ(exclusion_id(entry(u, "ETH-USD").reason), "red_flag");
  EXPECT_EQ(exclusion_id(entry(u, "SOL-USD").reason), "low_volume");
  EXPECT_EQ(exclusion_id(entry(u, "DOGE-USD").reason), "not_listed");
}

TEST(UniverseRules, StatusQuoteCurrencyAndMissingFactsExclude) {
  auto off = online();
  off.state = product_state::cancel_only;
  auto eur = online();
  eur.quote_currency = "EUR";
  auto no_vol = online();
  no_vol.volume_24h_usd.reset();
  auto no_quote = online();
  no_quote.spread_bps.reset();
  std::map<std::string, market_facts> f{{"BTC-USD", off}, {"ETH-USD", eur}, {"SOL-USD", no_vol},
                                        {"DOGE-USD", no_quote}};
  auto u = build_universe(rules(), f, {}, at_min(0));
  EXPECT_EQ(entry(u, "BTC-USD").reason, "status: cancel_only");
  EXPECT_EQ(exclusion_id(entry(u, "ETH-USD").reason), "quote_currency");
  EXPECT_EQ(exclusion_id(entry(u, "SOL-USD").reason), "volume_unknown");
  EXPECT_EQ(exclusion_id(entry(u, "DOGE-USD").reason), "no_quote");
}

TEST(UniverseRules, CoreNeedsNoVolumeFigure) {
  auto f0 = online();
  f0.volume_24h_usd.reset();
  auto u = build_universe(rules(), {{"BTC-USD", f0}}, {}, at_min(0));
  EXPECT_TRUE(entry(u, "BTC-USD").eligible) << entry(u, "BTC-USD").reason;
}

TEST(UniverseRules, TemporaryBanExcludesUntilItExpires) {
  std::map<std::string, market_facts> f{{"BTC-USD", online()}};
  std::map<std::string, ban> bans{{"BTC-USD", ban{at_min(60), "exchange incident"}}};
  EXPECT_EQ(exclusion_id(entry(build_universe(rules(), f, bans, at_min(59)), "BTC-USD").reason), "banned");
  EXPECT_TRUE(entry(build_universe(rules(), f, bans, at_min(60)), "BTC-USD").eligible);
  EXPECT_TRUE(lift_expired(bans, at_min(59)).empty());
  EXPECT_EQ(lift_expired(bans, at_min(60)), std::vector<std::string>{"BTC-USD"});
  EXPECT_TRUE(bans.empty());
}

TEST(UniverseRules, LiquidityHoursWindowIncludingOneThatWrapsMidnight) {
  auto r = rules();
  r.liquidity_start_hour = 8;
  r.liquidity_end_hour = 20;
  EXPECT_FALSE(in_liquidity_hours(r, at_min(7 * 60 + 59)));
  EXPECT_TRUE(in_liquidity_hours(r, at_min(8 * 60)));
  EXPECT_FALSE(in_liquidity_hours(r, at_min(20 * 60)));
  r.liquidity_start_hour = 22;
  r.liquidity_end_hour = 2;
  EXPECT_TRUE(in_liquidity_hours(r, at_min(23 * 60)));
  EXPECT_TRUE(in_liquidity_hours(r, at_min(24 * 60 + 60)));
  EXPECT_FALSE(in_liquidity_hours(r, at_min(12 * 60)));
  auto u = build_universe(r, {{"BTC-USD", online()}}, {}, at_min(12 * 60));
  EXPECT_EQ(exclusion_id(entry(u, "BTC-USD").reason), "outside_liquidity_hours");
}

TEST(UniverseRules, MaxSymbolsCutsTheLowestRanked) {
  auto r = rules();
  r.max_symbols = 3;
  std::map<std::string, market_facts> f{{"BTC-USD", online()}, {"ETH-USD", online()},
                                        {"SOL-USD", online(2e7)}, {"DOGE-USD", online(9e7)}};
  auto u = build_universe(r, f, {}, at_min(0));
  EXPECT_TRUE(entry(u, "DOGE-USD").eligible);
  EXPECT_EQ(exclusion_id(entry(u, "SOL-USD").reason), "rank");
}

TEST(UniverseRules, ASymbolInBothTiersAppearsOnce) {
  auto r = rules();
  r.rotational.push_back("BTC-USD");
  auto u = build_universe(r, {{"BTC-USD", online()}}, {}, at_min(0));
  EXPECT_EQ(std::count_if(u.begin(), u.end(), [](const auto& e) { return e.product.value == "BTC-USD"; }), 1);
}

TEST(UniverseRules, AnEventEmbargoExcludesEveryProductInsideItsWindowOnly) {
  auto r = rules();
  r.embargoes = {{at_min(60), at_min(120), "FOMC statement"}};
  std::map<std::string, market_facts> f{{"BTC-USD", online()}};
  EXPECT_TRUE(entry(build_universe(r, f, {}, at_min(59)), "BTC-USD").eligible);
  auto inside = entry(build_universe(r, f, {}, at_min(60)), "BTC-USD").reason;
  EXPECT_EQ(exclusion_id(inside), "event_embargo");
  EXPECT_NE(inside.find("FOMC statement"), std::string::npos);
  EXPECT_TRUE(entry(build_universe(r, f, {}, at_min(120)), "BTC-USD").eligible);
}

TEST(UniverseRules, ARotationalProductYoungerThanTheListingAgeIsExcludedCoreIsNot) {
  auto r = rules();
  r.min_listing_age_days = 30;
  const ts_ns now = at_min(0);
  const ts_ns day = 86'400 * ns_per_s;
  auto young = online(9e7), old = online(9e7), unknown = online(9e7), core = online();
  young.listed_at = now - 10 * day;
  old.listed_at = now - 31 * day;
  core.listed_at = now - 1 * day;  // core: always a candidate, listing age not checked
  r.rotational = {"SOL-USD", "DOGE-USD", "PEPE-USD"};
  std::map<std::string, market_facts> f{{"BTC-USD", core}, {"ETH-USD", online()}, {"SOL-USD", young},
                                        {"DOGE-USD", old}, {"PEPE-USD", unknown}};
  auto u = build_universe(r, f, {}, now);
  EXPECT_TRUE(entry(u, "BTC-USD").eligible);
  EXPECT_TRUE(entry(u, "DOGE-USD").eligible) << entry(u, "DOGE-USD").reason;
  EXPECT_EQ(entry(u, "SOL-USD").reason, "listing_age: listed 10.0 d ago < 30 d");
  EXPECT_EQ(exclusion_id(entry(u, "PEPE-USD").reason), "listing_unknown");
  r.min_listing_age_days = 0;  // off: the unknown and young ones pass
  auto off = build_universe(r, f, {}, now);
  EXPECT_TRUE(entry(off, "SOL-USD").eligible);
  EXPECT_TRUE(entry(off, "PEPE-USD").eligible);
}

} // namespace
} // namespace trader::signals

// The config hash: canonical, so formatting never changes it and values always do.

#include "runtime/config/config_hash.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

namespace trader::config {
namespace {

using namespace testing;

std::string hash_of(const std::map<std::string, std::string>& files) {
  auto r = load_config_texts(files, "config");
  EXPECT_TRUE(r.ok()) << dump(r);
  return r.hash;
}

TEST(ConfigHash, IsSixteenLowerHexChars) {
  auto h = config_hash(trader_config{});
  ASSERT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ConfigHash, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConfigHash, IgnoresCommentsAndWhitespace) {
  auto files = shipped_texts();
  auto base = hash_of(files);
  std::string stripped;
  std::istringstream in(files["policy.toml"]);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("#", 0) != 0)
      stripped += "   " + line + "    # trailing comment\n\n";
  files["policy.toml"] = stripped;
  EXPECT_EQ(hash_of(files), base);
}

TEST(ConfigHash, IgnoresKeyAndSectionOrder) {
  auto files = shipped_texts();
  auto base = hash_of(files);
  auto& u = files["universe.toml"];
  // Move [tiers] to the end and swap two keys of [universe].
  std::string tiers =
    "[tiers]\nrotational = [\"SOL-USD\", \"AVAX-USD\", \"LINK-USD\", \"DOGE-USD\"]\ncore = [\"BTC-USD\", \"ETH-USD\"]\n";
  u = without_section(u, "tiers") + "\n" + tiers;
  u.replace(u.find("max_symbols = 20\n"), 17, "");
  u.replace(u.find("[universe]\n"), 11, "[universe]\nmax_symbols = 20\n");
  EXPECT_EQ(hash_of(files), base);
}

TEST(ConfigHash, IgnoresIntegerVersusFloatSpelling) {
  auto files = shipped_texts();
  auto base = hash_of(files);
  auto& p = files["policy.toml"];
  p.replace(p.find("stop_loss_pct = 10.0"), 20, "stop_loss_pct = 10");
  EXPECT_EQ(hash_of(files), base);
}

TEST(ConfigHash, ChangesWithAnyValue) {
  auto files = shipped_texts();
  auto base = hash_of(files);
  auto changed = files;
  changed["policy.toml"].replace(changed["policy.toml"].find("stop_loss_pct = 10.0"), 20,
                                 "stop_loss_pct = 10.5");
  EXPECT_NE(hash_of(changed), base);
  changed = files;
  changed["universe.toml"].replace(changed["universe.toml"].find("\"LINK-USD\", \"DOGE-USD\""), 22,
                                   "\"DOGE-USD\", \"LINK-USD\"");
  EXPECT_NE(hash_of(changed), base) << "list order is a value";
  changed = files;
  changed["app.toml"].replace(changed["app.toml"].find("log_dir = \"var/log\""), 19,
                              "log_dir = \"var/log2\"");
  EXPECT_NE(hash_of(changed), base);
}

TEST(ConfigHash, ChangesWithEveryKey) {
  trader_config base;
  auto h0 = config_hash(base);
  auto c = base;
  c.pyramiding.max_pyramid_positions = 1;
  EXPECT_NE(config_hash(c), h0);
  c = base;
  c.themes["memes"].symbols.push_back("SHIB-USD");
  EXPECT_NE(config_hash(c), h0);
  c = base;
  c.strategies.erase("momentum");
  EXPECT_NE(config_hash(c), h0);
}

TEST(ConfigHash, TradingHashIgnoresModeAndPathsButNotRisk) {
  trader_config base;
  auto c = base;
  c.app.mode = trading_mode::live;
  c.app.state_dir = "/var/lib/x";
  c.exchange.rest_base_url = "https://api.coinbase.com/api/v3/brokerage";
  EXPECT_EQ(trading_hash(c), trading_hash(base));
  EXPECT_NE(config_hash(c), config_hash(base));
  c.risk.max_open_positions = 4;
  EXPECT_NE(trading_hash(c), trading_hash(base));
}

} // namespace
} // namespace trader::config

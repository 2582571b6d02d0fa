// The schema against the shipped files: defaults pinned, every key shipped and commented,
// every profile valid.

#include "runtime/config/config_hash.hpp"
#include "runtime/config/schema.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

namespace trader::config {
namespace {

using namespace testing;

TEST(ConfigSchema, PinsTheConservativeDefaults) {
  trader_config c;
  EXPECT_EQ(c.app.mode, trading_mode::dry_run);
  EXPECT_TRUE(c.app.read_only);
  EXPECT_EQ(c.risk.max_total_at_risk_pct, 25.0);
  EXPECT_EQ(c.risk.max_open_positions, 5);
  EXPECT_EQ(c.risk.max_position_pct, 3.0);
  EXPECT_EQ(c.risk.per_asset_cap_pct, 5.0);
  EXPECT_EQ(c.risk.stop_loss_pct, 10.0);
  EXPECT_EQ(c.risk.take_profit_pct, 12.0);
  EXPECT_EQ(c.risk.daily_stop_pct, 3.0);
  EXPECT_EQ(c.risk.weekly_stop_pct, 7.0);
  EXPECT_EQ(c.risk.max_drawdown_pct, 10.0);
  EXPECT_EQ(c.risk.max_trades_per_day, 15);
  EXPECT_EQ(c.risk.max_trades_per_hour, 5);
  EXPECT_EQ(c.risk.max_new_positions_per_hour, 3);
  EXPECT_EQ(c.risk.min_seconds_between_trades, 180);
  EXPECT_EQ(c.risk.per_symbol_cooldown_s, 900);
  EXPECT_EQ(c.risk.max_quote_age_s, 30.0);
  EXPECT_FALSE(c.pyramiding.enabled);
  EXPECT_EQ(c.pyramiding.max_adds_per_day, 1);
  EXPECT_EQ(c.pyramiding.add_cooldown_s, 600);
  EXPECT_EQ(c.execution.maker_fee_bps, 40.0);
  EXPECT_EQ(c.execution.taker_fee_bps, 60.0);
  EXPECT_EQ(c.execution.default_order_type, order_type::limit_post_only);
  EXPECT_EQ(c.loop.jitter_pct, 10.0);
  EXPECT_EQ(c.loop.cycle_budget_s, 45.0);
  EXPECT_EQ(c.runtime.scheduler_threads, 2);
  EXPECT_EQ(c.runtime.supervisor_max_restarts, 1);
  EXPECT_EQ(c.runtime.supervisor_period_s, 5);
  EXPECT_EQ(c.runtime.shutdown_timeout_ms, 5000);
  EXPECT_EQ(c.metrics.listen, "127.0.0.1:9100");
}

TEST(ConfigSchema, ShippedConfigEqualsTheCompiledDefaults) {
  auto r = load_config_dir(shipped_dir());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(canonical_text(*r.config), canonical_text(trader_config{}));
}

TEST(ConfigSchema, EveryKeyIsWrittenAndCommentedInTheShippedFiles) {
  auto r = load_config_dir(shipped_dir());
  ASSERT_TRUE(r.ok()) << dump(r);
  auto files = shipped_texts();
  for (const auto& s : schema()) {
    if (s.is_map)
      continue;
    std::vector<std::string> lines;
    std::istringstream in(files[s.file]);
    for (std::string l; std::getline(in, l);)
      lines.push_back(l);
    for (const auto& f : s.fields) {
      auto pos = r.locations[s.name + "." + f.key];
      ASSERT_GT(pos.line, 1u) << s.name << "." << f.key << " is not written in config/" << s.file;
      EXPECT_EQ(lines[pos.line - 2].rfind("#", 0), 0u)
        << s.name << "." << f.key << " in config/" << s.file << " has no comment line above it";
    }
  }
}

TEST(ConfigSchema, EveryKeyHasDocAndEveryRangeIsOrdered) {
  for (const auto& s : schema()) {
    EXPECT_FALSE(s.doc.empty()) << s.name;
    for (const auto& f : s.fields) {
      EXPECT_FALSE(f.doc.empty()) << s.name << "." << f.key;
      if (f.min && f.max) {
        EXPECT_LT(*f.min, *f.max) << s.name << "." << f.key;
      }
    }
  }
}

TEST(ConfigSchema, DeprecatedKeysPointAtRealKeys) {
  for (const auto& d : deprecated_keys()) {
    auto dot = d.replacement.rfind('.');
    const auto* s = find_section(d.file, d.replacement.substr(0, dot));
    ASSERT_NE(s, nullptr) << d.replacement;
    EXPECT_NE(find_field(*s, d.replacement.substr(dot + 1)), nullptr) << d.replacement;
  }
}

TEST(ConfigSchema, EveryShippedProfileValidatesWithoutErrors) {
  int profiles = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shipped_dir() / "profiles")) {
    if (!entry.is_directory())
      continue;
    ++profiles;
    auto r = load_config_dir(entry.path());
    EXPECT_TRUE(r.ok()) << entry.path() << "\n" << dump(r);
    EXPECT_EQ(r.errors(), 0u) << entry.path() << "\n" << dump(r);
  }
  EXPECT_GE(profiles, 3);
}

TEST(ConfigSchema, LiveProfileIsLiveWithPaperTimePolicyOn) {
  auto r = load_config_dir(shipped_dir() / "profiles" / "live");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->app.mode, trading_mode::live);
  EXPECT_FALSE(r.config->app.read_only);
  EXPECT_GT(r.config->live.min_paper_hours, 0.0);
}

TEST(ConfigSchema, LiveRehearsalSharesTheLiveTradingHash) {
  auto live = load_config_dir(shipped_dir() / "profiles" / "live");
  auto rehearsal = load_config_dir(shipped_dir() / "profiles" / "live-rehearsal");
  ASSERT_TRUE(live.ok() && rehearsal.ok()) << dump(live) << dump(rehearsal);
  EXPECT_EQ(rehearsal.config->app.mode, trading_mode::paper);
  EXPECT_EQ(live.trading_hash, rehearsal.trading_hash);
  EXPECT_NE(live.hash, rehearsal.hash);
}

TEST(ConfigSchema, SuggestsWithinEditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(closest("stop_los_pct", {"stop_loss_pct", "take_profit_pct"}), "stop_loss_pct");
  EXPECT_EQ(closest("zzz", {"stop_loss_pct"}), std::nullopt);
}

} // namespace
} // namespace trader::config

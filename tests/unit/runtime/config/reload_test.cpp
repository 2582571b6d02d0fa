// Reload planning: what changed, who to tell, what cannot change while running.

#include "runtime/config/reload.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

namespace trader::config {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(ReloadPlan, IdenticalConfigIsAcceptedWithNothingToDo) {
  auto plan = plan_reload(trader_config{}, trader_config{});
  EXPECT_TRUE(plan.accepted);
  EXPECT_FALSE(plan.changed);
  EXPECT_TRUE(plan.changed_sections.empty());
  EXPECT_EQ(plan.old_hash, plan.new_hash);
}

TEST(ReloadPlan, AcceptsRiskChangeAndNamesSectionAndActors) {
  trader_config running, candidate;
  candidate.risk.stop_loss_pct = 8.0;
  candidate.loop.interval_s = 30.0;
  auto plan = plan_reload(running, candidate);
  EXPECT_TRUE(plan.accepted);
  EXPECT_TRUE(plan.changed);
  EXPECT_EQ(plan.changed_sections, (std::vector<std::string>{"loop", "risk"}));
  EXPECT_EQ(plan.changed_keys, (std::vector<std::string>{"loop.interval_s", "risk.stop_loss_pct"}));
  EXPECT_TRUE(contains(plan.affected_actors, "risk"));
  EXPECT_TRUE(contains(plan.affected_actors, "scheduler"));
  EXPECT_NE(plan.old_hash, plan.new_hash);
}

TEST(ReloadPlan, AcceptsAddedAndRemovedMapEntries) {
  trader_config running, candidate;
  candidate.themes.erase("memes");
  candidate.strategies["scalper"] = strategy{};
  auto plan = plan_reload(running, candidate);
  EXPECT_TRUE(plan.accepted);
  EXPECT_EQ(plan.changed_sections, (std::vector<std::string>{"strategies", "themes"}));
  EXPECT_TRUE(contains(plan.affected_actors, "strategies"));
  EXPECT_TRUE(contains(plan.affected_actors, "universe"));
}

TEST(ReloadPlan, RefusesModeChange) {
  trader_config running, candidate;
  candidate.app.mode = trading_mode::live;
  auto plan = plan_reload(running, candidate);
  EXPECT_FALSE(plan.accepted);
  ASSERT_EQ(plan.refusals.size(), 1u);
  EXPECT_EQ(plan.refusals[0].key, "app.mode");
  EXPECT_NE(plan.refusals[0].message.find("\"DRY_RUN\""), std::string::npos) << plan.refusals[0].message;
  EXPECT_NE(plan.refusals[0].message.find("restart"), std::string::npos);
}

TEST(ReloadPlan, RefusesEveryStartupOnlyKey) {
  trader_config running, candidate;
  candidate.app.state_dir = "/elsewhere";
  candidate.app.runtime_dir = "/run/x";
  candidate.control.socket = "other.sock";
  candidate.metrics.listen = "127.0.0.1:9999";
  candidate.runtime.scheduler_threads = 4;
  candidate.risk.max_open_positions = 4; // reloadable, changes alongside
  auto plan = plan_reload(running, candidate);
  EXPECT_FALSE(plan.accepted);
  std::vector<std::string> keys;
  for (const auto& r : plan.refusals)
    keys.push_back(r.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"app.runtime_dir", "app.state_dir", "control.socket",
                                            "metrics.listen", "runtime.scheduler_threads"}));
}

// A scratch copy of the shipped config that a test may edit.
std::filesystem::path scratch_config(const std::string& name) {
  auto dir = testing::temp_dir(name);
  for (const auto& [file, text] : testing::shipped_texts())
    testing::write_file(dir, file, text);
  return dir;
}

TEST(PrepareReload, AppliesAValidChange) {
  auto dir = scratch_config("reload_ok");
  auto policy = testing::shipped_texts()["policy.toml"];
  policy.replace(policy.find("max_adds_per_day = 1"), 20, "max_adds_per_day = 2");
  testing::write_file(dir, "policy.toml", policy);
  auto out = prepare_reload(trader_config{}, dir);
  EXPECT_TRUE(out.apply) << out.summary << testing::dump(out.loaded);
  EXPECT_EQ(out.plan.changed_sections, (std::vector<std::string>{"risk.pyramiding"}));
  EXPECT_NE(out.summary.find(out.plan.new_hash), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(PrepareReload, KeepsRunningConfigWhenCandidateIsInvalid) {
  auto dir = scratch_config("reload_invalid");
  testing::write_file(dir, "policy.toml", testing::shipped_texts()["policy.toml"] + "\n[loop]\njitter_pct = 90\n");
  auto out = prepare_reload(trader_config{}, dir);
  EXPECT_FALSE(out.apply);
  EXPECT_GT(out.loaded.errors(), 0u);
  EXPECT_NE(out.summary.find("stays"), std::string::npos) << out.summary;
  std::filesystem::remove_all(dir);
}

TEST(PrepareReload, RefusesModeChangeFromDisk) {
  auto dir = scratch_config("reload_mode");
  auto app = testing::shipped_texts()["app.toml"];
  app.replace(app.find("mode = \"DRY_RUN\""), 16, "mode = \"PAPER\"");
  testing::write_file(dir, "app.toml", app);
  auto out = prepare_reload(trader_config{}, dir);
  EXPECT_FALSE(out.apply);
  EXPECT_NE(out.summary.find("app.mode"), std::string::npos) << out.summary;
  std::filesystem::remove_all(dir);
}

TEST(PrepareReload, ReportsNoChange) {
  auto out = prepare_reload(trader_config{}, testing::shipped_dir());
  EXPECT_FALSE(out.apply);
  EXPECT_TRUE(out.plan.accepted);
  EXPECT_NE(out.summary.find("no change"), std::string::npos);
}

} // namespace
} // namespace trader::config

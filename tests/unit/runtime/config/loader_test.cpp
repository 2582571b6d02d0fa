// The loader and schema: each error kind, locations, all errors at once, profiles on disk.

#include "runtime/config/loader.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

namespace trader::config {
namespace {

using namespace testing;

TEST(ConfigLoader, ShippedConfigLoadsWithoutIssues) {
  auto r = load_config_dir(shipped_dir());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.issues.empty()) << dump(r);
  EXPECT_EQ(r.hash.size(), 16u);
}

TEST(ConfigLoader, ReportsSyntaxErrorWithLineAndColumn) {
  auto r = load_replacing("policy.toml", "[risk]\nstop_loss_pct = = 3\n");
  ASSERT_FALSE(r.ok());
  const auto* i = find_issue(r, "PARSE_ERROR");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->file, "config/policy.toml");
  EXPECT_EQ(i->line, 2u);
  EXPECT_GT(i->column, 0u);
  EXPECT_FALSE(r.unreadable);
}

TEST(ConfigLoader, SyntaxErrorDoesNotAlsoReportMissingRequiredKeys) {
  auto r = load_replacing("policy.toml", "[risk]\nstop_loss_pct = = 3\n");
  EXPECT_EQ(r.errors(), 1u) << dump(r);
}

TEST(ConfigLoader, ReportsTypeMismatchAtTheValue) {
  auto r = load_with({{"policy.toml", "[risk]\n\nmax_open_positions = \"five\"\n"}});
  ASSERT_FALSE(r.ok());
  const auto* i = find_issue(r, "TYPE_MISMATCH");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->file, "overlay/policy.toml");
  EXPECT_EQ(i->line, 3u);
  EXPECT_EQ(i->column, 22u);
  EXPECT_EQ(i->key, "risk.max_open_positions");
  EXPECT_NE(i->message.find("expected an integer, found a string"), std::string::npos);
}

TEST(ConfigLoader, RejectsFloatForIntegerKey) {
  auto r = load_with({{"policy.toml", "[risk]\nmax_open_positions = 5.5\n"}});
  ASSERT_NE(find_issue(r, "TYPE_MISMATCH"), nullptr) << dump(r);
}

TEST(ConfigLoader, AcceptsIntegerForNumberKey) {
  auto r = load_with({{"policy.toml", "[risk]\nstop_loss_pct = 9\n"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->risk.stop_loss_pct, 9.0);
}

TEST(ConfigLoader, ReportsOutOfRangeWithTheRange) {
  auto r = load_with({{"app.toml", "[runtime]\nscheduler_threads = 0\n"}});
  const auto* i = find_issue(r, "OUT_OF_RANGE");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->key, "runtime.scheduler_threads");
  EXPECT_NE(i->message.find("[1, 64]"), std::string::npos) << i->message;
}

TEST(ConfigLoader, RejectsNonFiniteNumbers) {
  auto r = load_with({{"policy.toml", "[loop]\ninterval_s = nan\n"}});
  ASSERT_NE(find_issue(r, "OUT_OF_RANGE"), nullptr) << dump(r);
}

TEST(ConfigLoader, RejectsExclusiveLowerBound) {
  auto r = load_with({{"policy.toml", "[risk]\nmax_total_at_risk_pct = 0\n"}});
  ASSERT_NE(find_issue(r, "OUT_OF_RANGE"), nullptr) << dump(r);
}

TEST(ConfigLoader, ReportsInvalidChoiceWithSuggestion) {
  auto r = load_with({{"app.toml", "[app]\nmode = \"dry_run\"\n"}});
  const auto* i = find_issue(r, "INVALID_CHOICE");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("did you mean \"DRY_RUN\"?"), std::string::npos) << i->message;
}

TEST(ConfigLoader, ChecksEveryElementOfAChoiceList) {
  auto r = load_with({{"app.toml", "[alerts]\nsinks = [\"log\", \"slack\"]\n"}});
  const auto* i = find_issue(r, "INVALID_CHOICE");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("element 1"), std::string::npos);
}

TEST(ConfigLoader, ReportsInvalidFormat) {
  auto r = load_with({{"app.toml", "[exchange]\nrest_base_url = \"ftp://x\"\n[metrics]\nlisten = \"9100\"\n"},
                      {"universe.toml", "[tiers]\ncore = [\"btc-usd\"]\n"}});
  EXPECT_EQ(
    std::count_if(r.issues.begin(), r.issues.end(), [](const auto& i) { return i.check == "INVALID_VALUE"; }),
    3)
    << dump(r);
}

TEST(ConfigLoader, ReportsUnknownKeyWithDidYouMean) {
  auto r = load_with({{"policy.toml", "[risk]\nstop_los_pct = 5\n"}});
  const auto* i = find_issue(r, "UNKNOWN_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->key, "risk.stop_los_pct");
  EXPECT_EQ(i->line, 2u);
  EXPECT_EQ(i->column, 1u);
  EXPECT_NE(i->message.find("did you mean \"risk.stop_loss_pct\"?"), std::string::npos) << i->message;
}

TEST(ConfigLoader, SuggestsTheSectionOfAMisplacedKey) {
  auto r = load_with({{"policy.toml", "[execution]\ntake_profit_pct = 5\n"}});
  const auto* i = find_issue(r, "UNKNOWN_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("risk.take_profit_pct"), std::string::npos) << i->message;
}

TEST(ConfigLoader, ReportsUnknownSection) {
  auto r = load_with({{"policy.toml", "[riks]\nstop_loss_pct = 5\n"}});
  const auto* i = find_issue(r, "UNKNOWN_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->key, "riks");
  EXPECT_NE(i->message.find("did you mean \"risk\"?"), std::string::npos) << i->message;
}

TEST(ConfigLoader, NamesTheFileOfASectionInTheWrongFile) {
  auto r = load_with({{"app.toml", "[risk]\nstop_loss_pct = 5\n"}});
  const auto* i = find_issue(r, "UNKNOWN_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("belongs in policy.toml"), std::string::npos) << i->message;
}

TEST(ConfigLoader, ReportsKeyOutsideItsSection) {
  auto r = load_with({{"app.toml", "mode = \"PAPER\"\n"}});
  const auto* i = find_issue(r, "UNKNOWN_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("app.mode"), std::string::npos) << i->message;
}

TEST(ConfigLoader, ReportsMissingRequiredKey) {
  auto files = shipped_texts();
  auto& app = files["app.toml"];
  app.replace(app.find("mode = \"DRY_RUN\"\n"), 17, "");
  auto r = load_config_texts(files, "config");
  const auto* i = find_issue(r, "REQUIRED_KEY_MISSING");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->key, "app.mode");
  EXPECT_EQ(i->file, "config/app.toml");
}

TEST(ConfigLoader, RequiredKeyMaySitInAnOverlayOnly) {
  auto files = shipped_texts();
  auto& app = files["app.toml"];
  app.replace(app.find("mode = \"DRY_RUN\"\n"), 17, "");
  auto r = load_config_layers({{"config", files}, {"p", {{"app.toml", "[app]\nmode = \"PAPER\"\n"}}}});
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST(ConfigLoader, MapsDeprecatedExposureKeyWithWarning) {
  auto files = shipped_texts();
  auto& p = files["policy.toml"];
  p.replace(p.find("max_total_at_risk_pct = 25.0"), 28, "max_exposure_pct = 20.0");
  auto r = load_config_texts(files, "config");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto* i = find_issue(r, "DEPRECATED_EXPOSURE_KEY");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->level, severity::warning);
  EXPECT_NE(i->message.find("risk.max_total_at_risk_pct"), std::string::npos);
  EXPECT_EQ(r.config->risk.max_total_at_risk_pct, 20.0);
}

TEST(ConfigLoader, RejectsDeprecatedKeyNextToItsReplacement) {
  auto r = load_with({{"policy.toml", "[risk]\nmax_exposure_pct = 20.0\nmax_total_at_risk_pct = 25.0\n"}});
  const auto* i = find_issue(r, "DEPRECATED_EXPOSURE_KEY");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_EQ(i->level, severity::error);
}

TEST(ConfigLoader, WarnsOnRemovedCacheKey) {
  auto r = load_with({{"universe.toml", "[universe]\ncache_ttl_seconds = 60\n"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto* i = find_issue(r, "REMOVED_CACHE_KEY");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->level, severity::warning);
  EXPECT_NE(i->message.find("universe.refresh_interval_s"), std::string::npos);
}

TEST(ConfigLoader, RejectsSecretLookingKeysWithoutEchoingThem) {
  auto r =
    load_with({{"app.toml", "[exchange]\napi_key = \"hunter2\"\n[alerts.telegram]\nbot_token = \"abc\"\n"}});
  EXPECT_EQ(std::count_if(r.issues.begin(), r.issues.end(),
                          [](const auto& i) { return i.check == "SECRET_IN_CONFIG"; }),
            2)
    << dump(r);
  EXPECT_EQ(dump(r).find("hunter2"), std::string::npos);
}

TEST(ConfigLoader, RejectsPrivateKeyValue) {
  auto r = load_with({{"app.toml", "[exchange]\nca_file = \"-----BEGIN EC PRIVATE KEY-----\"\n"}});
  ASSERT_NE(find_issue(r, "SECRET_IN_CONFIG"), nullptr) << dump(r);
}

TEST(ConfigLoader, RejectsBadEntryName) {
  auto r = load_with({{"strategies.toml", "[strategies.Break-Out]\nenabled = false\n"}});
  ASSERT_NE(find_issue(r, "INVALID_NAME"), nullptr) << dump(r);
}

TEST(ConfigLoader, ReportsFileMissingAsUnreadable) {
  auto files = shipped_texts();
  files.erase("signals.toml");
  auto r = load_config_texts(files, "config");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.unreadable);
  ASSERT_NE(find_issue(r, "FILE_MISSING"), nullptr);
  EXPECT_EQ(find_issue(r, "FILE_MISSING")->file, "config/signals.toml");
}

TEST(ConfigLoader, CollectsEveryErrorAtOnce) {
  auto r = load_with({{"policy.toml", "[risk]\nstop_loss_pct = \"x\"\nmax_open_positions = 0\nbogus = 1\n"},
                      {"app.toml", "[runtime]\nscheduler_threads = 100\n"}});
  EXPECT_EQ(r.errors(), 4u) << dump(r);
  EXPECT_FALSE(r.config.has_value());
}

TEST(ConfigLoader, ReportsIssuesOfAFileInReadingOrder) {
  auto r = load_with({{"policy.toml", "[risk]\nzzz = 1\n[execution]\naaa = 1\n"}});
  ASSERT_EQ(r.errors(), 2u) << dump(r);
  EXPECT_EQ(r.issues[0].key, "risk.zzz");
  EXPECT_EQ(r.issues[1].key, "execution.aaa");
}

TEST(ConfigLoader, BaseFileReplacesBuiltInEntriesAndOverlayMerges) {
  auto base = shipped_texts();
  base["strategies.toml"] = "[strategies.solo]\nenabled = true\nrisk_budget_pct = 5.0\n";
  auto r = load_config_layers(
    {{"config", base}, {"p", {{"strategies.toml", "[strategies.extra]\nenabled = false\n"}}}});
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.config->strategies.size(), 2u);
  EXPECT_TRUE(r.config->strategies.count("solo"));
  EXPECT_TRUE(r.config->strategies.count("extra"));
}

TEST(ConfigLoader, RendersIssueAsFileLineColumnKeyMessage) {
  config_issue i{severity::error, "UNKNOWN_KEY", "config/policy.toml", 12, 3, "risk.x", "unknown key"};
  EXPECT_EQ(render(i), "config/policy.toml:12:3: error: risk.x: unknown key [UNKNOWN_KEY]");
  i.line = 0;
  EXPECT_EQ(render(i), "config/policy.toml: error: risk.x: unknown key [UNKNOWN_KEY]");
}

TEST(ConfigLoader, LoadsProfileOverlayFromDisk) {
  auto r = load_config_dir(shipped_dir() / "profiles" / "aggressive");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->risk.max_total_at_risk_pct, 50.0);
  EXPECT_EQ(r.config->risk.stop_loss_pct, 8.0);
  EXPECT_EQ(r.config->app.mode, trading_mode::dry_run); // from the base
  EXPECT_TRUE(r.config->pyramiding.enabled);
}

TEST(ConfigLoader, ReportsMissingDirectoryAsUnreadable) {
  auto r = load_config_dir("/nonexistent/trader/config");
  EXPECT_TRUE(r.unreadable);
  EXPECT_NE(find_issue(r, "FILE_MISSING"), nullptr);
}

TEST(ConfigLoader, ReportsProfileWithoutBase) {
  auto dir = temp_dir("nobase");
  write_file(dir, "profile.toml", "[profile]\nname = \"x\"\n");
  auto r = load_config_dir(dir);
  EXPECT_NE(find_issue(r, "REQUIRED_KEY_MISSING"), nullptr) << dump(r);
  std::filesystem::remove_all(dir);
}

TEST(ConfigLoader, StopsProfileCycles) {
  auto dir = temp_dir("cycle");
  write_file(dir, "profile.toml", "[profile]\nbase = \".\"\n");
  auto r = load_config_dir(dir);
  EXPECT_NE(find_issue(r, "PROFILE_DEPTH"), nullptr) << dump(r);
  std::filesystem::remove_all(dir);
}

TEST(ConfigLoader, RejectsStrayTomlFileInProfile) {
  auto dir = temp_dir("stray");
  write_file(dir, "profile.toml", "[profile]\nbase = \"" + shipped_dir().string() + "\"\n");
  write_file(dir, "polcy.toml", "[risk]\nstop_loss_pct = 5.0\n");
  auto r = load_config_dir(dir);
  const auto* i = find_issue(r, "UNKNOWN_FILE");
  ASSERT_NE(i, nullptr) << dump(r);
  EXPECT_NE(i->message.find("did you mean policy.toml?"), std::string::npos) << i->message;
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.unreadable);
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace trader::config

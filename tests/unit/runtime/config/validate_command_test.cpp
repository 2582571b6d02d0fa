// run_validate: output and exit codes 0 / 1 / 2.

#include "runtime/config/validate_command.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace trader::config {
namespace {

using namespace testing;

TEST(ValidateCommand, ShippedConfigExitsZeroAndPrintsHash) {
  std::ostringstream out, err;
  EXPECT_EQ(run_validate(shipped_dir().string(), false, out, err), 0);
  EXPECT_NE(out.str().find("config hash: "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("0 error(s), 0 warning(s)"), std::string::npos) << out.str();
  EXPECT_TRUE(err.str().empty());
}

TEST(ValidateCommand, EveryProfileExitsZero) {
  for (const char* p : {"aggressive", "paper-demo", "live", "live-rehearsal"}) {
    std::ostringstream out, err;
    EXPECT_EQ(run_validate((shipped_dir() / "profiles" / p).string(), false, out, err), 0) << p << "\n"
                                                                                           << out.str();
  }
}

TEST(ValidateCommand, ErrorsExitOneAndPrintEveryIssue) {
  auto dir = temp_dir("validate_errors");
  for (const auto& [name, text] : shipped_texts())
    write_file(dir, name, text);
  write_file(dir, "policy.toml", shipped_texts()["policy.toml"] + "\n[extra]\nx = 1\n");
  write_file(dir, "signals.toml", "[bad_tick]\nconfirm_ticks = 0\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_validate(dir.string(), false, out, err), 1);
  EXPECT_NE(out.str().find("policy.toml:"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("[UNKNOWN_KEY]"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("signals.toml:2:17: error: bad_tick.confirm_ticks:"), std::string::npos)
    << out.str();
  EXPECT_NE(out.str().find("config invalid"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ValidateCommand, SyntaxErrorExitsOne) {
  auto dir = temp_dir("validate_syntax");
  for (const auto& [name, text] : shipped_texts())
    write_file(dir, name, text);
  write_file(dir, "app.toml", "[app\nmode = 1\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_validate(dir.string(), false, out, err), 1);
  EXPECT_NE(out.str().find("[PARSE_ERROR]"), std::string::npos) << out.str();
  std::filesystem::remove_all(dir);
}

TEST(ValidateCommand, MissingDirectoryOrFileExitsTwo) {
  std::ostringstream out, err;
  EXPECT_EQ(run_validate("/nonexistent/config", false, out, err), 2);
  auto dir = temp_dir("validate_missing");
  write_file(dir, "app.toml", shipped_texts()["app.toml"]);
  EXPECT_EQ(run_validate(dir.string(), false, out, err), 2);
  EXPECT_NE(err.str().find("exit 2"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ValidateCommand, PrintsJson) {
  std::ostringstream out, err;
  EXPECT_EQ(run_validate(shipped_dir().string(), true, out, err), 0);
  EXPECT_EQ(out.str().rfind("{\"dir\":", 0), 0u) << out.str();
  EXPECT_NE(out.str().find("\"ok\":true"), std::string::npos);
  EXPECT_NE(out.str().find("\"issues\":[]"), std::string::npos);
  EXPECT_NE(out.str().find("\"trading_hash\":\""), std::string::npos);
  std::ostringstream out2;
  EXPECT_EQ(run_validate("/nonexistent", true, out2, err), 2);
  EXPECT_NE(out2.str().find("\"check\":\"FILE_MISSING\""), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("\"hash\":null"), std::string::npos);
}

} // namespace
} // namespace trader::config

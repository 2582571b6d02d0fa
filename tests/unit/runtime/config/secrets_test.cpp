// Secrets: credentials directory first, then environment; never printed.

#include "runtime/config/secrets.hpp"

#include "config_test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace trader::config {
namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

TEST(Secrets, PrintsStars) {
  secret s("hunter2");
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "***");
  EXPECT_EQ(s.reveal(), "hunter2");
}

TEST(Secrets, ReadsFromEnvironmentInUpperCase) {
  auto r = load_secret("telegram_bot_token", env_of({{"TELEGRAM_BOT_TOKEN", "abc\n"}}));
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->reveal(), "abc");
  EXPECT_EQ(r.source, "env:TELEGRAM_BOT_TOKEN");
}

TEST(Secrets, PrefersCredentialsDirectory) {
  auto dir = testing::temp_dir("creds");
  testing::write_file(dir, "coinbase_api_private_key", "-----BEGIN EC PRIVATE KEY-----\nx\n\n");
  auto r =
    load_secret("coinbase_api_private_key",
                env_of({{"CREDENTIALS_DIRECTORY", dir.string()}, {"COINBASE_API_PRIVATE_KEY", "env"}}));
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->reveal(), "-----BEGIN EC PRIVATE KEY-----\nx");
  EXPECT_EQ(r.source.rfind("file:", 0), 0u);
  std::filesystem::remove_all(dir);
}

TEST(Secrets, FallsBackToEnvironmentWhenFileMissing) {
  auto dir = testing::temp_dir("creds_empty");
  auto r = load_secret("pagerduty_routing_key",
                       env_of({{"CREDENTIALS_DIRECTORY", dir.string()}, {"PAGERDUTY_ROUTING_KEY", "rk"}}));
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->reveal(), "rk");
  std::filesystem::remove_all(dir);
}

TEST(Secrets, EmptyCredentialFileFailsClosed) {
  auto dir = testing::temp_dir("creds_blank");
  testing::write_file(dir, "telegram_bot_token", "\n");
  auto r = load_secret("telegram_bot_token",
                       env_of({{"CREDENTIALS_DIRECTORY", dir.string()}, {"TELEGRAM_BOT_TOKEN", "env"}}));
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.error.find("unreadable or empty"), std::string::npos) << r.error;
  std::filesystem::remove_all(dir);
}

TEST(Secrets, ReportsMissingWithBothPlaces) {
  auto r = load_secret("alert_webhook_url", env_of({}));
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.error.find("$CREDENTIALS_DIRECTORY/alert_webhook_url"), std::string::npos);
  EXPECT_NE(r.error.find("ALERT_WEBHOOK_URL"), std::string::npos);
}

TEST(Secrets, RejectsPathTraversalNames) {
  EXPECT_FALSE(load_secret("../etc/passwd", env_of({})).value);
  EXPECT_FALSE(load_secret("", env_of({})).value);
}

TEST(Secrets, RecognisesSecretLookingKeys) {
  for (const char* k : {"api_key", "API_KEY", "private_key", "secret", "client_secret", "token", "bot_token",
                        "password", "passphrase", "apikey", "signing_key"})
    EXPECT_TRUE(looks_like_secret_key(k)) << k;
  for (const char* k :
       {"max_position_pct", "socket", "kill_switch_file", "chat_id", "url", "keyword", "tokens_per_s"})
    EXPECT_FALSE(looks_like_secret_key(k)) << k;
}

} // namespace
} // namespace trader::config

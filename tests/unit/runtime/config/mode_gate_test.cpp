// Mode gates: every path of decide_mode and of the PAPER-time policy.

#include "runtime/config/mode_gate.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

namespace trader::config {
namespace {

using namespace std::chrono_literals;

env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

app_section app(trading_mode m, bool read_only) {
  app_section a;
  a.mode = m;
  a.read_only = read_only;
  return a;
}

TEST(ModeGate, DryRunIsTheDefaultAndReadOnly) {
  auto d = decide_mode(app_section{}, false, env_of({}));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.mode, trading_mode::dry_run);
  EXPECT_TRUE(d.read_only);
}

TEST(ModeGate, DryRunForcesReadOnlyEvenWhenConfiguredOff) {
  auto d = decide_mode(app(trading_mode::dry_run, false), true, env_of({{"TRADER_CONFIRM_LIVE", "yes"}}));
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.read_only);
  EXPECT_NE(d.message.find("ignored"), std::string::npos);
}

TEST(ModeGate, PaperForcesReadOnly) {
  auto d = decide_mode(app(trading_mode::paper, false), false, env_of({}));
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.read_only);
}

TEST(ModeGate, LiveWithReadOnlyIsRefused) {
  auto d = decide_mode(app(trading_mode::live, true), true, env_of({{"TRADER_CONFIRM_LIVE", "yes"}}));
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.message.find("read_only = true"), std::string::npos) << d.message;
}

TEST(ModeGate, LiveWithoutConfirmationIsRefused) {
  auto d = decide_mode(app(trading_mode::live, false), false, env_of({}));
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.read_only);
  EXPECT_NE(d.message.find("--confirm-live"), std::string::npos);
  EXPECT_NE(d.message.find("TRADER_CONFIRM_LIVE=yes"), std::string::npos);
}

TEST(ModeGate, LiveWithOtherEnvValueIsRefused) {
  for (const char* v : {"no", "1", "true", "", "yes please"})
    EXPECT_FALSE(
      decide_mode(app(trading_mode::live, false), false, env_of({{"TRADER_CONFIRM_LIVE", v}})).allowed)
      << v;
}

TEST(ModeGate, LiveWithFlagIsAllowed) {
  auto d = decide_mode(app(trading_mode::live, false), true, env_of({}));
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.read_only);
}

TEST(ModeGate, LiveWithEnvironmentIsAllowed) {
  auto d = decide_mode(app(trading_mode::live, false), false, env_of({{"TRADER_CONFIRM_LIVE", "YES"}}));
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.read_only);
}

TEST(ModeGate, ProcessEnvironmentConfirmsLive) {
  ::setenv("TRADER_CONFIRM_LIVE", "yes", 1);
  EXPECT_TRUE(decide_mode(app(trading_mode::live, false), false, process_env()).allowed);
  ::unsetenv("TRADER_CONFIRM_LIVE");
  EXPECT_FALSE(decide_mode(app(trading_mode::live, false), false, process_env()).allowed);
}

TEST(ModeGate, LiveWithNullEnvironmentNeedsTheFlag) {
  EXPECT_FALSE(decide_mode(app(trading_mode::live, false), false, env_lookup{}).allowed);
}

trader_config live_config(double hours) {
  trader_config c;
  c.app = app(trading_mode::live, false);
  c.live.min_paper_hours = hours;
  return c;
}

TEST(PaperTime, OffWhenZeroHours) {
  auto d = check_paper_time(live_config(0), "abcd", 0s);
  EXPECT_TRUE(d.allowed);
}

TEST(PaperTime, IgnoredOutsideLive) {
  auto c = live_config(24);
  c.app.mode = trading_mode::paper;
  EXPECT_TRUE(check_paper_time(c, "abcd", 0s).allowed);
}

TEST(PaperTime, RefusesWithRemainingTimeAndHash) {
  auto d = check_paper_time(live_config(24), "0123456789abcdef", 20h);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 4h);
  EXPECT_NE(d.message.find("0123456789abcdef"), std::string::npos);
  EXPECT_NE(d.message.find("4h00m"), std::string::npos) << d.message;
}

TEST(PaperTime, RefusesWhenNeverRunInPaper) {
  auto d = check_paper_time(live_config(1.5), "h", 0s);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 90min);
}

TEST(PaperTime, AllowsOnceEnoughPaperTimeRan) {
  EXPECT_TRUE(check_paper_time(live_config(24), "h", 24h).allowed);
  EXPECT_TRUE(check_paper_time(live_config(24), "h", 30h).allowed);
  EXPECT_EQ(check_paper_time(live_config(24), "h", 24h).remaining, 0s);
}

} // namespace
} // namespace trader::config

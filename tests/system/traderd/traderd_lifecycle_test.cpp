// traderd as a process: starts from a config directory, answers on its control socket,
// reloads on SIGHUP, refuses bad configs and unconfirmed LIVE, stops cleanly on SIGTERM.

#include "runtime/config/loader.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

using namespace std::chrono_literals;
using namespace trader;

namespace {

using TraderdTest = test::traderd_fixture;

TEST_F(TraderdTest, PrintsTheSupervisionTree) {
  auto p = start({"--print-tree"});
  ASSERT_EQ(p->wait(30s), 0) << p->err();
  auto out = p->out();
  for (auto name : {"root", "infra", "exchange", "trading", "order_lifecycle", "scheduler"})
    EXPECT_NE(out.find(name), std::string::npos) << name << "\n" << out;
}

TEST_F(TraderdTest, StartsAnswersStatusAndStopsCleanlyOnSigterm) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  control::control_client c{socket()};
  auto st = c.call("status");
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(st.resp.body.result["mode"], "DRY_RUN");
  EXPECT_EQ(st.resp.body.result["read_only"], true);
  EXPECT_EQ(st.resp.body.result["config_hash"].get<std::string>().size(), 16u);
  auto actors = c.call("actors");
  ASSERT_TRUE(actors.ok());
  EXPECT_GE(actors.resp.body.result["actors"].size(), 4u);  // root + infra, exchange, trading
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
  EXPECT_NE(p->err().find("traderd stopped"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(socket()));  // socket removed on the way out
}

TEST_F(TraderdTest, SigintAlsoStopsCleanly) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  p->signal(SIGINT);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
}

TEST_F(TraderdTest, RestartsASupervisorByNameOverTheControlSocket) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  control::control_client c{socket()};
  auto r = c.call("restart", nlohmann::json{{"actor", "exchange"}}, 30s);
  ASSERT_TRUE(r.ok()) << r.resp.body.err.message << r.message;
  EXPECT_EQ(r.resp.body.result["restarted"], "exchange");
  auto bad = c.call("restart", nlohmann::json{{"actor", "nope"}});
  EXPECT_FALSE(bad.ok());
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

TEST_F(TraderdTest, RefusesAnInvalidConfigurationNamingTheKey) {
  write_overlay("policy.toml", "[risk]\nmax_open_positions = -3\n");
  auto p = start();
  EXPECT_EQ(p->wait(30s), 78);
  EXPECT_NE(p->err().find("max_open_positions"), std::string::npos) << p->err();
}

TEST_F(TraderdTest, RefusesLiveWithoutConfirmation) {
  write_app("mode = \"LIVE\"\nread_only = false\n", "[live]\nmin_paper_hours = 0.0\n[metrics]\nenabled = false\n");
  auto p = start({}, {"TRADER_CONFIRM_LIVE=no"});
  EXPECT_EQ(p->wait(30s), 78);
  EXPECT_NE(p->err().find("refusing to start LIVE without explicit confirmation"), std::string::npos) << p->err();
}

TEST_F(TraderdTest, ReloadsOnSighupAndRejectsABadFile) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  control::control_client c{socket()};
  auto before = c.call("status").resp.body.result["config_hash"].get<std::string>();
  write_overlay("policy.toml", "[risk]\nmax_open_positions = 4\n");
  p->signal(SIGHUP);
  ASSERT_TRUE(test::eventually([&] { return p->err().find("reload applied") != std::string::npos; }, 20s))
    << p->err();
  auto after = c.call("status").resp.body.result["config_hash"].get<std::string>();
  EXPECT_NE(before, after);
  write_overlay("policy.toml", "[risk]\nmax_open_positions = \"many\"\n");
  auto r = c.call("reload");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(c.call("status").resp.body.result["config_hash"], after);  // running config stays
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace

namespace {

using TraderdLiveTest = test::traderd_fixture;

TEST_F(TraderdLiveTest, LiveNeedsPaperTimeForItsTradingHash) {
  write_app("mode = \"LIVE\"\nread_only = false\n", "[live]\nmin_paper_hours = 24.0\n[metrics]\nenabled = false\n");
  auto p = start({"--confirm-live"});
  EXPECT_EQ(p->wait(30s), 78);
  EXPECT_NE(p->err().find("refusing LIVE"), std::string::npos) << p->err();
  EXPECT_NE(p->err().find("PAPER"), std::string::npos) << p->err();
}

// Enough PAPER time, but no exchange API key: LIVE still refuses, naming the secret.
// (LIVE that starts, and LIVE refused for clock skew, run against simex in
// traderd_exchange_test.)
TEST_F(TraderdLiveTest, LiveWithEnoughPaperTimeStillNeedsAnApiKey) {
  write_app("mode = \"LIVE\"\nread_only = false\n", "[live]\nmin_paper_hours = 24.0\n[metrics]\nenabled = false\n");
  auto loaded = config::load_config_dir(cfg);
  ASSERT_TRUE(loaded.ok());
  {
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 1));
  }
  auto p = start({"--confirm-live"});
  EXPECT_EQ(p->wait(30s), 78);
  EXPECT_NE(p->err().find("refusing LIVE: no exchange API key"), std::string::npos) << p->err();
  EXPECT_NE(p->err().find("coinbase_api_key_name"), std::string::npos) << p->err();
}

} // namespace

// traderd in PAPER against a real simex process: the exchange subtree comes up, market data
// flows, every traderctl subcommand works against the running daemon, the read-only smoke
// check passes, and restarting any actor (orders above all) leaves market data flowing.

#include "runtime/config/loader.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

const std::string key_name = "organizations/traderd-test/apiKeys/k1";

/// Output and exit code of one traderctl run.
struct ctl_result {
  int code = -1;
  std::string out;
};

class TraderdExchangeTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();  // the state store, as `traderctl state init` makes it
    start_simex({});
  }

  /// (Re)starts simex with extra arguments and points the daemon's config at it.
  void start_simex(std::vector<std::string> extra, const std::string& app_keys = "mode = \"PAPER\"\n",
                   const std::string& more_tables = "") {
    simex.reset();
    if (private_pem.empty())
      private_pem = net::testing::generate_ec_key_pem();
    auto key = net::api_key::from_pem(key_name, private_pem);
    ASSERT_TRUE(key);
    test::write_file(dir / "key.pub.pem", key->public_key_pem());
    std::vector<std::string> args{"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-"};
    args.insert(args.end(), extra.begin(), extra.end());
    simex = std::make_unique<trader::testing::simex_process>(args);
    auto base = simex->rest();
    write_app(app_keys, "[metrics]\nenabled = false\n" + test::exchange_table(base, simex->ws()) + more_tables);
  }

  /// Records 25 h of PAPER for the current trading hash (LIVE's min_paper_hours = 24).
  void credit_paper_time() {
    auto loaded = config::load_config_dir(cfg);
    ASSERT_TRUE(loaded.ok());
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 1));
  }

  std::unique_ptr<test::child_process> start_paper() {
    std::string pem_env = "COINBASE_API_PRIVATE_KEY=" + private_pem;
    return start({}, {"COINBASE_API_KEY_NAME=" + key_name, pem_env});
  }

  /// Runs traderctl with args against this daemon's config.
  ctl_result ctl(const std::string& args) {
    std::string cmd = std::string{TRADERCTL_PATH} + " --config " + cfg + " " + args + " 2>&1";
    ctl_result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
      r.out.append(buf, n);
    int st = ::pclose(p);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
  }

  json ctl_json(const std::string& args) {
    auto r = ctl("--json " + args);
    EXPECT_EQ(r.code, 0) << args << ": " << r.out;
    return json::parse(r.out, nullptr, false);
  }

  /// True once every streamed product has fresh data.
  bool feed_fresh() {
    auto s = ctl("--json status");
    auto j = json::parse(s.out, nullptr, false);
    return s.code == 0 && j.is_object() && j["exchange"].value("connected", false);
  }

  std::string private_pem;
  std::unique_ptr<trader::testing::simex_process> simex;
};

TEST_F(TraderdExchangeTest, PaperAgainstSimexEveryTraderctlCommandAndSmoke) {
  auto p = start_paper();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually([&] { return feed_fresh(); }, 20s)) << ctl("status").out << p->err();

  auto status = ctl_json("status");
  EXPECT_EQ(status["mode"], "PAPER");
  EXPECT_TRUE(status["state_store"].value("ok", false));
  EXPECT_EQ(status["exchange"]["actors_running"], status["exchange"]["actors_total"]);
  EXPECT_EQ(status["exchange"]["market_data"]["products"], 6);

  // Every actor answers liveness probes (detached REST actors may be mid-call at first).
  json actors;
  std::string silent;
  EXPECT_TRUE(test::eventually(
    [&] {
      actors = ctl_json("actors");
      silent.clear();
      for (auto& a : actors["actors"])
        if (a.value("mailbox_depth", -1) < 0)
          silent += a.value("name", "") + " ";
      return silent.empty();
    },
    15s))
    << "no liveness answer from: " << silent;
  std::vector<std::string> leaves;
  for (auto& a : actors["actors"]) {
    EXPECT_EQ(a["state"], "running") << a.dump();
    auto name = a.value("name", "");
    if (name != "root" && name != "infra" && name != "exchange" && name != "trading")
      leaves.push_back(name);
  }
  for (auto n : {"rate_limiter", "products", "accounts", "orders", "fills", "clock", "market_data", "user_stream",
                 "latency", "scheduler"})
    EXPECT_NE(std::find(leaves.begin(), leaves.end(), n), leaves.end()) << n;

  // Smoke: every check passes against simex (exit 0), and says what it saw.
  auto smoke = ctl("smoke");
  EXPECT_EQ(smoke.code, 0) << smoke.out;
  for (auto s : {"server_time", "products", "auth_balances", "fee_tier", "open_orders", "quote:BTC-USD",
                 "candles:BTC-USD"})
    EXPECT_NE(smoke.out.find(s), std::string::npos) << s << "\n" << smoke.out;

  auto latency = ctl_json("latency");
  EXPECT_TRUE(latency["endpoints"].contains("rest:GET /time")) << latency.dump();
  EXPECT_EQ(ctl("gate").code, 0);
  EXPECT_EQ(ctl("reload").code, 0);
  EXPECT_EQ(ctl("alert test").code, 0);

  // Restart every leaf actor in turn; market data must be flowing after each, and above
  // all while orders restarts.
  for (auto& name : leaves) {
    auto r = ctl("restart " + name);
    EXPECT_EQ(r.code, 0) << name << ": " << r.out;
    EXPECT_TRUE(test::eventually([&] { return feed_fresh(); }, 20s)) << "feed not fresh after restarting " << name;
  }
  auto after = ctl_json("actors");
  for (auto& a : after["actors"])
    EXPECT_EQ(a["state"], "running") << a.dump();

  // Kill switch and resume through traderctl.
  EXPECT_EQ(ctl("kill --reason test").code, 0);
  EXPECT_NE(ctl("gate").out.find("kill_switch"), std::string::npos);
  EXPECT_EQ(ctl("resume kill_switch").code, 0);

  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0) << p->err();
  // The secret never reaches the daemon's log.
  auto body = private_pem.substr(private_pem.find('\n') + 1, 40);
  EXPECT_EQ(p->err().find(body), std::string::npos);
  EXPECT_EQ(p->out().find(body), std::string::npos);
}

TEST_F(TraderdExchangeTest, SmokeFailsAndSaysWhyWithoutAnApiKey) {
  auto p = start();  // no credentials in the environment
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually([&] { return feed_fresh(); }, 20s)) << ctl("status").out;
  auto smoke = ctl("smoke");
  EXPECT_EQ(smoke.code, 1) << smoke.out;
  EXPECT_NE(smoke.out.find("FAIL  auth_balances"), std::string::npos) << smoke.out;
  EXPECT_NE(smoke.out.find("ok    server_time"), std::string::npos) << smoke.out;
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

// LIVE with enough PAPER time, an API key and a clock in sync with the exchange starts
// (and its orders actor may place orders: read_only is off only here).
TEST_F(TraderdExchangeTest, LiveStartsWithPaperTimeKeyAndClockInSync) {
  start_simex({}, "mode = \"LIVE\"\nread_only = false\n", "[live]\nmin_paper_hours = 24.0\n");
  credit_paper_time();
  auto p = start({"--confirm-live"}, {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_NE(p->err().find("clock check: offset"), std::string::npos) << p->err();
  EXPECT_EQ(call("status")["mode"], "LIVE");
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

// The exchange's clock is an hour off ours: LIVE refuses to start (exit 78) and says why;
// the clock_skew alert has fired by then.
TEST_F(TraderdExchangeTest, LiveRefusesWhenTheClockIsSkewed) {
  auto hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch() - std::chrono::hours(1))
                    .count();
  start_simex({"--clock", "accelerated", "--speed", "1", "--start-time", std::to_string(hour_ago)},
              "mode = \"LIVE\"\nread_only = false\n", "[live]\nmin_paper_hours = 24.0\n");
  credit_paper_time();
  auto p = start({"--confirm-live"}, {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem});
  EXPECT_EQ(p->wait(60s), 78) << p->err();
  EXPECT_NE(p->err().find("refusing LIVE"), std::string::npos) << p->err();
  EXPECT_NE(p->err().find("CLOCK_SKEW"), std::string::npos) << p->err();
  EXPECT_NE(p->err().find("clock_skew"), std::string::npos) << p->err();  // the alert, via the log sink
}

} // namespace

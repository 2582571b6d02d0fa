// traderd in DRY_RUN against a real simex process (issue 14): the decision chain runs —
// the universe lists simex's products (a red-flagged one excluded with its reason), the
// triggers backfill candles over REST and fire, strategies send proposals to risk, and the
// audit log and traderctl universe / signals / strategies show proposals and no-trade reasons
// (`traderctl universe [--json]` run as the binary).

#include "runtime/metrics/loopback_http.hpp"
#include "runtime/net/https_client.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>


#include <csignal>
#include <filesystem>
#include <fstream>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

class TraderdSignalsTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    simex = std::make_unique<trader::testing::simex_process>(std::vector<std::string>{"--log-file", "-"});
    write_app("", "[metrics]\nenabled = false\n" + test::exchange_table(simex->rest(), simex->ws()));
    // Fast cycles on 1-minute bars; a momentum trigger so low that simex's backfilled history
    // fires it at once.
    write_overlay("policy.toml", "[loop]\ninterval_s = 2.0\ncycle_budget_s = 1.5\n");
    write_overlay("universe.toml", "[red_flags]\nexcluded_symbols = [\"DOGE-USD\"]\n");
  }

  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace

TEST_F(TraderdSignalsTest, ProposalsReachRiskAndShowInTheAuditLogAndTraderctl) {
  write_overlay("signals.toml", "[triggers]\ngranularity = \"ONE_MINUTE\"\n[triggers.momentum]\nenabled = true\n"
                                "lookback_candles = 2\nthreshold_pct = 0.001\n");
  write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();

  json u;
  EXPECT_TRUE(test::eventually(
    [&] {
      u = call("universe");
      return !u.value("eligible", json::array()).empty();
    },
    90s))  // products, quotes and 24 h candles first: ~12 s alone, several times that on a busy 2-core CI
    << u.dump();
  bool doge_flagged = false;
  for (auto& e : u.value("excluded", json::array()))
    doge_flagged |= e.value("product", "") == "DOGE-USD" && e.value("reason", "").rfind("red_flag", 0) == 0;
  EXPECT_TRUE(doge_flagged) << u.dump();
  // The operator's view: the traderctl binary, with --json after the subcommand and without.
  {
    test::child_process ctl({TRADERCTL_PATH, "--config", cfg, "universe", "--json", "--socket", socket()},
                            dir / "traderctl_universe_json");
    ASSERT_EQ(ctl.wait(30s), 0) << ctl.out();
    const json out = json::parse(ctl.out(), nullptr, false);
    ASSERT_TRUE(out.is_object()) << ctl.out();
    EXPECT_FALSE(out.value("eligible", json::array()).empty()) << ctl.out();
    EXPECT_NE(ctl.out().find("\"reason\":\"red_flag"), std::string::npos) << ctl.out();
  }
  {
    test::child_process ctl({TRADERCTL_PATH, "--config", cfg, "--socket", socket(), "universe"},
                            dir / "traderctl_universe");
    ASSERT_EQ(ctl.wait(30s), 0) << ctl.out();
    EXPECT_NE(ctl.out().find("  eligible  "), std::string::npos) << ctl.out();
    EXPECT_NE(ctl.out().find("excluded  DOGE-USD"), std::string::npos) << ctl.out();
    EXPECT_NE(ctl.out().find("red_flag"), std::string::npos) << ctl.out();
  }

  EXPECT_TRUE(test::eventually([&] { return !audit_lines("proposal").empty(); }, 90s)) << p->err();
  auto props = audit_lines("proposal");
  ASSERT_FALSE(props.empty());
  const auto& first = props.front()["payload"];
  EXPECT_EQ(first.value("side", ""), "buy");
  EXPECT_EQ(first.value("kind", ""), "open");
  EXPECT_GT(first.value("confidence", 0.0), 0.0);
  EXPECT_FALSE(first.value("proposal_id", "").empty());

  json st;
  EXPECT_TRUE(test::eventually(
    [&] {
      st = call("strategies");
      return !st.value("verdicts", json::object()).empty();
    },
    20s))
    << st.dump();  // risk answered (approved or rejected with its checks)
  auto sig = call("signals");
  EXPECT_FALSE(sig.value("products", json::array()).empty()) << sig.dump();
  EXPECT_EQ(sig.value("granularity_s", 0), 60);
  EXPECT_FALSE(sig.value("base_series", json::object()).empty()) << sig.dump();
  {
    test::child_process ctl({TRADERCTL_PATH, "--config", cfg, "--socket", socket(), "signals"},
                            dir / "traderctl_signals");
    ASSERT_EQ(ctl.wait(30s), 0) << ctl.out();
    EXPECT_NE(ctl.out().find("signals (cycle "), std::string::npos) << ctl.out();
    EXPECT_NE(ctl.out().find("history ("), std::string::npos) << ctl.out();  // the stored bars per product
    EXPECT_NE(ctl.out().find(" bars, newest "), std::string::npos) << ctl.out();
  }
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

TEST_F(TraderdSignalsTest, ACycleWithoutAStrategyRecordsItsNoTradeReason) {
  write_overlay("strategies.toml", "[strategies.breakout]\nenabled = false\n");
  const int port = test::free_port();
  write_app("", "[metrics]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n"
                  + test::exchange_table(simex->rest(), simex->ws()));
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(test::eventually([&] { return !audit_lines("no_trade").empty(); }, 30s)) << p->err();
  auto nt = audit_lines("no_trade");
  ASSERT_FALSE(nt.empty());
  EXPECT_EQ(nt.back()["payload"].value("reason", ""), "no_strategy_enabled");
  EXPECT_TRUE(audit_lines("proposal").empty());
  EXPECT_EQ(call("strategies").value("no_trade_reason", ""), "no_strategy_enabled");
  // ... and in the metrics: the no-trade reason and the universe's exclusions by reason.
  metrics::http_result m;
  EXPECT_TRUE(test::eventually(
    [&] {
      m = metrics::http_get("127.0.0.1", static_cast<std::uint16_t>(port), "/metrics");
      return m.ok && m.body.find("trader_no_trade_total{reason=\"no_strategy_enabled\"}") != std::string::npos &&
             m.body.find("trader_universe_excluded{reason=\"red_flag\"} 1") != std::string::npos;
    },
    30s))
    << m.body.substr(0, 4000);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

namespace {

std::string reason_in(const json& u, const std::string& product) {
  for (auto& e : u.value("excluded", json::array()))
    if (e.value("product", "") == product)
      return e.value("reason", "");
  return "";
}

} // namespace

// traderctl ban/unban through the control socket: the ban excludes the product, is in the
// state store (it survives a traderd restart), is audited, and unban lifts it; a reload that
// red-flags a product reaches the running universe.
TEST_F(TraderdSignalsTest, ABanSurvivesARestartUnbanLiftsItAndAReloadReachesTheUniverse) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  json u;
  ASSERT_TRUE(test::eventually([&] { return !(u = call("universe")).value("eligible", json::array()).empty(); }, 90s))
    << u.dump();
  auto b = call("ban", {{"product", "eth-usd"}, {"hours", 2}, {"reason", "system test"}});
  EXPECT_EQ(b.value("product", ""), "ETH-USD") << b.dump();
  EXPECT_TRUE(b.value("persisted", false));
  EXPECT_FALSE(call_full("ban", {{"product", "ETH-USD"}, {"hours", 0}}).ok());  // hours must be > 0
  EXPECT_TRUE(test::eventually([&] { return reason_in(u = call("universe"), "ETH-USD").rfind("banned: system test", 0) == 0; },
                               30s))
    << u.dump();
  EXPECT_EQ(u.value("bans", json::array()).size(), 1u);
  EXPECT_TRUE(test::eventually([&] { return !audit_lines("universe_ban").empty(); }, 10s));  // written after
  p->signal(SIGTERM);
  ASSERT_EQ(p->wait(60s), 0);

  auto again = start();
  ASSERT_TRUE(wait_ready(*again)) << again->err();
  EXPECT_TRUE(test::eventually([&] { return reason_in(u = call("universe"), "ETH-USD").rfind("banned: system test", 0) == 0; },
                               90s))
    << u.dump();  // read back from the state store
  EXPECT_EQ(call("unban", {{"product", "ETH-USD"}}).value("event", ""), "unban");
  EXPECT_TRUE(test::eventually([&] { return reason_in(u = call("universe"), "ETH-USD").empty(); }, 30s)) << u.dump();
  EXPECT_TRUE(u.value("bans", json::array()).empty());

  write_overlay("universe.toml", "[red_flags]\nexcluded_symbols = [\"DOGE-USD\", \"SOL-USD\"]\n");
  auto r = call("reload");
  EXPECT_EQ(r.value("message", ""), "applied") << r.dump();
  EXPECT_TRUE(test::eventually([&] { return reason_in(u = call("universe"), "SOL-USD").rfind("red_flag", 0) == 0; }, 30s))
    << u.dump();
  again->signal(SIGTERM);
  EXPECT_EQ(again->wait(60s), 0);
}

// An automatic red flag end to end: simex flips ETH-USD to offline on its status channel;
// the universe bans it by itself (rule status), the ban is persisted with its expiry, shown
// by traderctl universe with its reason, audited; traderctl unban lifts it.
TEST_F(TraderdSignalsTest, AStatusFlipOnSimexRaisesARedFlagBanThatUnbanLifts) {
  write_overlay("universe.toml", "[red_flags]\nexcluded_symbols = [\"DOGE-USD\"]\nstatus_ban_hours = 3.0\n");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  json u;
  ASSERT_TRUE(test::eventually([&] { return !(u = call("universe")).value("eligible", json::array()).empty(); }, 90s))
    << u.dump();
  auto reply = net::https_client(simex->admin())
                 .post("/faults", R"({"kind":"status_flip","product_id":"ETH-USD","to_status":"offline","duration_s":2})");
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_TRUE(test::eventually(
    [&] { return reason_in(u = call("universe"), "ETH-USD").rfind("banned: red_flag status: state=offline", 0) == 0; },
    60s))
    << u.dump();
  ASSERT_EQ(u.value("bans", json::array()).size(), 1u) << u.dump();
  const auto ban = u["bans"][0];
  EXPECT_EQ(ban.value("product", ""), "ETH-USD");
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(ban.value("until", std::int64_t{0}), now_ns + 2 * 3600 * 1'000'000'000LL);  // ~3 h from the flip
  EXPECT_LE(ban.value("until", std::int64_t{0}), now_ns + 3 * 3600 * 1'000'000'000LL);
  EXPECT_TRUE(u.value("bans_persisted", false));
  // The audit actor writes the record after the universe applied the ban: wait for it.
  EXPECT_TRUE(test::eventually(
    [&] {
      bool audited = false;
      for (const auto& a : audit_lines("universe_ban"))
        audited |= a["payload"].value("event", "") == "red_flag" && a["payload"].value("rule", "") == "status" &&
                   a["payload"].value("persisted", false);
      return audited;
    },
    10s));
  EXPECT_EQ(call("unban", {{"product", "ETH-USD"}}).value("event", ""), "unban");
  EXPECT_TRUE(test::eventually([&] { return reason_in(u = call("universe"), "ETH-USD").empty(); }, 30s)) << u.dump();
  EXPECT_TRUE(u.value("bans", json::array()).empty());
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

// traderd in PAPER against simex in stepped-clock mode replaying a candle file (issue 19,
// parity's first piece; docs/backtest.md "Parity"): with the wall-clock test hook
// (TRADER_TEST_HOOKS=1, TRADER_TEST_WALL_CLOCK=FILE) moved in lockstep with simex's
// POST /clock/advance, traderd's clock is the exchange's — the clock actor finds no skew and
// every audit record carries simulated time. Without the hook the same setup holds the gate
// with clock_skew: the stepped exchange is months away from the wall clock.

#include "runtime/clock.hpp"
#include "runtime/net/https_client.hpp"
#include "tests/system/backtest/stepped_exchange.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/paper_key.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

/// 2026-05-28 20:27:00 UTC: a whole minute, months before this machine's clock.
constexpr std::int64_t start_s = 1'780'000'020;
/// Simulated time each step moves simex and traderd.
constexpr std::int64_t step_ms = 10'000;

void write_candles(const std::string& path) { test::write_wave_candles(path, start_s); }

class TraderdSteppedClockTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    // PAPER with credentials, as traderd_replay_test: the reconcile agrees, the gate opens.
    private_pem = test::write_paper_key(key_name, dir / "key.pub.pem");
    ASSERT_FALSE(private_pem.empty());
    write_candles(dir / "btc.csv");
    simex = std::make_unique<trader::testing::simex_process>(std::vector<std::string>{
      "--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-", "--clock", "stepped", "--start-time",
      std::to_string(start_s), "--candles-csv", dir / "btc.csv", "--candles-product", "BTC-USD",
      // simex checks JWT times against the real clock; under the hook traderd signs in
      // simulated time, months earlier (docs/backtest.md "Parity").
      "--jwt-skew", std::to_string(400 * 86'400)});
    // The clock actor probes simex's /time every 2 s (not 60): many probes while it steps.
    write_app("mode = \"PAPER\"\n", "[metrics]\nenabled = false\n[market_data]\nclock_check_s = 2\n" +
                                     test::exchange_table(simex->rest(), simex->ws()));
    // A step (10 s) may land between simex's advance and the clock file's store: the skew
    // limit is above a step and far below the months the hook takes away.
    write_overlay("policy.toml", "[loop]\ninterval_s = 2.0\ncycle_budget_s = 1.5\n[circuit_breakers]\n"
                                 "max_clock_skew_ms = 600000\n");
    // Momentum on 1-minute bars with a low threshold (as traderd_decisions_test): risk judges
    // proposals as the stepped minutes close.
    write_overlay("signals.toml", "[triggers]\ngranularity = \"ONE_MINUTE\"\n[triggers.momentum]\nenabled = true\n"
                                  "lookback_candles = 2\nthreshold_pct = 0.001\n");
    write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n");
  }
  std::vector<std::string> env() const {
    return {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem, "TRADER_TEST_HOOKS=1"};
  }
  /// Moves simex's clock by step_ms; returns its new time (0 when the admin call failed).
  ts_ns advance() { return test::advance_simex(simex->admin(), step_ms); }
  /// Every audit record's time (its "ts"), in file order.
  std::vector<ts_ns> audit_times() const {
    std::vector<ts_ns> out;
    for (const auto& j : audit_records()) {
      ts_ns t = 0;
      if (j.contains("ts") && j["ts"].is_string() && parse_rfc3339(j["ts"].get<std::string>(), t))
        out.push_back(t);
    }
    return out;
  }

  std::string key_name = "organizations/stepped/apiKeys/test";
  std::string private_pem;
  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace

TEST_F(TraderdSteppedClockTest, WithTheHookTraderdFollowsTheSteppedExchangeClock) {
  test::clock_file clock(dir / "wall_clock", start_s * ns_per_s);
  auto e = env();
  e.push_back("TRADER_TEST_WALL_CLOCK=" + clock.path());
  auto p = start({}, e);
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  // 30 simulated minutes, a step every 100 ms of real time.
  ts_ns now = start_s * ns_per_s;
  for (int i = 0; i < 180; ++i) {
    now = advance();
    ASSERT_GT(now, 0) << "POST /clock/advance failed at step " << i << "; traderd: " << p->err();
    clock.store(now);
    // Under the hook the scheduler's timer is off: the harness runs the decision cycles,
    // here one every second step (20 simulated seconds).
    if (i % 2 == 1)
      EXPECT_TRUE(call("debug.cycle").contains("cycle")) << p->err();
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(now, (start_s + 180 * step_ms / 1000) * ns_per_s);
  // The clock actor probed simex's /time every 2 s: no skew, the gate is not held by it.
  auto gate = call("gate");
  auto r = reasons(gate);
  EXPECT_EQ(std::count(r.begin(), r.end(), "clock_skew"), 0) << gate.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
  // Everything traderd recorded happened in simulated time: none at this machine's clock.
  auto times = audit_times();
  ASSERT_FALSE(times.empty());
  for (auto t : times) {
    EXPECT_GE(t, start_s * ns_per_s);
    EXPECT_LE(t, now);
  }
  // Risk's verdicts on momentum's proposals are dated by risk's clock, the simulated one (the
  // cycles are the harness's debug.cycle; traderd_parity_test makes them backtest's).
  for (const auto& v : audit_lines("risk_verdict")) {
    const ts_ns t = v["payload"].value("ts", ts_ns{0});
    EXPECT_GE(t, start_s * ns_per_s) << v.dump();
    EXPECT_LE(t, now) << v.dump();
  }
  for (const auto& a : audit_lines("alert"))
    EXPECT_NE(a["payload"].value("type", ""), "clock_skew") << a.dump();
}

TEST_F(TraderdSteppedClockTest, WithoutTheHookTheSteppedExchangeIsClockSkew) {
  auto p = start({}, env());
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  json gate;
  EXPECT_TRUE(test::eventually(
    [&] {
      gate = call("gate");
      auto r = reasons(gate);
      return std::count(r.begin(), r.end(), "clock_skew") > 0;
    },
    60s))
    << gate.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

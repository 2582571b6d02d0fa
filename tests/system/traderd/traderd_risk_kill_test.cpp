// The kill switch against simex (issue 15 "Done when"): engaged by SIGUSR1, by `kill` on the
// control socket (what `traderctl kill` sends) and by the kill-switch file, each cancels
// every open order on simex, raises the CRITICAL kill_switch alert, survives a restart and
// is released only by `resume kill_switch` (refused while the file exists). The times are
// printed, not asserted (bench/risk/bench_kill_switch records them).
#include "tests/system/traderd/risk_kill_fixture.hpp"

#include <cstdio>

using namespace risk_kill;

namespace {

class TraderdRiskKillTest : public kill_fixture {
protected:
  void engage_survive_and_resume(trigger how) {
    auto p = start_live();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    ASSERT_TRUE(open_gate()) << call("gate").dump();
    ASSERT_TRUE(place_resting(5)) << "open on simex: " << open_on_simex();
    auto f = engage(how, *p);
    ASSERT_TRUE(f.detect_ms) << call("gate").dump();
    ASSERT_TRUE(f.cancels_ms) << "still open on simex: " << open_on_simex();
    ASSERT_TRUE(f.alert_ms) << p->err();
    std::printf("kill by %s: detect %.1f ms, cancels %.1f ms, alert %.1f ms\n", name(how), *f.detect_ms,
                *f.cancels_ms, *f.alert_ms);
    // Nothing but cancels: a new entry is refused at the gate.
    auto refused = call_full("debug.intent", json{{"product", "BTC-USD"}, {"side", "buy"}, {"type", "limit"},
                                                  {"size", "0.001"}, {"limit_px", "1000"}});
    EXPECT_FALSE(refused.ok() && refused.resp.body.ok && refused.resp.body.result.value("state", "") == "open");
    EXPECT_EQ(open_on_simex(), 0);

    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(60s), 0);
    auto q = start_live();
    ASSERT_TRUE(wait_ready(*q)) << q->err();
    EXPECT_TRUE(engaged()) << call("gate").dump();  // persisted
    if (how == trigger::file) {
      EXPECT_FALSE(call_full("resume", json{{"reason", "kill_switch"}}).resp.body.ok);  // the file still exists
      std::filesystem::remove(ks_file);
      std::this_thread::sleep_for(1500ms);  // the watcher's stat tick reports "no file"
    }
    auto resumed = call_full("resume", json{{"reason", "kill_switch"}});
    EXPECT_TRUE(resumed.ok() && resumed.resp.body.ok) << resumed.resp.body.err.message;
    EXPECT_FALSE(engaged()) << call("gate").dump();
    q->signal(SIGTERM);
    EXPECT_EQ(q->wait(60s), 0);
  }
};

} // namespace

TEST_F(TraderdRiskKillTest, BySignalEveryOpenOrderIsCancelledAndOnlyResumeReleasesIt) {
  engage_survive_and_resume(trigger::signal);
}

TEST_F(TraderdRiskKillTest, ByCommandEveryOpenOrderIsCancelledAndOnlyResumeReleasesIt) {
  engage_survive_and_resume(trigger::command);
}

TEST_F(TraderdRiskKillTest, ByFileEveryOpenOrderIsCancelledAndOnlyResumeReleasesIt) {
  engage_survive_and_resume(trigger::file);
}

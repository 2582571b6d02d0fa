// Review row #5: the KILL_SWITCH file did nothing. The kill_switch actor on the
// deterministic scheduler, watching a real temp directory: what it tells risk (level-
// triggered gate_conditions), order_lifecycle, alerting and audit, and when.
#include "actors/control/kill_switch/kill_switch_actor.hpp"

#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/child_process.hpp"

#include <prometheus/registry.h>

#include <cstdio>
#include <filesystem>

using namespace std::chrono_literals;
using namespace trader;

namespace {

struct seen {
  std::vector<gate_conditions> reports;
  std::vector<gate_signal> signals;
  std::vector<raise_gate> raises;
  std::vector<cancel_all> cancels;
  std::vector<alert> alerts;
  std::vector<audit_entry> audits;
};

class KillSwitchActorTest : public test::actor_fixture {
protected:
  test::temp_dir dir_{"kill_switch_actor"};
  std::string file_ = dir_ / "KILL_SWITCH";
  std::shared_ptr<seen> seen_ = std::make_shared<seen>();
  std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();

  KillSwitchActorTest() { with_peers(); }
  /// Registers a fake risk (answers raise_gate at once, as if durable).
  void with_risk() {
    auto s = seen_;
    reg_.put(names::risk, keep(sys().spawn([s]() -> caf::behavior {
               return {[s](const gate_conditions& c) { s->reports.push_back(c); },
                       [s](const gate_signal& g) { s->signals.push_back(g); },
                       [s](const raise_gate& r) -> gate_changed {
                         s->raises.push_back(r);
                         return gate_changed{false, {}, 0};
                       }};
             })));
  }
  /// risk, alerting and audit.
  void with_peers() {
    with_risk();
    auto s = seen_;
    reg_.put(names::alerting, keep(sys().spawn([s]() -> caf::behavior {
               return {[s](const alert& a) { s->alerts.push_back(a); }};
             })));
    reg_.put(names::audit, keep(sys().spawn([s]() -> caf::behavior {
               return {[s](const audit_entry& e) { s->audits.push_back(e); }};
             })));
  }
  void with_order_lifecycle() {
    auto s = seen_;
    reg_.put(names::order_lifecycle, keep(sys().spawn([s]() -> caf::behavior {
               return {[s](const cancel_all& c) { s->cancels.push_back(c); }};
             })));
  }
  caf::actor start(std::string path, std::function<std::string()> current = {}) {
    kill_switch::options o;
    o.path = std::move(path);
    o.current_path = std::move(current);
    auto a = keep(kill_switch::spawn_kill_switch(sys(), reg_, std::move(o), *metrics_));
    run();
    return a;
  }
  /// The last report's kill_switch condition, if it holds one.
  const gate_condition* asserted() const {
    if (seen_->reports.empty())
      return nullptr;
    for (auto& c : seen_->reports.back().active)
      if (c.reason == gate_reason::kill_switch)
        return &c;
    return nullptr;
  }
  double value(const std::string& name) {
    for (const auto& fam : metrics_->Collect())
      if (fam.name == name && !fam.metric.empty())
        return fam.type == prometheus::MetricType::Counter ? fam.metric[0].counter.value : fam.metric[0].gauge.value;
    return -1;
  }
  std::size_t audits(const std::string& event) const {
    std::size_t n = 0;
    for (auto& e : seen_->audits)
      if (e.kind == "kill_switch" && e.payload_json.find("\"event\":\"" + event + "\"") != std::string::npos)
        ++n;
    return n;
  }
};

// Review row #5.
TEST_F(KillSwitchActorTest, AFilePresentAtStartEngagesAtOnce) {
  with_order_lifecycle();
  test::write_file(file_, "");
  start(file_);
  ASSERT_FALSE(seen_->reports.empty());
  EXPECT_EQ(seen_->reports.back().source, "kill_switch_file");
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(asserted()->detail, "kill switch file " + file_ + " exists");
  EXPECT_TRUE(asserted()->product.empty());
  ASSERT_EQ(seen_->cancels.size(), 1u);
  EXPECT_NE(seen_->cancels[0].reason.find("kill switch file: "), std::string::npos) << seen_->cancels[0].reason;
  EXPECT_NE(seen_->audits.at(0).payload_json.find("\"cancel_all\":\"sent\""), std::string::npos);
  ASSERT_EQ(seen_->alerts.size(), 1u);
  EXPECT_EQ(seen_->alerts[0].level, severity::critical);
  EXPECT_EQ(seen_->alerts[0].type, "kill_switch");
  EXPECT_EQ(audits("engaged"), 1u);
  EXPECT_TRUE(seen_->signals.empty());  // level-triggered: no edge-triggered gate_signal
  ASSERT_EQ(seen_->raises.size(), 1u);   // ... plus one request to make it durable
  EXPECT_EQ(seen_->raises[0].signal.reason, gate_reason::kill_switch);
  EXPECT_EQ(seen_->raises[0].signal.source, "kill_switch_file");
  advance(2s);
  EXPECT_EQ(seen_->raises.size(), 1u);  // confirmed: not asked again
  EXPECT_EQ(value("trader_kill_switch_file_engaged_total"), 1);
  EXPECT_EQ(value("trader_kill_switch_file_present"), 1);
  EXPECT_EQ(value("trader_kill_switch_file_watched"), 1);
}

// Review row #5: created while running → seen by inotify within one poll interval.
TEST_F(KillSwitchActorTest, ACreatedFileEngagesWithinAPollInterval) {
  with_order_lifecycle();
  start(file_);
  ASSERT_EQ(seen_->reports.size(), 1u);  // the start report: nothing held
  EXPECT_TRUE(seen_->reports[0].active.empty());
  EXPECT_TRUE(seen_->cancels.empty());
  test::write_file(file_, "maintenance\n");
  advance(200ms);
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(seen_->cancels.size(), 1u);
  EXPECT_EQ(seen_->alerts.size(), 1u);
  EXPECT_EQ(value("trader_kill_switch_file_engaged_total"), 1);
  advance(1s);  // the backstop stat agrees: no second engagement
  EXPECT_EQ(seen_->cancels.size(), 1u);
  EXPECT_EQ(value("trader_kill_switch_file_engaged_total"), 1);
}

// Review row #5: written elsewhere and renamed into place (rename(2)).
TEST_F(KillSwitchActorTest, AFileRenamedIntoPlaceEngages) {
  with_order_lifecycle();
  start(file_);
  test::write_file(dir_ / "KILL_SWITCH.new", "");
  advance(200ms);
  EXPECT_EQ(asserted(), nullptr);
  ASSERT_EQ(std::rename((dir_ / "KILL_SWITCH.new").c_str(), file_.c_str()), 0);
  advance(200ms);
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(seen_->cancels.size(), 1u);
}

// Review row #5: removal stops the assertion (risk keeps the sticky reason until an operator
// resumes); nothing here clears the kill switch, nothing is cancelled or alerted again.
TEST_F(KillSwitchActorTest, RemovingTheFileStopsAssertingButSendsNoRelease) {
  with_order_lifecycle();
  test::write_file(file_, "");
  start(file_);
  ASSERT_NE(asserted(), nullptr);
  std::filesystem::remove(file_);
  advance(200ms);
  ASSERT_FALSE(seen_->reports.empty());
  EXPECT_EQ(asserted(), nullptr);
  EXPECT_TRUE(seen_->signals.empty());  // no gate_signal{kill_switch, active=false}
  EXPECT_EQ(seen_->cancels.size(), 1u);
  EXPECT_EQ(seen_->alerts.size(), 1u);
  EXPECT_EQ(audits("file_removed"), 1u);
  EXPECT_EQ(value("trader_kill_switch_file_present"), 0);
  test::write_file(file_, "");  // back again: a new engagement
  advance(200ms);
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(seen_->cancels.size(), 2u);
  EXPECT_EQ(value("trader_kill_switch_file_engaged_total"), 2);
}

// Review row #5: the directory does not exist at start (nothing to watch); the 1 s stat
// backstop sees the file, and the watch is armed on the new directory.
TEST_F(KillSwitchActorTest, ADirectoryCreatedLaterIsCaughtByTheStatBackstop) {
  with_order_lifecycle();
  auto nested = dir_ / "later/KILL_SWITCH";
  start(nested);
  EXPECT_EQ(value("trader_kill_switch_file_watched"), 0);
  test::write_file(nested, "");
  advance(200ms);
  EXPECT_EQ(asserted(), nullptr);  // inotify could not see it
  advance(800ms);
  ASSERT_NE(asserted(), nullptr);  // the stat did
  EXPECT_EQ(seen_->cancels.size(), 1u);
  EXPECT_EQ(value("trader_kill_switch_file_watched"), 1);
  std::filesystem::remove(nested);
  advance(200ms);  // watched now: inotify sees the removal before the next stat
  EXPECT_EQ(asserted(), nullptr);
}

// Review row #5: level-triggered — re-asserted every gate_reassert_interval_ms and whenever
// a (re)started risk asks.
TEST_F(KillSwitchActorTest, ReassertsPeriodicallyAndWhenRiskAsks) {
  test::write_file(file_, "");
  auto a = start(file_);
  seen_->reports.clear();
  advance(std::chrono::milliseconds(gate_reassert_interval_ms));
  ASSERT_FALSE(seen_->reports.empty());
  ASSERT_NE(asserted(), nullptr);
  seen_->reports.clear();
  caf::anon_send(a, report_gate_conditions{});
  run();
  ASSERT_EQ(seen_->reports.size(), 1u);
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(seen_->cancels.size(), 0u);  // no order_lifecycle registered: nothing to cancel ...
  EXPECT_EQ(seen_->alerts.size(), 1u);   // ... but the alert and the audit still went out
  EXPECT_NE(seen_->audits.at(0).payload_json.find("\"cancel_all\":\"pending\""), std::string::npos);
}

// Review row #5: a reload that moves control.kill_switch_file moves the watch.
TEST_F(KillSwitchActorTest, AReloadedPathIsWatchedFromTheNextStat) {
  auto path = std::make_shared<std::string>(file_);
  start(file_, [path] { return *path; });
  auto moved = dir_ / "elsewhere/STOP";
  *path = moved;
  test::write_file(moved, "");
  advance(1s);
  ASSERT_NE(asserted(), nullptr);
  EXPECT_EQ(asserted()->detail, "kill switch file " + moved + " exists");
  EXPECT_EQ(audits("path_changed"), 1u);
}

// Review row #5: traderd's subtrees start concurrently, so a file present at start can be
// seen before risk, alerting, audit or order_lifecycle are registered. Nothing is lost: the
// messages wait for their peers, and the durability request is retried until risk confirms.
TEST_F(KillSwitchActorTest, PeersThatRegisterLateStillGetTheEngagement) {
  reg_.erase_if(names::risk, reg_.get(names::risk).address());
  reg_.erase_if(names::alerting, reg_.get(names::alerting).address());
  reg_.erase_if(names::audit, reg_.get(names::audit).address());
  test::write_file(file_, "");
  start(file_);
  EXPECT_TRUE(seen_->reports.empty());
  EXPECT_TRUE(seen_->alerts.empty());
  advance(400ms);
  EXPECT_TRUE(seen_->raises.empty());
  with_peers();
  with_order_lifecycle();
  advance(200ms);  // the next poll delivers what waited
  EXPECT_EQ(seen_->alerts.size(), 1u);
  EXPECT_EQ(audits("engaged"), 1u);
  EXPECT_EQ(seen_->cancels.size(), 1u);
  advance(1s);     // the next stat tick asks the new risk to make it durable
  EXPECT_EQ(seen_->raises.size(), 1u);
  advance(std::chrono::milliseconds(gate_reassert_interval_ms));  // and the re-assert reaches it
  ASSERT_NE(asserted(), nullptr);
  advance(30s);
  EXPECT_EQ(seen_->cancels.size(), 1u);  // delivered once
  EXPECT_EQ(seen_->raises.size(), 1u);
}

// Review row #5: a peer that never comes is given up on after 30 s (logged), not retried forever.
TEST_F(KillSwitchActorTest, ACancelWithNoOrderLifecycleIsGivenUpAfterThirtySeconds) {
  test::write_file(file_, "");
  start(file_);
  advance(31s);
  with_order_lifecycle();
  advance(1s);
  EXPECT_TRUE(seen_->cancels.empty());
}

} // namespace

// The gate written straight into the state store while risk is not running (safe halt):
// persist_gate_reason against a real LMDB store (merged, durable, read back; refused without
// a store and on a store poisoned by an earlier failed write), the gate JSON of a persisted
// record, and what `traderctl kill` answers in that case (kill_reply_without_risk): the gate
// with a warning, or the honest "in force but NOT durable".

#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "runtime/persistence/store_options.hpp"
#include "tests/support/child_process.hpp"
#include "tools/traderd/gate_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using namespace trader;
using namespace trader::daemon;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> reason_names(const persistence::gate_record& g) {
  std::vector<std::string> out;
  for (auto& r : g.reasons)
    out.push_back(r.reason);
  return out;
}

TEST(GateStore, KillSwitchMergesIntoThePersistedGateAndSurvivesAReopen) {
  test::temp_dir dir{"gate_store"};
  auto state = dir / "state";
  ASSERT_TRUE(persistence::init_store(state, false).ok());
  {
    auto store = persistence::open_store(state);
    ASSERT_TRUE(store) << store.error().describe();
    persistence::gate_record g;
    g.reasons = {{"safe_halt", "root gave up", 10}, {"startup", "until reconcile", 11}};
    ASSERT_TRUE((*store)->put_gate(g).ok());
    auto w = persist_gate_reason(store->get(), "", gate_reason::kill_switch, "operator (by uid=0)", 42);
    ASSERT_TRUE(w.ok) << w.detail;
    EXPECT_TRUE(contains(w.detail, "kill_switch")) << w.detail;
    EXPECT_TRUE(contains(w.detail, "2 other reason(s) kept")) << w.detail;
    ASSERT_TRUE(w.gate);
    EXPECT_EQ(reason_names(*w.gate), (std::vector<std::string>{"safe_halt", "startup", "kill_switch"}));
    auto again = persist_gate_reason(store->get(), "", gate_reason::kill_switch, "second kill", 43);  // replaced
    ASSERT_TRUE(again.ok) << again.detail;
  }
  auto store = persistence::open_store(state);  // what risk's next instance reads
  ASSERT_TRUE(store) << store.error().describe();
  auto g = (*store)->get_gate();
  ASSERT_TRUE(g && *g);
  EXPECT_EQ(reason_names(**g), (std::vector<std::string>{"safe_halt", "startup", "kill_switch"}));
  EXPECT_EQ((*g)->reasons.back().detail, "second kill");
  EXPECT_EQ((*g)->reasons.back().since, 43);
  EXPECT_FALSE((*g)->open);
}

// The safe halt's thread and a `kill` on the control thread write at once: neither reason
// may be lost to the other's read-merge-write.
TEST(GateStore, ConcurrentWritersKeepEachOthersReason) {
  test::temp_dir dir{"gate_store_concurrent"};
  auto store = persistence::open_store(dir.path());
  ASSERT_TRUE(store) << store.error().describe();
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE((*store)->put_gate(persistence::gate_record{}).ok());
    gate_write halt, kill;
    std::thread t{[&] { halt = persist_gate_reason(store->get(), "", gate_reason::safe_halt, "root", round); }};
    kill = persist_gate_reason(store->get(), "", gate_reason::kill_switch, "operator", round);
    t.join();
    ASSERT_TRUE(halt.ok && kill.ok) << halt.detail << " / " << kill.detail;
    auto g = (*store)->get_gate();
    ASSERT_TRUE(g && *g);
    auto names = reason_names(**g);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"kill_switch", "safe_halt"})) << "round " << round;
  }
}

TEST(GateStore, AFreshStoreGetsAGateWithTheReasonAlone) {
  test::temp_dir dir{"gate_store_fresh"};
  auto store = persistence::open_store(dir.path());
  ASSERT_TRUE(store) << store.error().describe();
  auto w = persist_gate_reason(store->get(), "", gate_reason::kill_switch, "SIGUSR1", 7);
  ASSERT_TRUE(w.ok) << w.detail;
  ASSERT_TRUE(w.gate);
  EXPECT_EQ(reason_names(*w.gate), (std::vector<std::string>{"kill_switch"}));
  EXPECT_FALSE(w.gate->open);
}

TEST(GateStore, FailsWithTheReasonWithoutAStoreOrOnAPoisonedOne) {
  auto none = persist_gate_reason(nullptr, "state store /x: missing", gate_reason::kill_switch, "why", 1);
  EXPECT_FALSE(none.ok);
  EXPECT_FALSE(none.gate);
  EXPECT_TRUE(contains(none.detail, "not open: state store /x: missing")) << none.detail;

  // A write the map cannot hold even after its one growth poisons the store for good.
  test::temp_dir dir{"gate_store_poisoned"};
  persistence::store_options opts;
  opts.map_size = 64 * 1024;
  opts.max_map_size = 128 * 1024;
  auto store = persistence::open_store(dir.path(), opts);
  ASSERT_TRUE(store) << store.error().describe();
  persistence::gate_record huge;
  huge.reasons = {{"startup", std::string(512 * 1024, 'x'), 1}};
  ASSERT_FALSE((*store)->put_gate(huge).ok());
  ASSERT_TRUE((*store)->failure().has_value()) << "the oversized write did not poison the store";
  auto w = persist_gate_reason(store->get(), "", gate_reason::kill_switch, "why", 2);
  EXPECT_FALSE(w.ok);
  EXPECT_TRUE(contains(w.detail, "refuses writes after")) << w.detail;
}

TEST(GateStore, RecordJsonHasTheShapeOfRisksGate) {
  persistence::gate_record g;
  g.reasons = {{"kill_switch", "operator", 1'700'000'000'000'000'000}};
  auto j = gate_record_json(g);
  EXPECT_FALSE(j.value("open", true));
  ASSERT_EQ(j["reasons"].size(), 1u);
  EXPECT_EQ(j["reasons"][0].value("reason", ""), "kill_switch");
  EXPECT_EQ(j["reasons"][0].value("detail", ""), "operator");
  EXPECT_EQ(j["reasons"][0].value("since", ""), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(j["reasons"][0].value("source", ""), "state store");
}

TEST(KillWithoutRisk, DurableAnswersTheGateWithAWarning) {
  persistence::gate_record g;
  g.reasons = {{"safe_halt", "root gave up", 1}, {"kill_switch", "operator", 2}};
  auto r = kill_reply_without_risk(gate_write{true, "gate record committed durably with kill_switch", g}, "");
  ASSERT_TRUE(r.ok) << r.err.message;
  EXPECT_FALSE(r.result.value("open", true));
  EXPECT_EQ(r.result["reasons"].size(), 2u);
  auto warning = r.result.value("warning", "");
  EXPECT_TRUE(contains(warning, "risk is not running")) << warning;
  EXPECT_TRUE(contains(warning, "straight into the state store")) << warning;
  EXPECT_FALSE(contains(warning, "order_lifecycle")) << warning;

  auto no_orders = kill_reply_without_risk(gate_write{true, "committed", g}, "no order_lifecycle: not cancelled");
  ASSERT_TRUE(no_orders.ok);
  EXPECT_TRUE(contains(no_orders.result.value("warning", ""), "no order_lifecycle: not cancelled"));
}

TEST(KillWithoutRisk, NotDurableIsAnErrorThatSaysSo) {
  auto r = kill_reply_without_risk(gate_write{false, "state store refuses writes after: map full", {}}, "");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.err.code, control::error_code::unavailable);
  EXPECT_TRUE(contains(r.err.message, "in force but NOT durable")) << r.err.message;
  EXPECT_TRUE(contains(r.err.message, "map full")) << r.err.message;
}

} // namespace

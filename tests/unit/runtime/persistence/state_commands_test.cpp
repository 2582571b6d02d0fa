// traderctl state inspect / verify / backup, without the CLI.

#include "runtime/persistence/state_commands.hpp"
#include "runtime/persistence/instance_lock.hpp"
#include "runtime/persistence/state_store.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

void populate(const std::string& dir) {
  auto s = open_store(dir);
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
  for (int i = 0; i < 12; ++i) {  // each fill with its position and PnL, as verify expects
    auto f = make_fill(i);
    write_batch then;
    then.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
    then.add_realized_pnl(f.ts_event, notional::from_units(i), f.fee);
    ASSERT_EQ(*(*s)->record_fill(f, then), fill_insert::inserted);
  }
  ASSERT_TRUE((*s)->put(position_record{product_id{"BTC-USD"}, size::from_int(1), price::from_int(50'000), {}, {}, 1}).ok());
  ASSERT_TRUE((*s)->put_gate(gate_record{false, {{"state_unavailable", "verify failed", 5}}, 5}).ok());
}

} // namespace

TEST(StateCommands, InspectPrintsTextAndJson) {
  temp_dir dir;
  populate(dir.path());
  std::ostringstream out, err;
  ASSERT_EQ(run_state_inspect(dir.path(), false, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("gate: CLOSED"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("reason state_unavailable"), std::string::npos);
  EXPECT_NE(out.str().find("open orders (3)"), std::string::npos);
  std::ostringstream jout;
  ASSERT_EQ(run_state_inspect(dir.path(), true, jout, err), 0);
  auto j = nlohmann::json::parse(jout.str());
  EXPECT_EQ(j["counts"]["fills"], 12);
  EXPECT_EQ(j["gate"]["open"], false);
  EXPECT_EQ(j["open_orders"].size(), 3u);
  EXPECT_EQ(j["last_fills"].size(), 10u);
  EXPECT_EQ(j["last_fills"][0]["trade_id"], "trade-11");  // newest first
  EXPECT_EQ(j["positions"][0]["size"], "1");
}

TEST(StateCommands, VerifyReportsOkOrProblems) {
  temp_dir dir;
  populate(dir.path());
  std::ostringstream out, err;
  EXPECT_EQ(run_state_verify(dir.path(), false, out, err), 0) << err.str();
  EXPECT_EQ(out.str().rfind("ok:", 0), 0u);
  std::ostringstream out2, err2;
  EXPECT_EQ(run_state_verify(dir.sub("missing"), true, out2, err2), 1);
  EXPECT_EQ(nlohmann::json::parse(out2.str())["ok"], false);
  EXPECT_EQ(run_state_verify("", false, out2, err2), 2);
}

TEST(StateCommands, BackupWritesAVerifiedCopyAndNeverOverwrites) {
  temp_dir dir;
  populate(dir.sub("state"));
  std::ostringstream out, err;
  ASSERT_EQ(run_state_backup(dir.sub("state"), dir.sub("bak"), out, err), 0) << err.str();
  EXPECT_NE(out.str().find("fills=12"), std::string::npos) << out.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_state_backup(dir.sub("state"), dir.sub("bak"), out2, err2), 1);
  EXPECT_NE(err2.str().find("refusing to overwrite"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(run_state_inspect(dir.sub("bak"), true, out3, err3), 0) << err3.str();
}

TEST(StateCommands, InspectOfAMissingStoreFailsWithoutCreatingIt) {
  temp_dir dir;
  std::ostringstream out, err;
  EXPECT_EQ(run_state_inspect(dir.sub("none"), false, out, err), 1);
  EXPECT_FALSE(std::filesystem::exists(dir.sub("none")));
}

TEST(StateCommands, RestoreCopiesAVerifiedBackupIntoAnEmptyStateDir) {
  temp_dir dir;
  populate(dir.sub("state"));
  std::ostringstream out, err;
  ASSERT_EQ(run_state_backup(dir.sub("state"), dir.sub("bak"), out, err), 0) << err.str();
  // Refused: the live directory still holds a store.
  EXPECT_EQ(run_state_restore(dir.sub("bak"), dir.sub("state"), out, err), 1);
  EXPECT_NE(err.str().find("move the damaged state directory aside"), std::string::npos) << err.str();
  // Refused: traderd (the lock holder) is running on the target.
  {
    auto held = instance_lock::acquire(dir.sub("fresh"));
    ASSERT_TRUE(held.ok());
    std::ostringstream o2, e2;
    EXPECT_EQ(run_state_restore(dir.sub("bak"), dir.sub("fresh"), o2, e2), 1);
    EXPECT_NE(e2.str().find("lock_held"), std::string::npos) << e2.str();
  }
  std::ostringstream o3, e3;
  ASSERT_EQ(run_state_restore(dir.sub("bak"), dir.sub("fresh"), o3, e3), 0) << e3.str();
  auto s = open_store(dir.sub("fresh"));
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ((*s)->list<fill_record>()->size(), 12u);
  // Refused: a backup that does not verify.
  std::ostringstream o4, e4;
  EXPECT_EQ(run_state_restore(dir.sub("nothing"), dir.sub("other"), o4, e4), 1);
}

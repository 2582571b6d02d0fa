// Review row #5: the KILL_SWITCH file did nothing. The pure tracker: which observations
// engage the kill switch, and that the file going away releases nothing.
#include "actors/control/kill_switch/kill_switch_file.hpp"
#include "actors/control/kill_switch/kill_switch_stats.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <fstream>
#include <sstream>

using namespace trader::kill_switch;

// Review row #5.
TEST(KillSwitchFile, PresentAtTheFirstObservationEngages) {
  file_presence p;
  EXPECT_FALSE(p.observed());
  EXPECT_EQ(p.observe(true), file_event::engage);
  EXPECT_TRUE(p.present());
  EXPECT_EQ(p.engagements(), 1u);
  EXPECT_EQ(p.observe(true), file_event::none);  // still there: nothing new
  EXPECT_EQ(p.engagements(), 1u);
}

// Review row #5.
TEST(KillSwitchFile, AbsentThenCreatedEngagesOnce) {
  file_presence p;
  EXPECT_EQ(p.observe(false), file_event::none);
  EXPECT_TRUE(p.observed());
  EXPECT_FALSE(p.present());
  EXPECT_EQ(p.observe(false), file_event::none);
  EXPECT_EQ(p.observe(true), file_event::engage);
  EXPECT_EQ(p.observe(true), file_event::none);
  EXPECT_EQ(p.engagements(), 1u);
}

// Review row #5: removing the file is reported, never a release; a new file engages again.
TEST(KillSwitchFile, RemovalIsReportedButReleasesNothingAndANewFileEngagesAgain) {
  file_presence p;
  ASSERT_EQ(p.observe(true), file_event::engage);
  EXPECT_EQ(p.observe(false), file_event::removed);
  EXPECT_FALSE(p.present());
  EXPECT_EQ(p.observe(false), file_event::none);
  EXPECT_EQ(p.observe(true), file_event::engage);
  EXPECT_EQ(p.engagements(), 2u);
  EXPECT_EQ(to_string(file_event::removed), "removed");
}

// Review row #5.
TEST(KillSwitchFile, RelativePathsAreUnderTheRuntimeDirectory) {
  EXPECT_EQ(resolve_path("/run/247trader", "KILL_SWITCH"), "/run/247trader/KILL_SWITCH");
  EXPECT_EQ(resolve_path("/run/247trader", "/etc/247trader/KILL"), "/etc/247trader/KILL");
  EXPECT_EQ(resolve_path("var/run", "sub/KILL"), "var/run/sub/KILL");
  EXPECT_EQ(resolve_path("", "KILL"), "KILL");
  EXPECT_EQ(resolve_path("/run/247trader", ""), "");
  EXPECT_EQ(condition_detail("/run/KILL"), "kill switch file /run/KILL exists");
}

// Review row #5: the engagement counter exists under the documented names.
TEST(KillSwitchFile, EveryDeclaredSeriesIsInDocsMetrics) {
  prometheus::Registry reg;
  kill_switch_stats stats(trader::metrics::actor_metrics(reg, "kill_switch"));
  stats.engaged.Increment();
  std::ifstream f(TRADER_SOURCE_DIR "/docs/metrics.md");
  ASSERT_TRUE(f) << "docs/metrics.md not found";
  std::stringstream doc;
  doc << f.rdbuf();
  int families = 0;
  for (const auto& fam : reg.Collect()) {
    ++families;
    EXPECT_NE(doc.str().find("`" + fam.name + "`"), std::string::npos) << fam.name << " is not in docs/metrics.md";
  }
  EXPECT_EQ(families, 3);
  bool engaged_total = false;
  for (const auto& fam : reg.Collect())
    engaged_total |= fam.name == "trader_kill_switch_file_engaged_total" && fam.metric.at(0).counter.value == 1;
  EXPECT_TRUE(engaged_total);
}

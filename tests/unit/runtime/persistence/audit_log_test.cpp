// The audit log: JSONL lines, seq continuity, torn tails, rotation and retention.

#include "runtime/persistence/audit_log.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

constexpr ts_ns day_ns = 86'400 * ns_per_s;

audit_options opts_for(const std::string& dir) {
  audit_options o;
  o.dir = dir;
  o.fsync = audit_fsync::never;
  o.config_hash = "cfg1";
  return o;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST(AuditLog, WritesOneJsonObjectPerLineWithEveryField) {
  temp_dir dir;
  manual_time_source clock;
  auto log = audit_log::open(opts_for(dir.path()), clock);
  ASSERT_TRUE(log.ok()) << log.error().describe();
  ASSERT_EQ(*(*log)->append("risk_verdict", "risk", {{"approved", false}, {"reasons", {"PER_ASSET_CAP"}}}), 1u);
  clock.advance(5);
  ASSERT_EQ(*(*log)->append("gate", "risk", {{"open", false}}), 2u);
  auto text = slurp((*log)->current_file());
  auto first = nlohmann::json::parse(text.substr(0, text.find('\n')));
  EXPECT_EQ(first["ts"], format_rfc3339(clock.wall_now() - 5));
  EXPECT_EQ(first["seq"], 1);
  EXPECT_EQ(first["kind"], "risk_verdict");
  EXPECT_EQ(first["actor"], "risk");
  EXPECT_EQ(first["config_hash"], "cfg1");
  EXPECT_EQ(first["payload"]["reasons"][0], "PER_ASSET_CAP");
  auto r = read_audit_file((*log)->current_file());
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].kind, "gate");
  EXPECT_FALSE(r.torn_tail);
}

TEST(AuditLog, SeqContinuesAfterRestart) {
  temp_dir dir;
  manual_time_source clock;
  {
    auto log = audit_log::open(opts_for(dir.path()), clock);
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE((*log)->append("decision", "scheduler", {{"i", i}}).ok());
  }
  clock.advance(day_ns);  // and across a rotation
  auto log = audit_log::open(opts_for(dir.path()), clock);
  EXPECT_EQ((*log)->last_seq(), 3u);
  EXPECT_EQ(*(*log)->append("decision", "scheduler", {}), 4u);
}

TEST(AuditLog, TornLastLineIsSkippedAndTheNextWriteStartsOnAFreshLine) {
  temp_dir dir;
  manual_time_source clock;
  std::string path;
  {
    auto log = audit_log::open(opts_for(dir.path()), clock);
    ASSERT_TRUE((*log)->append("order", "order_lifecycle", {{"id", "a"}}).ok());
    ASSERT_TRUE((*log)->append("order", "order_lifecycle", {{"id", "b"}}).ok());
    path = (*log)->current_file();
  }
  {
    std::ofstream f(path, std::ios::app | std::ios::binary);
    f << R"({"ts":"2023-11-14T22:13:20.000000000Z","seq":3,"kind":"fi)";  // crash mid-line
  }
  auto torn = read_audit_file(path);
  EXPECT_TRUE(torn.torn_tail);
  ASSERT_EQ(torn.events.size(), 2u);

  auto log = audit_log::open(opts_for(dir.path()), clock);
  EXPECT_EQ((*log)->last_seq(), 2u);  // the torn event never counted
  ASSERT_EQ(*(*log)->append("fill", "fills", {{"trade", "t1"}}), 3u);
  auto after = read_audit_file(path);
  EXPECT_FALSE(after.torn_tail);
  EXPECT_EQ(after.skipped_lines, 1u);  // the fragment, now on a line of its own
  ASSERT_EQ(after.events.size(), 3u);
  EXPECT_EQ(after.events[2].kind, "fill");
  EXPECT_EQ(after.events[2].seq, 3u);
}

// A seq that is not an unsigned integer (a float beyond uint64, a negative number) makes
// the line malformed; converting it was UB (found by the audit_reader fuzz target).
TEST(AuditLog, SeqThatIsNotAnUnsignedIntegerIsAMalformedLine) {
  temp_dir dir;
  std::string path = dir.path() + "/audit-2023-11-14.jsonl";
  {
    std::ofstream f(path, std::ios::binary);
    for (const char* seq : {"1e21", "-3", "2.5", "4"})
      f << R"({"ts":"2023-11-14T22:13:20.000000000Z","seq":)" << seq
        << R"(,"kind":"k","actor":"a","config_hash":"","payload":{}})" << "\n";
  }
  auto r = read_audit_file(path);
  EXPECT_EQ(r.skipped_lines, 3u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].seq, 4u);
}

TEST(AuditLog, RotatesDailyAndDeletesFilesPastRetention) {
  temp_dir dir;
  manual_time_source clock(1'795'262'400 * ns_per_s);  // 2026-11-21T12:00:00Z
  auto o = opts_for(dir.path());
  o.retention_days = 2;
  auto log = audit_log::open(o, clock);
  ASSERT_TRUE((*log)->append("a", "x", {}).ok());
  for (int d = 0; d < 4; ++d) {
    clock.advance(day_ns);
    ASSERT_TRUE((*log)->append("a", "x", {}).ok());
  }
  auto files = list_audit_files(dir.path());
  ASSERT_EQ(files.size(), 3u);  // today and the two days before it
  EXPECT_NE(files.front().find("audit-2026-11-23.jsonl"), std::string::npos);
  EXPECT_NE(files.back().find("audit-2026-11-25.jsonl"), std::string::npos);
  EXPECT_EQ((*log)->last_seq(), 5u);
}

TEST(AuditLog, IntervalPolicyAndFlushWork) {
  temp_dir dir;
  manual_time_source clock;
  auto o = opts_for(dir.path());
  o.fsync = audit_fsync::interval;
  auto log = audit_log::open(o, clock);
  ASSERT_TRUE((*log)->append("a", "x", {}).ok());
  ASSERT_TRUE((*log)->flush().ok());
  o.fsync = audit_fsync::always;
  temp_dir dir2;
  o.dir = dir2.path();
  auto log2 = audit_log::open(o, clock);
  ASSERT_TRUE((*log2)->append("a", "x", {}).ok());
}

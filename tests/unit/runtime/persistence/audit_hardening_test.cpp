// The audit log as tamper evidence (review rows #15, #17): every line carries the hash of
// the line before it, across restarts and rotations, and verify_audit_dir (`traderctl
// audit verify`) finds an edited, removed or inserted line; the config hash is the
// producer's; retention never deletes the newest files, whatever the clock says.

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

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const auto& l : lines)
    out << l << "\n";
}

/// Five events over two files and a restart.
std::string five_events(const std::string& dir, manual_time_source& clock) {
  {
    auto log = audit_log::open(opts_for(dir), clock);
    for (int i = 0; i < 3; ++i)
      EXPECT_TRUE((*log)->append("decision", "scheduler", {{"i", i}}).ok());
  }
  clock.advance(day_ns);
  auto log = audit_log::open(opts_for(dir), clock);
  EXPECT_TRUE((*log)->append("gate", "risk", {{"open", false}}).ok());
  EXPECT_TRUE((*log)->append("gate", "risk", {{"open", true}}).ok());
  return (*log)->current_file();
}

std::string problems_text(const audit_verify_report& r) {
  std::string out;
  for (const auto& p : r.problems)
    out += p + "\n";
  return out;
}

} // namespace

// Row #15: a hash chain from the first line ever, across a restart and a rotation.
TEST(AuditHardening, EveryLineCarriesTheHashOfTheLineBefore) {
  temp_dir dir;
  manual_time_source clock;
  five_events(dir.path(), clock);
  auto files = list_audit_files(dir.path());
  ASSERT_EQ(files.size(), 2u);
  auto first = lines_of(files[0]);
  auto second = lines_of(files[1]);
  EXPECT_EQ(nlohmann::json::parse(first[0])["prev_hash"], audit_genesis_hash);
  EXPECT_EQ(nlohmann::json::parse(first[1])["prev_hash"], sha256_hex(first[0]));
  EXPECT_EQ(nlohmann::json::parse(second[0])["prev_hash"], sha256_hex(first[2]));  // across the restart and the day
  auto rep = verify_audit_dir(dir.path());
  EXPECT_TRUE(rep.ok()) << problems_text(rep);
  EXPECT_EQ(rep.events, 5u);
  EXPECT_EQ(rep.first_seq, 1u);
  EXPECT_EQ(rep.last_seq, 5u);
  EXPECT_TRUE(rep.chain_from_genesis);
}

// Row #15: editing a line, removing one or inserting a forged one breaks the chain.
TEST(AuditHardening, AnEditedRemovedOrInsertedLineBreaksTheChain) {
  temp_dir dir;
  manual_time_source clock;
  auto path = five_events(dir.path(), clock);
  auto original = lines_of(path);
  ASSERT_EQ(original.size(), 2u);

  auto edited = original;
  auto j = nlohmann::json::parse(edited[0]);
  j["payload"]["open"] = true;  // rewrite history: the gate was open
  edited[0] = j.dump();
  write_lines(path, edited);
  auto rep = verify_audit_dir(dir.path());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(problems_text(rep).find("seq 5: prev_hash does not match"), std::string::npos) << problems_text(rep);

  write_lines(path, {original[1]});  // seq 4 removed
  rep = verify_audit_dir(dir.path());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(problems_text(rep).find("events are missing"), std::string::npos) << problems_text(rep);

  auto forged = nlohmann::json::parse(original[0]);  // a plausible line with the right seq
  forged["seq"] = 5;
  forged["prev_hash"] = sha256_hex(original[0]);
  auto moved = nlohmann::json::parse(original[1]);
  moved["seq"] = 6;
  write_lines(path, {original[0], forged.dump(), moved.dump()});
  rep = verify_audit_dir(dir.path());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(problems_text(rep).find("seq 6: prev_hash does not match"), std::string::npos) << problems_text(rep);

  write_lines(path, original);
  EXPECT_TRUE(verify_audit_dir(dir.path()).ok());
}

// Row #15: a crash's torn line is not an event; the next line chains to the last good one.
TEST(AuditHardening, ATornLineFromACrashDoesNotBreakTheChain) {
  temp_dir dir;
  manual_time_source clock;
  std::string path;
  {
    auto log = audit_log::open(opts_for(dir.path()), clock);
    ASSERT_TRUE((*log)->append("order", "order_lifecycle", {{"id", "a"}}).ok());
    path = (*log)->current_file();
  }
  { std::ofstream(path, std::ios::app | std::ios::binary) << R"({"ts":"2023-11-14T22:13:20.000000000Z","seq":2,"ki)"; }
  auto log = audit_log::open(opts_for(dir.path()), clock);
  ASSERT_TRUE((*log)->append("fill", "fills", {{"trade", "t1"}}).ok());
  auto rep = verify_audit_dir(dir.path());
  EXPECT_TRUE(rep.ok()) << problems_text(rep);
  EXPECT_EQ(rep.events, 2u);
  EXPECT_EQ(rep.skipped_lines, 1u);
}

// Row #15: the line carries the hash the producer was configured with when it decided, not
// the one in force when the audit actor got round to writing it (a reload in between).
TEST(AuditHardening, TheProducersConfigHashIsStampedNotTheCurrentOne) {
  temp_dir dir;
  manual_time_source clock;
  auto log = audit_log::open(opts_for(dir.path()), clock);
  (*log)->set_config_hash("cfg2");  // a reload after the decision was made
  ASSERT_TRUE((*log)->append("risk_verdict", "risk", {{"approved", true}}, "cfg1").ok());
  ASSERT_TRUE((*log)->append("operator", "control", {}).ok());
  auto r = read_audit_file((*log)->current_file());
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].config_hash, "cfg1");
  EXPECT_EQ(r.events[1].config_hash, "cfg2");
  auto stats = (*log)->stats();
  EXPECT_EQ(stats.appended, 2u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.last_seq, 2u);
}

// Row #17: a clock far ahead at start used to delete every audit file (today − day >
// retention_days for all of them). The newest retention_days files are always kept.
TEST(AuditHardening, AClockFarAheadDoesNotDeleteTheNewestFiles) {
  temp_dir dir;
  manual_time_source clock(1'795'262'400 * ns_per_s);  // 2026-11-21T12:00:00Z
  auto o = opts_for(dir.path());
  o.retention_days = 3;
  {
    auto log = audit_log::open(o, clock);
    for (int d = 0; d < 5; ++d) {
      ASSERT_TRUE((*log)->append("a", "x", {{"d", d}}).ok());
      clock.advance(day_ns);
    }
  }
  ASSERT_EQ(list_audit_files(dir.path()).size(), 4u);  // normal retention: today and the 3 days before
  clock.advance(10 * 365 * day_ns);                     // the clock jumps ten years ahead
  auto log = audit_log::open(o, clock);  // opens (creates) the far-future day's file at once
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->append("a", "x", {}).ok());
  auto files = list_audit_files(dir.path());
  ASSERT_EQ(files.size(), 3u) << "the newest files survive the jump";
  EXPECT_NE(files[0].find("audit-2026-11-24.jsonl"), std::string::npos) << files[0];
  EXPECT_NE(files[1].find("audit-2026-11-25.jsonl"), std::string::npos) << files[1];
  EXPECT_NE(files[2].find("audit-2036-"), std::string::npos) << files[2];
  EXPECT_TRUE(verify_audit_dir(dir.path()).ok());
}

// Durability, not just crash atomicity (review E10; issue 12's "a durability test fails when
// fsync is switched off"). The kill test cannot see a missing fsync: SIGKILL keeps the page
// cache, and 200 of 200 kills passed with MDB_NOSYNC. Here the writer runs under the
// power-cut shim (powercut_shim.cpp, LD_PRELOAD), which keeps the disk's view of data.mdb
// and store.hwm: only writes that were fsynced/fdatasynced (or written O_DSYNC) reach it.
// After each SIGKILL the disk's view replaces the files — the machine lost power at that
// moment — and every record the writer reported committed must be there. The companion
// test runs a writer with fsync switched off and requires the same check to catch it.

#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "spawn.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>
#include <thread>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;
namespace fs = std::filesystem;

#ifndef TRADER_FAULT_ITERATIONS
#define TRADER_FAULT_ITERATIONS 20
#endif
#ifndef TRADER_FAULT_SUITE_SUFFIX
#define TRADER_FAULT_SUITE_SUFFIX
#endif
#define TRADER_SUITE_CAT(a, b) a##b
#define TRADER_SUITE(a, b) TRADER_SUITE_CAT(a, b)

namespace {

bool shim_usable() {
#if defined(__SANITIZE_ADDRESS__)
  return false;  // an LD_PRELOAD of our own and AddressSanitizer's interceptors do not mix
#else
  return true;
#endif
}

/// What one power-cut run reported and what survived it.
struct cut_result {
  std::set<int> orders, fills, updates;  ///< Reported committed by the writer.
  std::vector<std::string> lost;         ///< Reported but missing after the cut.
  std::string open_error;                ///< The store did not open after the cut.
};

/// Runs `mode` under the shim on dir (which holds a store), SIGKILLs it after `after`
/// (once at least one record is reported), cuts the power and checks the survivors.
cut_result run_and_cut(const std::string& dir, const std::string& mode, std::chrono::microseconds after) {
  cut_result out;
  const std::vector<std::string> files{dir + "/data.mdb", dir + "/" + high_water_file_name};
  for (const auto& f : files)
    fs::copy_file(f, f + ".powercut", fs::copy_options::overwrite_existing);  // the disk now
  auto child = spawn_child({STATE_FAULT_HELPER, mode, dir},
                           {"LD_PRELOAD=" POWERCUT_SHIM, "TRADER_POWERCUT_FILES=" + files[0] + ":" + files[1]});
  EXPECT_GT(child.pid, 0);
  std::string text;
  EXPECT_TRUE(wait_for_line(child, text, "READY", std::chrono::seconds(30))) << text;
  EXPECT_TRUE(wait_for_line(child, text, "O ", std::chrono::seconds(30))) << text;
  std::this_thread::sleep_for(after);
  finish_child(child, text, true);
  for (const auto& line : full_lines(text)) {
    EXPECT_TRUE(line.rfind("FAIL", 0) != 0 && line.rfind("OPENFAIL", 0) != 0) << line;
    if (line.size() > 2 && line[1] == ' ' && (line[0] == 'O' || line[0] == 'F' || line[0] == 'U')) {
      int i = std::stoi(line.substr(2));
      (line[0] == 'O' ? out.orders : line[0] == 'F' ? out.fills : out.updates).insert(i);
    }
  }
  // The power cut: only what reached the disk is left; the reader table is gone too.
  for (const auto& f : files)
    fs::rename(f + ".powercut", f);
  std::error_code ec;
  fs::remove(dir + "/lock.mdb", ec);

  auto s = open_store(dir);
  if (!s) {
    out.open_error = s.error().describe();
    return out;
  }
  auto& store = **s;
  for (int i : out.orders) {
    auto o = store.get<order_record>(key_of(make_order(i)));
    if (!o.ok() || !o->has_value())
      out.lost.push_back("order " + std::to_string(i));
    else if (out.updates.count(i) && (**o).status != order_status::filled)
      out.lost.push_back("update of order " + std::to_string(i));
  }
  for (int i : out.fills) {
    auto f = store.get<fill_record>(key_of(make_fill(i)));
    if (!f.ok() || !f->has_value() || **f != make_fill(i))
      out.lost.push_back("fill " + std::to_string(i));
  }
  auto rep = store.verify();
  if (!rep.ok())
    out.open_error = "verify after the cut: " + rep.to_error().describe();
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < 10; ++i)
    out += (i ? ", " : "") + v[i];
  return out + (v.size() > 10 ? ", …" : "");
}

} // namespace

// E10: every commit the writer reported survives a power cut at a random moment.
TEST(TRADER_SUITE(StateDurability, TRADER_FAULT_SUITE_SUFFIX), ReportedCommitsSurviveAPowerCutAtRandomMoments) {
  if (!shim_usable())
    GTEST_SKIP() << "LD_PRELOAD shim disabled under AddressSanitizer";
  temp_dir dir;
  ASSERT_TRUE(init_store(dir.path(), false).ok());
  auto seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::size_t reported = 0;
  for (int iter = 0; iter < TRADER_FAULT_ITERATIONS; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    auto r = run_and_cut(dir.path(), "writer",
                         std::chrono::microseconds(std::uniform_int_distribution<int>(0, 100'000)(rng)));
    ASSERT_TRUE(r.open_error.empty()) << r.open_error;
    ASSERT_TRUE(r.lost.empty()) << r.lost.size() << " reported commit(s) lost in the power cut: " << join(r.lost);
    reported += r.orders.size() + r.fills.size() + r.updates.size();
  }
  std::printf("durability test: %d power cuts, %zu reported commits all survived\n", TRADER_FAULT_ITERATIONS, reported);
}

// E10's other half: with fsync switched off (MDB_NOSYNC) the same check fails — the reported
// commits exist only in the page cache and vanish with the power. (This is the check the
// kill test cannot make: 200 of 200 SIGKILLs pass without fsync.)
TEST(TRADER_SUITE(StateDurability, TRADER_FAULT_SUITE_SUFFIX), APowerCutCatchesAWriterWithoutFsync) {
  if (!shim_usable())
    GTEST_SKIP() << "LD_PRELOAD shim disabled under AddressSanitizer";
  temp_dir dir;
  ASSERT_TRUE(init_store(dir.path(), false).ok());
  auto r = run_and_cut(dir.path(), "writer-nosync", std::chrono::milliseconds(20));
  ASSERT_FALSE(r.orders.empty());
  EXPECT_TRUE(!r.lost.empty() || !r.open_error.empty())
    << r.orders.size() << " orders reported without fsync and all survived the cut: the durability check is blind";
  // Everything reported in that run is gone: the disk still holds the store as it was.
  EXPECT_EQ(r.lost.size(), r.orders.size() + r.fills.size()) << join(r.lost);
}

// Injected write and fsync failures (libfiu's fiu-run on the helper): the commit fails
// with a typed error, the store refuses every later write, and a reopen finds every
// earlier record intact and the failed one absent.

#include "runtime/persistence/state_store.hpp"
#include "spawn.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

bool have_fiu() { return ::access("/usr/bin/fiu-run", X_OK) == 0; }

void seed_store(const std::string& dir) {
  auto s = open_store(dir);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
}

void run_with_failure(const std::vector<std::string>& commands) {
  if (!have_fiu())
    GTEST_SKIP() << "fiu-run not installed (Debian fiu-utils)";
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "fiu's LD_PRELOAD and AddressSanitizer's interceptors do not mix";
#endif
  temp_dir dir;
  seed_store(dir.path());
  std::vector<std::string> argv{"fiu-run", "-x", "-f", ""};  // no control FIFOs in $TMPDIR
  for (const auto& c : commands) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  argv.push_back(STATE_FAULT_HELPER);
  argv.push_back("one-intent");
  argv.push_back(dir.path());
  auto child = spawn_child(argv);
  ASSERT_GT(child.pid, 0);
  std::string out;
  int status = finish_child(child, out, false);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("RESULT write_failed"), std::string::npos) << out;
  EXPECT_NE(out.find("SECOND store_failed"), std::string::npos) << out;  // poisoned: never retried

  auto s = open_store(dir.path());
  ASSERT_TRUE(s.ok()) << s.error().describe();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(**(*s)->get<order_record>(key_of(make_order(i))), make_order(i));
  EXPECT_FALSE((*s)->get<order_record>(key_of(make_order(1000)))->has_value());
  EXPECT_FALSE((*s)->get<order_record>(key_of(make_order(1001)))->has_value());
  EXPECT_TRUE((*s)->verify().ok());
}

} // namespace

TEST(StateFaultInjection, FailedFdatasyncFailsClosed) {
  run_with_failure({"enable name=posix/io/sync/fdatasync,failinfo=5"});
}

TEST(StateFaultInjection, FailedPageWriteFailsClosed) {
  run_with_failure({"enable name=posix/io/rw/pwrite,failinfo=5", "enable name=posix/io/rw/writev,failinfo=5"});
}

TEST(StateFaultInjection, HelperWorksWithoutInjection) {
  temp_dir dir;
  seed_store(dir.path());
  auto child = spawn_child({STATE_FAULT_HELPER, "one-intent", dir.path()});
  std::string out;
  finish_child(child, out, false);
  EXPECT_NE(out.find("RESULT ok"), std::string::npos) << out;
  EXPECT_NE(out.find("SECOND ok"), std::string::npos) << out;
}

// The test hook of the wall clock (runtime/clock.cpp): with TRADER_TEST_HOOKS=1 and
// TRADER_TEST_WALL_CLOCK=FILE, system_time_source::wall_now() is the int64 a harness keeps in
// FILE — how traderd follows a stepped simex. The hook is read once per process, so each
// case sets the environment before its first wall_now() (ctest runs each case alone).
#include "runtime/clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

/// A clock file holding `t`, mapped for the harness's stores.
struct clock_file {
  std::string path;
  std::int64_t* at = nullptr;
  explicit clock_file(std::int64_t t) {
    char name[] = "/tmp/trader_wall_clock_XXXXXX";
    int fd = ::mkstemp(name);
    path = name;
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::ftruncate(fd, sizeof(std::int64_t)), 0);
    void* m = ::mmap(nullptr, sizeof(std::int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    EXPECT_NE(m, MAP_FAILED);
    at = static_cast<std::int64_t*>(m);
    store(t);
  }
  void store(std::int64_t t) { __atomic_store_n(at, t, __ATOMIC_RELEASE); }
  ~clock_file() {
    ::munmap(at, sizeof(std::int64_t));
    ::unlink(path.c_str());
  }
};

} // namespace

TEST(TestWallClock, WithTheHookTheWallClockIsTheFilesAndMovesWhenTheHarnessStores) {
  const std::int64_t t0 = 1'700'000'000 * trader::ns_per_s;
  clock_file f(t0);
  ::setenv("TRADER_TEST_HOOKS", "1", 1);
  ::setenv("TRADER_TEST_WALL_CLOCK", f.path.c_str(), 1);
  const auto& clock = trader::system_time_source::instance();
  EXPECT_EQ(clock.wall_now(), t0);
  EXPECT_EQ(clock.wall_now(), t0);  // frozen between the harness's steps
  f.store(t0 + 60 * trader::ns_per_s);
  EXPECT_EQ(clock.wall_now(), t0 + 60 * trader::ns_per_s);
  const auto m0 = clock.mono_now();
  EXPECT_GE(clock.mono_now(), m0);  // monotonic time stays the real one
}

TEST(TestWallClock, WithoutTestHooksTheFileIsIgnored) {
  clock_file f(1'700'000'000 * trader::ns_per_s);
  ::setenv("TRADER_TEST_HOOKS", "0", 1);
  ::setenv("TRADER_TEST_WALL_CLOCK", f.path.c_str(), 1);
  // The real clock: far past the file's 2023 time (this machine's clock reads 2026).
  EXPECT_GT(trader::system_time_source::instance().wall_now(), 1'750'000'000 * trader::ns_per_s);
}

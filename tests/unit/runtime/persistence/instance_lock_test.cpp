// The single-instance lock on the state directory.

#include "runtime/persistence/instance_lock.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace trader::persistence;
using namespace trader::persistence::testing;

TEST(InstanceLock, SecondAcquirerIsRefusedWithTheHoldersPid) {
  temp_dir dir;
  auto first = instance_lock::acquire(dir.path());
  ASSERT_TRUE(first.ok()) << first.error().describe();
  auto second = instance_lock::acquire(dir.path());  // a new open file description conflicts too
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, store_errc::lock_held);
  EXPECT_NE(second.error().message.find("PID " + std::to_string(getpid())), std::string::npos)
    << second.error().message;
  EXPECT_EQ(read_lock_holder(first->path()), getpid());
}

TEST(InstanceLock, ReleasedOnDestruction) {
  temp_dir dir;
  { ASSERT_TRUE(instance_lock::acquire(dir.path()).ok()); }
  EXPECT_TRUE(instance_lock::acquire(dir.path()).ok());
}

TEST(InstanceLock, ReleasedByTheKernelWhenTheHolderIsKilled) {
  temp_dir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto l = instance_lock::acquire(dir.path());
    char c = l.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1)
      _exit(1);
    pause();
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto held = instance_lock::acquire(dir.path());
  ASSERT_FALSE(held.ok());
  EXPECT_NE(held.error().message.find("PID " + std::to_string(pid)), std::string::npos);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  auto after = instance_lock::acquire(dir.path());
  EXPECT_TRUE(after.ok()) << after.error().describe();
  close(ready[0]);
  close(ready[1]);
}

// Review row #5: the KILL_SWITCH file did nothing. The inotify wrapper on a real temp
// directory: created, renamed into place, removed, directory missing then created.
#include "actors/control/kill_switch/file_watch.hpp"
#include "actors/control/kill_switch/kill_switch_file.hpp"
#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

using namespace trader;
using namespace trader::kill_switch;

namespace {

class FileWatchTest : public ::testing::Test {
protected:
  test::temp_dir dir{"kill_switch"};
  std::string file = dir / "KILL_SWITCH";
};

/// Polls until the watch reports something (events are queued by the kernel at once, but
/// give it a moment on a loaded machine).
bool poll_sees(file_watch& w) {
  return test::eventually([&] { return w.poll(); }, std::chrono::seconds(2));
}

// Review row #5.
TEST_F(FileWatchTest, PresentAtStartIsSeenByStat) {
  test::write_file(file, "");
  file_watch w{file};
  EXPECT_TRUE(w.available()) << w.error();
  EXPECT_TRUE(w.watching()) << w.error();
  EXPECT_EQ(stat_presence(file), presence::present);
  file_presence p;
  EXPECT_EQ(p.observe(stat_presence(file) == presence::present), file_event::engage);
}

// Review row #5.
TEST_F(FileWatchTest, CreatingTheFileWakesThePoll) {
  file_watch w{file};
  ASSERT_TRUE(w.watching()) << w.error();
  EXPECT_FALSE(w.poll());
  EXPECT_EQ(stat_presence(file), presence::absent);
  test::write_file(file, "stop\n");
  EXPECT_TRUE(poll_sees(w));
  EXPECT_EQ(stat_presence(file), presence::present);
  EXPECT_FALSE(w.poll());  // drained
}

// Review row #5: the usual atomic "write elsewhere, rename(2) into place".
TEST_F(FileWatchTest, RenamingTheFileIntoPlaceWakesThePoll) {
  file_watch w{file};
  ASSERT_TRUE(w.watching()) << w.error();
  test::write_file(dir / ".KILL_SWITCH.tmp", "stop\n");
  while (w.poll()) {
  }
  EXPECT_FALSE(w.poll());  // the temp file's events do not name the watched file
  ASSERT_EQ(std::rename((dir / ".KILL_SWITCH.tmp").c_str(), file.c_str()), 0);
  EXPECT_TRUE(poll_sees(w));
  EXPECT_EQ(stat_presence(file), presence::present);
}

// Review row #5: removal wakes the poll (and is then reported, never a release).
TEST_F(FileWatchTest, RemovingTheFileWakesThePollButReleasesNothing) {
  test::write_file(file, "");
  file_watch w{file};
  file_presence p;
  ASSERT_EQ(p.observe(stat_presence(file) == presence::present), file_event::engage);
  ASSERT_TRUE(std::filesystem::remove(file));
  EXPECT_TRUE(poll_sees(w));
  EXPECT_EQ(stat_presence(file), presence::absent);
  EXPECT_EQ(p.observe(false), file_event::removed);
  EXPECT_EQ(p.engagements(), 1u);
}

// Review row #5: a directory that does not exist yet cannot be watched; the stat backstop
// sees the file, and the next re-arm watches the new directory.
TEST_F(FileWatchTest, DirectoryMissingThenCreatedIsCaughtByTheStatBackstop) {
  auto nested = dir / "later/KILL_SWITCH";
  file_watch w{nested};
  EXPECT_FALSE(w.watching());
  EXPECT_FALSE(w.error().empty());
  EXPECT_FALSE(w.poll());
  file_presence p;
  EXPECT_EQ(p.observe(stat_presence(nested) == presence::present), file_event::none);
  test::write_file(nested, "");  // creates later/ and the file while nothing watches
  EXPECT_FALSE(w.poll());        // inotify cannot know ...
  EXPECT_EQ(p.observe(stat_presence(nested) == presence::present), file_event::engage);  // ... the stat does
  EXPECT_TRUE(w.rearm()) << w.error();
  EXPECT_TRUE(w.watching());
  ASSERT_TRUE(std::filesystem::remove(nested));
  EXPECT_TRUE(poll_sees(w));
}

// Review row #5: the watched directory removed: the watch is lost (poll says look), and a
// re-arm after the directory is back watches it again.
TEST_F(FileWatchTest, ALostDirectoryWatchIsReportedAndReArmed) {
  auto nested = dir / "d/KILL_SWITCH";
  std::filesystem::create_directories(dir / "d");
  file_watch w{nested};
  ASSERT_TRUE(w.watching()) << w.error();
  std::filesystem::remove_all(dir / "d");
  EXPECT_TRUE(poll_sees(w));
  EXPECT_FALSE(w.watching());
  EXPECT_FALSE(w.rearm());
  std::filesystem::create_directories(dir / "d");
  EXPECT_TRUE(w.rearm()) << w.error();
  test::write_file(nested, "");
  EXPECT_TRUE(poll_sees(w));
}

// Review row #5: a path stat cannot resolve (here a symlink loop in the directory part; in
// practice EACCES or EIO) is "unknown" (the actor keeps what it knew), not "absent".
TEST_F(FileWatchTest, AnUnresolvablePathIsUnknownNotAbsent) {
  std::filesystem::create_symlink(dir / "loop", dir / "loop");
  std::string why;
  EXPECT_EQ(stat_presence(dir / "loop/KILL_SWITCH", &why), presence::unknown);
  EXPECT_NE(why.find("lstat"), std::string::npos) << why;
  test::write_file(dir / "plain", "");
  EXPECT_EQ(stat_presence(dir / "plain/KILL_SWITCH"), presence::absent);  // ENOTDIR
}

} // namespace

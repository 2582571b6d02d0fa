// The event calendar (universe.event_calendar_file): windows parsed, every malformed line an
// error naming file:line, and a malformed file a configuration error, never an empty calendar.

#include "runtime/config/event_calendar.hpp"
#include "tests/unit/runtime/config/config_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace trader::config {
namespace {

TEST(EventCalendar, ParsesWindowsSkippingCommentsAndBlankLines) {
  auto r = parse_event_calendar("# scheduled events\n\n2026-12-10T18:45:00Z 2026-12-10T20:00:00Z FOMC statement\n"
                                "2026-12-11T13:30:00Z 2026-12-11T14:00:00Z CPI  # monthly\n",
                                "events.txt");
  ASSERT_TRUE(std::holds_alternative<std::vector<event_window>>(r)) << std::get<std::string>(r);
  const auto& w = std::get<std::vector<event_window>>(r);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].from_ns, 1'796'928'300LL * 1'000'000'000LL);  // 2026-12-10T18:45:00Z
  EXPECT_EQ(w[0].to_ns - w[0].from_ns, 75LL * 60 * 1'000'000'000LL);
  EXPECT_EQ(w[0].reason, "FOMC statement");
  EXPECT_EQ(w[1].reason, "CPI");
}

TEST(EventCalendar, EveryMalformedLineIsAnErrorNamingFileAndLine) {
  auto err = [](const std::string& text) {
    auto r = parse_event_calendar(text, "events.txt");
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string{"(parsed)"};
  };
  EXPECT_EQ(err("\n2026-12-10T18:45:00Z\n").rfind("events.txt:2: expected START END REASON", 0), 0u);
  EXPECT_EQ(err("2026-12-10 2026-12-11T00:00:00Z x\n").rfind("events.txt:1: START", 0), 0u);
  EXPECT_EQ(err("2026-12-10T18:45:00Z 2026-13-10T20:00:00Z x\n").rfind("events.txt:1: END", 0), 0u);
  EXPECT_EQ(err("2026-12-10T20:00:00Z 2026-12-10T18:45:00Z x\n").rfind("events.txt:1: END 2026-12-10T18:45:00Z is not after", 0), 0u);
  EXPECT_EQ(err("2026-12-10T18:45:00Z 2026-12-10T20:00:00Z\n").rfind("events.txt:1: a window needs a reason", 0), 0u);
}

TEST(EventCalendar, AMalformedOrMissingFileIsAConfigurationError) {
  const std::string path = ::testing::TempDir() + "event_calendar_test.txt";
  std::ofstream(path) << "2026-12-10T18:45:00Z 2026-12-10T20:00:00Z ok\nnot a window\n";
  auto r = testing::load_with({{"universe.toml", "[universe]\nevent_calendar_file = \"" + path + "\"\n"}});
  ASSERT_EQ(r.errors(), 1u);
  EXPECT_EQ(r.issues[0].key, "universe.event_calendar_file");
  EXPECT_NE(r.issues[0].message.find(path + ":2:"), std::string::npos) << r.issues[0].message;
  std::remove(path.c_str());
  auto missing = testing::load_with({{"universe.toml", "[universe]\nevent_calendar_file = \"" + path + "\"\n"}});
  ASSERT_EQ(missing.errors(), 1u);
  EXPECT_NE(missing.issues[0].message.find("cannot be read"), std::string::npos);
}

} // namespace
} // namespace trader::config

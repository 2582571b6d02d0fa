// The tree-wide alert sources: restart storms per actor and exception bursts.

#include "tools/traderd/failure_watch.hpp"

#include <gtest/gtest.h>

using trader::health_report;
using trader::daemon::failure_watch;

namespace {

constexpr std::int64_t s = 1'000'000'000;

health_report row(std::string name, std::int64_t restarts, std::string failure = "", std::int64_t failure_ts = 0) {
  health_report r;
  r.name = std::move(name);
  r.restarts = restarts;
  r.last_failure = std::move(failure);
  r.last_failure_ts = failure_ts;
  return r;
}

TEST(FailureWatch, RestartsBeforeTheFirstLookAreHistoryNotAStorm) {
  failure_watch w;
  EXPECT_TRUE(w.observe({row("orders", 7)}, 0).empty());
}

TEST(FailureWatch, ThreeRestartsInTenMinutesAreAStormResolvedWhenTheyAge) {
  failure_watch w;
  w.observe({row("orders", 0), row("risk", 0)}, 0);
  EXPECT_TRUE(w.observe({row("orders", 1), row("risk", 0)}, 10 * s).empty());
  EXPECT_TRUE(w.observe({row("orders", 2), row("risk", 0)}, 20 * s).empty());
  auto fired = w.observe({row("orders", 3, "exit: kill"), row("risk", 0)}, 30 * s);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].type, "actor_restart_storm");
  EXPECT_EQ(fired[0].fingerprint, "actor_restart_storm:orders");
  EXPECT_FALSE(fired[0].resolved);
  EXPECT_NE(fired[0].title.find("3 times"), std::string::npos) << fired[0].title;
  EXPECT_TRUE(w.observe({row("orders", 3), row("risk", 0)}, 300 * s).empty());
  auto over = w.observe({row("orders", 3), row("risk", 0)}, 611 * s);  // the first restart aged out
  ASSERT_EQ(over.size(), 1u);
  EXPECT_TRUE(over[0].resolved);
}

TEST(FailureWatch, ExceptionExitsAcrossActorsAreABurst) {
  failure_watch w;
  w.observe({row("a", 0), row("b", 0)}, 0);
  EXPECT_TRUE(w.observe({row("a", 1, "system:runtime_error", 1 * s), row("b", 0)}, 1 * s).empty());
  EXPECT_TRUE(w.observe({row("a", 1, "system:runtime_error", 1 * s), row("b", 1, "exit: kill", 2 * s)}, 2 * s).empty());
  EXPECT_TRUE(w.observe({row("a", 1, "system:runtime_error", 1 * s), row("b", 2, "system:runtime_error", 3 * s)}, 3 * s)
                .empty());
  auto fired = w.observe({row("a", 2, "system:runtime_error", 4 * s), row("b", 2, "system:runtime_error", 3 * s)}, 4 * s);
  ASSERT_EQ(fired.size(), 1u);  // a's two restarts are no storm; three exception exits are a burst
  EXPECT_EQ(fired[0].type, "exception_burst");
  EXPECT_FALSE(fired[0].resolved);
  auto over = w.observe({row("a", 2, "system:runtime_error", 4 * s), row("b", 2, "system:runtime_error", 3 * s)}, 700 * s);
  ASSERT_EQ(over.size(), 1u);
  EXPECT_TRUE(over[0].resolved);
}

} // namespace

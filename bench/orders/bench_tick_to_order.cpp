// Tick to order (issue 16 "Done when"; docs/BENCHMARKS.md, docs/orders.md "Tick to order"):
// traderd in LIVE against a simex process, one protective exit a round, each caused by a
// ticker frame the harness makes (tests/system/traderd/tick_to_order_fixture.hpp: the set-up,
// the round, what is loosened). Figures come from traderd's own latency report (`latency`
// on the control socket: the lifetime histogram of the key, every sample since start,
// log-bucketed: a quantile is the upper bound of its bucket, within ~6 %).
//   tick_to_order_p50_us / _p99_us             frame read → create written, all paths
//   tick_to_order_exit_p50_us / _exit_p99_us   the same, protective exits only
//   decisions                                  tick_to_order samples recorded (one per exit sent)
// Only the exit path is driven: a strategy decision waits for the decision cycle
// (docs/orders.md "Tick to order"), so its figure is the age of the frame, not a pipeline
// latency, and is not measured here.
// Usage: bench_tick_to_order [DECISIONS [SEGMENT]]   (default 1000, about a minute; the issue's
// figure: 10000, about 10 minutes; SEGMENT: rounds per daemon, at most and by default 1000)
// Paced by sleeps: the trader's fills read from simex every 2 ms, a driver order at most every 5 ms while the
// position is held. Last stdout line: flat JSON. tick_to_order_hops.sh splits the time into
// hops (uprobes, root).
#include "tests/system/traderd/tick_to_order_fixture.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

int wanted = 1000;  ///< Decisions to make (argv[1]).

struct figures {
  double p50_us = -1, p99_us = -1;
  double exit_p50_us = -1, exit_p99_us = -1;
  std::uint64_t decisions = 0;
  double seconds = 0;
  int rounds = 0;
  int driver_orders = 0;
  int segments = 0;
};
figures& bench_result() {
  static figures f;
  return f;
}

// At most this many rounds per daemon: in one run of 10,000, after 1,131 rounds in 80 s
// (about 2,260 orders), every reconcile cycle reported five already-booked fills as
// fill_for_unknown_order (empty client id) and held reconcile_pending, so the gate stayed
// closed and the next exit never went (reported; cause not established here — order_lifecycle
// remembers at most 4,096 finished order ids, and reconcile re-reads the fills of the last
// 10 minutes). Longer runs go in segments, each a fresh daemon, simex and account; traderd's
// latency baselines (its lifetime histograms, latency_baselines.jsonl in the state
// directory) are carried from one segment into the next, so the figures are traderd's own
// histogram over every decision.
int segment_rounds = 1000;  ///< argv[2]
std::string carried_baselines;  ///< The last segment's latency_baselines.jsonl.
bool segment_failed = false;    ///< A failed segment ends the run (the later ones skip).

class TickToOrderHarness : public trader::test::tick_to_order_fixture {};

TEST_F(TickToOrderHarness, Run) {
  auto& f = bench_result();
  if (f.decisions >= static_cast<std::uint64_t>(wanted) || segment_failed)
    GTEST_SKIP() << (segment_failed ? "an earlier segment failed" : "done in an earlier segment");
  segment_failed = true;  // until this segment's end
  if (!carried_baselines.empty())
    trader::test::write_file(dir / "state/latency_baselines.jsonl", carried_baselines);
  ASSERT_TRUE(start_trading());
  const auto t0 = clock_type::now();
  const std::uint64_t before = lifetime_count("tick_to_order");
  int rounds = 0;
  for (std::uint64_t done = before; done < static_cast<std::uint64_t>(wanted) && rounds < segment_rounds; ++done) {
    ++rounds;
    trader::ts_ns since = 0;
    ASSERT_TRUE(buy(since)) << "round " << rounds << " of segment " << f.segments + 1;
    ASSERT_TRUE(exit_by_ticker(since)) << "round " << rounds << " of segment " << f.segments + 1;
    if ((f.rounds + rounds) % 500 == 0)
      std::fprintf(stderr, "bench: %d rounds, %.1f s\n", f.rounds + rounds,
                   f.seconds + std::chrono::duration<double>(clock_type::now() - t0).count());
  }
  f.rounds += rounds;
  f.driver_orders += driver_orders;
  f.seconds += std::chrono::duration<double>(clock_type::now() - t0).count();
  ++f.segments;
  auto report = call("latency").value("endpoints", nlohmann::json::object());
  ASSERT_TRUE(report.contains("tick_to_order") && report.contains("tick_to_order:exit"));
  auto& t = report["tick_to_order"];
  auto& e = report["tick_to_order:exit"];
  f.decisions = t.value("lifetime_count", std::uint64_t{0});
  // One exit a round: exactly one sample each (a second would be a create sent twice).
  EXPECT_EQ(f.decisions, before + static_cast<std::uint64_t>(rounds));
  EXPECT_EQ(e.value("lifetime_count", std::uint64_t{0}), f.decisions);
  f.p50_us = t.value("lifetime_p50_ms", -1.0) * 1000;
  f.p99_us = t.value("lifetime_p99_ms", -1.0) * 1000;
  f.exit_p50_us = e.value("lifetime_p50_ms", -1.0) * 1000;
  f.exit_p99_us = e.value("lifetime_p99_ms", -1.0) * 1000;
  if (f.decisions >= static_cast<std::uint64_t>(wanted))
    for (auto& [k, v] : report.items())
      std::fprintf(stderr, "latency %-28s %s\n", k.c_str(), v.dump().c_str());
  daemon->signal(SIGTERM);  // the latency actor saves its baselines as it stops
  ASSERT_EQ(daemon->wait(60s).value_or(-1), 0) << log_tail();
  std::ifstream in{dir / "state/latency_baselines.jsonl"};
  carried_baselines.assign(std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{});
  ASSERT_FALSE(carried_baselines.empty()) << "traderd saved no latency baselines";
  segment_failed = HasFailure();
}

} // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc > 1)
    wanted = std::max(1, std::atoi(argv[1]));
  if (argc > 2)
    segment_rounds = std::clamp(std::atoi(argv[2]), 1, 1000);
  GTEST_FLAG_SET(repeat, (wanted + segment_rounds - 1) / segment_rounds + 1);  // + 1: each segment's opening exit
  const int rc = RUN_ALL_TESTS();
  const auto& f = bench_result();
  std::fprintf(stderr, "bench: %llu decisions in %d rounds, %d segment(s), %.1f s (%.1f/s), %d driver orders\n",
               static_cast<unsigned long long>(f.decisions), f.rounds, f.segments, f.seconds,
               f.seconds > 0 ? static_cast<double>(f.decisions) / f.seconds : 0.0, f.driver_orders);
  std::printf("{\"tick_to_order_p50_us\": %.1f, \"tick_to_order_p99_us\": %.1f, \"tick_to_order_exit_p50_us\": %.1f, "
              "\"tick_to_order_exit_p99_us\": %.1f, \"decisions\": %llu}\n",
              f.p50_us, f.p99_us, f.exit_p50_us, f.exit_p99_us, static_cast<unsigned long long>(f.decisions));
  return rc;
}

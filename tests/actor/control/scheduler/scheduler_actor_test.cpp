// The scheduler actor on the deterministic scheduler: jittered decision ticks to the
// configured targets and to subscribers, reproducible with a seed, metrics.
#include "actors/control/scheduler/scheduler_actor.hpp"

#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <prometheus/registry.h>

using namespace std::chrono_literals;
using namespace trader;

namespace {

class SchedulerActorTest : public test::actor_fixture {
protected:
  std::shared_ptr<std::vector<decision_tick>> ticks_ = std::make_shared<std::vector<decision_tick>>();
  std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();

  SchedulerActorTest() {
    auto ticks = ticks_;
    reg_.put("universe", keep(sys().spawn([ticks]() -> caf::behavior {
               return {[ticks](const decision_tick& t) { ticks->push_back(t); }};
             })));
  }
  static scheduler::options opts(std::uint64_t seed = 7) {
    scheduler::options o;
    o.jitter.interval_ns = 60'000'000'000;
    o.jitter.jitter_fraction = 0.10;
    o.jitter.seed = seed;
    return o;
  }
  caf::actor start(scheduler::options o) {
    auto a = keep(scheduler::spawn_scheduler(sys(), reg_, std::move(o), *metrics_));
    run();
    return a;
  }
  double value(const std::string& name) {
    for (const auto& fam : metrics_->Collect())
      if (fam.name == name && !fam.metric.empty())
        return fam.type == prometheus::MetricType::Counter ? fam.metric[0].counter.value : fam.metric[0].gauge.value;
    return -1;
  }
};

} // namespace

TEST_F(SchedulerActorTest, TicksTheTargetsOncePerJitteredInterval) {
  start(opts());
  advance(60s - 1ns);
  EXPECT_TRUE(ticks_->empty());  // positive jitter: never early
  advance(6s + 1ns);             // the latest a 10 % jitter allows
  ASSERT_EQ(ticks_->size(), 1u);
  EXPECT_EQ((*ticks_)[0].cycle, 1);
  EXPECT_GE((*ticks_)[0].interval_ms, 60000);
  EXPECT_LE((*ticks_)[0].interval_ms, 66000);
  for (int i = 0; i < 10; ++i)
    advance(66s);
  ASSERT_GE(ticks_->size(), 10u);
  for (std::size_t i = 0; i < ticks_->size(); ++i)
    EXPECT_EQ((*ticks_)[i].cycle, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(value("trader_scheduler_cycles_total"), static_cast<double>(ticks_->size()));
  auto jitter = value("trader_scheduler_jitter_mean_ratio");
  EXPECT_GT(jitter, 0.0);
  EXPECT_LT(jitter, 0.10);
  auto mean = value("trader_scheduler_interval_mean_seconds");
  EXPECT_GE(mean, 60.0);
  EXPECT_LE(mean, 66.0);
}

TEST_F(SchedulerActorTest, TheSameSeedGivesTheSameSchedule) {
  start(opts(42));
  for (int i = 0; i < 5; ++i)
    advance(66s);
  std::vector<std::int64_t> first;
  for (auto& t : *ticks_)
    first.push_back(t.interval_ms);
  scheduler::jittered_interval expect(opts(42).jitter);
  ASSERT_GE(first.size(), 4u);
  for (auto got : first)
    EXPECT_EQ(got, expect.next_delay_ns() / 1'000'000);
}

TEST_F(SchedulerActorTest, SubscribersGetTicksUntilTheyDie) {
  auto o = opts();
  o.targets.clear();
  auto sched = start(o);
  auto got = std::make_shared<int>(0);
  auto sub = sys().spawn([=](caf::event_based_actor* self) -> caf::behavior {
    self->request(sched, caf::infinite, subscribe_feed{}).then([](const subscribed&) {});
    return {[=](const decision_tick&) { ++*got; }};
  });
  run();
  advance(66s);
  EXPECT_EQ(*got, 1);
  EXPECT_TRUE(ticks_->empty());  // "universe" is not a target here
  caf::anon_send_exit(sub, caf::exit_reason::kill);
  run();
  advance(66s);  // a tick to a dead subscriber is not an error; it is dropped from the list
  EXPECT_EQ(*got, 1);
  EXPECT_TRUE(alive(sched));
}

// cycle_now (traderd's TEST HOOK debug.cycle): a decision tick now, numbered after the
// timer's, answered with its number; the armed timer still ticks on its own schedule.
TEST_F(SchedulerActorTest, ACycleOnRequestTicksNowAndTheTimerKeepsItsSchedule) {
  auto s = start(opts());
  auto r = request<std::int64_t>(s, 5s, scheduler::cycle_now_atom::value);
  ASSERT_TRUE(r->value) << to_string(r->err);
  EXPECT_EQ(*r->value, 1);
  ASSERT_EQ(ticks_->size(), 1u);
  EXPECT_EQ((*ticks_)[0].cycle, 1);
  EXPECT_EQ((*ticks_)[0].interval_ms, 0);  // off the timer
  advance(66s);                             // the timer armed at start fires once
  ASSERT_EQ(ticks_->size(), 2u);
  EXPECT_EQ((*ticks_)[1].cycle, 2);
  EXPECT_GE((*ticks_)[1].interval_ms, 60000);
  auto again = request<std::int64_t>(s, 5s, scheduler::cycle_now_atom::value);
  ASSERT_TRUE(again->value);
  EXPECT_EQ(*again->value, 3);
}

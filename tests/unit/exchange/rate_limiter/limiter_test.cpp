// limiter: priorities, cancel reserve, hold/warn thresholds, 429 pause and tightening,
// recovery, timeouts, hourly budget, counters — all with a manual clock.
#include "actors/exchange/rate_limiter/error_burst.hpp"
#include "actors/exchange/rate_limiter/limiter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace trader;
using namespace trader::rate_limit;

namespace {

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t s = 1'000'000'000;
constexpr auto priv = endpoint_group::private_rest;

/// Options with one simple private budget: rate 10/s, burst 5, no hourly limit.
options simple(double rate = 10, double burst = 5, double reserve = 0) {
  options o;
  o.private_rest = {rate, burst, 0};
  o.cancel_reserve_fraction = reserve;
  return o;
}

std::vector<std::uint64_t> ids(const poll_result& r) {
  std::vector<std::uint64_t> out;
  for (auto& g : r.granted)
    out.push_back(g.id);
  return out;
}

/// Max grants inside any window of length w (sliding), given sorted grant times.
std::size_t max_in_window(const std::vector<std::int64_t>& t, std::int64_t w) {
  std::size_t best = 0, lo = 0;
  for (std::size_t hi = 0; hi < t.size(); ++hi) {
    while (t[hi] - t[lo] >= w)
      ++lo;
    best = std::max(best, hi - lo + 1);
  }
  return best;
}

/// Queues n calls of priority p at now and drives poll() at next_wake() until all are
/// answered; returns grant times.
std::vector<std::int64_t> saturate(limiter& l, std::int64_t& now, int n, call_priority p,
                                   std::int64_t max_wait = 3600 * s) {
  auto g = priv;
  std::vector<std::int64_t> times;
  for (int i = 0; i < n; ++i)
    EXPECT_TRUE(l.admit(static_cast<std::uint64_t>(i), g, p, "GET /x", max_wait, now).queued);
  std::size_t answered = 0;
  while (answered < static_cast<std::size_t>(n)) {
    auto r = l.poll(now);
    times.insert(times.end(), r.granted.size(), now);
    answered += r.granted.size() + r.timed_out.size();
    auto next = l.next_wake(now);
    if (!next)
      break;
    EXPECT_GE(*next, now);
    now = std::max(*next, now + 1);
  }
  return times;
}

} // namespace

TEST(RateLimitOptions, DefaultsTakeTheStricterReading) {
  options o;
  auto valid = validate(o);
  EXPECT_TRUE(valid) << valid.error();
  EXPECT_DOUBLE_EQ(o.private_rest.rate_per_s + o.private_rest.burst, 30);  // 30/s, not more
  EXPECT_DOUBLE_EQ(o.private_rest.per_hour, 10000);                         // and 10,000/h
  EXPECT_DOUBLE_EQ(o.public_rest.rate_per_s + o.public_rest.burst, 10);
  EXPECT_DOUBLE_EQ(o.ws_connect.rate_per_s + o.ws_connect.burst, 8);        // 8/s, not 750/s
  EXPECT_DOUBLE_EQ(o.warn_at, 0.8);
  EXPECT_DOUBLE_EQ(o.hold_at, 0.9);
}

TEST(RateLimitOptions, ValidateNamesEveryBadKey) {
  options o;
  o.private_rest.burst = 0.5;
  o.hold_at = 1.5;
  o.tighten_factor = 1;
  auto valid = validate(o);
  ASSERT_FALSE(valid);
  const auto& why = valid.error();
  EXPECT_NE(why.find("rate_limit.private.burst"), std::string::npos) << why;
  EXPECT_NE(why.find("rate_limit.hold_at"), std::string::npos) << why;
  EXPECT_NE(why.find("rate_limit.tighten_factor"), std::string::npos) << why;
}

TEST(Limiter, GrantsAtOnceWhileTokensLast) {
  limiter l(simple(), 0);
  for (std::uint64_t i = 1; i <= 6; ++i)
    ASSERT_TRUE(l.admit(i, priv, call_priority::order, "POST /orders", s, 0).queued);
  auto r = l.poll(0);
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));  // burst 5, in order
  EXPECT_TRUE(r.timed_out.empty());
  ASSERT_TRUE(l.next_wake(0).has_value());
  EXPECT_EQ(*l.next_wake(0), 100 * ms);  // 10/s
  EXPECT_TRUE(l.poll(100 * ms - 1).granted.empty());
  auto later = l.poll(100 * ms);
  ASSERT_EQ(later.granted.size(), 1u);
  EXPECT_EQ(later.granted[0].id, 6u);
  EXPECT_EQ(later.granted[0].waited_ns, 100 * ms);
  EXPECT_FALSE(l.next_wake(100 * ms).has_value());
}

TEST(Limiter, SaturationNeverExceedsBurstPlusRateInAnyWindow) {
  auto o = simple(24, 6);  // the private default: 30 per 1-s window at most
  limiter l(o, 0);
  std::int64_t now = 0;
  auto t = saturate(l, now, 200, call_priority::order);
  ASSERT_EQ(t.size(), 200u);
  EXPECT_LE(max_in_window(t, s), 30u);
  EXPECT_GE(max_in_window(t, s), 29u);  // and the budget is actually used
}

TEST(Limiter, CancelsGoBeforeOrdersBeforeData) {
  limiter l(simple(10, 1), 0);
  ASSERT_TRUE(l.poll(0).granted.empty());
  ASSERT_TRUE(l.admit(1, priv, call_priority::data, "GET /accounts", s, 0).queued);
  auto first = l.poll(0);  // the one token goes to the only caller
  ASSERT_EQ(ids(first), (std::vector<std::uint64_t>{1}));
  l.admit(2, priv, call_priority::data, "GET /accounts", 10 * s, 0);
  l.admit(3, priv, call_priority::order, "POST /orders", 10 * s, 0);
  l.admit(4, priv, call_priority::cancel, "POST /orders/batch_cancel", 10 * s, 0);
  std::vector<std::uint64_t> order;
  for (std::int64_t t = 0; order.size() < 3 && t <= 2 * s; t += 10 * ms)
    for (auto id : ids(l.poll(t)))
      order.push_back(id);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{4, 3, 2}));
}

TEST(Limiter, CancelReserveIsLeftForCancels) {
  limiter l(simple(1, 5, 0.2), 0);  // reserve = 1 token of 5
  for (std::uint64_t i = 1; i <= 5; ++i)
    l.admit(i, priv, call_priority::order, "POST /orders", 10 * s, 0);
  EXPECT_EQ(l.poll(0).granted.size(), 4u);  // the fifth token is the cancels'
  l.admit(9, priv, call_priority::cancel, "POST /orders/batch_cancel", 10 * s, 0);
  EXPECT_EQ(ids(l.poll(0)), (std::vector<std::uint64_t>{9}));
}

TEST(Limiter, DataIsHeldAtNinetyPercentWhileOrdersStillGo) {
  limiter l(simple(5, 5), 0);  // window budget 10
  for (std::uint64_t i = 1; i <= 9; ++i)
    l.admit(i, priv, call_priority::order, "POST /orders", s, 0);
  l.poll(0);
  l.poll(200 * ms);
  l.poll(400 * ms);
  l.poll(600 * ms);
  l.poll(800 * ms);  // 5 + 4 refills at 200 ms = 9 grants in the window
  EXPECT_NEAR(l.view(priv, 800 * ms).use, 0.9, 1e-9);
  auto held = l.admit(20, priv, call_priority::data, "GET /accounts", s, 800 * ms);
  EXPECT_FALSE(held.queued);
  EXPECT_NE(held.reason.find("RATE_LIMIT_HOLD"), std::string::npos) << held.reason;
  EXPECT_TRUE(l.admit(21, priv, call_priority::order, "POST /orders", s, 800 * ms).queued);
  EXPECT_EQ(l.endpoints().at("GET /accounts").held, 1u);
  // Once the window ages out, data is admitted again.
  EXPECT_TRUE(l.admit(22, priv, call_priority::data, "GET /accounts", s, 1100 * ms).queued);
}

TEST(Limiter, WarnsOnceAtEightyPercentAndClearsWhenQuiet) {
  limiter l(simple(5, 5), 0);
  for (std::uint64_t i = 1; i <= 7; ++i)
    l.admit(i, priv, call_priority::order, "POST /orders", s, 0);
  l.poll(0);
  l.poll(200 * ms);
  l.poll(400 * ms);
  EXPECT_TRUE(l.take_events().empty());  // 7 of 10
  l.admit(8, priv, call_priority::order, "POST /orders", s, 400 * ms);
  l.admit(9, priv, call_priority::order, "POST /orders", s, 400 * ms);
  l.poll(600 * ms);  // 8 of 10
  auto ev = l.take_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, event_kind::warn);
  EXPECT_EQ(ev[0].group, priv);
  EXPECT_NE(ev[0].detail.find("use_pct=80.0"), std::string::npos) << ev[0].detail;
  l.poll(800 * ms);  // 9 of 10: no second warning
  EXPECT_TRUE(l.take_events().empty());
  auto wake = l.next_wake(800 * ms);  // nothing queued, but the warning waits for the window
  ASSERT_TRUE(wake.has_value());
  l.poll(*wake);
  ev = l.take_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, event_kind::warn_cleared);
}

TEST(Limiter, TooManyRequestsPausesUntilTheRetryHintThenRecoversAtHalfRate) {
  limiter l(simple(10, 5), 0);
  l.outcome(priv, "POST /orders", 429, 2000, 0);
  auto ev = l.take_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, event_kind::paused);
  EXPECT_EQ(ev[0].until_ns, 2 * s);
  EXPECT_DOUBLE_EQ(l.view(priv, 0).rate_per_s, 5);
  l.admit(1, priv, call_priority::cancel, "POST /orders/batch_cancel", 10 * s, 10 * ms);
  auto data = l.admit(2, priv, call_priority::data, "GET /accounts", 10 * s, 10 * ms);
  EXPECT_FALSE(data.queued);
  EXPECT_NE(data.reason.find("RATE_LIMIT_PAUSED"), std::string::npos) << data.reason;
  EXPECT_EQ(*l.next_wake(10 * ms), 2 * s);
  EXPECT_TRUE(l.poll(2 * s - 1).granted.empty());  // the bucket refilled, but the pause holds
  EXPECT_EQ(ids(l.poll(2 * s)), (std::vector<std::uint64_t>{1}));
  // Refill after the pause is at the tightened 5/s.
  std::int64_t now = 2 * s;
  auto t = saturate(l, now, 40, call_priority::order);
  ASSERT_EQ(t.size(), 40u);
  EXPECT_LE(max_in_window(t, s), 10u);  // 5 burst + 5/s
}

TEST(Limiter, FourTwentyNinesOfOneEpisodeTightenOnce) {
  limiter l(simple(16, 4), 0);
  l.outcome(priv, "POST /orders", 429, 1000, 0);
  l.outcome(priv, "GET /accounts", 429, 1000, 5 * ms);
  l.outcome(priv, "GET /accounts", 429, -1, 10 * ms);  // no hint: default 1 s from now
  EXPECT_DOUBLE_EQ(l.view(priv, 10 * ms).rate_factor, 0.5);
  EXPECT_EQ(l.view(priv, 10 * ms).paused_until, 1010 * ms);
  EXPECT_EQ(l.take_events().size(), 1u);
  EXPECT_EQ(l.endpoints().at("GET /accounts").rate_limited, 2u);
  l.outcome(priv, "POST /orders", 429, 0, 2 * s);  // a new episode
  EXPECT_DOUBLE_EQ(l.view(priv, 2 * s).rate_factor, 0.25);
}

TEST(Limiter, TighteningHasAFloor) {
  auto o = simple(16, 4);
  o.min_rate_factor = 0.125;
  limiter l(o, 0);
  for (int i = 0; i < 10; ++i)
    l.outcome(priv, "POST /orders", 429, 10, i * 100 * ms);
  EXPECT_DOUBLE_EQ(l.view(priv, s).rate_factor, 0.125);
}

TEST(Limiter, RateRecoversStepwiseAfterQuietPeriods) {
  auto o = simple(16, 4);
  o.recover_after_ms = 10000;
  o.recover_step = 0.25;
  limiter l(o, 0);
  l.outcome(priv, "POST /orders", 429, 1000, 0);
  l.take_events();
  EXPECT_DOUBLE_EQ(l.view(priv, 9 * s).rate_factor, 0.5);
  l.poll(10 * s);
  EXPECT_DOUBLE_EQ(l.view(priv, 10 * s).rate_factor, 0.75);
  auto ev = l.take_events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, event_kind::recovering);
  l.outcome(priv, "POST /orders", 429, 1000, 15 * s);  // not quiet: back down, clock restarts
  EXPECT_DOUBLE_EQ(l.view(priv, 15 * s).rate_factor, 0.375);
  l.poll(45 * s);  // three quiet periods at once
  EXPECT_DOUBLE_EQ(l.view(priv, 45 * s).rate_factor, 1.0);
  ev = l.take_events();
  ASSERT_EQ(ev.size(), 2u);  // paused, then restored
  EXPECT_EQ(ev[1].kind, event_kind::restored);
  EXPECT_DOUBLE_EQ(l.view(priv, 45 * s).rate_per_s, 16);
}

TEST(Limiter, CallsTimeOutAfterMaxWait) {
  limiter l(simple(1, 1), 0);
  l.admit(1, priv, call_priority::order, "POST /orders", s, 0);
  l.admit(2, priv, call_priority::order, "POST /orders", 300 * ms, 0);
  EXPECT_EQ(ids(l.poll(0)), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(*l.next_wake(0), 300 * ms);  // the deadline comes before the token
  auto r = l.poll(300 * ms);
  EXPECT_TRUE(r.granted.empty());
  EXPECT_EQ(r.timed_out, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(l.endpoints().at("POST /orders").timeouts, 1u);
}

TEST(Limiter, ZeroMaxWaitMeansNowOrNever) {
  limiter l(simple(1, 1), 0);
  l.admit(1, priv, call_priority::order, "POST /orders", 0, 0);
  l.admit(2, priv, call_priority::order, "POST /orders", 0, 0);
  auto r = l.poll(0);
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(r.timed_out, (std::vector<std::uint64_t>{2}));
}

TEST(Limiter, HourlyBudgetCapsAnyHour) {
  options o = simple(100, 50);
  o.private_rest.per_hour = 200;  // capacity 20, refill 180/h
  limiter l(o, 0);
  std::int64_t now = 0;
  auto t = saturate(l, now, 220, call_priority::cancel, 7200 * s);
  ASSERT_EQ(t.size(), 220u);
  EXPECT_LE(max_in_window(t, 3600 * s), 200u);
  EXPECT_GE(max_in_window(t, 3600 * s), 195u);  // and used (ceil-rounded waits)
}

TEST(Limiter, QueueIsBounded) {
  auto o = simple(1, 1);
  o.max_queue = 2;
  limiter l(o, 0);
  EXPECT_TRUE(l.admit(1, priv, call_priority::order, "a", s, 0).queued);
  EXPECT_TRUE(l.admit(2, priv, call_priority::order, "a", s, 0).queued);
  auto r = l.admit(3, priv, call_priority::cancel, "a", s, 0);
  EXPECT_FALSE(r.queued);
  EXPECT_NE(r.reason.find("RATE_LIMIT_QUEUE_FULL"), std::string::npos);
}

TEST(Limiter, GroupsHaveSeparateBudgets) {
  limiter l(simple(1, 1), 0);
  l.admit(1, priv, call_priority::order, "POST /orders", s, 0);
  l.admit(2, priv, call_priority::order, "POST /orders", s, 0);
  l.admit(3, endpoint_group::public_rest, call_priority::data, "GET /market/products", s, 0);
  auto r = ids(l.poll(0));
  std::sort(r.begin(), r.end());
  EXPECT_EQ(r, (std::vector<std::uint64_t>{1, 3}));  // 2 waits for the private bucket only
}

TEST(Limiter, CountsPerEndpointWithABoundedNameSet) {
  auto o = simple(1, 2);
  o.max_endpoints = 2;
  limiter l(o, 0);
  l.admit(1, priv, call_priority::order, "POST /orders", s, 0);
  l.admit(2, priv, call_priority::data, "GET /accounts", s, 0);
  l.admit(3, priv, call_priority::data, "GET /fills", 2 * s, 0);
  l.poll(0);
  l.poll(1 * s);
  l.outcome(priv, "GET /accounts", 503, -1, s);
  l.outcome(priv, "GET /accounts", 0, -1, s);
  auto& e = l.endpoints();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e.at("POST /orders").granted, 1u);
  EXPECT_EQ(e.at("GET /accounts").errors, 2u);
  auto& other = e.at("other");
  EXPECT_EQ(other.requests, 1u);
  EXPECT_EQ(other.throttled, 1u);
  EXPECT_EQ(other.wait_ns_max, 1 * s);
}

// -- API error bursts -----------------------------------------------------------------

TEST(ErrorBurst, OnlyExchangeFailuresCount) {
  for (int s : {0, 401, 403, 429, 500, 502, 503})
    EXPECT_TRUE(trader::rate_limit::is_api_error(s)) << s;
  for (int s : {200, 201, 400, 404})
    EXPECT_FALSE(trader::rate_limit::is_api_error(s)) << s;
}

TEST(ErrorBurst, StartsAtTheLimitWithinTheWindowAndEndsAfterAQuietWindow) {
  constexpr std::int64_t s = 1'000'000'000;
  trader::rate_limit::error_burst b{3, 60 * s};
  EXPECT_FALSE(b.record("GET /accounts", 503, 0 * s));
  EXPECT_FALSE(b.record("GET /accounts", 404, 1 * s));  // not an API error
  EXPECT_FALSE(b.record("GET /time", 0, 2 * s));
  EXPECT_EQ(b.consecutive("GET /accounts"), 0);  // the 404 answered: the streak is broken
  auto on = b.record("GET /accounts", 429, 3 * s);
  ASSERT_TRUE(on.has_value());
  EXPECT_TRUE(*on);
  EXPECT_NE(b.describe().find("GET /accounts status 429"), std::string::npos) << b.describe();
  EXPECT_FALSE(b.tick(30 * s));   // errors still in the window
  EXPECT_FALSE(b.tick(62 * s));   // the last one (3 s) is 59 s old
  EXPECT_TRUE(b.tick(63 * s));    // a whole quiet window
  EXPECT_FALSE(b.active());
}

TEST(ErrorBurst, ErrorsSpreadWiderThanTheWindowAreNoBurst) {
  constexpr std::int64_t s = 1'000'000'000;
  trader::rate_limit::error_burst b{3, 10 * s};
  EXPECT_FALSE(b.record("POST /orders", 500, 0));
  EXPECT_FALSE(b.record("POST /orders", 500, 6 * s));
  EXPECT_FALSE(b.record("POST /orders", 500, 12 * s));  // the first fell out of the window
  EXPECT_FALSE(b.active());
  EXPECT_EQ(b.consecutive("POST /orders"), 3);
}

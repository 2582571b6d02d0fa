// The rate_limiter actor on the deterministic scheduler (virtual time): permits granted
// from the bucket, waits and wake-ups, busy for held data, timeouts, 429 pause/tightening
// with alerts, latency forwarding and per-endpoint metrics.
#include "runtime/core/atoms.hpp"
#include "tests/support/gate_edges.hpp"
#include "actors/exchange/rate_limiter/rate_limiter_actor.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/metric_value.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <algorithm>
#include <map>

using namespace std::chrono_literals;
using namespace trader;

namespace {

/// What a permit request came back with.
struct answer {
  int tag = 0;
  bool granted = false;
  std::int64_t waited_ns = 0;
  caf::error err;
};

rate_limit::options opts(double rate, double burst, double reserve = 0) {
  rate_limit::options o;
  o.private_rest = {rate, burst, 0};
  o.cancel_reserve_fraction = reserve;
  return o;
}

permit_request req(call_priority p, std::string endpoint, std::int64_t max_wait_ms = 5000) {
  return permit_request{endpoint_group::private_rest, p, std::move(endpoint), max_wait_ms};
}

class RateLimiterActorTest : public test::actor_fixture {
protected:
  std::shared_ptr<std::vector<answer>> answers_ = std::make_shared<std::vector<answer>>();
  std::shared_ptr<std::vector<alert>> alerts_ = std::make_shared<std::vector<alert>>();
  std::shared_ptr<std::vector<latency_sample>> samples_ = std::make_shared<std::vector<latency_sample>>();
  std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
  caf::actor limiter_;

  RateLimiterActorTest() {
    auto alerts = alerts_;
    reg_.put("alerting", keep(sys().spawn([alerts]() -> caf::behavior {
               return {[alerts](const alert& a) { alerts->push_back(a); }};
             })));
    auto samples = samples_;
    reg_.put("latency", keep(sys().spawn([samples]() -> caf::behavior {
               return {[samples](const latency_sample& s) { samples->push_back(s); }};
             })));
  }

  void start(rate_limit::options o) {
    limiter_ = keep(rate_limiter::spawn_rate_limiter(sys(), reg_, std::move(o), *metrics_));
    run();
  }
  /// Asks for a permit from a fresh requester; the answer lands in answers_ with tag.
  void ask(int tag, permit_request r) {
    auto lim = limiter_;
    auto out = answers_;
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(lim, caf::infinite, r)
        .then([=](const permit_grant& g) { out->push_back({tag, true, g.waited_ns, {}}); },
              [=](caf::error& e) { out->push_back({tag, false, 0, e}); });
    }));
  }
  void outcome(int status, std::int64_t retry_after_ms = -1, std::string endpoint = "POST /orders",
               std::int64_t latency_ns = 0) {
    caf::anon_send(limiter_, call_outcome{endpoint_group::private_rest, std::move(endpoint), status, retry_after_ms,
                                          latency_ns, 0});
    run();
  }
  std::vector<int> granted() const {
    std::vector<int> out;
    for (auto& a : *answers_)
      if (a.granted)
        out.push_back(a.tag);
    return out;
  }
  const answer* find(int tag) const {
    for (auto& a : *answers_)
      if (a.tag == tag)
        return &a;
    return nullptr;
  }
  nlohmann::json status() {
    auto out = std::make_shared<std::string>();
    auto lim = limiter_;
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(lim, caf::infinite, caf::get_atom_v).then([=](const std::string& s) { *out = s; });
    }));
    run();
    return nlohmann::json::parse(*out);
  }
  double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return test::metric_value(*metrics_, name, labels).value_or(-1);
  }
};

} // namespace

TEST_F(RateLimiterActorTest, GrantsAtOnceWithinTheBurst) {
  start(opts(10, 3));
  for (int i = 1; i <= 3; ++i)
    ask(i, req(call_priority::order, "POST /orders"));
  run();
  EXPECT_EQ(granted(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(find(1)->waited_ns, 0);
}

TEST_F(RateLimiterActorTest, WaitsForTheNextTokenAndWakesItself) {
  start(opts(2, 1));  // one token every 500 ms
  ask(1, req(call_priority::order, "POST /orders"));
  ask(2, req(call_priority::order, "POST /orders"));
  run();
  EXPECT_EQ(granted(), (std::vector<int>{1}));
  advance(499ms);
  EXPECT_EQ(granted(), (std::vector<int>{1}));
  advance(1ms);
  EXPECT_EQ(granted(), (std::vector<int>{1, 2}));
  EXPECT_EQ(find(2)->waited_ns, 500'000'000);
  EXPECT_EQ(value("trader_rate_limiter_throttled_total", {{"endpoint", "POST /orders"}}), 1);
  EXPECT_EQ(value("trader_rate_limiter_requests_total", {{"endpoint", "POST /orders"}}), 2);
}

TEST_F(RateLimiterActorTest, CancelsOvertakeWaitingOrdersAndData) {
  start(opts(2, 1));
  ask(1, req(call_priority::order, "POST /orders"));
  run();
  ask(2, req(call_priority::data, "GET /accounts"));
  ask(3, req(call_priority::order, "POST /orders"));
  ask(4, req(call_priority::cancel, "POST /orders/batch_cancel"));
  run();
  advance(500ms);
  advance(500ms);
  advance(500ms);
  EXPECT_EQ(granted(), (std::vector<int>{1, 4, 3, 2}));
}

TEST_F(RateLimiterActorTest, DataCallsAreBusyAtTheHoldThreshold) {
  start(opts(1, 10));  // window budget 11: the 10th call is at 90 %
  for (int i = 1; i <= 10; ++i)
    ask(i, req(call_priority::order, "POST /orders"));
  run();
  ASSERT_EQ(granted().size(), 10u);
  ask(11, req(call_priority::data, "GET /accounts"));
  run();
  auto* a = find(11);
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->granted);
  EXPECT_TRUE(is(a->err, errc::busy)) << describe(a->err);
  EXPECT_NE(describe(a->err).find("RATE_LIMIT_HOLD"), std::string::npos) << describe(a->err);
  EXPECT_EQ(value("trader_rate_limiter_held_total", {{"endpoint", "GET /accounts"}}), 1);
}

TEST_F(RateLimiterActorTest, PermitTimesOutAfterMaxWait) {
  start(opts(0.5, 1));  // next token in 2 s
  ask(1, req(call_priority::order, "POST /orders"));
  ask(2, req(call_priority::order, "POST /orders", 300));
  run();
  advance(299ms);
  EXPECT_EQ(find(2), nullptr);
  advance(1ms);
  ASSERT_NE(find(2), nullptr);
  EXPECT_TRUE(is(find(2)->err, errc::timeout)) << describe(find(2)->err);
  EXPECT_EQ(value("trader_rate_limiter_timeouts_total", {{"endpoint", "POST /orders"}}), 1);
}

TEST_F(RateLimiterActorTest, WarnsAlertingAtEightyPercentAndResolvesWhenQuiet) {
  start(opts(1, 9));  // window budget 10
  for (int i = 1; i <= 7; ++i)
    ask(i, req(call_priority::order, "POST /orders"));
  run();
  EXPECT_TRUE(alerts_->empty());
  ask(8, req(call_priority::order, "POST /orders"));
  run();
  ASSERT_EQ(alerts_->size(), 1u);
  EXPECT_EQ((*alerts_)[0].type, "api_rate_limit");
  EXPECT_EQ((*alerts_)[0].level, severity::warning);
  EXPECT_FALSE((*alerts_)[0].resolved);
  EXPECT_EQ((*alerts_)[0].source, "rate_limiter");
  advance(1s);  // the window empties: resolved
  ASSERT_EQ(alerts_->size(), 2u);
  EXPECT_TRUE((*alerts_)[1].resolved);
  EXPECT_EQ((*alerts_)[1].fingerprint, (*alerts_)[0].fingerprint);
}

TEST_F(RateLimiterActorTest, TooManyRequestsPausesTheGroupUntilTheRetryHint) {
  start(opts(10, 5));
  outcome(429, 2000);
  ASSERT_EQ(alerts_->size(), 1u);
  EXPECT_EQ((*alerts_)[0].type, "api_rate_limit");
  EXPECT_NE((*alerts_)[0].detail.find("RATE_LIMIT_429"), std::string::npos) << (*alerts_)[0].detail;
  ask(1, req(call_priority::cancel, "POST /orders/batch_cancel"));
  ask(2, req(call_priority::data, "GET /accounts"));
  run();
  EXPECT_TRUE(granted().empty());
  ASSERT_NE(find(2), nullptr);
  EXPECT_TRUE(is(find(2)->err, errc::busy));
  advance(1999ms);
  EXPECT_TRUE(granted().empty());
  advance(1ms);
  EXPECT_EQ(granted(), (std::vector<int>{1}));
  auto st = status();
  EXPECT_DOUBLE_EQ(st["groups"]["private"]["rate_per_s"].get<double>(), 5.0);
  EXPECT_EQ(st["endpoints"]["POST /orders"]["rate_limited"], 1);
  EXPECT_EQ(value("trader_rate_limiter_rate_limited_total", {{"endpoint", "POST /orders"}}), 1);
  EXPECT_EQ(value("trader_rate_limiter_rate_per_second", {{"bucket", "private"}}), 5);
}

TEST_F(RateLimiterActorTest, RateIsRestoredAfterQuietPeriodsAndTheAlertResolved) {
  auto o = opts(10, 5);
  o.recover_after_ms = 3000;
  o.recover_step = 0.5;
  start(o);
  outcome(429, 1000);
  advance(3s);  // ticks: one recovery step → full
  EXPECT_DOUBLE_EQ(status()["groups"]["private"]["rate_factor"].get<double>(), 1.0);
  ASSERT_EQ(alerts_->size(), 2u);
  EXPECT_TRUE((*alerts_)[1].resolved);
  EXPECT_EQ((*alerts_)[1].fingerprint, "api_rate_limit:private:429");
}

TEST_F(RateLimiterActorTest, ForwardsCallLatencyToTheLatencyActorWhenAsked) {
  auto o = opts(10, 5);
  o.forward_latency = true;
  start(o);
  outcome(200, -1, "GET /accounts", 12'000'000);
  outcome(503, -1, "GET /accounts", 40'000'000);
  outcome(200, -1, "GET /accounts", 0);  // no latency measured: nothing sent
  ASSERT_EQ(samples_->size(), 2u);
  EXPECT_EQ((*samples_)[0].endpoint, "rest:GET /accounts");
  EXPECT_EQ((*samples_)[0].duration_ns, 12'000'000);
  EXPECT_TRUE((*samples_)[0].ok);
  EXPECT_FALSE((*samples_)[1].ok);
  EXPECT_EQ(status()["endpoints"]["GET /accounts"]["errors"], 1);
}

TEST_F(RateLimiterActorTest, DoesNotForwardLatencyByDefault) {
  start(opts(10, 5));  // the endpoint actors' call_gate sends the sample itself
  outcome(200, -1, "GET /accounts", 12'000'000);
  EXPECT_TRUE(samples_->empty());
  EXPECT_EQ(status()["endpoints"]["GET /accounts"]["requests"], 0);
}

TEST_F(RateLimiterActorTest, PublishesTokensPerGroup) {
  start(opts(10, 5));
  ask(1, req(call_priority::order, "POST /orders"));
  run();
  EXPECT_EQ(value("trader_rate_limiter_tokens", {{"bucket", "private"}}), 4);
  EXPECT_EQ(value("trader_rate_limiter_tokens", {{"bucket", "public"}}), 2);  // 10/s: burst 2
}

// Every endpoint actor's outcome passes through here: max_api_errors API errors within the
// window close the gate (api_error_burst) and page; a quiet window reopens and resolves.
TEST_F(RateLimiterActorTest, ApiErrorBurstClosesTheGateAndPagesUntilAQuietWindow) {
  auto signals = std::make_shared<std::vector<gate_signal>>();
  reg_.put("risk", keep(sys().spawn([signals]() -> caf::behavior {
             auto edges = std::make_shared<test::gate_edges>();
             return {[signals](const gate_signal& g) { signals->push_back(g); },
                     [signals, edges](const gate_conditions& c) {
                       for (auto& g : edges->apply(c))
                         signals->push_back(g);
                     }};
           })));
  auto o = opts(100, 10);
  o.max_api_errors = 3;
  o.api_error_window_ns = 10'000'000'000;
  start(o);
  outcome(503, -1, "GET /accounts");
  outcome(0, -1, "GET /accounts");
  outcome(404, -1, "GET /orders/historical/{id}");  // a lookup miss is not an API error
  EXPECT_TRUE(signals->empty());
  EXPECT_EQ(test::metric_value(*metrics_, "trader_rate_limiter_consecutive_errors", {{"endpoint", "GET /accounts"}}),
            2.0);
  outcome(502, -1, "GET /accounts");
  ASSERT_EQ(signals->size(), 1u);
  EXPECT_EQ((*signals)[0].reason, gate_reason::api_error_burst);
  EXPECT_TRUE((*signals)[0].active);
  auto page = std::find_if(alerts_->begin(), alerts_->end(), [](auto& a) { return a.type == "api_error_burst"; });
  ASSERT_NE(page, alerts_->end());
  EXPECT_EQ(page->level, severity::critical);
  EXPECT_FALSE(page->resolved);
  EXPECT_EQ(test::metric_value(*metrics_, "trader_rate_limiter_api_errors_total", {{"endpoint", "GET /accounts"}}),
            3.0);
  outcome(200, -1, "GET /accounts");
  EXPECT_EQ(test::metric_value(*metrics_, "trader_rate_limiter_consecutive_errors", {{"endpoint", "GET /accounts"}}),
            0.0);
  advance(11s);  // a whole window without errors
  ASSERT_EQ(signals->size(), 2u);
  EXPECT_FALSE((*signals)[1].active);
  EXPECT_TRUE(std::any_of(alerts_->begin(), alerts_->end(),
                          [](auto& a) { return a.type == "api_error_burst" && a.resolved; }));
}

// A restart or shutdown answers every queued permit at once (an error), so no endpoint
// actor sits out its permit timeout inside a blocking call.
TEST_F(RateLimiterActorTest, StoppingAnswersQueuedPermitsWithAnError) {
  start(opts(0.5, 1));
  ask(1, req(call_priority::order, "POST /orders"));
  ask(2, req(call_priority::order, "POST /orders", 60'000));
  run();
  EXPECT_EQ(granted(), (std::vector<int>{1}));
  ASSERT_EQ(find(2), nullptr);  // queued for the next token
  caf::anon_send_exit(limiter_, caf::exit_reason::user_shutdown);
  run();
  auto* a = find(2);
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->granted);
  EXPECT_TRUE(is(a->err, errc::actor_unavailable)) << describe(a->err);
}

TEST_F(RateLimiterActorTest, AnswersTheLivenessProbe) {
  start(opts(10, 5));
  auto got = std::make_shared<std::int64_t>(-1);
  auto lim = limiter_;
  keep(sys().spawn([=](caf::event_based_actor* self) {
    self->request(lim, caf::infinite, core::probe_atom::value)
      .then([=](std::int64_t depth) { *got = depth; });
  }));
  run();
  EXPECT_GE(*got, 0);
}

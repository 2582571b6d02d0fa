// Fault plans: every kind's decision, windows, counts, scenario files.

#include "fixtures.hpp"

#include "tools/simex/engine/fault_plan.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;
using act = rest_decision::action;

namespace {

fault_plan one(fault_rule r) {
  fault_plan p{{std::move(r)}};
  p.set_origin(t0);
  return p;
}

std::string header(const rest_decision& d, std::string_view name) {
  for (const auto& [k, v] : d.headers)
    if (k == name)
      return v;
  return "";
}

} // namespace

TEST(FaultPlan, RateLimitAnswers429WithCoinbaseHeadersForCountRequests) {
  auto p = one({.kind = fault_kind::rate_limit, .method = "POST", .path = "/api/v3/brokerage/orders", .count = 2,
                .retry_after_s = 3});
  EXPECT_EQ(p.on_rest_request("GET", "/api/v3/brokerage/orders/historical/batch", t0).act, act::pass);
  auto d = p.on_rest_request("POST", "/api/v3/brokerage/orders", t0);
  EXPECT_EQ(d.act, act::respond);
  EXPECT_EQ(d.status, 429);
  EXPECT_NE(d.body.find("rate_limit_exceeded"), std::string::npos);
  EXPECT_EQ(header(d, "x-ratelimit-remaining"), "0");
  EXPECT_EQ(header(d, "Retry-After"), "3");
  EXPECT_EQ(p.on_rest_request("POST", "/api/v3/brokerage/orders", t0).status, 429);
  EXPECT_EQ(p.on_rest_request("POST", "/api/v3/brokerage/orders", t0).act, act::pass);  // count exhausted
}

TEST(FaultPlan, ServerErrorUsesStatusAndGatewayHtml) {
  auto p = one({.kind = fault_kind::server_error, .status = 502});
  auto d = p.on_rest_request("GET", "/api/v3/brokerage/accounts", t0);
  EXPECT_EQ(d.status, 502);
  EXPECT_NE(d.body.find("<html>"), std::string::npos);
  auto q = one({.kind = fault_kind::server_error, .status = 500});
  EXPECT_NE(q.on_rest_request("GET", "/x", t0).body.find("\"INTERNAL\""), std::string::npos);
}

TEST(FaultPlan, LatencyResetNoAnswerAndLostReplyDecisions) {
  auto lat = one({.kind = fault_kind::latency, .latency = 250 * ns_per_ms});
  auto d = lat.on_rest_request("GET", "/a", t0);
  EXPECT_EQ(d.act, act::delay);
  EXPECT_EQ(d.delay, 250 * ns_per_ms);
  EXPECT_EQ(one({.kind = fault_kind::connection_reset}).on_rest_request("GET", "/a", t0).act, act::reset);
  EXPECT_EQ(one({.kind = fault_kind::no_answer}).on_rest_request("GET", "/a", t0).act, act::no_answer);
  EXPECT_EQ(one({.kind = fault_kind::reply_lost, .path = "/api/v3/brokerage/orders"})
              .on_rest_request("POST", "/api/v3/brokerage/orders", t0).act,
            act::drop_reply);
}

TEST(FaultPlan, WindowAndEveryNthAreHonoured) {
  auto p = one({.kind = fault_kind::connection_reset, .start = 10 * ns_per_s, .duration = 5 * ns_per_s, .every = 2});
  EXPECT_EQ(p.on_rest_request("GET", "/a", t0 + 9 * ns_per_s).act, act::pass);       // before the window
  EXPECT_EQ(p.on_rest_request("GET", "/a", t0 + 10 * ns_per_s).act, act::pass);      // 1st of every 2
  EXPECT_EQ(p.on_rest_request("GET", "/a", t0 + 11 * ns_per_s).act, act::reset);     // 2nd
  EXPECT_EQ(p.on_rest_request("GET", "/a", t0 + 15 * ns_per_s).act, act::pass);      // after it
}

TEST(FaultPlan, WsDropAndSequenceGapDecisions) {
  EXPECT_EQ(one({.kind = fault_kind::ws_drop}).on_ws_message("ticker", "BTC-USD", t0), ws_decision::close);
  auto gap = one({.kind = fault_kind::sequence_gap, .channel = "l2_data", .count = 1});
  EXPECT_EQ(gap.on_ws_message("ticker", "BTC-USD", t0), ws_decision::deliver);
  EXPECT_EQ(gap.on_ws_message("l2_data", "BTC-USD", t0), ws_decision::skip_sequence);
  EXPECT_EQ(gap.on_ws_message("l2_data", "BTC-USD", t0), ws_decision::deliver);
}

TEST(FaultPlan, StaleQuotesWithholdMarketDataButNotHeartbeats) {
  auto p = one({.kind = fault_kind::stale_quotes, .duration = 30 * ns_per_s, .product_id = "BTC-USD"});
  EXPECT_EQ(p.on_ws_message("ticker", "BTC-USD", t0 + ns_per_s), ws_decision::suppress);
  EXPECT_EQ(p.on_ws_message("l2_data", "BTC-USD", t0 + ns_per_s), ws_decision::suppress);
  EXPECT_EQ(p.on_ws_message("l2_data", "ETH-USD", t0 + ns_per_s), ws_decision::deliver);
  EXPECT_EQ(p.on_ws_message("heartbeats", "", t0 + ns_per_s), ws_decision::deliver);
  EXPECT_EQ(p.on_ws_message("ticker", "BTC-USD", t0 + 31 * ns_per_s), ws_decision::deliver);
}

TEST(FaultPlan, DuplicateAndOutOfOrderUserUpdates) {
  auto dup = one({.kind = fault_kind::duplicate_update, .count = 1});
  EXPECT_EQ(dup.on_ws_message("ticker", "BTC-USD", t0), ws_decision::deliver);
  EXPECT_EQ(dup.on_ws_message("user", "BTC-USD", t0), ws_decision::duplicate);
  auto ooo = one({.kind = fault_kind::out_of_order_update, .count = 1});
  EXPECT_EQ(ooo.on_ws_message("user", "BTC-USD", t0), ws_decision::defer);
  EXPECT_EQ(ooo.on_ws_message("user", "BTC-USD", t0), ws_decision::deliver);
}

TEST(FaultPlan, BadTickPrintsOneTradeTwentyPercentOffWithoutVolume) {
  exchange ex;
  setup(ex);
  ex.print_trade("BTC-USD", px("50000.00"), qty("0.1"), side::buy, t0);
  auto p = one({.kind = fault_kind::bad_tick, .start = ns_per_s, .product_id = "BTC-USD"});
  EXPECT_TRUE(p.on_tick(t0).empty());
  auto due = p.on_tick(t0 + ns_per_s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(p.on_tick(t0 + 2 * ns_per_s).empty());  // once
  ex.clear_events();
  fault_plan::apply(due[0], ex, t0 + ns_per_s);
  const trade_print* tp = nullptr;
  for (const auto& e : ex.events())
    if (const auto* t = std::get_if<trade_print>(&e))
      tp = t;
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->px, px("60000"));
  EXPECT_TRUE(tp->qty.is_zero());
}

TEST(FaultPlan, StatusFlipAppliesThenReverts) {
  exchange ex;
  setup(ex);
  auto p = one({.kind = fault_kind::status_flip, .start = ns_per_s, .duration = 10 * ns_per_s,
                .product_id = "BTC-USD", .to_status = product_status::cancel_only});
  for (auto& f : p.on_tick(t0 + ns_per_s))
    fault_plan::apply(f, ex, t0 + ns_per_s);
  EXPECT_EQ(ex.find_product("BTC-USD")->status, product_status::cancel_only);
  EXPECT_TRUE(p.on_tick(t0 + 5 * ns_per_s).empty());
  for (auto& f : p.on_tick(t0 + 11 * ns_per_s))
    fault_plan::apply(f, ex, t0 + 11 * ns_per_s);
  EXPECT_EQ(ex.find_product("BTC-USD")->status, product_status::online);
}

TEST(FaultPlan, ParsesAScenarioFile) {
  std::string err;
  auto p = fault_plan::from_toml(R"(
[[fault]]
kind = "rate_limit"
method = "POST"
path = "/api/v3/brokerage/orders"
start_s = 10
duration_s = 5.5
count = 3
retry_after_s = 2

[[fault]]
kind = "status_flip"
product_id = "ETH-USD"
to_status = "limit_only"
start_s = 60
duration_s = 30
)", err);
  ASSERT_TRUE(p) << err;
  ASSERT_EQ(p->rules().size(), 2u);
  EXPECT_EQ(p->rules()[0].kind, fault_kind::rate_limit);
  EXPECT_EQ(p->rules()[0].duration, 5'500'000'000);
  EXPECT_EQ(p->rules()[0].count, 3);
  EXPECT_EQ(p->rules()[1].to_status, product_status::limit_only);
  EXPECT_FALSE(fault_plan::from_toml("[[fault]]\nkind = \"meteor\"\n", err));
  EXPECT_NE(err.find("meteor"), std::string::npos);
  EXPECT_FALSE(fault_plan::from_toml("[[fault]\n", err));
}

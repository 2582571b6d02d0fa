// Pure parts of the simex transport: WebSocket framing, admin fault specs as engine rules,
// fault decisions as connection steps.
#include "tools/simex/server/faults.hpp"
#include "tools/simex/server/ws_frame.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

using namespace trader;
using namespace trader::simex::transport;
using act = trader::simex::rest_decision::action;

namespace {
std::string header(const reply& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name)
      return v;
  return "";
}
} // namespace

TEST(WsFrame, AcceptKeyMatchesRfc6455Example) {
  EXPECT_EQ(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsFrame, ServerFramesUseTheShortestLengthEncoding) {
  for (std::size_t len : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    ws_append_frame(out, ws_opcode::text, std::string(len, 'a'));
    std::size_t header = len < 126 ? 2 : len <= 65535 ? 4 : 10;
    ASSERT_EQ(out.size(), header + len);
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81);
    ws_frame f;
    std::size_t used = 0;
    ASSERT_EQ(ws_parse_frame(out.data(), out.size(), false, 1 << 20, f, used), ws_parse::ok);
    EXPECT_EQ(used, out.size());
    EXPECT_EQ(f.payload.size(), len);
  }
}

TEST(WsFrame, ParsesMaskedClientFramesAndRejectsUnmasked) {
  std::string text = "hello";
  std::string frame{static_cast<char>(0x81), static_cast<char>(0x80 | 5), 1, 2, 3, 4};
  for (std::size_t i = 0; i < text.size(); ++i)
    frame += static_cast<char>(text[i] ^ "\x01\x02\x03\x04"[i & 3]);
  ws_frame f;
  std::size_t used = 0;
  EXPECT_EQ(ws_parse_frame(frame.data(), 3, true, 1024, f, used), ws_parse::need_more);
  ASSERT_EQ(ws_parse_frame(frame.data(), frame.size(), true, 1024, f, used), ws_parse::ok);
  EXPECT_EQ(f.payload, "hello");
  EXPECT_EQ(f.opcode, ws_opcode::text);
  std::string unmasked;
  ws_append_frame(unmasked, ws_opcode::text, "x");
  EXPECT_EQ(ws_parse_frame(unmasked.data(), unmasked.size(), true, 1024, f, used), ws_parse::error);
}

TEST(TransportFaults, AdminSpecBecomesAnEngineRuleThatCountsMatchingRequestsOnly) {
  std::string err;
  auto rules = parse_fault_specs(
    R"({"kind":"http_429","count":2,"method":"POST","path_prefix":"/api/v3/brokerage/orders","rate_limit":7})", err);
  ASSERT_TRUE(rules) << err;
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].kind, simex::fault_kind::rate_limit);
  simex::fault_plan plan;
  plan.install((*rules)[0], 0);
  EXPECT_EQ(plan.on_rest_request("GET", "/api/v3/brokerage/orders", 0).act, act::pass);
  EXPECT_EQ(plan.on_rest_request("POST", "/api/v3/brokerage/accounts", 0).act, act::pass);
  auto d = plan.on_rest_request("POST", "/api/v3/brokerage/orders", 0);
  EXPECT_EQ(d.status, 429);
  EXPECT_EQ(d.fault, "http_429");  // counted in /stats under the name it was installed with
  reply out;
  EXPECT_EQ(carry_out(d, out), fault_step::answer);
  EXPECT_EQ(out.status, 429);
  EXPECT_EQ(header(out, "x-ratelimit-limit"), "7");
  EXPECT_EQ(out.content_type, "application/json");
  EXPECT_EQ(plan.on_rest_request("POST", "/api/v3/brokerage/orders/batch_cancel", 0).status, 429);
  EXPECT_EQ(plan.on_rest_request("POST", "/api/v3/brokerage/orders", 0).act, act::pass);
}

TEST(TransportFaults, DurationBoundsAFaultAndWsStaleStallsTheWholeFeed) {
  std::string err;
  simex::fault_plan plan;
  plan.install(parse_fault_specs(R"({"kind":"http_5xx","duration_ms":100,"status":502})", err)->at(0), 0);
  auto d = plan.on_rest_request("GET", "/x", 50 * ns_per_ms);
  EXPECT_EQ(d.status, 502);
  EXPECT_NE(plan.on_rest_request("GET", "/x", 60 * ns_per_ms).act, act::pass);
  EXPECT_EQ(plan.on_rest_request("GET", "/x", 100 * ns_per_ms).act, act::pass);
  plan.install(parse_fault_specs(R"({"kind":"ws_stale","duration_ms":10})", err)->at(0), 0);
  EXPECT_TRUE(plan.feed_stalled(5 * ns_per_ms));
  EXPECT_FALSE(plan.feed_stalled(10 * ns_per_ms));
  // The transport carries the stall out; frame by frame nothing is withheld.
  EXPECT_EQ(plan.on_ws_message("heartbeats", "", 5 * ns_per_ms), simex::ws_decision::deliver);
}

TEST(TransportFaults, DecisionsBecomeConnectionSteps) {
  std::string err;
  auto rules = parse_fault_specs(R"([{"kind":"reset"},{"kind":"no_answer"},{"kind":"drop_reply"},)"
                                 R"({"kind":"latency","latency_ms":20}])",
                                 err);
  ASSERT_TRUE(rules) << err;
  std::vector<fault_step> steps;
  for (const auto& r : *rules) {
    simex::fault_plan plan;
    plan.install(r, 0);
    auto d = plan.on_rest_request("POST", "/api/v3/brokerage/orders", 0);
    reply out;
    steps.push_back(carry_out(d, out));
  }
  EXPECT_EQ(steps, (std::vector<fault_step>{fault_step::reset, fault_step::hold, fault_step::process_then_reset,
                                            fault_step::process_later}));
}

TEST(TransportFaults, InstalledRulesGoFirstAndOutliveAScenarioReplacement) {
  std::string err;
  simex::fault_plan plan;
  plan.load_scenario(*simex::fault_plan::from_toml("[[fault]]\nkind = \"server_error\"\nstatus = 500\n", err), 0);
  plan.install(parse_fault_specs(R"({"kind":"http_429","count":1})", err)->at(0), 5 * ns_per_s);
  EXPECT_EQ(plan.on_rest_request("GET", "/x", 5 * ns_per_s).status, 429);
  EXPECT_EQ(plan.on_rest_request("GET", "/x", 5 * ns_per_s).status, 500);
  plan.install(parse_fault_specs(R"({"kind":"latency","latency_ms":5,"duration_ms":1000})", err)->at(0),
               5 * ns_per_s);
  plan.load_scenario(*simex::fault_plan::from_toml("", err), 6 * ns_per_s);  // a new, empty scenario
  EXPECT_EQ(plan.on_rest_request("GET", "/x", 5'500 * ns_per_ms).act, act::delay);  // kept its window
  EXPECT_EQ(plan.on_rest_request("GET", "/x", 6'000 * ns_per_ms).act, act::pass);
  auto listed = nlohmann::json::parse(faults_json(plan, 5'500 * ns_per_ms));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["kind"], "latency");
  EXPECT_EQ(listed[0]["source"], "admin");
  EXPECT_EQ(listed[0]["remaining_ms"], 500);
  plan.clear_installed();
  EXPECT_TRUE(plan.rules().empty());
}

TEST(TransportFaults, RejectsBadSpecs) {
  std::string err;
  EXPECT_FALSE(parse_fault_specs(R"({"kind":"nope"})", err));
  EXPECT_FALSE(parse_fault_specs(R"({"kind":"ws_stale"})", err));
  EXPECT_FALSE(parse_fault_specs(R"({"kind":"reset","count":0})", err));
  EXPECT_FALSE(parse_fault_specs(R"({"kind":"http_5xx","status":99})", err));
  EXPECT_FALSE(parse_fault_specs(R"({"kind":"status_flip"})", err));
  EXPECT_FALSE(parse_fault_specs("not json", err));
  auto many = parse_fault_specs(R"([{"kind":"reset"},{"kind":"no_answer","count":-1},{"kind":"bad_tick",)"
                                R"("product_id":"ETH-USD","pct":-5}])",
                                err);
  ASSERT_TRUE(many) << err;
  EXPECT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[2].kind, simex::fault_kind::bad_tick);
}

TEST(TransportFaults, MessyFillsDisorderOnlyTheFillsList) {
  std::string err;
  auto rules = parse_fault_specs(R"({"kind":"messy_fills","duration_ms":10000})", err);
  ASSERT_TRUE(rules) << err;
  simex::fault_plan plan;
  plan.install((*rules)[0], 0);
  EXPECT_EQ(plan.on_rest_request("GET", "/api/v3/brokerage/orders/historical/batch", 0).act, act::pass);
  EXPECT_EQ(plan.on_rest_request("POST", "/api/v3/brokerage/orders", 0).act, act::pass);
  auto d = plan.on_rest_request("GET", "/api/v3/brokerage/orders/historical/fills", 0);
  reply out;
  EXPECT_EQ(carry_out(d, out), fault_step::process_then_mangle);
  EXPECT_EQ(plan.on_rest_request("GET", "/api/v3/brokerage/orders/historical/fills", 10 * ns_per_s).act,
            act::pass);  // the window is over: the withheld fills come now
}

TEST(TransportFaults, DisorderedFillsAreReversedListedTwiceAndSomeWithheld) {
  nlohmann::json body{{"cursor", ""}, {"fills", nlohmann::json::array()}};
  for (int i = 0; i < 40; ++i)
    body["fills"].push_back({{"trade_id", "tr-" + std::to_string(i)}, {"size", "1"}});
  auto out = nlohmann::json::parse(disorder_fills(body.dump()));
  EXPECT_EQ(out["cursor"], "");
  const auto& fills = out["fills"];
  std::map<std::string, int> seen;
  for (const auto& f : fills)
    ++seen[f["trade_id"].get<std::string>()];
  EXPECT_LT(seen.size(), 40u);  // some withheld
  EXPECT_GT(seen.size(), 5u);
  for (const auto& [id, n] : seen)
    EXPECT_EQ(n, 2) << id;
  // Newest first where the list was oldest first; the copies follow in yet another order.
  const std::size_t kept = seen.size();
  EXPECT_GT(std::stoi(fills[0]["trade_id"].get<std::string>().substr(3)),
            std::stoi(fills[kept - 1]["trade_id"].get<std::string>().substr(3)));
  EXPECT_NE(fills[0], fills[kept]);
  // The same trade id is withheld every time; anything else passes unchanged.
  EXPECT_EQ(disorder_fills(body.dump()), disorder_fills(body.dump()));
  EXPECT_EQ(disorder_fills(R"({"orders":[]})"), R"({"orders":[]})");
  EXPECT_EQ(disorder_fills("not json"), "not json");
}

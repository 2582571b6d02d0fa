// The real simex binary over loopback, driven by trader_net's clients: JWT auth as Coinbase
// checks it, endpoints, WebSocket heartbeats and the user channel, admin faults, TLS.
#include "runtime/net/https_client.hpp"
#include "runtime/net/jwt.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/net/ws_client.hpp"
#include "tests/system/simex/simex_key.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>

using namespace trader;
using namespace trader::net;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;
using trader::testing::simex_process;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/test-key";

/// The test's API key (generated once) and its public key file for --api-key.
const trader::testing::simex_test_key& fixture_key() {
  static const trader::testing::simex_test_key k{key_name, "simex_system"};
  return k;
}
std::string temp_dir() { return fixture_key().dir(); }
const api_key& test_key() { return fixture_key().key(); }
std::string key_arg() { return fixture_key().arg(); }

ts_ns wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

const std::string prefix = "/api/v3/brokerage";

/// GET/POST with a fresh JWT for exactly this request.
net::result<http_response> signed_call(https_client& c, const std::string& method, const std::string& target,
                                  std::string body = {}, ts_ns at = 0, const api_key* key = nullptr) {
  auto jwt = sign_rest_jwt(key ? *key : test_key(), method, c.host_header(), target, at ? at : wall_now());
  return c.request(http_request{method, target, {{"Authorization", "Bearer " + jwt}}, std::move(body)});
}

std::string auth_error(const net::result<http_response>& r) {
  EXPECT_TRUE(r.ok());
  if (!r.ok())
    return "transport:" + r.error().detail;
  EXPECT_EQ(r->status, 401);
  return std::string(r->header("x-simex-auth-error").value_or(""));
}

nlohmann::json admin(const simex_process& sx, const std::string& method, const std::string& target,
                     const std::string& body = {}) {
  https_client c(sx.admin());
  auto r = c.request(http_request{method, target, {}, body});
  EXPECT_TRUE(r.ok());
  return r.ok() ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
}

} // namespace

TEST(SimexBinary, PrintsHelp) {
  std::string cmd = std::string(SIMEX_BIN) + " --help";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof(buf), p))
    out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0);
  for (const char* flag : {"--config", "--seed", "--port", "--ws-port", "--admin-port", "--tls-cert", "--tls-key",
                           "--api-key", "--clock"})
    EXPECT_NE(out.find(flag), std::string::npos) << flag;
}

TEST(SimexAuth, AcceptsValidJwtAndRejectsEachBadOne) {
  simex_process sx({"--api-key", key_arg(), "--log-file", "-"});
  https_client c(sx.rest());
  auto ok = signed_call(c, "GET", prefix + "/accounts");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->status, 200) << ok->body;

  EXPECT_EQ(auth_error(c.get(prefix + "/accounts")), "missing");
  EXPECT_EQ(auth_error(signed_call(c, "GET", prefix + "/accounts", {}, wall_now() - 300 * ns_per_s)), "expired");
  EXPECT_EQ(auth_error(signed_call(c, "GET", prefix + "/accounts", {}, wall_now() + 300 * ns_per_s)),
            "not_yet_valid");
  auto impostor = *api_key::from_pem(key_name, pki::generate_ec_key_pem());
  EXPECT_EQ(auth_error(signed_call(c, "GET", prefix + "/accounts", {}, 0, &impostor)), "bad_signature");
  auto other = *api_key::from_pem("organizations/x/apiKeys/unknown", pki::generate_ec_key_pem());
  EXPECT_EQ(auth_error(signed_call(c, "GET", prefix + "/accounts", {}, 0, &other)), "unknown_key");
  // A token signed for another path is refused.
  auto jwt = sign_rest_jwt(test_key(), "GET", c.host_header(), prefix + "/orders/historical/batch", wall_now());
  EXPECT_EQ(auth_error(c.get(prefix + "/accounts", {{"Authorization", "Bearer " + jwt}})), "wrong_uri");

  auto stats = admin(sx, "GET", "/stats");
  EXPECT_EQ(stats["auth_rejected"]["expired"], 1);
  EXPECT_EQ(stats["by_key"][key_name], 1);
}

TEST(SimexEndpoints, ServesPublicAndPrivateCalls) {
  simex_process sx({"--api-key", key_arg(), "--log-file", "-", "--seed", "7"});
  https_client c(sx.rest());
  auto t = c.get(prefix + "/time");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(t->body).contains("epochSeconds"));
  auto products = c.get(prefix + "/market/products");
  ASSERT_TRUE(products.ok());
  EXPECT_NE(products->body.find("BTC-USD"), std::string::npos);
  auto accounts = signed_call(c, "GET", prefix + "/accounts?limit=250");
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ(accounts->status, 200);
  EXPECT_NE(accounts->body.find("\"USD\""), std::string::npos) << accounts->body;
  auto order = signed_call(c, "POST", prefix + "/orders",
                           R"({"client_order_id":"sys-1","product_id":"BTC-USD","side":"BUY",)"
                           R"("order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"1000.00","post_only":true}}})");
  ASSERT_TRUE(order.ok());
  auto j = nlohmann::json::parse(order->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << order->body;
  EXPECT_EQ(j.value("success", false), true) << order->body;
  auto id = j["success_response"]["order_id"].get<std::string>();
  auto got = signed_call(c, "GET", prefix + "/orders/historical/" + id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, 200);
  EXPECT_NE(got->body.find("sys-1"), std::string::npos);
}

TEST(SimexWebSocket, HeartbeatsArriveEverySecondWithSequenceNumbers) {
  simex_process sx({"--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  std::vector<std::chrono::steady_clock::time_point> at;
  std::vector<std::int64_t> counters, seqs;
  auto deadline = std::chrono::steady_clock::now() + 6s;
  while (counters.size() < 4 && std::chrono::steady_clock::now() < deadline) {
    auto m = ws.read(2s);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    auto j = nlohmann::json::parse(m->text);
    seqs.push_back(j["sequence_num"].get<std::int64_t>());
    if (j["channel"] == "heartbeats") {
      at.push_back(std::chrono::steady_clock::now());
      auto hc = j["events"][0]["heartbeat_counter"];
      counters.push_back(hc.is_string() ? std::stoll(hc.get<std::string>()) : hc.get<std::int64_t>());
    }
  }
  ASSERT_EQ(counters.size(), 4u);
  for (std::size_t i = 1; i < counters.size(); ++i) {
    EXPECT_EQ(counters[i], counters[i - 1] + 1);
    auto gap = at[i] - at[i - 1];  // generous bounds: the 2-core machine is shared
    EXPECT_GT(gap, 200ms);
    EXPECT_LT(gap, 1800ms);
  }
  auto span = at.back() - at.front();  // three intervals of one second each
  EXPECT_GT(span, 2400ms);
  EXPECT_LT(span, 3600ms);
  for (std::size_t i = 1; i < seqs.size(); ++i)
    EXPECT_EQ(seqs[i], seqs[i - 1] + 1);
  ws.close();
}

TEST(SimexWebSocket, UserChannelNeedsAValidJwt) {
  simex_process sx({"--api-key", key_arg(), "--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"user"})"));
  auto refused = ws.read(2s);
  ASSERT_TRUE(refused.ok());
  EXPECT_NE(refused->text.find("authentication failure"), std::string::npos) << refused->text;
  nlohmann::json sub{{"type", "subscribe"}, {"channel", "user"}, {"jwt", sign_ws_jwt(test_key(), wall_now())}};
  ASSERT_FALSE(ws.send_text(sub.dump()));
  bool acked = false;
  for (int i = 0; i < 5 && !acked; ++i) {
    auto m = ws.read(2s);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    acked = m->text.find("\"subscriptions\"") != std::string::npos;
  }
  EXPECT_TRUE(acked);
}

TEST(SimexWebSocket, ClosesConnectionsThatNeverSubscribe) {
  simex_process sx({"--log-file", "-", "--subscribe-deadline-ms", "500"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  auto m = ws.read(4s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().code, transport_errc::timeout) << m.error().detail;
}

TEST(SimexFaults, RateLimitBurstCarriesHeadersThenRecovers) {
  simex_process sx({"--log-file", "-"});
  auto id = admin(sx, "POST", "/faults", R"({"kind":"http_429","count":3,"retry_after_s":2})");
  EXPECT_TRUE(id.contains("id"));
  https_client c(sx.rest());
  for (int i = 0; i < 3; ++i) {
    auto r = c.get(prefix + "/time");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->header("x-ratelimit-remaining").value_or(""), "0");
    EXPECT_TRUE(r->header("x-ratelimit-limit").has_value());
    EXPECT_TRUE(r->header("x-ratelimit-reset").has_value());
    EXPECT_EQ(r->header("retry-after").value_or(""), "2");
  }
  auto r = c.get(prefix + "/time");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(admin(sx, "GET", "/stats")["faults"]["http_429"], 3);
}

TEST(SimexFaults, ResetAndNoAnswerAreTransportErrors) {
  simex_process sx({"--log-file", "-"});
  admin(sx, "POST", "/faults", R"([{"kind":"reset","count":1},{"kind":"no_answer","count":1}])");
  client_options o;
  o.request_timeout = 500ms;
  https_client c(sx.rest(), o);
  auto reset = c.post(prefix + "/time", "{}");
  ASSERT_FALSE(reset.ok());
  EXPECT_TRUE(reset.error().code == transport_errc::reset || reset.error().code == transport_errc::closed)
    << reset.error().detail;
  auto hung = c.post(prefix + "/time", "{}");
  ASSERT_FALSE(hung.ok());
  EXPECT_EQ(hung.error().code, transport_errc::timeout);
  auto fine = c.get(prefix + "/time");
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->status, 200);
}

TEST(SimexFaults, EngineScenarioFromToml) {
  simex_process sx({"--log-file", "-"});
  auto r = admin(sx, "POST", "/scenario", "[[fault]]\nkind = \"server_error\"\nstatus = 503\ncount = 1\n");
  EXPECT_EQ(r["rules"], 1) << r.dump();
  https_client c(sx.rest());
  auto first = c.get(prefix + "/time");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 503);
  auto second = c.get(prefix + "/time");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
}

TEST(SimexFaults, WsDropClosesSockets) {
  simex_process sx({"--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  ASSERT_TRUE(ws.read(2s).ok());
  EXPECT_EQ(admin(sx, "POST", "/ws/drop")["dropped"], 1);
  for (int i = 0; i < 5; ++i) {
    auto m = ws.read(2s);
    if (!m.ok()) {
      EXPECT_NE(m.error().code, transport_errc::timeout);
      return;
    }
  }
  FAIL() << "socket still delivering after /ws/drop";
}

TEST(SimexClock, SteppedClockMovesOnlyWhenAdvanced) {
  simex_process sx({"--log-file", "-", "--clock", "stepped", "--start-time", "1780000000"});
  https_client c(sx.rest());
  auto t1 = nlohmann::json::parse(c.get(prefix + "/time")->body);
  EXPECT_EQ(t1["epochSeconds"], "1780000000");
  admin(sx, "POST", "/clock/advance", R"({"ms":5000})");
  auto t2 = nlohmann::json::parse(c.get(prefix + "/time")->body);
  EXPECT_EQ(t2["epochSeconds"], "1780000005");
}

TEST(SimexTls, ServesHttpsAndWssWithTestCertificate) {
  auto p = pki::make_test_pki(temp_dir() + "/pki");
  simex_process sx({"--log-file", "-", "--tls-cert", p.good.cert, "--tls-key", p.good.key});
  client_options o;
  o.tls.ca_file = p.ca_cert;
  https_client c(sx.rest("https"), o);
  auto r = c.get(prefix + "/time");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->status, 200);
  ws_client ws(o);
  auto e = ws.connect(sx.ws("wss"));
  ASSERT_FALSE(e) << e->detail;
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  EXPECT_TRUE(ws.read(3s).ok());
  https_client untrusting(sx.rest("https"));
  auto refused = untrusting.get(prefix + "/time");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, transport_errc::tls_failed);
}

TEST(SimexFaults, StaleQuotesWithholdMarketDataButKeepHeartbeatsAndSequence) {
  simex_process sx({"--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"level2","product_ids":["BTC-USD"]})"));
  auto r = admin(sx, "POST", "/scenario", "[[fault]]\nkind = \"stale_quotes\"\nstart_s = 1\nduration_s = 30\n");
  ASSERT_EQ(r["rules"], 1) << r.dump();
  std::int64_t last_seq = -1;
  int heartbeats_in_window = 0, l2_in_window = 0;
  auto window_start = std::chrono::steady_clock::now() + 1500ms;  // the rule starts after 1 s
  auto end = window_start + 2500ms;
  while (std::chrono::steady_clock::now() < end) {
    auto m = ws.read(2s);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    auto j = nlohmann::json::parse(m->text);
    if (!j.contains("sequence_num"))
      continue;
    auto seq = j["sequence_num"].get<std::int64_t>();
    if (last_seq >= 0)
      EXPECT_EQ(seq, last_seq + 1) << "gap while quotes are stale";
    last_seq = seq;
    if (std::chrono::steady_clock::now() < window_start)
      continue;
    if (j["channel"] == "heartbeats")
      ++heartbeats_in_window;
    if (j["channel"] == "l2_data")
      ++l2_in_window;
  }
  EXPECT_GE(heartbeats_in_window, 2);
  EXPECT_EQ(l2_in_window, 0);
}

TEST(SimexFaults, AdminStaleStopsTheWholeFeedWithSocketOpen) {
  simex_process sx({"--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.ws()));
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"heartbeats"})"));
  ASSERT_TRUE(ws.read(2s).ok());
  admin(sx, "POST", "/ws/stale", R"({"duration_ms":2500})");
  auto t0 = std::chrono::steady_clock::now();
  // Whatever was already queued may still arrive; then silence, then the feed resumes.
  net::result<ws_message> m = ws.read(1500ms);
  while (m.ok() && std::chrono::steady_clock::now() - t0 < 300ms)
    m = ws.read(1500ms);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, transport_errc::timeout);
  EXPECT_TRUE(ws.is_open());
  auto resumed = ws.read(3s);
  EXPECT_TRUE(resumed.ok());
}

TEST(SimexWebSocket, Level2SnapshotThenUpdatesOnTheL2DataChannel) {
  simex_process sx({"--log-file", "-"});
  ws_client ws;
  ASSERT_FALSE(ws.connect(sx.rest("ws") + "/"));  // the REST port upgrades too
  ASSERT_FALSE(ws.send_text(R"({"type":"subscribe","channel":"level2","product_ids":["BTC-USD"]})"));
  bool snapshot = false, update = false;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!(snapshot && update) && std::chrono::steady_clock::now() < deadline) {
    auto m = ws.read(3s);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    auto j = nlohmann::json::parse(m->text);
    if (j.value("channel", "") != "l2_data")
      continue;
    auto type = j["events"][0]["type"].get<std::string>();
    if (!snapshot) {
      EXPECT_EQ(type, "snapshot");
      snapshot = true;
    } else if (type == "update") {
      update = true;
    }
  }
  EXPECT_TRUE(snapshot);
  EXPECT_TRUE(update);
}

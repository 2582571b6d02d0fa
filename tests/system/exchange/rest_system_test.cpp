// coinbase_rest against the real simex binary: every endpoint plain and over TLS, JWT
// accepted and refused, 5xx / resets / 429 retried with full jitter (counted at simex),
// create with a lost reply resolved by client order id without a duplicate, certificate
// refusals as typed TLS errors.
#include "runtime/clock.hpp"
#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <filesystem>

using namespace trader;
using namespace trader::exchange;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;
using trader::testing::simex_process;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/rest-key";

std::string temp_dir() {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("exchange_rest_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d.string();
  }();
  return dir;
}

const std::shared_ptr<const net::api_key>& test_key() {
  static const auto k = [] {
    auto key = std::make_shared<const net::api_key>(*net::api_key::from_pem(key_name, pki::generate_ec_key_pem()));
    pki::write_file(temp_dir() + "/rest-key.pub.pem", key->public_key_pem());
    return key;
  }();
  return k;
}

const pki::test_pki& test_pki() {
  static const auto p = pki::make_test_pki(temp_dir() + "/pki");
  return p;
}

std::vector<std::string> simex_args(const pki::cert_files* tls = nullptr) {
  test_key();
  std::vector<std::string> a{"--api-key", key_name + "=" + temp_dir() + "/rest-key.pub.pem", "--log-file", "-",
                             "--seed", "11"};
  if (tls) {
    a.insert(a.end(), {"--tls-cert", tls->cert, "--tls-key", tls->key});
  }
  return a;
}

/// Records every attempt and every sleep; sleeps are not really taken (the test checks
/// their lengths, not the wall clock).
struct recording_hooks : call_hooks {
  std::vector<std::string> endpoints;
  std::vector<int> statuses;
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<call_priority> priorities;  ///< of every permit asked
  std::optional<exchange_error> acquire(const call_info& info) override {
    priorities.push_back(info.priority);
    return std::nullopt;
  }
  void record(const call_info& info, const call_record& rec) override {
    endpoints.emplace_back(info.endpoint);
    statuses.push_back(rec.http_status);
  }
  void sleep(std::chrono::milliseconds d) override { sleeps.push_back(d); }
};

rest_options options(const std::string& base, std::string ca = {}) {
  rest_options o;
  o.base_url = base;
  o.ca_file = std::move(ca);
  o.credentials = test_key();
  o.request_timeout = 2000ms;
  o.connect_timeout = 2000ms;
  o.retry = retry_policy{4, 50ms, 2000ms};
  return o;
}

nlohmann::json admin(const simex_process& sx, const std::string& method, const std::string& target,
                     const std::string& body = {}) {
  net::https_client c(sx.admin());
  auto r = c.request(net::http_request{method, target, {}, body});
  EXPECT_TRUE(r.ok());
  return r.ok() ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
}

std::uint64_t fault_count(const simex_process& sx, const char* kind) {
  auto s = admin(sx, "GET", "/stats");
  return s["faults"].contains(kind) ? s["faults"][kind].get<std::uint64_t>() : 0;
}

create_order limit_buy(const std::string& cid, const char* px = "1000") {
  create_order o;
  o.id = client_order_id{cid};
  o.product = product_id{"BTC-USD"};
  o.dir = side::buy;
  o.type = order_type::limit;
  o.tif = time_in_force::gtc;
  o.base_size = *parse_fixed<size_tag>("0.001");
  o.limit_px = *parse_fixed<price_tag>(px);
  o.post_only = true;
  return o;
}

std::size_t open_with_client_id(coinbase_rest& rest, const std::string& cid) {
  auto open = rest.open_orders();
  EXPECT_TRUE(open.ok()) << open.error().describe();
  std::size_t n = 0;
  if (open.ok())
    for (auto& o : *open)
      n += o.id.value == cid;
  return n;
}

/// Every endpoint once, checking the typed replies.
void exercise_every_endpoint(coinbase_rest& rest) {
  auto t = rest.server_time();
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_LE(t->local_send, t->local_recv);
  EXPECT_LT(std::llabs(t->server - t->local_recv), 5 * ns_per_s);

  auto products = rest.products();
  ASSERT_TRUE(products.ok()) << products.error().describe();
  EXPECT_GE(products->size(), 3u);
  auto btc = rest.product(product_id{"BTC-USD"});
  ASSERT_TRUE(btc.ok()) << btc.error().describe();
  EXPECT_EQ(btc->state, product_state::online);
  EXPECT_GT(btc->base_increment.units, 0);
  auto nope = rest.product(product_id{"NOPE-USD"});
  ASSERT_FALSE(nope.ok());
  EXPECT_EQ(nope.error().kind, error_kind::not_found);

  auto balances = rest.balances();
  ASSERT_TRUE(balances.ok()) << balances.error().describe();
  bool usd = false;
  for (auto& b : *balances)
    usd |= b.currency == "USD" && b.available.units > 0;
  EXPECT_TRUE(usd);
  auto fee = rest.fee_tier_now();
  ASSERT_TRUE(fee.ok()) << fee.error().describe();
  EXPECT_GT(fee->taker_rate, 0);

  auto preview = rest.preview(limit_buy("unused"));
  ASSERT_TRUE(preview.ok()) << preview.error().describe();
  EXPECT_GT(preview->order_total.units, 0);

  auto cid = "sys-" + std::to_string(::getpid()) + "-" + std::to_string(t->local_send);
  auto ack = rest.create(limit_buy(cid));
  ASSERT_TRUE(ack.ok()) << ack.error().describe();
  EXPECT_TRUE(ack->accepted) << ack->failure_reason;
  EXPECT_FALSE(ack->resolved_by_lookup);
  auto by_ex = rest.order_by_exchange_id(ack->exchange_id);
  ASSERT_TRUE(by_ex.ok()) << by_ex.error().describe();
  EXPECT_EQ(by_ex->id.value, cid);
  EXPECT_EQ(by_ex->state, order_state::open);
  auto by_cid = rest.order_by_client_id(client_order_id{cid});
  ASSERT_TRUE(by_cid.ok()) << by_cid.error().describe();
  EXPECT_EQ(by_cid->exchange_id, ack->exchange_id);
  EXPECT_TRUE(by_cid->dir_known);  // side, size and limit as placed (adopting unknown orders)
  EXPECT_EQ(by_cid->dir, side::buy);
  EXPECT_EQ(by_cid->ordered_size, *parse_fixed<size_tag>("0.001"));
  EXPECT_EQ(by_cid->limit_px, limit_buy(cid).limit_px);
  EXPECT_EQ(open_with_client_id(rest, cid), 1u);  // OPEN, PENDING and QUEUED asked
  auto recent = rest.recent_orders(by_ex->ts_event - 1'000'000'000);  // the cross-check list, from its creation
  ASSERT_TRUE(recent.ok()) << recent.error().describe();
  EXPECT_EQ(std::count_if(recent->begin(), recent->end(), [&](auto& o) { return o.id.value == cid; }), 1);
  auto cancel = rest.cancel({ack->exchange_id, exchange_order_id{"no-such-order"}});
  ASSERT_TRUE(cancel.ok()) << cancel.error().describe();
  ASSERT_EQ(cancel->results.size(), 2u);
  EXPECT_TRUE(cancel->results[0].success);
  EXPECT_FALSE(cancel->results[1].success);
  EXPECT_FALSE(cancel->results[1].failure_reason.empty());
  EXPECT_EQ(open_with_client_id(rest, cid), 0u);

  // A business refusal is an ack with the exchange's reason, not an error.
  auto refused = limit_buy(cid + "-r", "1000.001");
  auto bad = rest.create(refused);
  ASSERT_TRUE(bad.ok()) << bad.error().describe();
  EXPECT_FALSE(bad->accepted);
  EXPECT_EQ(bad->failure_reason, "INVALID_PRICE_PRECISION");

  create_order market;
  market.id = client_order_id{cid + "-m"};
  market.product = product_id{"BTC-USD"};
  market.type = order_type::market;
  market.tif = time_in_force::ioc;
  market.quote_size = notional::from_int(20);
  auto m = rest.create(market);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_TRUE(m->accepted) << m->failure_reason;
  auto fills = rest.fills(0, m->exchange_id);
  ASSERT_TRUE(fills.ok()) << fills.error().describe();
  ASSERT_FALSE(fills->empty());
  std::set<std::string> trades;
  for (auto& f : *fills) {
    EXPECT_EQ(f.exchange_order, m->exchange_id);
    EXPECT_EQ(f.product.value, "BTC-USD");
    EXPECT_TRUE(trades.insert(f.trade.value).second) << "duplicate trade " << f.trade.value;
  }
  auto all = rest.fills(0, {}, product_id{"BTC-USD"});
  ASSERT_TRUE(all.ok()) << all.error().describe();
  EXPECT_GE(all->size(), fills->size());
}

} // namespace

TEST(ExchangeRest, EveryEndpointOverPlainLoopback) {
  simex_process sx(simex_args());
  recording_hooks hooks;
  coinbase_rest rest(options(sx.rest()), &hooks);
  exercise_every_endpoint(rest);
  EXPECT_TRUE(hooks.sleeps.empty());  // nothing failed, nothing retried
  auto stats = admin(sx, "GET", "/stats");
  EXPECT_EQ(stats["auth_rejected"].size(), 0u) << stats.dump();  // every JWT accepted
}

TEST(ExchangeRest, EveryEndpointOverTlsWithTheTestCa) {
  simex_process sx(simex_args(&test_pki().good));
  coinbase_rest rest(options(sx.rest("https"), test_pki().ca_cert));
  exercise_every_endpoint(rest);
}

TEST(ExchangeRest, PublicEndpointsWorkWithoutCredentials) {
  simex_process sx(simex_args());
  auto o = options(sx.rest());
  o.credentials = nullptr;
  coinbase_rest rest(o);
  ASSERT_TRUE(rest.server_time().ok());
  auto p = rest.products();
  ASSERT_TRUE(p.ok()) << p.error().describe();
  auto b = rest.balances();
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind, error_kind::auth);
}

TEST(ExchangeRest, ExpiredOrForeignTokensAreTypedAuthErrors) {
  simex_process sx(simex_args());
  auto expired = options(sx.rest());
  expired.wall_clock = [] { return system_time_source::instance().wall_now() - 600 * ns_per_s; };
  recording_hooks hooks;
  coinbase_rest old(expired, &hooks);
  auto r = old.balances();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, error_kind::auth);
  EXPECT_EQ(r.error().http_status, 401);
  EXPECT_EQ(hooks.statuses.size(), 1u);  // auth errors are not retried

  auto foreign = options(sx.rest());
  foreign.credentials =
    std::make_shared<const net::api_key>(*net::api_key::from_pem(key_name, pki::generate_ec_key_pem()));
  coinbase_rest impostor(foreign);
  auto f = impostor.create(limit_buy("impostor-1"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, error_kind::auth);
  auto stats = admin(sx, "GET", "/stats");
  EXPECT_EQ(stats["auth_rejected"]["expired"], 1);
  EXPECT_EQ(stats["auth_rejected"]["bad_signature"], 1);
}

TEST(ExchangeRest, ServerErrorsAndResetsAreRetriedWithFullJitter) {
  simex_process sx(simex_args());
  recording_hooks hooks;
  auto o = options(sx.rest());
  coinbase_rest rest(o, &hooks);
  admin(sx, "POST", "/faults", R"({"kind":"http_5xx","status":503,"count":2,"path_prefix":"/api/v3/brokerage/accounts"})");
  auto r = rest.balances();
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(fault_count(sx, "http_5xx"), 2u);
  EXPECT_EQ(hooks.statuses, (std::vector<int>{503, 503, 200}));
  ASSERT_EQ(hooks.sleeps.size(), 2u);
  EXPECT_LE(hooks.sleeps[0], 50ms);   // window of retry 0
  EXPECT_LE(hooks.sleeps[1], 100ms);  // window of retry 1

  hooks = {};
  admin(sx, "POST", "/faults", R"({"kind":"reset","count":2,"path_prefix":"/api/v3/brokerage/transaction_summary"})");
  auto f = rest.fee_tier_now();
  ASSERT_TRUE(f.ok()) << f.error().describe();
  EXPECT_EQ(fault_count(sx, "reset"), 2u);
  // https_client itself re-sends a GET once when a kept-alive connection turns out dead, so
  // the two resets cost one or two of our attempts.
  ASSERT_GE(hooks.statuses.size(), 2u);
  EXPECT_EQ(hooks.statuses.front(), 0);
  EXPECT_EQ(hooks.statuses.back(), 200);
  EXPECT_EQ(hooks.sleeps.size(), hooks.statuses.size() - 1);

  hooks = {};
  admin(sx, "POST", "/faults",
        R"({"kind":"http_429","count":1,"retry_after_s":1,"path_prefix":"/api/v3/brokerage/orders/historical"})");
  auto l = rest.open_orders();
  ASSERT_TRUE(l.ok()) << l.error().describe();
  ASSERT_EQ(hooks.sleeps.size(), 1u);
  EXPECT_EQ(hooks.sleeps[0], 1000ms);  // Retry-After is the floor

  // A cancel-all's read of the open orders asks its permits at cancel priority (the rate
  // limiter's cancel reserve), every other read at data priority.
  ASSERT_FALSE(hooks.priorities.empty());
  EXPECT_EQ(hooks.priorities.back(), call_priority::data);
  hooks = {};
  auto for_cancel = rest.open_orders({}, call_priority::cancel);
  ASSERT_TRUE(for_cancel.ok()) << for_cancel.error().describe();
  ASSERT_FALSE(hooks.priorities.empty());
  for (auto p : hooks.priorities)
    EXPECT_EQ(p, call_priority::cancel);

  // The budget ends: 4 attempts, then the typed error of the last one.
  hooks = {};
  admin(sx, "POST", "/faults", R"({"kind":"http_5xx","status":500,"count":10,"path_prefix":"/api/v3/brokerage/accounts"})");
  auto gone = rest.balances();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, error_kind::server);
  EXPECT_EQ(gone.error().http_status, 500);
  EXPECT_EQ(hooks.statuses.size(), 4u);
  admin(sx, "DELETE", "/faults");
}

TEST(ExchangeRest, CreateWithLostReplyIsResolvedByClientOrderIdWithoutDuplicate) {
  simex_process sx(simex_args());
  recording_hooks hooks;
  coinbase_rest rest(options(sx.rest()), &hooks);
  admin(sx, "POST", "/faults", R"({"kind":"drop_reply","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"})");
  auto ack = rest.create(limit_buy("lost-1"));
  ASSERT_TRUE(ack.ok()) << ack.error().describe();
  EXPECT_TRUE(ack->accepted);
  EXPECT_TRUE(ack->resolved_by_lookup);
  EXPECT_FALSE(ack->exchange_id.empty());
  EXPECT_EQ(fault_count(sx, "drop_reply"), 1u);
  // One POST (never re-sent), then the lookup.
  EXPECT_EQ(std::count(hooks.endpoints.begin(), hooks.endpoints.end(), std::string(ep::create_order)), 1);
  EXPECT_EQ(open_with_client_id(rest, "lost-1"), 1u);
}

TEST(ExchangeRest, CreateRefusedBeforeProcessingIsReportedNotPlaced) {
  simex_process sx(simex_args());
  coinbase_rest rest(options(sx.rest()));
  // A 503 from the gateway says nothing about the order: it is looked up, and not found.
  admin(sx, "POST", "/faults", R"({"kind":"http_5xx","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"})");
  auto ack = rest.create(limit_buy("gw-1"));
  ASSERT_TRUE(ack.ok()) << ack.error().describe();
  EXPECT_FALSE(ack->accepted);
  EXPECT_TRUE(ack->not_placed);
  EXPECT_TRUE(ack->resolved_by_lookup);
  EXPECT_EQ(ack->failure_reason, "");  // the exchange gave no reason: it never saw the order
  EXPECT_EQ(open_with_client_id(rest, "gw-1"), 0u);
  // 429 means "not processed": a typed error, no lookup, no retry.
  recording_hooks hooks;
  coinbase_rest counted(options(sx.rest()), &hooks);
  admin(sx, "POST", "/faults", R"({"kind":"http_429","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"})");
  auto limited = counted.create(limit_buy("rl-1"));
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().kind, error_kind::rate_limited);
  EXPECT_EQ(hooks.statuses, (std::vector<int>{429}));
}

TEST(ExchangeRest, CreateWhoseLookupCannotCompleteIsAnUnresolvedTimeout) {
  simex_process sx(simex_args());
  coinbase_rest rest(options(sx.rest()));
  admin(sx, "POST", "/faults",
        R"([{"kind":"drop_reply","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"},
            {"kind":"reset","method":"GET","count":-1,"path_prefix":"/api/v3/brokerage/orders/historical"}])");
  auto ack = rest.create(limit_buy("unresolved-1"));
  ASSERT_FALSE(ack.ok());
  EXPECT_EQ(ack.error().kind, error_kind::unresolved);
  EXPECT_EQ(ack.error().failure_reason, "");  // no words of the exchange: it did not answer
  admin(sx, "DELETE", "/faults");
  EXPECT_EQ(open_with_client_id(rest, "unresolved-1"), 1u);  // it did exist: hence the gate
}

// Certificate refusals at the endpoint level; tests/unit/runtime/net/client_test.cpp covers every
// kind (expired, not yet valid, wrong host, self-signed, unknown CA) at the client level.
TEST(ExchangeRest, WrongHostAndExpiredCertificatesAreTypedTlsErrors) {
  for (const auto* cert : {&test_pki().wrong_host, &test_pki().expired}) {
    simex_process sx(simex_args(cert));
    recording_hooks hooks;
    coinbase_rest rest(options(sx.rest("https"), test_pki().ca_cert), &hooks);
    auto r = rest.balances();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, error_kind::transport);
    EXPECT_EQ(r.error().detail.rfind("tls_failed", 0), 0u) << r.error().detail;
    EXPECT_FALSE(r.error().retryable());
    EXPECT_EQ(hooks.statuses.size(), 1u);  // never retried
  }
}

// The REST endpoint actors on a real-thread actor system against simex: typed replies
// through rate_limiter permits, call outcomes and latency samples, gate signals to risk,
// restart by the supervisor after a kill mid-request (the caller gets an error, not
// silence), and the PEM secret never in a log line or any message sent to peers.
#include "actors/exchange/accounts/accounts_actor.hpp"
#include "tests/support/gate_edges.hpp"
#include "actors/exchange/clock/clock_actor.hpp"
#include "actors/exchange/fills/fills_actor.hpp"
#include "actors/exchange/orders/orders_actor.hpp"
#include "actors/exchange/products/products_actor.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/supervisor.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/coinbase/credentials.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/support/child_process.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <mutex>
#include <sstream>

using namespace trader;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;
using trader::testing::simex_process;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/actor-key";

/// Every message a probe received, rendered (thread-safe).
struct inbox {
  std::mutex mtx;
  std::vector<std::string> items;
  void add(std::string s) {
    std::lock_guard<std::mutex> g(mtx);
    items.push_back(std::move(s));
  }
  std::vector<std::string> all() {
    std::lock_guard<std::mutex> g(mtx);
    return items;
  }
  std::size_t count(const std::string& needle) {
    std::size_t n = 0;
    for (auto& s : all())
      n += s.find(needle) != std::string::npos;
    return n;
  }
};

/// A peer that records everything sent to it: a summary of the message kinds the tests
/// look at, then the full rendering (the secret check reads that too).
caf::behavior probe(caf::event_based_actor* self, std::shared_ptr<inbox> box) {
  self->set_default_handler([box](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
    box->add(caf::to_string(x.copy_content_to_message()));
    return caf::message{};
  });
  auto record = [box](const gate_signal& g) {
    box->add("gate_signal " + std::string(to_string(g.reason)) + (g.active ? " active " : " cleared ") + g.detail +
             " | " + caf::deep_to_string(g));
  };
  auto edges = std::make_shared<test::gate_edges>();
  return {
    [record](const gate_signal& g) { record(g); },
    [record, edges](const gate_conditions& c) {  // level-triggered sources, as edges
      for (auto& g : edges->apply(c))
        record(g);
    },
    [box](const alert& a) {
      box->add("alert " + a.type + (a.resolved ? " resolved " : " raised ") + a.title + " " + a.detail + " | " +
               caf::deep_to_string(a));
    },
    [box](const latency_sample& l) { box->add("latency_sample " + l.endpoint + " | " + caf::deep_to_string(l)); },
    [box](const product_status& p) {
      box->add("product_status " + p.product.value + " " + std::string(to_string(p.state)));
    },
    [box](const subscribed&) { box->add("subscribed"); },
  };
}

/// A subscriber: subscribes to target at start and records everything it gets.
caf::behavior subscriber(caf::event_based_actor* self, caf::actor target, std::shared_ptr<inbox> box) {
  self->send(target, subscribe_feed{});
  return probe(self, std::move(box));
}

/// A rate limiter that grants every permit and counts permits and outcomes.
struct limiter_counts {
  std::atomic<int> permits{0};
  std::atomic<int> outcomes{0};
};
caf::behavior fake_limiter(caf::event_based_actor*, std::shared_ptr<limiter_counts> c) {
  return {
    [c](const permit_request&) -> permit_grant {
      ++c->permits;
      return permit_grant{};
    },
    [c](const call_outcome&) { ++c->outcomes; },
  };
}

class EndpointActors : public ::testing::Test {
protected:
  EndpointActors() {
    dir_ = std::filesystem::temp_directory_path() / ("exchange_actor_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    pem_ = pki::generate_ec_key_pem();
    // Through the same path as traderd: secrets from $CREDENTIALS_DIRECTORY or the env.
    auto loaded = exchange::load_credentials([this](std::string_view n) -> std::optional<std::string> {
      if (n == "COINBASE_API_KEY_NAME")
        return key_name;
      if (n == "COINBASE_API_PRIVATE_KEY")
        return pem_;
      return std::nullopt;
    });
    EXPECT_TRUE(loaded.key) << loaded.error;
    key_ = loaded.key;
    pki::write_file((dir_ / "key.pub.pem").string(), key_->public_key_pem());
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    spdlog::default_logger()->sinks().push_back(sink_);
    spdlog::set_level(spdlog::level::debug);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    for (auto* name : {"risk", "alerting", "audit", "latency"}) {
      boxes_[name] = std::make_shared<inbox>();
      reg_.put(name, sys_->spawn(probe, boxes_[name]));
    }
    reg_.put("rate_limiter", sys_->spawn(fake_limiter, limits_));
  }
  ~EndpointActors() override {
    for (auto& n : reg_.names()) {
      auto a = reg_.get(n);
      caf::anon_send_exit(a, caf::exit_reason::kill);
      reg_.erase_if(n, a.address());
    }
    for (auto& a : spawned_)
      caf::anon_send_exit(a, caf::exit_reason::kill);
    // A detached actor's thread ends only when the last handle to it is gone.
    spawned_.clear();
    sys_.reset();  // waits for every actor
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    spdlog::set_level(spdlog::level::info);
  }

  std::vector<std::string> simex_args(std::vector<std::string> extra = {}) {
    std::vector<std::string> a{"--api-key", key_name + "=" + (dir_ / "key.pub.pem").string(), "--log-file", "-"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  exchange::endpoint_options options(const simex_process& sx) {
    exchange::endpoint_options o;
    o.rest_base_url = sx.rest();
    o.credentials = key_;
    o.read_only = false;  // these tests place orders at simex
    o.request_timeout = 1500ms;
    o.connect_timeout = 1500ms;
    o.retry = exchange::retry_policy{3, 20ms, 200ms};
    o.clock_probes = 2;
    return o;
  }
  caf::actor keep(caf::actor a) {
    spawned_.push_back(a);
    return a;
  }
  /// A request from outside; the reply or the error (never a timeout of our own).
  template <class Reply, class Msg>
  caf::expected<Reply> ask(const caf::actor& dst, Msg msg, caf::timespan timeout = 20s) {
    caf::scoped_actor self{*sys_};
    caf::expected<Reply> out = caf::make_error(caf::sec::request_timeout);
    self->request(dst, timeout, std::move(msg))
      .receive([&](Reply& r) { out = std::move(r); }, [&](caf::error& e) { out = std::move(e); });
    return out;
  }
  nlohmann::json admin(const simex_process& sx, const std::string& method, const std::string& target,
                       const std::string& body = {}) {
    net::https_client c(sx.admin());
    auto r = c.request(net::http_request{method, target, {}, body});
    EXPECT_TRUE(r.ok());
    return r.ok() ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }
  /// Lines of the PEM body long enough to be unmistakable.
  std::vector<std::string> secret_lines() const {
    std::vector<std::string> out;
    std::istringstream in(pem_);
    for (std::string line; std::getline(in, line);)
      if (line.size() >= 16 && line.find("-----") == std::string::npos)
        out.push_back(line);
    return out;
  }

  std::filesystem::path dir_;
  std::string pem_;
  std::shared_ptr<const net::api_key> key_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  core::system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  core::registry reg_;
  core::health_board health_;
  std::map<std::string, std::shared_ptr<inbox>> boxes_;
  std::shared_ptr<limiter_counts> limits_ = std::make_shared<limiter_counts>();
  std::vector<caf::actor> spawned_;
};

create_order limit_buy(const std::string& cid) {
  create_order o;
  o.id = client_order_id{cid};
  o.product = product_id{"btc/usd"};  // any accepted spelling
  o.type = order_type::limit;
  o.tif = time_in_force::gtc;
  o.base_size = *parse_fixed<size_tag>("0.001");
  o.limit_px = price::from_int(1000);
  o.post_only = true;
  return o;
}

} // namespace

TEST_F(EndpointActors, AnswerTypedRepliesThroughPermits) {
  simex_process sx(simex_args());
  auto opts = options(sx);
  prometheus::Registry metrics;
  opts.metrics = &metrics;
  auto accounts = keep(accounts::spawn_accounts(*sys_, reg_, opts));
  auto orders = keep(orders::spawn_orders(*sys_, reg_, opts));
  auto fills = keep(fills::spawn_fills(*sys_, reg_, opts));

  auto balances = ask<balance_list>(accounts, get_balances{});
  ASSERT_TRUE(balances) << describe(balances.error());
  EXPECT_FALSE(balances->balances.empty());
  auto fee = ask<fee_tier>(accounts, get_fee_tier{});
  ASSERT_TRUE(fee) << describe(fee.error());

  auto ack = ask<order_ack>(orders, limit_buy("actor-1"));
  ASSERT_TRUE(ack) << describe(ack.error());
  EXPECT_TRUE(ack->accepted) << ack->failure_reason;
  auto preview = ask<order_preview>(orders, preview_order{limit_buy("p")});
  ASSERT_TRUE(preview) << describe(preview.error());
  auto got = ask<order_update>(orders, get_order{{}, client_order_id{"actor-1"}});
  ASSERT_TRUE(got) << describe(got.error());
  EXPECT_EQ(got->exchange_id, ack->exchange_id);
  auto open = ask<order_list>(orders, list_open_orders{product_id{"BTCUSD"}});
  ASSERT_TRUE(open) << describe(open.error());
  EXPECT_EQ(open->orders.size(), 1u);
  auto cancelled = ask<cancel_results>(orders, cancel_orders{{ack->exchange_id}, "test"});
  ASSERT_TRUE(cancelled) << describe(cancelled.error());
  ASSERT_EQ(cancelled->results.size(), 1u);
  EXPECT_TRUE(cancelled->results[0].success);
  auto unknown = ask<order_update>(orders, get_order{exchange_order_id{"nope"}, {}});
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(is(unknown.error(), errc::exchange_error));
  EXPECT_NE(describe(unknown.error()).find("not_found"), std::string::npos) << describe(unknown.error());
  auto f = ask<fill_list>(fills, get_fills{});
  ASSERT_TRUE(f) << describe(f.error());
  auto bad = ask<fill_list>(fills, get_fills{0, {}, product_id{"BTCXYZ"}});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(is(bad.error(), errc::invalid_argument));

  // One permit and one outcome per HTTP attempt; one latency sample each.
  EXPECT_TRUE(test::eventually([&] { return limits_->outcomes.load() == limits_->permits.load(); }, 5s));
  EXPECT_GE(limits_->permits.load(), 8);
  EXPECT_TRUE(test::eventually(
    [&] { return boxes_["latency"]->count("latency_sample") == static_cast<std::size_t>(limits_->permits.load()); },
    5s));
  EXPECT_EQ(boxes_["latency"]->count("rest:POST /orders |"), 1u);
  // Per-endpoint counters: trader_<actor>_requests_total{endpoint, outcome}.
  auto counted = [&](const std::string& family, const std::string& endpoint, const std::string& outcome) {
    double n = 0;
    for (auto& f : metrics.Collect())
      if (f.name == family)
        for (auto& m : f.metric) {
          std::map<std::string, std::string> labels;
          for (auto& l : m.label)
            labels[l.name] = l.value;
          if (labels["endpoint"] == endpoint && labels["outcome"] == outcome)
            n += m.counter.value;
        }
    return n;
  };
  EXPECT_EQ(counted("trader_accounts_requests_total", "GET /accounts", "ok"), 1);
  EXPECT_EQ(counted("trader_orders_requests_total", "POST /orders", "ok"), 1);
  EXPECT_EQ(counted("trader_orders_requests_total", "GET /orders/historical/{id}", "http_4xx"), 1);
}

TEST_F(EndpointActors, ProductsReportDegradedProductsToRiskAndSubscribers) {
  simex_process sx(simex_args());
  auto products = keep(products::spawn_products(*sys_, reg_, options(sx)));
  auto feed = std::make_shared<inbox>();
  keep(sys_->spawn(subscriber, products, feed));
  ASSERT_TRUE(test::eventually([&] { return feed->count("subscribed") == 1; }, 5s));
  auto list = ask<product_list>(products, get_products{});
  ASSERT_TRUE(list) << describe(list.error());
  EXPECT_GE(list->products.size(), 3u);
  auto one = ask<product_info>(products, get_product{product_id{"XBT-USD"}});
  ASSERT_TRUE(one) << describe(one.error());
  EXPECT_EQ(one->product.value, "BTC-USD");
  auto missing = ask<product_info>(products, get_product{product_id{"DOGE-EUR"}});
  ASSERT_FALSE(missing);
  EXPECT_TRUE(is(missing.error(), errc::exchange_error));
  EXPECT_EQ(boxes_["risk"]->count("product_degraded"), 0u);

  admin(sx, "POST", "/product_status", R"({"product_id":"ETH-USD","status":"cancel_only"})");
  ASSERT_TRUE(ask<product_list>(products, get_products{true}));
  auto risk = boxes_["risk"];
  ASSERT_TRUE(test::eventually([&] { return risk->count("product_degraded") == 1; }, 5s));
  EXPECT_EQ(risk->count("gate_signal product_degraded active"), 1u);
  EXPECT_EQ(risk->count("ETH-USD=cancel_only"), 1u);
  ASSERT_TRUE(test::eventually([&] { return feed->count("product_status") == 1; }, 5s));

  admin(sx, "POST", "/product_status", R"({"product_id":"ETH-USD","status":"online"})");
  ASSERT_TRUE(ask<product_list>(products, get_products{true}));
  ASSERT_TRUE(test::eventually([&] { return risk->count("product_degraded") == 2; }, 5s));
  EXPECT_EQ(risk->count("gate_signal product_degraded cleared"), 1u);
  EXPECT_TRUE(test::eventually([&] { return feed->count("product_status") == 2; }, 5s));
}

TEST_F(EndpointActors, ClockSkewClosesTheGateAndAlerts) {
  // simex's clock stands an hour behind ours.
  auto behind = (system_time_source::instance().wall_now() / ns_per_s) - 3600;
  simex_process sx(simex_args({"--clock", "stepped", "--start-time", std::to_string(behind)}));
  auto opts = options(sx);
  opts.clock_probe_interval = std::chrono::hours(1);  // only the start-up and requested probes
  auto clock = keep(clock::spawn_clock(*sys_, reg_, opts));
  auto s = ask<clock_sample>(clock, measure_clock{});
  ASSERT_TRUE(s) << describe(s.error());
  EXPECT_FALSE(s->within_limit);
  EXPECT_LT(s->offset_ns, -3500 * ns_per_s);
  EXPECT_NE(s->reason.find("CLOCK_SKEW"), std::string::npos) << s->reason;
  ASSERT_TRUE(test::eventually([&] { return boxes_["risk"]->count("gate_signal clock_skew active") == 1; }, 5s));
  // The alert travels separately from the gate signal: wait for it too.
  ASSERT_TRUE(test::eventually([&] { return boxes_["alerting"]->count("alert clock_skew raised") >= 1; }, 5s));
  // Raised once (the start-up probe), not again for the requested one.
  EXPECT_EQ(boxes_["risk"]->count("gate_signal clock_skew"), 1u);
  EXPECT_EQ(boxes_["alerting"]->count("alert clock_skew raised"), 1u);
}

TEST_F(EndpointActors, ClockWithinLimitAgainstARealTimeExchange) {
  simex_process sx(simex_args());
  auto clock = keep(clock::spawn_clock(*sys_, reg_, options(sx)));
  auto s = ask<clock_sample>(clock, measure_clock{});
  ASSERT_TRUE(s) << describe(s.error());
  EXPECT_TRUE(s->within_limit) << s->reason;
  EXPECT_EQ(boxes_["risk"]->count("clock_skew"), 0u);
}

TEST_F(EndpointActors, UnresolvedCreateAnswersTimeoutAndClosesTheGate) {
  simex_process sx(simex_args());
  auto orders = keep(orders::spawn_orders(*sys_, reg_, options(sx)));
  admin(sx, "POST", "/faults",
        R"([{"kind":"drop_reply","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"},
            {"kind":"reset","method":"GET","count":-1,"path_prefix":"/api/v3/brokerage/orders/historical"}])");
  auto ack = ask<order_ack>(orders, limit_buy("lost-2"));
  ASSERT_FALSE(ack);
  EXPECT_TRUE(is(ack.error(), errc::timeout)) << describe(ack.error());
  EXPECT_NE(describe(ack.error()).find("POST /orders 0 unresolved"), std::string::npos) << describe(ack.error());
  ASSERT_TRUE(test::eventually([&] { return boxes_["risk"]->count("gate_signal order_timeout active") == 1; }, 5s));
  // With the lookups back, a lost reply resolves by client order id.
  admin(sx, "DELETE", "/faults");
  admin(sx, "POST", "/faults", R"({"kind":"drop_reply","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"})");
  auto resolved = ask<order_ack>(orders, limit_buy("lost-3"));
  ASSERT_TRUE(resolved) << describe(resolved.error());
  EXPECT_TRUE(resolved->resolved_by_lookup);
  EXPECT_TRUE(resolved->accepted);
}

// DRY_RUN and PAPER: the orders actor refuses to create, whatever asks; reads still work.
TEST_F(EndpointActors, ReadOnlyOrdersActorNeverPlacesAnOrder) {
  simex_process sx(simex_args());
  auto opts = options(sx);
  opts.read_only = true;
  auto orders = keep(orders::spawn_orders(*sys_, reg_, opts));
  auto ack = ask<order_ack>(orders, limit_buy("ro-1"));
  ASSERT_FALSE(ack);
  EXPECT_TRUE(is(ack.error(), errc::rejected)) << describe(ack.error());
  EXPECT_NE(describe(ack.error()).find("read-only"), std::string::npos);
  auto open = ask<order_list>(orders, list_open_orders{});
  ASSERT_TRUE(open) << describe(open.error());
  EXPECT_TRUE(open->orders.empty());
  auto got = ask<order_update>(orders, get_order{{}, client_order_id{"ro-1"}});
  EXPECT_FALSE(got);  // never reached the exchange
}

TEST_F(EndpointActors, KilledMidRequestIsRestartedAndCallersGetErrors) {
  simex_process sx(simex_args());
  auto opts = options(sx);
  opts.retry.max_attempts = 1;
  core::supervisor_spec spec;
  spec.name = "exchange";
  spec.intensity = {5, 10s};
  spec.children.push_back(core::child_spec{
    "accounts", [&](caf::actor_system& sys) { return accounts::spawn_accounts(sys, reg_, opts); },
    core::restart_type::permanent, 2000ms});
  auto sup = keep(core::spawn_supervisor(*sys_, spec, core::supervisor_env{&reg_, &health_, ""}));
  ASSERT_TRUE(test::eventually([&] { return static_cast<bool>(reg_.get("accounts")); }, 5s));
  auto first = reg_.get("accounts");
  admin(sx, "POST", "/faults", R"({"kind":"no_answer","count":-1,"path_prefix":"/api/v3/brokerage/accounts"})");

  // Two callers: one in flight (simex holds its request), one queued behind it.
  caf::scoped_actor a{*sys_}, b{*sys_};
  auto in_flight = a->request(first, 20s, get_balances{});
  ASSERT_TRUE(test::eventually([&] { return admin(sx, "GET", "/stats")["faults"].value("no_answer", 0) >= 1; }, 5s));
  auto queued = b->request(first, 20s, get_balances{});
  caf::anon_send_exit(first, caf::exit_reason::kill);

  std::vector<caf::error> errors;
  auto collect = [&](auto& handle) {
    handle.receive([&](const balance_list&) { errors.emplace_back(); },
                   [&](const caf::error& e) { errors.push_back(e); });
  };
  collect(in_flight);
  collect(queued);
  ASSERT_EQ(errors.size(), 2u);
  for (auto& e : errors) {
    EXPECT_TRUE(e) << "a reply instead of an error";
    EXPECT_NE(e, caf::make_error(caf::sec::request_timeout)) << "silence: " << describe(e);
  }
  EXPECT_TRUE(is(errors[0], errc::timeout)) << describe(errors[0]);  // the in-flight call's own deadline

  // The supervisor restarted it under the same name; without the fault it answers.
  ASSERT_TRUE(test::eventually([&] { auto now = reg_.get("accounts"); return now && now != first; }, 10s));
  admin(sx, "DELETE", "/faults");
  auto again = ask<balance_list>(reg_.get("accounts"), get_balances{});
  EXPECT_TRUE(again) << describe(again.error());
}

TEST_F(EndpointActors, SecretNeverAppearsInLogsOrMessages) {
  simex_process sx(simex_args());
  auto opts = options(sx);
  auto orders = keep(orders::spawn_orders(*sys_, reg_, opts));
  auto accounts = keep(accounts::spawn_accounts(*sys_, reg_, opts));
  // Failures and retries log the most: 5xx retried, an unresolved create, a refused token.
  admin(sx, "POST", "/faults", R"({"kind":"http_5xx","count":2,"path_prefix":"/api/v3/brokerage/accounts"})");
  EXPECT_TRUE(ask<balance_list>(accounts, get_balances{}));
  admin(sx, "POST", "/faults",
        R"([{"kind":"drop_reply","method":"POST","count":1,"path_prefix":"/api/v3/brokerage/orders"},
            {"kind":"reset","method":"GET","count":-1,"path_prefix":"/api/v3/brokerage/orders/historical"}])");
  EXPECT_FALSE(ask<order_ack>(orders, limit_buy("secret-1")));
  auto wrong = opts;
  wrong.credentials = std::make_shared<const net::api_key>(*net::api_key::from_pem(key_name, pki::generate_ec_key_pem()));
  auto impostor = keep(accounts::spawn_accounts(*sys_, reg_, wrong));
  EXPECT_FALSE(ask<balance_list>(impostor, get_balances{}));
  // A PEM that does not load: the error names the secret, never its content.
  auto broken = exchange::load_credentials([this](std::string_view n) -> std::optional<std::string> {
    if (n == "COINBASE_API_KEY_NAME")
      return key_name;
    if (n == "COINBASE_API_PRIVATE_KEY")
      return pem_.substr(0, pem_.size() / 2);
    return std::nullopt;
  });
  EXPECT_FALSE(broken.key);
  spdlog::warn("credentials: {}", broken.error);
  ASSERT_TRUE(test::eventually([&] { return boxes_["risk"]->count("gate_signal order_timeout active") == 1; }, 5s));
  spdlog::default_logger()->flush();

  auto log = log_.str();
  EXPECT_NE(log.find("retrying"), std::string::npos) << "the capture saw no warnings: the test would prove nothing";
  std::vector<std::string> seen;
  for (auto& [name, box] : boxes_)
    for (auto& m : box->all())
      seen.push_back(name + ": " + m);
  seen.push_back(log);
  seen.push_back(broken.error);
  auto lines = secret_lines();
  ASSERT_FALSE(lines.empty());
  for (auto& text : seen) {
    EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos) << text;
    for (auto& l : lines)
      EXPECT_EQ(text.find(l), std::string::npos) << "secret line in: " << text.substr(0, 200);
  }
}

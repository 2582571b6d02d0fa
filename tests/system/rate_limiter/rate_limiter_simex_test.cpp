// Threads hammering simex's private REST API, each call behind a permit from a real
// rate_limiter actor (threaded scheduler). simex enforces --rate-limit per key per 1-s
// window and counts every request: a single 429 there means the limiter let too many
// through. Without the limiter the same threads exceed the limit many times over (a
// loopback call takes about a millisecond).
#include "actors/exchange/rate_limiter/rate_limiter_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/jwt.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/system/simex/simex_key.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;
using namespace trader::net;
namespace pki = trader::net::testing;
using trader::testing::simex_process;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/limiter-key";
const std::string target = "/api/v3/brokerage/key_permissions";
const std::string endpoint = "GET /key_permissions";

/// The test's API key (generated once) and its public key file for --api-key.
const trader::testing::simex_test_key& fixture_key() {
  static const trader::testing::simex_test_key k{key_name, "rate_limiter_system"};
  return k;
}
std::string temp_dir() { return fixture_key().dir(); }
const api_key& test_key() { return fixture_key().key(); }
std::string key_arg() { return fixture_key().arg(); }

ts_ns wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

nlohmann::json admin(const simex_process& sx, const std::string& method, const std::string& path,
                     const std::string& body = {}) {
  https_client c(sx.admin());
  auto r = c.request(http_request{method, path, {}, body});
  EXPECT_TRUE(r.ok());
  return r.ok() ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
}

/// What the workers saw.
struct tally {
  std::mutex mtx;
  std::map<int, int> by_status;
  int refused = 0;
  std::int64_t first_after_429_wait_ns = -1;  ///< Queue time of the permit after a 429.
};

/// One worker: until it has `successes` 200s, permit → signed GET → call_outcome.
void worker(caf::actor_system& sys, caf::actor lim, const simex_process& sx, int successes, tally& t) {
  caf::scoped_actor self{sys};
  https_client c(sx.rest());
  int ok = 0;
  bool after_429 = false;
  for (int attempts = 0; ok < successes && attempts < 20 * successes; ++attempts) {
    std::int64_t waited = -1;
    self->request(lim, 30s, permit_request{endpoint_group::private_rest, call_priority::order, endpoint, 20000})
      .receive([&](const permit_grant& g) { waited = g.waited_ns; }, [&](const caf::error&) {});
    if (waited < 0) {
      std::lock_guard<std::mutex> lock(t.mtx);
      ++t.refused;
      continue;
    }
    if (after_429) {
      std::lock_guard<std::mutex> lock(t.mtx);
      if (t.first_after_429_wait_ns < 0)
        t.first_after_429_wait_ns = waited;
      after_429 = false;
    }
    auto start = std::chrono::steady_clock::now();
    auto jwt = sign_rest_jwt(test_key(), "GET", c.host_header(), target, wall_now());
    auto r = c.get(target, {{"Authorization", "Bearer " + jwt}});
    auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
    call_outcome o{endpoint_group::private_rest, endpoint, r.ok() ? r->status : 0, -1, latency.count(), wall_now()};
    if (r.ok() && r->status == 429) {
      auto hint = r->header("retry-after");
      if (hint)
        o.retry_after_ms = std::stoll(std::string(*hint)) * 1000;
      after_429 = true;
    }
    // Same sender as the next permit_request: the limiter sees the 429 first.
    self->send(lim, o);
    std::lock_guard<std::mutex> lock(t.mtx);
    ++t.by_status[o.http_status];
    if (o.http_status == 200)
      ++ok;
  }
}

std::string status(caf::actor_system& sys, const caf::actor& lim) {
  caf::scoped_actor self{sys};
  std::string out;
  self->request(lim, 10s, caf::get_atom_v).receive([&](const std::string& s) { out = s; }, [&](const caf::error&) {});
  return out;
}

class RateLimiterSimex : public ::testing::Test {
protected:
  prometheus::Registry metrics_;  // outlives sys_ and so the limiter
  core::registry reg_;            // likewise: actors still running in ~actor_system use it
  core::system_config cfg_{core::runtime_options{}};
  caf::actor_system sys_{cfg_};

  ~RateLimiterSimex() override { caf::anon_send_exit(lim_, caf::exit_reason::user_shutdown); }

  caf::actor start(double rate, double burst, std::int64_t recover_after_ms = 60000) {
    rate_limit::options o;
    o.private_rest = {rate, burst, 0};
    o.recover_after_ms = recover_after_ms;
    lim_ = rate_limiter::spawn_rate_limiter(sys_, reg_, o, metrics_);
    return lim_;
  }
  void hammer(const simex_process& sx, int threads, int successes_each, tally& t) {
    std::vector<std::thread> ws;
    for (int i = 0; i < threads; ++i)
      ws.emplace_back([&] { worker(sys_, lim_, sx, successes_each, t); });
    for (auto& w : ws)
      w.join();
  }
  caf::actor lim_;
};

} // namespace

TEST_F(RateLimiterSimex, ThreadsNeverExceedTheLimitCountedAtSimex) {
  // simex allows 22 per key per second; the limiter's window budget is 4 + 16 = 20 (slack
  // for arrival jitter on a loaded machine).
  simex_process sx({"--api-key", key_arg(), "--log-file", "-", "--rate-limit", "22"});
  start(16, 4);
  tally t;
  hammer(sx, 4, 14, t);  // 56 calls: about 3.3 s at 16/s
  auto stats = admin(sx, "GET", "/stats");
  EXPECT_EQ(stats["by_key"][key_name], 56) << stats.dump();
  EXPECT_FALSE(stats["by_status"].contains("429")) << stats.dump();
  EXPECT_EQ(t.by_status[200], 56);
  EXPECT_EQ(t.refused, 0);
  auto st = nlohmann::json::parse(status(sys_, lim_));
  EXPECT_EQ(st["endpoints"][endpoint]["granted"], 56) << st.dump();
  EXPECT_GT(st["endpoints"][endpoint]["throttled"].get<int>(), 0) << st.dump();  // the limiter did the pacing
}

TEST_F(RateLimiterSimex, InjectedTooManyRequestsBurstPausesThenRecoversUnderTheLimit) {
  simex_process sx({"--api-key", key_arg(), "--log-file", "-", "--rate-limit", "22"});
  admin(sx, "POST", "/faults",
        R"({"kind":"http_429","count":3,"retry_after_s":1,"path_prefix":"/api/v3/brokerage/key_permissions"})");
  start(16, 4);
  tally t;
  hammer(sx, 3, 8, t);
  auto stats = admin(sx, "GET", "/stats");
  EXPECT_EQ(stats["faults"]["http_429"], 3) << stats.dump();
  EXPECT_EQ(stats["by_status"]["429"], 3) << stats.dump();  // only the injected ones: none from --rate-limit
  EXPECT_EQ(t.by_status[429], 3);
  EXPECT_EQ(t.by_status[200], 24);  // recovered: every worker finished
  // That the next permit waits out the hinted pause is timing-exact in the deterministic
  // actor test (TooManyRequestsPausesTheGroupUntilTheRetryHint); here, on a loaded machine,
  // a worker may simply arrive after the pause, so only the end state is checked.
  auto st = nlohmann::json::parse(status(sys_, lim_));
  EXPECT_EQ(st["endpoints"][endpoint]["rate_limited"], 3) << st.dump();
  // Tightened: once when the three 429s form one episode, twice if a stalled worker split
  // them across two pauses.
  auto factor = st["groups"]["private"]["rate_factor"].get<double>();
  EXPECT_TRUE(factor == 0.5 || factor == 0.25) << st.dump();
}

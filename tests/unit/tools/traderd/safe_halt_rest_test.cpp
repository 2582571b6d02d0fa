// Review row #3: the safe halt's emergency cancel path in LIVE needs only the REST client and
// the key — no orders actor, no order_lifecycle, no rate limiter. Against simex (which checks
// the JWT as Coinbase does): every OPEN order is listed and batch-cancelled, and a spent budget
// makes no call at all.

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "actors/exchange/coinbase/credentials.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/support/child_process.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tools/traderd/safe_halt_deps.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/safe-halt-key";

class SafeHaltRestCancel : public ::testing::Test {
protected:
  void SetUp() override {
    pem_ = pki::generate_ec_key_pem();
    auto loaded = exchange::load_credentials([this](std::string_view n) -> std::optional<std::string> {
      if (n == "COINBASE_API_KEY_NAME")
        return key_name;
      if (n == "COINBASE_API_PRIVATE_KEY")
        return pem_;
      return std::nullopt;
    });
    ASSERT_TRUE(loaded.key) << loaded.error;
    key_ = loaded.key;
    pki::write_file(dir_ / "key.pub.pem", key_->public_key_pem());
  }
  std::vector<std::string> simex_args() const {
    return {"--api-key", key_name + "=" + (dir_ / "key.pub.pem"), "--log-file", "-"};
  }
  exchange::rest_options options(const trader::testing::simex_process& sx) const {
    exchange::rest_options o;
    o.base_url = sx.rest();
    o.credentials = key_;
    o.connect_timeout = 2s;
    o.request_timeout = 2s;
    o.retry = exchange::retry_policy{2, 20ms, 100ms};
    return o;
  }
  static create_order limit_buy(const std::string& cid, std::int64_t px) {
    create_order o;
    o.id = client_order_id{cid};
    o.product = product_id{"BTC-USD"};
    o.type = order_type::limit;
    o.tif = time_in_force::gtc;
    o.base_size = *parse_fixed<size_tag>("0.001");
    o.limit_px = price::from_int(px);
    o.post_only = true;
    return o;
  }

  test::temp_dir dir_{"safe_halt_rest"};
  std::string pem_;
  std::shared_ptr<const net::api_key> key_;
};

TEST_F(SafeHaltRestCancel, ListsEveryOpenOrderAndBatchCancelsThem) {
  trader::testing::simex_process sx(simex_args());
  exchange::coinbase_rest rest{options(sx)};
  for (int i = 0; i < 3; ++i) {
    auto ack = rest.create(limit_buy("halt-" + std::to_string(i), 1000 + i));
    ASSERT_TRUE(ack) << ack.error().describe();
    ASSERT_TRUE(ack->accepted) << ack->failure_reason;
  }
  auto open = rest.open_orders();
  ASSERT_TRUE(open) << open.error().describe();
  ASSERT_EQ(open->size(), 3u);

  auto out = daemon::cancel_open_orders_over_rest(options(sx), 10s);
  EXPECT_TRUE(out.ok) << out.detail;
  EXPECT_EQ(out.path, "rest");
  EXPECT_EQ(out.open_orders, 3);
  EXPECT_EQ(out.cancelled, 3);
  EXPECT_EQ(out.failed, 0);
  EXPECT_TRUE(out.failures.empty());
  auto after = rest.open_orders();
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_TRUE(after->empty()) << after->size() << " order(s) still open";
}

TEST_F(SafeHaltRestCancel, NothingOpenIsOkAndASpentBudgetMakesNoCall) {
  trader::testing::simex_process sx(simex_args());
  auto none = daemon::cancel_open_orders_over_rest(options(sx), 10s);
  EXPECT_TRUE(none.ok) << none.detail;
  EXPECT_EQ(none.open_orders, 0);

  auto spent = daemon::cancel_open_orders_over_rest(options(sx), 0ms);
  EXPECT_FALSE(spent.ok);
  EXPECT_EQ(spent.open_orders, -1);
  EXPECT_NE(spent.detail.find("budget"), std::string::npos) << spent.detail;
}

TEST_F(SafeHaltRestCancel, AnUnreachableExchangeIsReportedWithinTheBudget) {
  auto o = exchange::rest_options{};
  o.base_url = "http://127.0.0.1:1";
  o.credentials = key_;
  o.connect_timeout = 500ms;
  o.request_timeout = 500ms;
  o.retry = exchange::retry_policy{2, 20ms, 100ms};
  auto t0 = std::chrono::steady_clock::now();
  auto out = daemon::cancel_open_orders_over_rest(o, 3s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.open_orders, -1);
  EXPECT_NE(out.detail.find("listing open orders over REST failed"), std::string::npos) << out.detail;
}

} // namespace

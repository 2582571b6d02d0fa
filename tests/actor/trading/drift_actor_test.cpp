// The drift actor on CAF's deterministic scheduler (issue 19): round trips read off a fake
// order_lifecycle's portfolio, an alert per drifting strategy, the cooldown, get_drift.

#include "actors/trading/drift/drift_actor.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace trader;
using namespace std::chrono_literals;

namespace {

struct world_box {
  ts_ns now = 1'796'212'800LL * ns_per_s;
  portfolio_update ledger;
  std::vector<alert> alerts;
  std::vector<audit_entry> audits;
  std::vector<set_strategy_enabled> switches;
};

caf::behavior fake_strategies(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](const set_strategy_enabled& m) { box->switches.push_back(m); }};
}

caf::behavior fake_lifecycle(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](get_portfolio) { return box->ledger; }};
}

caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const audit_entry& e) { box->audits.push_back(e); },
    [=](const alert& a) { box->alerts.push_back(a); },
  };
}

class DriftActorTest : public test::actor_fixture {
protected:
  void start(bool enabled = true, bool disable_on_critical = false) {
    reg_.put(names::order_lifecycle, keep(sys().spawn(fake_lifecycle, box)));
    reg_.put(names::strategies, keep(sys().spawn(fake_strategies, box)));
    auto sink = keep(sys().spawn(fake_sink, box));
    reg_.put(names::audit, sink);
    reg_.put(names::alerting, sink);
    drift::options o;
    o.enabled = enabled;
    o.policy.min_trades = 5;
    o.policy.window_trades = 10;
    o.policy.disable_on_critical = disable_on_critical;
    std::vector<double> base;
    for (int i = 0; i < 20; ++i)
      base.push_back(i % 5 < 3 ? 2.0 + 0.1 * i : -1.0);  // 60 % wins
    o.baselines = {{"momentum", base}};
    o.poll = 1min;
    o.now = [b = box] { return b->now; };
    drift = keep(drift::spawn_drift(sys(), reg_, o));
    run();
  }

  /// One losing round trip of momentum on BTC-USD: held at one poll, gone at the next.
  void lose_one() {
    position_state p;
    p.product = product_id{"BTC-USD"};
    p.strategy = "momentum";
    p.qty = size::from_double(0.01);
    p.avg_entry = price::from_double(50'000);
    box->ledger.positions = {p};
    tick();
    box->ledger.positions.clear();
    box->ledger.realized_total = box->ledger.realized_total - notional::from_double(10);  // −2 % of 500
    tick();
  }
  void tick() {
    box->now += 60 * ns_per_s;
    advance(1min);
  }
  nlohmann::json status() {
    auto r = request<std::string>(drift, 5s, get_drift{});
    EXPECT_TRUE(r->value.has_value());
    return nlohmann::json::parse(r->value.value_or("{}"));
  }

  std::shared_ptr<world_box> box = std::make_shared<world_box>();
  caf::actor drift;
};

TEST_F(DriftActorTest, ALosingStreakRaisesOneCriticalAlertUntilTheCooldownEnds) {
  start();
  for (int i = 0; i < 5; ++i)
    lose_one();
  ASSERT_EQ(box->alerts.size(), 1u);
  EXPECT_EQ(box->alerts[0].type, "strategy_drift");
  EXPECT_EQ(box->alerts[0].level, severity::critical);
  EXPECT_EQ(box->alerts[0].fingerprint, "strategy_drift:momentum");
  for (int i = 0; i < 3; ++i)
    lose_one();  // still drifting: the 24 h cooldown holds the alert back
  EXPECT_EQ(box->alerts.size(), 1u);
  auto s = status();
  ASSERT_EQ(s["strategies"].size(), 1u);
  EXPECT_EQ(s["strategies"][0]["severity"], "critical");
  EXPECT_EQ(s["strategies"][0]["live"]["trades"], 8);
  EXPECT_DOUBLE_EQ(s["strategies"][0]["live"]["win_rate_pct"].get<double>(), 0.0);
  int trades = 0;
  for (const auto& a : box->audits)
    trades += a.kind == "drift_trade";
  EXPECT_EQ(trades, 8);
  box->now += 24 * 3600 * ns_per_s;
  lose_one();
  EXPECT_EQ(box->alerts.size(), 2u);
  EXPECT_TRUE(box->switches.empty());  // disable_on_critical is off
}

TEST_F(DriftActorTest, ACriticalDriftSwitchesTheStrategyOffWhenThePolicySays) {
  start(true, true);
  for (int i = 0; i < 4; ++i)
    lose_one();
  EXPECT_TRUE(box->switches.empty());  // 4 of min_trades 5: no verdict yet
  lose_one();
  ASSERT_FALSE(box->switches.empty());
  EXPECT_EQ(box->switches.back().strategy, "momentum");
  EXPECT_FALSE(box->switches.back().enabled);
  EXPECT_EQ(box->switches.back().by, "drift");
  ASSERT_EQ(box->alerts.size(), 1u);
  EXPECT_NE(box->alerts[0].detail.find("switched off"), std::string::npos) << box->alerts[0].detail;
}

TEST_F(DriftActorTest, OffItReadsNothingAndSaysSo) {
  start(false);
  for (int i = 0; i < 5; ++i)
    lose_one();
  EXPECT_TRUE(box->alerts.empty());
  auto s = status();
  EXPECT_FALSE(s["enabled"].get<bool>());
  EXPECT_EQ(s["strategies"].size(), 0u);
}

} // namespace

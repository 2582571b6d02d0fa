// The strategies actor's runtime switch (issue 19, drift's disable_on_critical):
// set_strategy_enabled takes a strategy out of the cycle and puts it back, and says so in
// get_strategies and the audit log.

#include "actors/trading/strategies/strategies_actor.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace trader;
using namespace std::chrono_literals;

namespace {

constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;

struct world_box {
  std::vector<trade_proposal> proposals;
  std::vector<audit_entry> audits;
};

caf::behavior fake_lifecycle(caf::event_based_actor*) {
  return {[=](get_portfolio) { return portfolio_update{}; }};
}

caf::behavior fake_risk(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](const trade_proposal& p) -> risk_verdict {
    box->proposals.push_back(p);
    return risk_verdict{p.proposal_id, false, {}, {}, p.ts};
  }};
}

caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](const audit_entry& e) { box->audits.push_back(e); }, [=](const alert&) {}};
}

class StrategiesSwitchTest : public test::actor_fixture {
protected:
  void SetUp() override {
    reg_.put(names::order_lifecycle, keep(sys().spawn(fake_lifecycle)));
    reg_.put(names::risk, keep(sys().spawn(fake_risk, box)));
    auto sink = keep(sys().spawn(fake_sink, box));
    reg_.put(names::audit, sink);
    reg_.put(names::alerting, sink);
    strategies::options o;
    signals::strategy_params p;
    p.name = "momentum";
    p.enabled = true;
    p.trigger = "momentum";
    p.min_confidence = 0.1;
    o.strategies = {p};
    o.now = [] { return t0; };
    o.id_prefix = "t";
    actor = keep(strategies::spawn_strategies(sys(), reg_, o));
    reg_.put(names::strategies, actor);
    run();
  }
  /// A cycle whose closed 1-minute bar fired momentum on BTC-USD.
  void cycle(std::int64_t n) {
    signal_batch b;
    b.cycle = n;
    b.ts = t0;
    b.granularity_s = 60;
    b.regime = "bull";
    b.size_multiplier = 1.0;
    product_signals ps;
    ps.product = product_id{"BTC-USD"};
    ps.bar_start = t0 - 120 * ns_per_s;
    ps.last_close = price::from_double(100);
    ps.fired.push_back(fired_trigger{"momentum", 2.0, 0.9, 2.0, 1.0, "momentum: +2 %"});
    b.products.push_back(ps);
    caf::anon_send(actor, b);
    run();
  }
  nlohmann::json status() {
    auto r = request<std::string>(actor, 5s, get_strategies{});
    return nlohmann::json::parse(r->value.value_or("{}"));
  }

  std::shared_ptr<world_box> box = std::make_shared<world_box>();
  caf::actor actor;
};

TEST_F(StrategiesSwitchTest, ASwitchedOffStrategyProposesNothingUntilSwitchedBackOn) {
  cycle(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  caf::anon_send(actor, set_strategy_enabled{"momentum", false, "critical drift", "drift"});
  run();
  cycle(2);
  EXPECT_EQ(box->proposals.size(), 1u);
  auto s = status();
  EXPECT_EQ(s.value("no_trade_reason", ""), "no_strategy_enabled") << s.dump();
  EXPECT_EQ(s["disabled_at_runtime"].value("momentum", ""), "critical drift") << s.dump();
  int switches = 0;
  for (const auto& a : box->audits)
    switches += a.kind == "strategy_switch";
  EXPECT_EQ(switches, 1);
  caf::anon_send(actor, set_strategy_enabled{"momentum", false, "critical drift", "drift"});  // again: no news
  run();
  caf::anon_send(actor, set_strategy_enabled{"momentum", true, "operator", "test"});
  run();
  cycle(3);
  EXPECT_EQ(box->proposals.size(), 2u);
  switches = 0;
  for (const auto& a : box->audits)
    switches += a.kind == "strategy_switch";
  EXPECT_EQ(switches, 2);
}

} // namespace

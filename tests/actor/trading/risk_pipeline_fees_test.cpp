// The risk actor reads the account's fee tier from accounts (issue 15 item 6: maker/taker
// from the fee endpoint) and keeps the policy's fallback rates while accounts cannot answer.
#include "tests/actor/trading/risk_pipeline_fixture.hpp"

using namespace risk_pipeline;

namespace {

caf::behavior fake_accounts(caf::event_based_actor*, bool answers) {
  return {
    [=](const get_fee_tier&) -> caf::result<fee_tier> {
      if (!answers)
        return make_error(errc::rejected, "no credentials");
      fee_tier t;
      t.tier = "Advanced 2";
      t.maker_rate = 0.0025;
      t.taker_rate = 0.004;
      t.fetched = t0;
      return t;
    },
  };
}

} // namespace

class RiskFeesTest : public RiskPipelineTest {
protected:
  nlohmann::json fees(const caf::actor& risk) {
    auto r = request<std::string>(risk, 30s, risk::risk_view_atom::value);
    if (!r || !r->value)
      return {};
    return nlohmann::json::parse(*r->value).value("fees", nlohmann::json::object());
  }
};

TEST_F(RiskFeesTest, TheExchangesFeeTierReplacesThePolicysRates) {
  reg_.put(names::accounts, keep(sys().spawn(fake_accounts, true)));
  auto risk = start();
  auto f = fees(risk);
  EXPECT_EQ(f.value("source", ""), "exchange") << f.dump();
  EXPECT_DOUBLE_EQ(f.value("maker_bps", 0.0), 25.0) << f.dump();
  EXPECT_DOUBLE_EQ(f.value("taker_bps", 0.0), 40.0) << f.dump();
}

TEST_F(RiskFeesTest, WithoutAnAnswerThePolicysFallbackRatesStay) {
  reg_.put(names::accounts, keep(sys().spawn(fake_accounts, false)));
  auto p = risk::default_risk_policy();
  auto risk = start({}, p);
  auto f = fees(risk);
  EXPECT_EQ(f.value("source", ""), "policy") << f.dump();
  EXPECT_DOUBLE_EQ(f.value("maker_bps", 0.0), p.maker_fee_bps) << f.dump();
  EXPECT_DOUBLE_EQ(f.value("taker_bps", 0.0), p.taker_fee_bps) << f.dump();
}

// accounts registered after risk started (subtrees start concurrently): risk asks at its
// next tick, not after 10 s (or, before, 5 minutes).
TEST_F(RiskFeesTest, AnAccountsActorThatAppearsLaterIsAskedAtTheNextTick) {
  auto risk = start();
  EXPECT_EQ(fees(risk).value("source", ""), "policy");
  reg_.put(names::accounts, keep(sys().spawn(fake_accounts, true)));
  advance(1s);  // one of risk's 1 s ticks
  EXPECT_EQ(fees(risk).value("source", ""), "exchange");
}

// An accounts that answers with an error is not asked every tick: every 10 s.
TEST_F(RiskFeesTest, AnAccountsThatCannotAnswerIsAskedEveryTenSeconds) {
  int asked = 0;
  reg_.put(names::accounts, keep(sys().spawn([&asked]() -> caf::behavior {
    return {[&asked](const get_fee_tier&) -> caf::result<fee_tier> {
      ++asked;
      return caf::make_error(caf::sec::request_timeout);
    }};
  })));
  auto risk = start();
  const int at_start = asked;
  for (int i = 0; i < 20; ++i)
    advance(1s);
  EXPECT_GE(at_start, 1);
  EXPECT_LE(asked - at_start, 2) << "asked " << asked - at_start << " times in 20 s";
  EXPECT_EQ(fees(risk).value("source", ""), "policy");
}

// No shorts, pyramiding rules, regime multiplier.
#include "risk_world.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
bool passes(const check_result& r) { return r.outcome == check_outcome::approve; }
bool rejects(const check_result& r, std::string_view id) {
  return r.outcome == check_outcome::reject && r.why.check == id;
}
// A world holding 0.01 BTC bought at 40 000 (marked 50 000: winning) with pyramiding on.
world pyramid_world() {
  world w;
  w.hold_btc();
  w.policy.pyramiding.enabled = true;
  w.proposal.kind = proposal_kind::add;
  w.proposal.target = usd(200);
  return w;
}
} // namespace

TEST(NoShorts, ASellThatOpensIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_no_shorts(w.ctx())));
  w.proposal.dir = side::sell;
  auto r = check_no_shorts(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::no_shorts));
  EXPECT_EQ(r.why.detail, "product=BTC-USD sell opens a short");
}

TEST(NoShorts, SellingWithoutAPositionIsRejected) {
  world w;
  w.proposal.dir = side::sell;
  w.proposal.kind = proposal_kind::reduce;
  EXPECT_TRUE(rejects(check_no_shorts(w.ctx()), check_id::no_shorts));
  w.hold_btc();
  EXPECT_TRUE(passes(check_no_shorts(w.ctx())));
}

TEST(NoShorts, AReduceLargerThanThePositionIsCutToIt) {
  world w;
  w.hold_btc(0.01);  // 500 USD at the mark
  w.proposal.dir = side::sell;
  w.proposal.kind = proposal_kind::reduce;
  w.proposal.target = usd(800);
  auto r = check_no_shorts(w.ctx());
  EXPECT_EQ(r.outcome, check_outcome::resize);
  EXPECT_EQ(r.cap, usd(500));
}

TEST(NoShorts, ABuyToReduceIsRejected) {
  world w;
  w.hold_btc();
  w.proposal.kind = proposal_kind::reduce;
  EXPECT_TRUE(rejects(check_no_shorts(w.ctx()), check_id::no_shorts));
}

TEST(Pyramiding, AnAddIsRejectedWhilePyramidingIsOff) {
  auto w = pyramid_world();
  EXPECT_TRUE(passes(check_pyramiding(w.ctx())));
  w.policy.pyramiding.enabled = false;
  auto r = check_pyramiding(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::pyramiding));
  EXPECT_EQ(r.why.detail, "product=BTC-USD rule=disabled");
}

TEST(Pyramiding, AnOpenOnAHeldProductCountsAsAnAdd) {
  auto w = pyramid_world();
  w.policy.pyramiding.enabled = false;
  w.proposal.kind = proposal_kind::open;
  EXPECT_TRUE(w.ctx().is_add);
  EXPECT_TRUE(rejects(check_pyramiding(w.ctx()), check_id::pyramiding));
}

TEST(Pyramiding, AddsPerPositionAreLimited) {
  auto w = pyramid_world();
  w.book.positions[0].adds = 1;
  w.book.positions[0].last_add_at = t0 - seconds(2 * 86'400);
  auto r = check_pyramiding(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::pyramiding));
  EXPECT_NE(r.why.detail.find("rule=max_adds_per_position"), std::string::npos);
}

TEST(Pyramiding, AddsPerUtcDayAreLimitedAndResetAtMidnight) {
  auto w = pyramid_world();
  w.policy.pyramiding.max_adds_per_position = 5;
  w.policy.pyramiding.add_cooldown_s = 0;
  w.book.positions[0].adds = 1;
  w.book.positions[0].adds_today = 1;
  w.book.positions[0].last_add_at = t0 - seconds(3600);  // same UTC day
  auto r = check_pyramiding(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::pyramiding));
  EXPECT_NE(r.why.detail.find("rule=max_adds_per_day"), std::string::npos);
  w.book.positions[0].last_add_at = t0 - seconds(13 * 3600);  // 23:00 the day before
  EXPECT_TRUE(passes(check_pyramiding(w.ctx())));
}

TEST(Pyramiding, AddsRespectTheirCooldown) {
  auto w = pyramid_world();
  w.policy.pyramiding.max_adds_per_position = 5;
  w.policy.pyramiding.max_adds_per_day = 5;
  w.book.positions[0].adds = 1;
  w.book.positions[0].adds_today = 1;
  w.book.positions[0].last_add_at = t0 - seconds(599);
  EXPECT_TRUE(rejects(check_pyramiding(w.ctx()), check_id::pyramiding));
  w.book.positions[0].last_add_at = t0 - seconds(600);
  EXPECT_TRUE(passes(check_pyramiding(w.ctx())));
}

TEST(Pyramiding, PyramidedPositionsAreLimited) {
  auto w = pyramid_world();
  w.policy.pyramiding.max_pyramid_positions = 1;
  auto eth = position("ETH-USD", 0.1, 2'000, 3'000);
  eth.adds = 1;
  w.book.positions.push_back(eth);
  auto r = check_pyramiding(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::pyramiding));
  EXPECT_NE(r.why.detail.find("rule=max_pyramid_positions"), std::string::npos);
}

TEST(Pyramiding, OnlyWinningPositionsMayBeAddedTo) {
  auto w = pyramid_world();
  w.book.positions[0].mark = px(39'000);
  auto r = check_pyramiding(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::pyramiding));
  EXPECT_NE(r.why.detail.find("rule=not_winning"), std::string::npos);
}

TEST(Pyramiding, AnAddIsCutToAddSizePctOfTheInitialPosition) {
  auto w = pyramid_world();  // initial 0.01 BTC × 50 000 = 500; 50 % = 250
  w.proposal.target = usd(250);
  EXPECT_TRUE(passes(check_pyramiding(w.ctx())));
  w.proposal.target = usd(300);
  auto r = check_pyramiding(w.ctx());
  EXPECT_EQ(r.outcome, check_outcome::resize);
  EXPECT_EQ(r.cap, usd(250));
}

TEST(Regime, AZeroMultiplierBlocksNewRisk) {
  world w;
  w.market.regime_multiplier = 0.25;
  EXPECT_TRUE(passes(check_regime(w.ctx())));
  w.market.regime_multiplier = 0;
  w.market.regime = "crash";
  auto r = check_regime(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::regime_blocked));
  EXPECT_EQ(r.why.detail, "regime=crash multiplier=0.00");
}

TEST(Regime, TheMultiplierScalesTheDesiredAmount) {
  world w;
  w.market.regime_multiplier = 0.5;
  EXPECT_EQ(w.ctx().desired, usd(200));
  w.market.regime_multiplier = 1.5;
  EXPECT_EQ(w.ctx().desired, usd(600));
}

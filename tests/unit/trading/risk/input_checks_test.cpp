// Bad-input checks: each triggers on its own input and stays quiet on the default world.
#include "risk_world.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
bool passes(check_result r) { return r.outcome == check_outcome::approve; }
void expect_reject(const check_result& r, std::string_view id) {
  EXPECT_EQ(r.outcome, check_outcome::reject);
  EXPECT_EQ(r.why.check, id);
}
} // namespace

TEST(InputChecks, TheDefaultWorldPassesEveryCheck) {
  world w;
  auto c = w.ctx();
  for (const auto& def : all_checks())
    EXPECT_TRUE(passes(run_check(def, c))) << def.id << ": " << run_check(def, c).why.detail;
}

TEST(InputChecks, UnknownProductIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_unknown_product(w.ctx())));
  w.proposal.product = pid("XYZ-USD");
  auto r = check_unknown_product(w.ctx());
  expect_reject(r, check_id::unknown_product);
  EXPECT_EQ(r.why.detail, "product=XYZ-USD");
}

TEST(InputChecks, DelistedProductIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_product_delisted(w.ctx())));
  w.edit("BTC-USD", [](market_entry& e) { e.status = product_state::delisted; });
  expect_reject(check_product_delisted(w.ctx()), check_id::product_delisted);
}

TEST(InputChecks, ZeroNegativeAndAbsurdTargetsAreRejected) {
  world w;
  EXPECT_TRUE(passes(check_invalid_size(w.ctx())));
  for (auto t : {usd(0), usd(-5), usd(2e9)}) {
    w.proposal.target = t;
    expect_reject(check_invalid_size(w.ctx()), check_id::invalid_size);
  }
}

TEST(InputChecks, NegativeLimitPriceIsRejectedAndZeroMeansUnpriced) {
  world w;
  w.proposal.limit_px = px(0);
  EXPECT_TRUE(passes(check_invalid_price(w.ctx())));
  w.proposal.limit_px = px(-1);
  expect_reject(check_invalid_price(w.ctx()), check_id::invalid_price);
}

TEST(InputChecks, UnknownStrategyIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_unknown_strategy(w.ctx())));
  w.proposal.strategy = "ghost";
  auto r = check_unknown_strategy(w.ctx());
  expect_reject(r, check_id::unknown_strategy);
  EXPECT_EQ(r.why.detail, "strategy=ghost");
}

TEST(InputChecks, DisabledStrategyIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_strategy_disabled(w.ctx())));
  w.proposal.strategy = "momentum";  // disabled in the conservative profile
  expect_reject(check_strategy_disabled(w.ctx()), check_id::strategy_disabled);
}

TEST(InputChecks, StalePortfolioSnapshotIsRejected) {
  world w;
  w.now = t0 + seconds(60);  // exactly the limit
  EXPECT_TRUE(passes(check_stale_portfolio(w.ctx())));
  w.now = t0 + seconds(61);
  auto r = check_stale_portfolio(w.ctx());
  expect_reject(r, check_id::stale_portfolio);
  EXPECT_EQ(r.why.detail, "age_s=61.0 limit_s=60.0");
}

TEST(InputChecks, MissingPortfolioSnapshotIsRejected) {
  world w;
  w.book.taken_at = 0;
  expect_reject(check_stale_portfolio(w.ctx()), check_id::stale_portfolio);
}

TEST(InputChecks, NonPositiveNavIsRejected) {
  world w;
  EXPECT_TRUE(passes(check_invalid_nav(w.ctx())));
  w.book.nav = usd(0);
  expect_reject(check_invalid_nav(w.ctx()), check_id::invalid_nav);
}

// Market checks: exchange-status breaker, stale and invalid quotes, spread, depth, impact.
#include "risk_world.hpp"

#include "messages/names.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
bool passes(const check_result& r) { return r.outcome == check_outcome::approve; }
bool rejects(const check_result& r, std::string_view id) {
  return r.outcome == check_outcome::reject && r.why.check == id;
}
} // namespace

TEST(MarketChecks, EveryStatusButOnlineBlocksNewRisk) {
  world w;
  EXPECT_TRUE(passes(check_exchange_status(w.ctx())));
  for (auto s : {product_state::post_only, product_state::limit_only, product_state::cancel_only,
                 product_state::offline, product_state::delisted}) {
    w.edit("BTC-USD", [s](market_entry& e) { e.status = s; });
    auto r = check_exchange_status(w.ctx());
    EXPECT_TRUE(rejects(r, check_id::exchange_status)) << to_string(s);
    EXPECT_EQ(r.why.detail, std::string("product=BTC-USD status=") + std::string{to_string(s)});
  }
}

TEST(MarketChecks, UnknownStatusBlocksNewRisk) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.status.reset(); });
  auto r = check_exchange_status(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::exchange_status));
  EXPECT_EQ(r.why.detail, "product=BTC-USD status=unknown");
}

TEST(MarketChecks, ExitsPassPostOnlyAndLimitOnlyButNotCancelOnly) {
  world w;
  w.hold_btc();
  w.proposal.dir = side::sell;
  w.proposal.kind = proposal_kind::close;
  w.edit("BTC-USD", [](market_entry& e) { e.status = product_state::limit_only; });
  EXPECT_TRUE(passes(check_exchange_status(w.ctx())));
  w.edit("BTC-USD", [](market_entry& e) { e.status = product_state::cancel_only; });
  EXPECT_TRUE(rejects(check_exchange_status(w.ctx()), check_id::exchange_status));
}

TEST(MarketChecks, QuoteOlderThanMaxAgeIsStale) {
  world w;
  w.now = t0 + seconds(30);
  w.book.taken_at = w.now;
  EXPECT_TRUE(passes(check_stale_quote(w.ctx())));
  w.now = t0 + seconds(31);
  w.book.taken_at = w.now;
  auto r = check_stale_quote(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::stale_quote));
  EXPECT_EQ(r.why.detail, "product=BTC-USD age_s=31.000 limit_s=30.000");
}

TEST(MarketChecks, MissingQuoteIsStale) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top.reset(); });
  EXPECT_TRUE(rejects(check_stale_quote(w.ctx()), check_id::stale_quote));
}

TEST(MarketChecks, StalenessUsesTheClockOffsetOnTheExchangeStamp) {
  world w;
  // Received just now, but stamped 40 s ago by an exchange clock that runs 20 s behind ours:
  // corrected age 20 s (fresh). Without the offset it would read 40 s (stale).
  w.market.clock_offset_ns = -seconds(20);
  w.edit("BTC-USD", [](market_entry& e) { e.top->ts_event = t0 - seconds(40); });
  EXPECT_TRUE(passes(check_stale_quote(w.ctx())));
  w.market.clock_offset_ns = 0;
  EXPECT_TRUE(rejects(check_stale_quote(w.ctx()), check_id::stale_quote));
}

TEST(MarketChecks, LateReceiptIsStaleEvenWithAFreshExchangeStamp) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top->ts_recv = t0 - seconds(45); });
  EXPECT_TRUE(rejects(check_stale_quote(w.ctx()), check_id::stale_quote));
}

TEST(MarketChecks, QuoteFromTheFutureBeyondSkewIsRejected) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top->ts_event = t0 + 100 * ns_per_ms; });
  EXPECT_TRUE(passes(check_stale_quote(w.ctx())));  // within max_clock_skew_ms = 150
  w.edit("BTC-USD", [](market_entry& e) { e.top->ts_event = t0 + 200 * ns_per_ms; });
  EXPECT_TRUE(rejects(check_stale_quote(w.ctx()), check_id::stale_quote));
}

TEST(MarketChecks, CrossedOrNonPositiveQuoteIsInvalid) {
  world w;
  EXPECT_TRUE(passes(check_invalid_quote(w.ctx())));
  w.edit("BTC-USD", [](market_entry& e) { e.top->bid = px(50'002); });
  EXPECT_TRUE(rejects(check_invalid_quote(w.ctx()), check_id::invalid_quote));
  w.edit("BTC-USD", [](market_entry& e) { e.top->bid = px(0); });
  EXPECT_TRUE(rejects(check_invalid_quote(w.ctx()), check_id::invalid_quote));
}

TEST(MarketChecks, SpreadWiderThanLimitBlocksEntries) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top->ask = px(50'240); });  // ≈ 47.7 bps
  EXPECT_TRUE(passes(check_spread(w.ctx())));
  w.edit("BTC-USD", [](market_entry& e) { e.top->ask = px(50'260); });  // ≈ 51.7 bps
  auto r = check_spread(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::spread_too_wide));
  EXPECT_EQ(r.why.detail, "product=BTC-USD spread_bps=51.87 limit_bps=50.00");
}

TEST(MarketChecks, ThinTopOfBookIsInsufficientDepth) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top->bid_size = qty(0.09); });  // 4 500 USD < 5 000
  EXPECT_TRUE(rejects(check_depth(w.ctx()), check_id::insufficient_depth));
}

TEST(MarketChecks, DepthWithinTheWindowMustCoverTheOrderTwice) {
  world w;
  w.policy.min_top_of_book_usd = 0;
  // 0.012 BTC at the touch (600 USD), the rest 1 % away, outside the 25 bps window.
  w.edit("BTC-USD", [](market_entry& e) {
    e.asks = {{px(50'001), qty(0.012)}, {px(50'600), qty(10)}};
  });
  w.proposal.target = usd(300);  // needs 600
  EXPECT_TRUE(passes(check_depth(w.ctx())));
  w.proposal.target = usd(301);
  auto r = check_depth(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::insufficient_depth));
  EXPECT_EQ(r.why.detail, "product=BTC-USD within_bps=25.0 depth=600.012 need=602");
}

TEST(MarketChecks, WalkingTheBookBeyondTheImpactLimitIsRejected) {
  world w;
  // 100 USD at the touch, then 1 % higher: a 400 USD buy averages ≈ 75 bps above the touch.
  w.edit("BTC-USD", [](market_entry& e) { e.asks = {{px(50'000), qty(0.002)}, {px(50'500), qty(1)}}; });
  auto r = check_price_impact(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::price_impact));
  w.proposal.target = usd(100);
  EXPECT_TRUE(passes(check_price_impact(w.ctx())));
}

TEST(MarketChecks, AnOrderBeyondVisibleDepthHasUnknownImpact) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.asks = {{px(50'001), qty(0.001)}}; });
  auto r = check_price_impact(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::price_impact));
  EXPECT_NE(r.why.detail.find("beyond visible depth"), std::string::npos);
}

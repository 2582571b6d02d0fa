// risk_desk with what the risk actor learns beyond quotes: level-2 books for depth and price
// impact (fail closed without one), the regime an entry was sized for, ATR exits, the
// pyramiding counts it keeps per position, and deposits/withdrawals kept out of PnL.
#include "actors/trading/risk/level_books.hpp"
#include "actors/trading/risk/pyramid_book.hpp"
#include "actors/trading/risk/risk_desk.hpp"
#include "risk_world.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace risk_test;

namespace {

product_info info(const std::string& product, const std::string& base) {
  product_info p;
  p.product = pid(product);
  p.base_currency = base;
  p.quote_currency = "USD";
  p.price_increment = px(0.01);
  p.base_increment = qty(0.00000001);
  p.base_min_size = qty(0.00001);
  p.base_max_size = qty(10'000);
  p.quote_min_size = usd(1);
  p.state = product_state::online;
  return p;
}

book_update snapshot_of(const std::string& product, std::vector<book_level> bids, std::vector<book_level> asks,
                        std::int64_t seq = 1) {
  book_update u;
  u.product = pid(product);
  u.is_snapshot = true;
  u.bids = std::move(bids);
  u.asks = std::move(asks);
  u.sequence = seq;
  u.ts_recv = t0;
  return u;
}

/// BTC-USD quoted 50 000 / 50 001 with `ticker_size` BTC a side (1 unless told); with `book`,
/// a level-2 book of 1 BTC a side at the same prices.
risk_desk desk(bool book = true, risk_policy p = default_risk_policy(), double ticker_size = 1) {
  risk_desk d{std::move(p)};
  d.on_products({info("BTC-USD", "BTC")});
  d.on_quote(quote_at("BTC-USD", 50'000, 50'001, ticker_size, t0));
  if (book)
    d.on_book(snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(1)}}));
  return d;
}

portfolio_update ledger(double cash, std::vector<position_state> positions = {}, std::uint64_t version = 1,
                        double realized_total = 0) {
  portfolio_update u;
  u.version = version;
  u.cash = usd(cash);
  u.positions = std::move(positions);
  u.realized_total = usd(realized_total);
  u.ts = t0;
  u.reconciled = true;
  return u;
}

position_state held(double q, double entry) {
  position_state p;
  p.product = pid("BTC-USD");
  p.strategy = "breakout";
  p.qty = qty(q);
  p.avg_entry = px(entry);
  p.fills = 1;
  p.opened_at = t0 - seconds(7200);
  p.updated_at = t0 - seconds(7200);
  return p;
}

trade_proposal buy(double target = 400, proposal_kind kind = proposal_kind::open) {
  trade_proposal p;
  p.proposal_id = "breakout:1";
  p.strategy = "breakout";
  p.product = pid("BTC-USD");
  p.kind = kind;
  p.target = usd(target);
  p.ts = t0;
  return p;
}

std::string first(const evaluation& ev) {
  return ev.verdict.rejections.empty() ? "" : ev.verdict.rejections[0].check + " " + ev.verdict.rejections[0].detail;
}

} // namespace

// -- level-2 books ----------------------------------------------------------------------------

TEST(LevelBooks, UpdatesBeforeASnapshotAreIgnoredAndAZeroQuantityRemovesALevel) {
  level_books b;
  book_update u;
  u.product = pid("BTC-USD");
  u.bids = {{px(100), qty(1)}};
  b.apply(u);
  EXPECT_FALSE(b.usable(pid("BTC-USD")));
  b.apply(snapshot_of("BTC-USD", {{px(100), qty(1)}, {px(99), qty(2)}}, {{px(101), qty(1)}}));
  ASSERT_TRUE(b.usable(pid("BTC-USD")));
  u.sequence = 2;
  u.bids = {{px(100), qty(0)}};
  b.apply(u);
  std::vector<book_level> bids, asks;
  ASSERT_TRUE(b.top(pid("BTC-USD"), 10, bids, asks));
  ASSERT_EQ(bids.size(), 1u);
  EXPECT_EQ(bids[0].px, px(99));
  EXPECT_EQ(asks[0].px, px(101));
}

TEST(LevelBooks, AnUpdateOlderThanTheBookIsIgnored) {
  level_books b;
  b.apply(snapshot_of("BTC-USD", {{px(100), qty(1)}}, {{px(101), qty(1)}}, 10));
  book_update old;
  old.product = pid("BTC-USD");
  old.sequence = 9;
  old.asks = {{px(101), qty(0)}};
  b.apply(old);
  EXPECT_TRUE(b.usable(pid("BTC-USD")));  // the ask is still there
}

TEST(LevelBooks, ACrossedOrDroppedBookIsNotUsable) {
  level_books b;
  b.apply(snapshot_of("BTC-USD", {{px(102), qty(1)}}, {{px(101), qty(1)}}));
  EXPECT_FALSE(b.usable(pid("BTC-USD")));
  b.apply(snapshot_of("BTC-USD", {{px(100), qty(1)}}, {{px(101), qty(1)}}));
  EXPECT_TRUE(b.usable(pid("BTC-USD")));
  b.drop(product_id{""});
  EXPECT_FALSE(b.usable(pid("BTC-USD")));
}

TEST(RiskDeskBook, WithoutALevel2BookAnEntryIsRefusedWhenTheBookIsRequired) {
  auto d = desk(false);
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy(), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "INSUFFICIENT_DEPTH");
  EXPECT_NE(ev.verdict.rejections[0].detail.find("book=none"), std::string::npos);
}

TEST(RiskDeskBook, WithoutRequireBookTheQuotesTouchStandsInForTheBook) {
  auto p = default_risk_policy();
  p.require_book = false;
  auto d = desk(false, p);
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy(), t0);
  EXPECT_TRUE(ev.verdict.approved) << first(ev);
}

// The ticker comes with trades; between them the level-2 book moves on. With a usable book
// its touch is the quote judged: a thin touch the last ticker did not show is refused, a
// thick one a stale ticker understated is not.
TEST(RiskDeskBook, TheBooksTouchIsTheQuoteJudged) {
  auto thin = desk(false);  // the ticker: 1 BTC (≈ 50 000 USD) a side
  thin.on_book(snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(0.004)}, {px(50'002), qty(1)}}));
  thin.on_portfolio(ledger(20'000), t0);
  auto ev = thin.evaluate(buy(), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "INSUFFICIENT_DEPTH") << first(ev);
  EXPECT_NE(ev.verdict.rejections[0].detail.find("ask_top=200.004"), std::string::npos) << first(ev);

  auto thick = desk(true, default_risk_policy(), 0.001);  // the ticker's 50 USD touch: below min_top
  thick.on_portfolio(ledger(20'000), t0);
  auto ok = thick.evaluate(buy(), t0);
  EXPECT_TRUE(ok.verdict.approved) << first(ok);
}

// A book updated after the last ticker keeps the quote fresh: no STALE_QUOTE while the
// market moves without trades.
TEST(RiskDeskBook, ABookNewerThanTheTickerKeepsTheQuoteFresh) {
  auto d = desk(false);  // the ticker at t0
  const ts_ns later = t0 + 40 * ns_per_s;  // past max_quote_age_s (30) after the ticker
  auto u = snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(1)}});
  u.ts_recv = u.ts_event = later;
  d.on_book(u);
  d.on_portfolio(ledger(20'000), later);
  auto ev = d.evaluate(buy(), later + ns_per_s);
  EXPECT_TRUE(ev.verdict.approved) << first(ev);
  // Without a book the same ticker is stale.
  auto old = desk(false);
  old.on_portfolio(ledger(20'000), later);
  auto stale = old.evaluate(buy(), later + ns_per_s);
  ASSERT_FALSE(stale.verdict.approved);
  EXPECT_EQ(stale.verdict.rejections[0].check, "STALE_QUOTE") << first(stale);
}

TEST(RiskDeskBook, DepthCountsOnlyTheLevelsWithinTheWindowOfTheTouch) {
  auto p = default_risk_policy();
  p.min_top_of_book_usd = 0;  // the thin touch below is what the window test is about
  auto d = desk(false, p);
  // 0.004 BTC (≈ 200 USD) at the touch, 1 BTC 50 bps away: outside the 25 bps window.
  d.on_book(snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(0.004)}, {px(50'260), qty(1)}}));
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy(), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "INSUFFICIENT_DEPTH") << first(ev);
  EXPECT_NE(ev.verdict.rejections[0].detail.find("within_bps=25.0"), std::string::npos) << first(ev);
}

TEST(RiskDeskBook, PriceImpactWalksTheBookLevels) {
  auto p = default_risk_policy();
  p.min_depth_multiple = 0;  // judge the impact alone
  p.min_top_of_book_usd = 0;
  p.depth_window_bps = 10'000;
  auto d = desk(false, p);
  // 100 USD at the touch, the rest 1 % higher: a 400 USD buy averages ≈ 75 bps above the ask.
  d.on_book(snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(0.002)}, {px(50'500), qty(1)}}));
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy(), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "PRICE_IMPACT") << first(ev);
  EXPECT_NE(ev.verdict.rejections[0].detail.find("impact_bps="), std::string::npos);
}

TEST(RiskDeskBook, AnUnhealthyFeedDropsTheBookUntilTheNextSnapshot) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  ASSERT_TRUE(d.evaluate(buy(), t0).verdict.approved);
  d.drop_book(pid("BTC-USD"));
  EXPECT_EQ(d.evaluate(buy(), t0).verdict.rejections.at(0).check, "INSUFFICIENT_DEPTH");
  d.on_book(snapshot_of("BTC-USD", {{px(50'000), qty(1)}}, {{px(50'001), qty(1)}}, 7));
  EXPECT_TRUE(d.evaluate(buy(), t0).verdict.approved);
}

// -- regime -----------------------------------------------------------------------------------

TEST(RiskDeskRegime, AnEntryIsSizedByThePolicysMultiplierForItsRegime) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy(400);
  p.regime = "bear";  // 0.25 in the default policy, nothing applied by the strategy
  auto ev = d.evaluate(p, t0);
  ASSERT_TRUE(ev.verdict.approved) << first(ev);
  EXPECT_EQ(ev.desired, usd(100));
}

TEST(RiskDeskRegime, AMultiplierTheStrategyAlreadyAppliedIsNotAppliedTwice) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy(200);
  p.regime = "chop";
  p.size_multiplier = 0.5;  // 200 = 400 × 0.5 already
  EXPECT_EQ(d.evaluate(p, t0).desired, usd(200));
  p.regime = "bear";  // risk's policy says less than the strategy applied: cut to 0.25 / 0.5
  EXPECT_EQ(d.evaluate(p, t0).desired, usd(100));
  p.regime = "bull";  // more than applied: never scaled up
  EXPECT_EQ(d.evaluate(p, t0).desired, usd(200));
}

TEST(RiskDeskRegime, CrashAndUnknownRegimesAddNoRisk) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  for (const char* r : {"crash", "sideways"}) {
    auto p = buy();
    p.regime = r;
    auto ev = d.evaluate(p, t0);
    ASSERT_FALSE(ev.verdict.approved) << r;
    EXPECT_EQ(ids(ev.verdict).front(), "REGIME_BLOCKED") << r;
  }
}

// -- ATR exits --------------------------------------------------------------------------------

TEST(RiskDeskAtr, AnAtrExitWithoutAnyKnownAtrIsRefused) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy();
  p.exits.stop_loss_atr = 2;
  auto ev = d.evaluate(p, t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ids(ev.verdict), std::vector<std::string>{"EXIT_ATR_UNKNOWN"});
  p.exits.atr = px(800);  // brought by the proposal: fine, and remembered for the product
  EXPECT_TRUE(d.evaluate(p, t0).verdict.approved);
  p.exits.atr = price{};
  EXPECT_TRUE(d.evaluate(p, t0).verdict.approved) << first(d.evaluate(p, t0));
}

TEST(RiskDeskAtr, PercentExitsNeedNoAtr) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy();
  p.exits.stop_loss_pct = 4;
  EXPECT_TRUE(d.evaluate(p, t0).verdict.approved);
}

// -- pyramiding counts ------------------------------------------------------------------------

namespace {
risk_policy pyramiding_on() {
  auto p = default_risk_policy();
  p.pyramiding.enabled = true;
  p.pyramiding.max_adds_per_position = 1;
  p.pyramiding.add_cooldown_s = 0;
  p.per_symbol_cooldown_s = 0;
  p.min_seconds_between_trades = 0;
  return p;
}
} // namespace

TEST(RiskDeskPyramid, AnAddThatWentOutCountsAgainstMaxAddsPerPosition) {
  auto d = desk(true, pyramiding_on());
  d.on_portfolio(ledger(19'500, {held(0.01, 40'000)}), t0);
  auto ev = d.evaluate(buy(400, proposal_kind::add), t0);
  ASSERT_TRUE(ev.verdict.approved) << first(ev) << (ev.verdict.rejections.size() > 1 ? ev.verdict.rejections[1].check : "");
  d.record_sent(buy(400, proposal_kind::add), ev, t0);
  const auto* r = d.pyramid().find(pid("BTC-USD"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->adds, 1);
  EXPECT_EQ(r->initial_qty, qty(0.01));
  auto again = d.evaluate(buy(400, proposal_kind::add), t0 + seconds(10));
  ASSERT_FALSE(again.verdict.approved);
  EXPECT_NE(first(again).find("rule=max_adds_per_position adds=1"), std::string::npos) << first(again);
}

TEST(RiskDeskPyramid, AnAddNeedsTheMarkMinAddDistanceAboveTheLastEntry) {
  auto p = pyramiding_on();
  p.pyramiding.min_add_distance_pct = 30;  // 40 000 × 1.3 = 52 000 > the 50 000.5 mark
  auto d = desk(true, p);
  d.on_portfolio(ledger(19'500, {held(0.01, 40'000)}), t0);
  auto ev = d.evaluate(buy(400, proposal_kind::add), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_NE(first(ev).find("rule=min_add_distance"), std::string::npos) << first(ev);
}

TEST(RiskDeskPyramid, TheCountsSurviveAsJsonAndGoWithThePosition) {
  auto d = desk(true, pyramiding_on());
  d.on_portfolio(ledger(19'500, {held(0.01, 40'000)}), t0);
  auto ev = d.evaluate(buy(400, proposal_kind::add), t0);
  d.record_sent(buy(400, proposal_kind::add), ev, t0);
  auto restored = pyramid_book::from_json(d.pyramid().to_json());
  ASSERT_TRUE(restored);
  ASSERT_NE(restored->find(pid("BTC-USD")), nullptr);
  EXPECT_EQ(restored->find(pid("BTC-USD"))->adds, 1);
  EXPECT_EQ(restored->find(pid("BTC-USD"))->last_entry, ev.verdict.intent.limit_px);
  EXPECT_FALSE(pyramid_book::from_json(R"({"v":2,"positions":[]})"));
  auto fx = d.on_portfolio(ledger(20'000, {}, 2, 1'000), t0 + seconds(60));
  EXPECT_TRUE(fx.pyramid_changed);
  EXPECT_EQ(d.pyramid().find(pid("BTC-USD")), nullptr);
}

// -- deposits and withdrawals -----------------------------------------------------------------

TEST(RiskDeskCashFlow, FillsAreNotTransfers) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  // Bought 0.01 BTC at 50 000 for 500 + 3 fee; then sold it at 51 000 (−3 fee): +1000 − 6.
  EXPECT_FALSE(d.on_portfolio(ledger(19'497, {held(0.01, 50'000)}, 2), t0).cash_flow);
  EXPECT_FALSE(d.on_portfolio(ledger(20'004, {}, 3, 4), t0).cash_flow);
}

TEST(RiskDeskCashFlow, AWithdrawalIsNotADrawdownAndADepositNotProfit) {
  auto p = default_risk_policy();
  auto d = desk(true, p);
  d.on_portfolio(ledger(20'000), t0);
  ASSERT_TRUE(d.update_loss(t0)->active.empty());
  auto fx = d.on_portfolio(ledger(15'000, {}, 2), t0 + seconds(1));  // 25 % withdrawn
  ASSERT_TRUE(fx.cash_flow);
  EXPECT_EQ(fx.cash_flow->amount, usd(-5'000));
  auto s = d.update_loss(t0 + seconds(1));
  EXPECT_TRUE(s->active.empty()) << s->active[0].detail;
  EXPECT_EQ(s->high_water, usd(15'000));
  EXPECT_EQ(s->pnl_day, usd(0));
  fx = d.on_portfolio(ledger(25'000, {}, 3), t0 + seconds(2));  // a deposit
  ASSERT_TRUE(fx.cash_flow);
  EXPECT_EQ(fx.cash_flow->amount, usd(10'000));
  s = d.update_loss(t0 + seconds(2));
  EXPECT_EQ(s->high_water, usd(25'000));
  EXPECT_DOUBLE_EQ(s->drawdown_pct, 0.0);
}

TEST(RiskDeskCashFlow, TheFirstReconciledBalanceIsNoDeposit) {
  auto d = desk();
  auto u = ledger(0);
  u.reconciled = false;  // a fresh store before the first reconcile
  d.on_portfolio(u, t0);
  EXPECT_FALSE(d.on_portfolio(ledger(10'000, {}, 2), t0).cash_flow);
}

TEST(RiskDeskCashFlow, AChangeBelowTheThresholdStaysInTheLedger) {
  auto d = desk();
  d.on_portfolio(ledger(20'000), t0);
  EXPECT_FALSE(d.on_portfolio(ledger(19'950, {}, 2), t0).cash_flow);  // 0.25 % < 0.5 %
}

TEST(RiskDeskView, TheRiskViewListsUsableBooksAndPyramidCounts) {
  auto d = desk(true, pyramiding_on());
  d.on_portfolio(ledger(19'500, {held(0.01, 40'000)}), t0);
  auto ev = d.evaluate(buy(400, proposal_kind::add), t0);
  d.record_sent(buy(400, proposal_kind::add), ev, t0);
  auto j = nlohmann::json::parse(d.status_json(t0));
  EXPECT_EQ(j["books"]["usable"], nlohmann::json::array({"BTC-USD"}));
  EXPECT_TRUE(j["books"]["require_book"].get<bool>());
  ASSERT_EQ(j["pyramid"].size(), 1u);
  EXPECT_EQ(j["pyramid"][0]["adds"], 1);
  EXPECT_DOUBLE_EQ(j["regime_multipliers"]["bear"].get<double>(), 0.25);
}

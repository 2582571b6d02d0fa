// Fills of an order sized in quote (lifecycle_book, docs/orders.md "size_in_quote"): the
// ledger ends with the base amount the exchange reported for the order, not a quotient off
// by rounding; without the exchange's figure the quotient is rounded.
#include "actors/trading/order_lifecycle/lifecycle_book.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns s = ns_per_s;
constexpr ts_ns nov21 = 1'795'219'200LL * s;

size sz(double v) { return size::from_double(v); }

/// A market buy of $5 of ETH by quote size, acknowledged.
client_order_id place_quote_buy(lifecycle_book& b) {
  order_intent in;
  in.proposal_id = "momentum:1";
  in.product = product_id{"ETH-USD"};
  in.dir = side::buy;
  in.type = order_type::market;
  in.tif = time_in_force::ioc;
  in.quote_size = notional::from_double(5);
  auto p = b.prepare(in, nov21);
  EXPECT_TRUE(p.refused.empty()) << p.refused;
  b.track(p);
  b.commit(b.on_ack(order_ack{p.rec.id, exchange_order_id{"ex-1"}, true, {}, false, false}, nov21), nov21);
  return p.rec.id;
}

void report(lifecycle_book& b, const client_order_id& id, order_state st, double filled) {
  order_update u;
  u.id = id;
  u.exchange_id = exchange_order_id{"ex-1"};
  u.product = product_id{"ETH-USD"};
  u.state = st;
  u.filled_size = sz(filled);
  b.commit(b.on_update(u, nov21 + s), nov21 + s);
}

/// Books a size_in_quote fill as Coinbase's fills endpoint reports it (no client order id).
size book_quote_fill(lifecycle_book& b, const char* trade, const char* price, const char* quote) {
  fill f;
  f.trade = trade_id{trade};
  f.exchange_order = exchange_order_id{"ex-1"};
  f.product = product_id{"ETH-USD"};
  f.dir = side::buy;
  f.px = *parse_fixed<price_tag>(price);
  f.qty = *parse_fixed<size_tag>(quote);
  f.size_in_quote = true;
  f.ts_event = nov21 + s;
  auto p = b.plan_fill(f, nov21 + 2 * s);
  EXPECT_TRUE(p.invalid.empty()) << p.invalid;
  auto qty = p.commit.fill.qty;
  b.commit_fill(std::move(p), nov21 + 2 * s);
  return qty;
}

TEST(QuoteSizedFills, OneFillBooksTheBaseTheExchangeReportedForItsOrder) {
  lifecycle_book b{lifecycle_options{}};
  auto id = place_quote_buy(b);
  // The order's filled_size says 0.00262003 ETH; its one fill says quote 4.97156655 at
  // 1897.53, whose quotient rounds to 0.00262002. The exchange's base is what it credited.
  report(b, id, order_state::filled, 0.00262003);
  EXPECT_EQ(book_quote_fill(b, "tr-1", "1897.53", "4.97156655"), sz(0.00262003));
  EXPECT_EQ(b.book().find(product_id{"ETH-USD"})->qty, sz(0.00262003));
}

TEST(QuoteSizedFills, SeveralFillsEndWithTheOrdersReportedBase) {
  lifecycle_book b{lifecycle_options{}};
  auto id = place_quote_buy(b);
  report(b, id, order_state::filled, 0.00263005);
  // The first fill cannot be the rest of the order: its quotient is rounded (4.97158553 / 1897.53).
  EXPECT_EQ(book_quote_fill(b, "tr-1", "1897.53", "4.97158553"), sz(0.00262003));
  // The last one completes it (quotient 0.00001001): the rest of the reported base is booked.
  EXPECT_EQ(book_quote_fill(b, "tr-2", "1897.60", "0.01899498"), sz(0.00001002));
  EXPECT_EQ(b.book().find(product_id{"ETH-USD"})->qty, sz(0.00263005));
}

TEST(QuoteSizedFills, AReportFarFromTheQuotientIsNotTaken) {
  lifecycle_book b{lifecycle_options{}};
  auto id = place_quote_buy(b);
  report(b, id, order_state::partially_filled, 0.003);  // more fills to come
  EXPECT_EQ(book_quote_fill(b, "tr-1", "1897.53", "4.97156655"), sz(0.00262002));
}

TEST(QuoteSizedFills, WithoutAReportTheQuotientIsRoundedNotTruncated) {
  lifecycle_book b{lifecycle_options{}};
  place_quote_buy(b);
  // 0.00262002 ETH at 1897.53 is quote 4.97156655; truncating booked 0.00262001 (the soak's drift).
  EXPECT_EQ(book_quote_fill(b, "tr-1", "1897.53", "4.97156655"), sz(0.00262002));
}

TEST(QuoteSizedFills, WithoutAReportTheQuotientIsRoundedToTheCataloguesBaseIncrement) {
  lifecycle_book b{lifecycle_options{}};
  product_info eth;
  eth.product = product_id{"ETH-USD"};
  eth.base_increment = sz(0.0001);
  product_info none;  // no increment given: keeps 1e-8
  none.product = product_id{"SOL-USD"};
  b.set_base_increments({eth, none});
  EXPECT_EQ(b.base_increment(product_id{"ETH-USD"}), sz(0.0001));
  EXPECT_EQ(b.base_increment(product_id{"SOL-USD"}), size{});
  place_quote_buy(b);
  // A quote of 5.00 at 1923.07: the quotient 0.00260001 is not a whole number of the
  // product's 0.0001 increments; the exchange fills whole increments, 0.0026.
  EXPECT_EQ(book_quote_fill(b, "tr-1", "1923.07", "5.00"), sz(0.0026));
  EXPECT_EQ(b.book().find(product_id{"ETH-USD"})->qty, sz(0.0026));
}

} // namespace

// The tick-to-order bench's finding: 2,300 fills of one product in minutes (beyond the
// ledger's 2,000 pending + 256 remembered folded ids). A fill the reconcile re-reads ten
// minutes later is still known as booked, so it is neither booked again nor reported as a
// fill for an unknown order.
TEST(LifecycleBookDedupe, AFillReReadAfterTheLedgerForgotItIsStillBooked) {
  lifecycle_book b{lifecycle_options{}};
  for (int i = 0; i < 2'300; ++i) {
    fill f;
    f.trade = trade_id{"tr-" + std::to_string(i)};
    f.exchange_order = exchange_order_id{"ex-unknown"};
    f.product = product_id{"ETH-USD"};
    f.dir = side::buy;
    f.px = *parse_fixed<price_tag>("2000");
    f.qty = sz(0.001);
    f.ts_event = nov21 + i * (s / 10);
    auto p = b.plan_fill(f, f.ts_event);
    ASSERT_FALSE(p.duplicate);
    b.commit_fill(std::move(p), f.ts_event);
  }
  EXPECT_FALSE(b.book().seen(trade_id{"tr-0"}));  // the ledger's bounded memory let it go
  EXPECT_TRUE(b.booked(trade_id{"tr-0"}));
  fill again;
  again.trade = trade_id{"tr-0"};
  again.exchange_order = exchange_order_id{"ex-unknown"};
  again.product = product_id{"ETH-USD"};
  again.dir = side::buy;
  again.px = *parse_fixed<price_tag>("2000");
  again.qty = sz(0.001);
  again.ts_event = nov21;
  EXPECT_TRUE(b.plan_fill(again, nov21 + 600 * s).duplicate);
}

// stream_recovery, the user stream's way back after a loss: when a re-read starts, from
// when it reads, which answers count, and how a failed one is retried.
#include "actors/exchange/feed/stream_recovery.hpp"
#include "actors/exchange/feed/user_feed.hpp"

#include <gtest/gtest.h>

namespace trader::feed {
namespace {

using namespace std::chrono_literals;
using outcome = stream_recovery::outcome;

stream_recovery::options opts() {
  stream_recovery::options o;
  o.margin_ns = 60 * ns_per_s;
  o.backoff = exchange::retry_policy{1 << 30, 1000ms, 8000ms};
  return o;
}

/// The jitter at its top: every delay is the whole window.
stream_recovery make() { return stream_recovery(opts(), [] { return 1.0; }); }

TEST(StreamRecovery, NothingIsOwedUntilSomethingIsLost) {
  auto r = make();
  EXPECT_FALSE(r.connected());
  EXPECT_FALSE(r.pending());
  r.disconnected(5 * ns_per_s);  // the connection was up: updates may be missed from now on
  EXPECT_TRUE(r.pending());
}

TEST(StreamRecovery, DisconnectBeforeAnyConnectionLosesNothing) {
  auto r = make();
  r.disconnected(5 * ns_per_s);
  EXPECT_FALSE(r.pending());
}

TEST(StreamRecovery, ReconnectRereadsFromBeforeTheDropAndClearsWhenBothAnswersAreFine) {
  auto r = make();
  r.connected();
  r.disconnected(100 * ns_per_s);
  ASSERT_TRUE(r.pending());
  auto rr = r.connected();
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->fills_since, 40 * ns_per_s);  // 60 s margin
  EXPECT_EQ(rr->attempt, 0);
  EXPECT_EQ(r.answered(rr->gen, true).kind, outcome::waiting);
  EXPECT_TRUE(r.pending());
  EXPECT_EQ(r.answered(rr->gen, true).kind, outcome::recovered);
  EXPECT_FALSE(r.pending());
}

TEST(StreamRecovery, GapWhileConnectedRereadsAtOnce) {
  auto r = make();
  r.connected();
  auto rr = r.gap(200 * ns_per_s);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->fills_since, 140 * ns_per_s);
}

TEST(StreamRecovery, FailedRereadIsRetriedWithAGrowingCappedBackoff) {
  auto r = make();
  r.connected();
  auto rr = r.gap(200 * ns_per_s);
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 5; ++i) {
    r.answered(rr->gen, true);
    auto o = r.answered(rr->gen, false);  // one of the two failed (or timed out)
    ASSERT_EQ(o.kind, outcome::retry);
    delays.push_back(o.delay.count());
    EXPECT_FALSE(r.retry(rr->gen + 1));  // not the current one
    rr = r.retry(o.gen);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->attempt, i + 1);
    EXPECT_EQ(rr->fills_since, 140 * ns_per_s);  // still from the first loss
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{1000, 2000, 4000, 8000, 8000}));
  r.answered(rr->gen, true);
  EXPECT_EQ(r.answered(rr->gen, true).kind, outcome::recovered);
  EXPECT_EQ(r.attempts(), 0);
}

TEST(StreamRecovery, AnswersOfAnOlderRereadAreIgnored) {
  auto r = make();
  r.connected();
  auto first = r.gap(200 * ns_per_s);
  auto second = r.gap(150 * ns_per_s);  // an earlier loss reported later widens the re-read
  ASSERT_TRUE(second);
  EXPECT_EQ(second->fills_since, 90 * ns_per_s);
  EXPECT_EQ(r.answered(first->gen, true).kind, outcome::ignored);
  EXPECT_EQ(r.answered(first->gen, true).kind, outcome::ignored);
  EXPECT_TRUE(r.pending());
  r.answered(second->gen, true);
  EXPECT_EQ(r.answered(second->gen, true).kind, outcome::recovered);
}

TEST(StreamRecovery, DisconnectDuringARereadVoidsItUntilTheNextConnection) {
  auto r = make();
  r.connected();
  auto rr = r.gap(200 * ns_per_s);
  r.answered(rr->gen, true);
  r.disconnected(210 * ns_per_s);
  EXPECT_EQ(r.answered(rr->gen, true).kind, outcome::ignored);  // cannot vouch for the new drop
  EXPECT_TRUE(r.pending());
  EXPECT_FALSE(r.retry(rr->gen));
  EXPECT_FALSE(r.gap(220 * ns_per_s));  // not connected: the connect re-reads
  auto again = r.connected();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fills_since, 140 * ns_per_s);
}

TEST(StreamRecovery, RetryTimerOfARereadThatSucceededMeanwhileDoesNothing) {
  auto r = make();
  r.connected();
  auto rr = r.gap(200 * ns_per_s);
  r.answered(rr->gen, false);
  auto o = r.answered(rr->gen, true);
  ASSERT_EQ(o.kind, outcome::retry);
  auto next = r.gap(205 * ns_per_s);  // a new loss starts a new re-read at once
  r.answered(next->gen, true);
  r.answered(next->gen, true);
  EXPECT_FALSE(r.pending());
  EXPECT_FALSE(r.retry(o.gen));
}

TEST(UserFeed, GapPassesTheOrdersOnAndSaysWhatWasLost) {
  user_feed f;
  auto msg = [](int seq) {
    return std::string(R"({"channel":"user","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
           + R"(,"events":[{"type":"update","orders":[{"order_id":"ex-1","client_order_id":"c-1",)"
           + R"("cumulative_quantity":"0","avg_price":"0","total_fees":"0","status":"OPEN","product_id":"BTC-USD"}]}]})";
  };
  auto& a = f.on_frame(msg(0), 1);
  EXPECT_TRUE(a.lost.empty());
  EXPECT_EQ(a.orders->size(), 1u);
  auto& b = f.on_frame(msg(3), 2);
  EXPECT_EQ(b.lost, "sequence gap: expected 1 got 3");
  EXPECT_EQ(b.orders->size(), 1u);
  EXPECT_TRUE(f.on_frame(msg(2), 3).orders->empty());  // older: already past it
  auto& bad = f.on_frame("{", 4);
  EXPECT_TRUE(bad.parse_error);
  EXPECT_FALSE(bad.lost.empty());
  auto& err = f.on_frame(R"({"type":"error","message":"authentication failure"})", 5);
  EXPECT_EQ(err.rejected, "authentication failure");
}

TEST(UserFeed, SubscribesHeartbeatsAndUserWithoutAJwtWhenThereAreNoCredentials) {
  auto m = user_feed::subscribe_messages(nullptr, 0);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].find("jwt"), std::string::npos);
}

} // namespace
} // namespace trader::feed

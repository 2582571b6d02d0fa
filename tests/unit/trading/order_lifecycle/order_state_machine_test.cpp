// The order state machine: every (state, event) pair is a named case, legal or illegal,
// plus the update arithmetic (backwards moves, overfill, monotonic filled size).
#include "actors/trading/order_lifecycle/order_state_machine.hpp"

#include "messages/names.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr order_state all_states[] = {order_state::created,  order_state::unknown, order_state::open,
                                      order_state::partially_filled, order_state::filled,  order_state::canceled,
                                      order_state::expired,  order_state::rejected, order_state::failed};
constexpr order_event all_events[] = {order_event::send_timed_out, order_event::not_placed, order_event::accepted,
                                      order_event::partial_fill,   order_event::full_fill,  order_event::canceled,
                                      order_event::expired,        order_event::rejected};

struct legal_case {
  order_state from;
  order_event event;
  order_state to;
};

// The expected legal edges, written out independently of the table (docs/orders.md).
const std::vector<legal_case> expected_legal = {
  {order_state::created, order_event::send_timed_out, order_state::unknown},
  {order_state::created, order_event::not_placed, order_state::failed},
  {order_state::created, order_event::accepted, order_state::open},
  {order_state::created, order_event::partial_fill, order_state::partially_filled},
  {order_state::created, order_event::full_fill, order_state::filled},
  {order_state::created, order_event::canceled, order_state::canceled},
  {order_state::created, order_event::expired, order_state::expired},
  {order_state::created, order_event::rejected, order_state::rejected},
  {order_state::unknown, order_event::send_timed_out, order_state::unknown},
  {order_state::unknown, order_event::not_placed, order_state::failed},
  {order_state::unknown, order_event::accepted, order_state::open},
  {order_state::unknown, order_event::partial_fill, order_state::partially_filled},
  {order_state::unknown, order_event::full_fill, order_state::filled},
  {order_state::unknown, order_event::canceled, order_state::canceled},
  {order_state::unknown, order_event::expired, order_state::expired},
  {order_state::unknown, order_event::rejected, order_state::rejected},
  {order_state::open, order_event::accepted, order_state::open},
  {order_state::open, order_event::partial_fill, order_state::partially_filled},
  {order_state::open, order_event::full_fill, order_state::filled},
  {order_state::open, order_event::canceled, order_state::canceled},
  {order_state::open, order_event::expired, order_state::expired},
  {order_state::partially_filled, order_event::partial_fill, order_state::partially_filled},
  {order_state::partially_filled, order_event::full_fill, order_state::filled},
  {order_state::partially_filled, order_event::canceled, order_state::canceled},
  {order_state::partially_filled, order_event::expired, order_state::expired},
  {order_state::filled, order_event::full_fill, order_state::filled},
  {order_state::canceled, order_event::canceled, order_state::canceled},
  {order_state::canceled, order_event::partial_fill, order_state::canceled},
  {order_state::canceled, order_event::full_fill, order_state::filled},
  {order_state::expired, order_event::expired, order_state::expired},
  {order_state::expired, order_event::partial_fill, order_state::expired},
  {order_state::expired, order_event::full_fill, order_state::filled},
  {order_state::rejected, order_event::rejected, order_state::rejected},
  {order_state::failed, order_event::not_placed, order_state::failed},
  {order_state::failed, order_event::accepted, order_state::open},
  {order_state::failed, order_event::partial_fill, order_state::partially_filled},
  {order_state::failed, order_event::full_fill, order_state::filled},
  {order_state::failed, order_event::canceled, order_state::canceled},
  {order_state::failed, order_event::expired, order_state::expired},
  {order_state::failed, order_event::rejected, order_state::rejected},
};

const legal_case* find_expected(order_state from, order_event e) {
  for (const auto& c : expected_legal)
    if (c.from == from && c.event == e)
      return &c;
  return nullptr;
}

std::string camel(std::string_view s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (c == '_') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(c - 'a' + 'A') : c);
    up = false;
  }
  return out;
}

struct pair_case {
  order_state from;
  order_event event;
};

void PrintTo(const pair_case& c, std::ostream* os) {
  *os << to_string(c.from) << " + " << order_lifecycle::to_string(c.event);
}

std::vector<pair_case> pairs(bool legal) {
  std::vector<pair_case> out;
  for (auto s : all_states)
    for (auto e : all_events)
      if ((find_expected(s, e) != nullptr) == legal)
        out.push_back({s, e});
  return out;
}

std::string case_name(const testing::TestParamInfo<pair_case>& info) {
  return camel(to_string(info.param.from)) + "_On" + camel(order_lifecycle::to_string(info.param.event));
}

size sz(double v) { return size::from_double(v); }

order_update update(order_state s, double filled) {
  order_update u;
  u.id = client_order_id{"t-1-b-btcusd-x"};
  u.state = s;
  u.filled_size = sz(filled);
  return u;
}

} // namespace

// -- one case per (state, event) --------------------------------------------------------

class LegalTransition : public testing::TestWithParam<pair_case> {};

// Verifies the table has this row and leads where docs/orders.md says.
TEST_P(LegalTransition, IsAcceptedAndLeadsToItsState) {
  const auto [from, event] = GetParam();
  const auto r = next_state(from, event);
  ASSERT_TRUE(r.accepted()) << r.reason;
  EXPECT_EQ(r.to, find_expected(from, event)->to);
  EXPECT_TRUE(r.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(OrderStateMachine, LegalTransition, testing::ValuesIn(pairs(true)), case_name);

class IllegalTransition : public testing::TestWithParam<pair_case> {};

// Verifies a pair outside the table is refused with a stable reason and leaves the state.
TEST_P(IllegalTransition, IsRefusedWithAReason) {
  const auto [from, event] = GetParam();
  const auto r = next_state(from, event);
  ASSERT_FALSE(r.accepted());
  EXPECT_EQ(r.to, from);
  EXPECT_TRUE(r.why == refusal::illegal_transition || r.why == refusal::moves_backwards);
  const std::string tail =
    ": from=" + std::string{to_string(from)} + " event=" + std::string{order_lifecycle::to_string(event)};
  EXPECT_EQ(r.reason, (r.why == refusal::moves_backwards ? "MOVES_BACKWARDS" : "ILLEGAL_TRANSITION") + tail);
}

INSTANTIATE_TEST_SUITE_P(OrderStateMachine, IllegalTransition, testing::ValuesIn(pairs(false)), case_name);

// -- the table as a whole ----------------------------------------------------------------

TEST(OrderStateMachine, TableHoldsExactlyTheDocumentedRowsOnce) {
  const auto table = transition_table();
  EXPECT_EQ(table.size(), expected_legal.size());
  for (const auto& row : table) {
    int same = 0;
    for (const auto& other : table)
      same += other.from == row.from && other.event == row.event;
    EXPECT_EQ(same, 1) << to_string(row.from) << " " << order_lifecycle::to_string(row.event);
    ASSERT_NE(find_expected(row.from, row.event), nullptr);
  }
}

TEST(OrderStateMachine, FilledToOpenMovesBackwards) {
  EXPECT_EQ(next_state(order_state::filled, order_event::accepted).why, refusal::moves_backwards);
  EXPECT_EQ(next_state(order_state::partially_filled, order_event::accepted).why, refusal::moves_backwards);
  EXPECT_EQ(next_state(order_state::open, order_event::send_timed_out).why, refusal::moves_backwards);
}

TEST(OrderStateMachine, OddEdgesSayWhyTheyAreLegal) {
  EXPECT_STREQ(next_state(order_state::canceled, order_event::full_fill).note, "the fill raced the cancel");
  EXPECT_STREQ(next_state(order_state::unknown, order_event::accepted).note, "resolved by client order id");
  EXPECT_STREQ(next_state(order_state::open, order_event::partial_fill).note, "");
}

// -- updates: classification and fill arithmetic -----------------------------------------

TEST(OrderStateMachine, OpenUpdateWithAPartFilledIsAPartialFill) {
  const order_progress cur{order_state::open, sz(1), sz(0)};
  const auto r = apply_update(cur, update(order_state::open, 0.4));
  ASSERT_TRUE(r.step.accepted()) << r.step.reason;
  EXPECT_EQ(r.next.state, order_state::partially_filled);
  EXPECT_EQ(r.next.filled, sz(0.4));
  EXPECT_TRUE(r.changed);
}

TEST(OrderStateMachine, UpdateReachingTheOrderedSizeFills) {
  const order_progress cur{order_state::partially_filled, sz(1), sz(0.4)};
  const auto r = apply_update(cur, update(order_state::open, 1));
  ASSERT_TRUE(r.step.accepted());
  EXPECT_EQ(r.next.state, order_state::filled);
}

TEST(OrderStateMachine, ReplayedUpdateIsAcceptedUnchanged) {
  const order_progress cur{order_state::partially_filled, sz(1), sz(0.4)};
  const auto r = apply_update(cur, update(order_state::partially_filled, 0.4));
  ASSERT_TRUE(r.step.accepted());
  EXPECT_FALSE(r.changed);
}

TEST(OrderStateMachine, FilledOrderReportedOpenIsRefusedAsBackwards) {
  const order_progress cur{order_state::filled, sz(1), sz(1)};
  auto u = update(order_state::open, 0);
  const auto r = apply_update(cur, u);
  EXPECT_FALSE(r.step.accepted());
  // filled 0 < 1 known: the arithmetic refuses it first
  EXPECT_EQ(r.step.why, refusal::filled_decreased);
  EXPECT_EQ(r.next.state, order_state::filled);
  // Same filled size (an order of unknown size): the state alone moves it backwards.
  const auto r2 = apply_update({order_state::filled, size{}, sz(3)}, update(order_state::open, 3));
  EXPECT_EQ(r2.step.why, refusal::moves_backwards);
  EXPECT_EQ(r2.step.reason, "MOVES_BACKWARDS: from=filled event=partial_fill");
}

TEST(OrderStateMachine, CumulativeFilledSizeNeverDecreases) {
  const order_progress cur{order_state::partially_filled, sz(1), sz(0.5)};
  const auto r = apply_update(cur, update(order_state::partially_filled, 0.3));
  EXPECT_EQ(r.step.why, refusal::filled_decreased);
  EXPECT_EQ(r.step.reason, "FILLED_DECREASED: known=0.5 reported=0.3");
  EXPECT_EQ(r.next.filled, sz(0.5));
  EXPECT_FALSE(r.changed);
}

TEST(OrderStateMachine, UpdateThatOverfillsIsRefused) {
  const order_progress cur{order_state::open, sz(1), sz(0)};
  const auto r = apply_update(cur, update(order_state::partially_filled, 1.5));
  EXPECT_EQ(r.step.why, refusal::overfill);
  EXPECT_EQ(r.step.reason, "OVERFILL: ordered=1 filled=1.5");
}

TEST(OrderStateMachine, FillThatOverfillsIsRefused) {
  const order_progress cur{order_state::partially_filled, sz(1), sz(0.8)};
  const auto r = apply_fill(cur, sz(0.3));
  EXPECT_EQ(r.step.why, refusal::overfill);
  EXPECT_EQ(r.next.filled, sz(0.8));
}

TEST(OrderStateMachine, FillsAddUpToFilled) {
  order_progress cur{order_state::open, sz(1), sz(0)};
  auto r = apply_fill(cur, sz(0.25));
  EXPECT_EQ(r.next.state, order_state::partially_filled);
  r = apply_fill(r.next, sz(0.75));
  EXPECT_EQ(r.next.state, order_state::filled);
  EXPECT_EQ(r.next.filled, sz(1));
}

TEST(OrderStateMachine, FillOfAnOrderWithUnknownSizeStaysPartial) {
  const order_progress cur{order_state::open, size{}, sz(0)};
  const auto r = apply_fill(cur, sz(3));
  EXPECT_EQ(r.next.state, order_state::partially_filled);
  EXPECT_EQ(apply_update(r.next, update(order_state::filled, 3)).next.state, order_state::filled);
}

TEST(OrderStateMachine, LateFillOfACanceledOrderCountsItsSizeAndStaysCanceled) {
  const order_progress cur{order_state::canceled, sz(1), sz(0.2)};
  const auto r = apply_fill(cur, sz(0.1));
  ASSERT_TRUE(r.step.accepted());
  EXPECT_EQ(r.next.state, order_state::canceled);
  EXPECT_EQ(r.next.filled, sz(0.3));
}

TEST(OrderStateMachine, UpdateNamingALocalStateIsABadUpdate) {
  const order_progress cur{order_state::open, sz(1), sz(0)};
  EXPECT_EQ(apply_update(cur, update(order_state::created, 0)).step.why, refusal::bad_update);
  EXPECT_EQ(apply_update(cur, update(order_state::unknown, 0)).step.why, refusal::bad_update);
}

TEST(OrderStateMachine, ExchangeFailedStatusMeansNotPlaced) {
  const order_progress cur{order_state::unknown, sz(1), sz(0)};
  const auto r = apply_update(cur, update(order_state::failed, 0));
  ASSERT_TRUE(r.step.accepted());
  EXPECT_EQ(r.next.state, order_state::failed);
}

TEST(OrderStateMachine, TimeoutThenLookupResolvesTheOrder) {
  order_progress cur{order_state::created, sz(1), sz(0)};
  auto r = apply_event(cur, order_event::send_timed_out);
  EXPECT_EQ(r.next.state, order_state::unknown);
  r = apply_update(r.next, update(order_state::open, 0));
  EXPECT_EQ(r.next.state, order_state::open);
}

TEST(OrderStateMachine, LiveAndFinalStates) {
  EXPECT_TRUE(is_live(order_state::created));
  EXPECT_TRUE(is_live(order_state::unknown));
  EXPECT_TRUE(is_live(order_state::partially_filled));
  EXPECT_FALSE(is_live(order_state::canceled));
  EXPECT_TRUE(is_final(order_state::filled));
  EXPECT_TRUE(is_final(order_state::rejected));
  EXPECT_FALSE(is_final(order_state::failed));
}

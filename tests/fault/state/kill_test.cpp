// kill -9: a child writes orders and fills in a loop and is SIGKILLed at random moments.
// After each kill the store must open (verified in a child process), every record the
// child reported committed must be intact, and no half-written record may be visible.

#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "spawn.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

#ifndef TRADER_FAULT_ITERATIONS
#define TRADER_FAULT_ITERATIONS 20
#endif
// The long build appends "Long" so ctest names stay unique across both executables.
#ifndef TRADER_FAULT_SUITE_SUFFIX
#define TRADER_FAULT_SUITE_SUFFIX
#endif
#define TRADER_SUITE_CAT(a, b) a##b
#define TRADER_SUITE(a, b) TRADER_SUITE_CAT(a, b)

TEST(TRADER_SUITE(StateKill, TRADER_FAULT_SUITE_SUFFIX), CommittedRecordsSurviveSigkillAtRandomMoments) {
  temp_dir dir;
  ASSERT_TRUE(init_store(dir.path(), false).ok());  // a kill during creation is not this test's subject
  auto seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::set<int> orders, fills, updates;
  int kills_before_ready = 0;
  for (int iter = 0; iter < TRADER_FAULT_ITERATIONS; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    auto child = spawn_child({STATE_FAULT_HELPER, "writer", dir.path()});
    ASSERT_GT(child.pid, 0);
    std::string out;
    // Mostly kill while writing; sometimes while the child is still opening/verifying.
    bool early = std::uniform_int_distribution<int>(0, 9)(rng) == 0;
    if (!early)
      ASSERT_TRUE(wait_for_line(child, out, "READY", std::chrono::seconds(30))) << out;
    else
      ++kills_before_ready;
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40'000)(rng)));
    finish_child(child, out, true);
    for (const auto& line : full_lines(out)) {
      ASSERT_TRUE(line.rfind("FAIL", 0) != 0 && line.rfind("OPENFAIL", 0) != 0) << line;
      if (line.size() > 2 && line[1] == ' ') {
        int i = std::stoi(line.substr(2));
        (line[0] == 'O' ? orders : line[0] == 'F' ? fills : updates).insert(i);
      }
    }

    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok()) << s.error().describe();
    auto& store = **s;
    auto all_orders = store.list<order_record>();
    auto all_fills = store.list<fill_record>();
    ASSERT_TRUE(all_orders.ok() && all_fills.ok());
    std::set<std::string> order_ids, fill_ids;
    for (const auto& o : *all_orders)
      order_ids.insert(o.id.value);
    for (const auto& f : *all_fills)
      fill_ids.insert(f.trade.value);
    for (int i : orders) {
      auto o = store.get<order_record>(key_of(make_order(i)));
      ASSERT_TRUE(o.ok() && o->has_value()) << "reported order " << i << " lost";
      auto expected = make_order(i);
      if (updates.count(i) || (*o)->status == order_status::filled) {
        expected.status = order_status::filled;
        expected.filled_qty = make_fill(i).qty;
        expected.exchange_id = make_fill(i).exchange_order;
      }
      EXPECT_EQ(**o, expected) << "order " << i;
    }
    for (int i : fills) {
      auto f = store.get<fill_record>(key_of(make_fill(i)));
      ASSERT_TRUE(f.ok() && f->has_value()) << "reported fill " << i << " lost";
      EXPECT_EQ(**f, make_fill(i));
    }
    for (int i : updates)
      EXPECT_EQ((**store.get<order_record>(key_of(make_order(i)))).status, order_status::filled);
    // Atomicity: each fill and its PnL update commit together, so the counts agree.
    auto total = store.get_pnl(pnl_total_key);
    ASSERT_TRUE(total.ok());
    EXPECT_EQ(total->has_value() ? (*total)->fills : 0, static_cast<std::int64_t>(fill_ids.size()));
    // Orders are written in sequence: ids present form a prefix 0..n-1.
    EXPECT_EQ(order_ids.size(), static_cast<std::size_t>(all_orders->size()));
    for (std::size_t i = 0; i < all_orders->size(); ++i)
      EXPECT_TRUE(order_ids.count(key_of(make_order(static_cast<int>(i))))) << "gap at order " << i;
    EXPECT_TRUE(store.verify().ok());
  }
  std::printf("kill test: %d kills (%d before READY), %zu orders, %zu fills reported committed\n",
              TRADER_FAULT_ITERATIONS, kills_before_ready, orders.size(), fills.size());
}

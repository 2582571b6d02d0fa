// The state actor's periodic re-verify without CAF (review row #18): a verify of the live
// store in a helper started with posix_spawn (the real traderctl), polled without blocking,
// ok on a sound store while it is being written, a report of the damage on a broken one,
// and a clear reason when no helper is installed.

#include "actors/infra/state/store_reverifier.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace trader;
using namespace trader::state;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct temp_state {
  std::string dir;
  temp_state() {
    std::string tmpl = (fs::temp_directory_path() / "trader-reverify-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
    dir += "/state";
  }
  ~temp_state() {
    std::error_code ec;
    fs::remove_all(fs::path(dir).parent_path(), ec);
  }
};

persistence::order_record order(int i) {
  persistence::order_record o;
  o.id = client_order_id{"coid-" + std::to_string(i)};
  o.product = product_id{"BTC-USD"};
  o.qty = size::from_int(1);
  o.created_at = o.updated_at = 1;
  return o;
}

/// Steps until a verify has finished (the first step starts it).
reverify_step run_once(store_reverifier& r) {
  auto step = r.step();
  EXPECT_TRUE(step.cannot_run.empty()) << step.cannot_run;
  EXPECT_TRUE(r.running());
  EXPECT_EQ(step.next, 1000ms);  // polled once a second while it runs
  for (int i = 0; i < 6000 && !step.finished; ++i) {
    std::this_thread::sleep_for(10ms);
    step = r.step();
  }
  return step;
}

} // namespace

TEST(StoreReverifier, VerifiesTheLiveStoreInASpawnedHelperWhileItIsWritten) {
  temp_state t;
  ASSERT_TRUE(persistence::init_store(t.dir, false).ok());
  auto store = persistence::open_store(t.dir);
  ASSERT_TRUE(store.ok());
  store_reverifier r(t.dir, reverify_options{std::chrono::seconds{3600}, TRADERCTL_PATH});
  auto first = r.step();
  ASSERT_TRUE(first.cannot_run.empty()) << first.cannot_run;
  for (int i = 0; i < 20; ++i)  // the writer is never blocked by the verify
    ASSERT_TRUE((*store)->record_order_intent(order(i)).ok());
  reverify_step step = first;
  for (int i = 0; i < 6000 && !step.finished; ++i) {
    std::this_thread::sleep_for(10ms);
    step = r.step();
  }
  ASSERT_TRUE(step.finished.has_value());
  EXPECT_TRUE(step.finished->ok()) << step.finished->to_error().describe();
  EXPECT_EQ(step.next, std::chrono::milliseconds{3600'000});  // the next one after an interval
  EXPECT_FALSE(r.running());
}

TEST(StoreReverifier, ReportsDamageFoundWhileRunning) {
  temp_state t;
  ASSERT_TRUE(persistence::init_store(t.dir, false).ok());
  {
    auto store = persistence::open_store(t.dir);
    ASSERT_TRUE((*store)->record_order_intent(order(7)).ok());
  }
  {  // The order's product, changed in place: its checksum no longer matches.
    std::string bytes;
    {
      std::ifstream in(t.dir + "/data.mdb", std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    for (auto pos = bytes.find("BTC-USD"); pos != std::string::npos; pos = bytes.find("BTC-USD", pos + 1))
      bytes[pos] = 'X';
    std::ofstream(t.dir + "/data.mdb", std::ios::binary | std::ios::trunc) << bytes;
  }
  store_reverifier r(t.dir, reverify_options{std::chrono::seconds{60}, TRADERCTL_PATH});
  auto step = run_once(r);
  ASSERT_TRUE(step.finished.has_value());
  ASSERT_FALSE(step.finished->ok());
  EXPECT_EQ(step.finished->to_error().code, persistence::store_errc::decode_failed);
}

TEST(StoreReverifier, SaysWhyWhenTheHelperCannotRun) {
  temp_state t;
  ASSERT_TRUE(persistence::init_store(t.dir, false).ok());
  store_reverifier r(t.dir, reverify_options{std::chrono::seconds{60}, "/nonexistent/traderctl"});
  auto step = r.step();
  EXPECT_FALSE(step.cannot_run.empty());
  EXPECT_FALSE(r.running());
  EXPECT_EQ(step.next, std::chrono::milliseconds{60'000});
}

TEST(StoreReverifier, IntervalComesFromTheEnvironment) {
  ::setenv("TRADER_STATE_VERIFY_INTERVAL_S", "5", 1);
  EXPECT_EQ(reverify_options::from_env().interval, std::chrono::seconds{5});
  ::setenv("TRADER_STATE_VERIFY_INTERVAL_S", "bogus", 1);
  EXPECT_EQ(reverify_options::from_env().interval, std::chrono::seconds{3600});
  ::unsetenv("TRADER_STATE_VERIFY_INTERVAL_S");
  EXPECT_EQ(reverify_options::from_env().interval, std::chrono::seconds{3600});
}

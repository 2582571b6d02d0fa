// order_lifecycle's cold start against a real LMDB state store (docs/orders.md "Start and
// restart", docs/BENCHMARKS.md):
//   cold_start_10k_orders_ms: open the store, read every order (10,000: 9,900 filled, 100
//     open with a part filled) and every fill (10,000 over 10 products), and rebuild the actor's book — the id
//     sequence, the live orders, the ledger by replaying every fill — which is what
//     order_lifecycle does before its first message. Median of 5 cold opens (min and max on
//     stderr). What traderd does besides (config, actors, sockets, the first reconcile over
//     the network) is not in it.
// The store is written once, in one transaction, into a temporary directory removed at the
// end. Last stdout line: flat JSON.
#include "actors/trading/order_lifecycle/lifecycle_book.hpp"
#include "actors/trading/order_lifecycle/lifecycle_store.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

using namespace trader;
using namespace trader::order_lifecycle;
using clock_type = std::chrono::steady_clock;

constexpr ts_ns t0 = 1'795'219'200LL * ns_per_s;
constexpr int n_orders = 10'000;
constexpr int n_live = 100;
constexpr int n_products = 10;

std::string product_of(int i) { return "P" + std::to_string(i % n_products) + "-USD"; }

bool fill_store(const std::string& dir) {
  auto store = persistence::open_store(dir);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().describe().c_str());
    return false;
  }
  // Fills are planned by the actor's own book, so the batch holds what order_lifecycle would
  // have written fill by fill (fill, position, PnL buckets), in one transaction.
  lifecycle_options lo;
  lifecycle_book planner{lo};
  std::map<std::string, persistence::position_record> positions;
  persistence::write_batch b;
  auto book_fill = [&](const std::string& trade, const persistence::order_record& r, size qty, price px, ts_ns at) {
    fill f;
    f.trade = trade_id{trade};
    f.order = r.id;
    f.exchange_order = r.exchange_id;
    f.product = r.product;
    f.dir = to_side(r.side);
    f.px = px;
    f.qty = qty;
    f.fee = notional::from_double(0.05);
    f.ts_event = f.ts_recv = at;
    auto p = planner.plan_fill(f, at);
    if (p.duplicate || !p.invalid.empty())
      return;
    b.insert_fill(p.commit.fill);
    b.add_realized_pnl(at, p.commit.realized, p.commit.fee);
    positions[r.product.value] = p.commit.position;
    planner.commit_fill(std::move(p), at);
  };
  for (int i = 1; i <= n_orders; ++i) {
    persistence::order_record r;
    r.id = client_order_id{"t-" + std::to_string(i) + (i % 2 ? "-b-" : "-s-") + "p" + std::to_string(i % n_products) +
                           "usd-bench"};
    r.product = product_id{product_of(i)};
    r.side = i % 2 ? persistence::order_side::buy : persistence::order_side::sell;
    r.kind = persistence::order_kind::limit;
    r.limit_px = price::from_int(100 + i % 7);
    r.qty = size::from_double(0.5);
    r.exchange_id = exchange_order_id{"ex-" + std::to_string(i)};
    r.status = i > n_orders - n_live ? persistence::order_status::open : persistence::order_status::filled;
    r.filled_qty = r.status == persistence::order_status::filled ? r.qty : size{};
    r.created_at = r.updated_at = t0 + i * ns_per_s;
    b.put(r);
    if (r.status == persistence::order_status::filled)
      book_fill("tr-" + std::to_string(i), r, r.qty, r.limit_px, r.updated_at);
    else  // 100 live orders with a part filled: 10,000 fills in all
      book_fill("tr-part-" + std::to_string(i), r, size::from_double(0.01), r.limit_px, r.updated_at);
  }
  for (auto& [p, pos] : positions)
    b.put(pos);
  auto out = (*store)->commit(b);
  if (!out) {
    std::fprintf(stderr, "commit: %s\n", out.error().describe().c_str());
    return false;
  }
  return true;
}

/// One cold start: open, read, rebuild. Returns ms, or a negative value on failure.
double cold_start(const std::string& dir, std::size_t& live, std::size_t& fills) {
  auto a = clock_type::now();
  auto opened = persistence::open_store(dir);
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().describe().c_str());
    return -1;
  }
  std::shared_ptr<persistence::state_store> store = std::move(*opened);
  auto backend = make_store_backend(store, "");
  std::string why;
  auto orders = backend->orders(&why);
  auto stored_fills = orders ? backend->fills(&why) : std::nullopt;
  if (!orders || !stored_fills) {
    std::fprintf(stderr, "read: %s\n", why.c_str());
    return -1;
  }
  lifecycle_options o;
  o.send_orders = true;
  o.mode = "LIVE";
  lifecycle_book book{o};
  auto problems = book.restore(*orders, *stored_fills);
  double ms = std::chrono::duration<double, std::milli>(clock_type::now() - a).count();
  if (!problems.empty())
    std::fprintf(stderr, "restore: %s\n", problems.c_str());
  live = book.orders().size();
  fills = stored_fills->size();
  return ms;
}

} // namespace

int main() {
  auto dir = (std::filesystem::temp_directory_path() / ("bench_cold_start." + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  if (auto made = persistence::init_store(dir, false); !made) {
    std::fprintf(stderr, "init_store %s: %s\n", dir.c_str(), made.error().describe().c_str());
    return 1;
  }
  if (!fill_store(dir))
    return 1;
  std::vector<double> runs;
  std::size_t live = 0, fills = 0;
  for (int r = 0; r < 5; ++r) {
    auto ms = cold_start(dir, live, fills);
    if (ms < 0) {
      std::fprintf(stderr, "cold start %d failed\n", r);
      return 1;
    }
    runs.push_back(ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // paced, not back to back
  }
  std::filesystem::remove_all(dir);
  std::sort(runs.begin(), runs.end());
  std::fprintf(stderr, "cold start: %d orders (%zu live), %zu fills: min %.1f median %.1f max %.1f ms (5 runs)\n",
               n_orders, live, fills, runs.front(), runs[2], runs.back());
  std::printf("{\"cold_start_10k_orders_ms\": %.1f}\n", runs[2]);
  return 0;
}

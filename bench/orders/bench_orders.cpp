// Order-lifecycle pure cores, no actors (docs/orders.md, docs/BENCHMARKS.md):
//   reconcile_1000_ms: lookups_needed() + reconcile() over 1,000 local open orders against
//     1,000 exchange open orders (10 % changed state), 100 by-client-id answers, 1,000
//     recent orders and 2,000 recent fills (half already booked); median of 200 rounds.
//   ledger_apply_per_fill_us: ledger::apply() of 200,000 in-order fills over 20 products.
//   ledger_apply_reordered_per_fill_us: the same stream with every 20th fill delivered 30
//     fills late (each late one replays its product from the checkpoint).
//   ledger_apply_encode_per_fill_us / ledger_write_bytes: what the actor does per new fill —
//     apply, then encode the summary and the fill's product book for the store — with 10
//     products, one fill a minute each, 24 h of fills (the 1 h reorder window keeps ≈ 60
//     per product); median over the last 6 h. ledger_bytes: the whole ledger encoded.
// Deterministic; no files, no network. Last stdout line: flat JSON.
#include "actors/trading/order_lifecycle/ledger.hpp"
#include "actors/trading/order_lifecycle/ledger_codec.hpp"
#include "actors/trading/order_lifecycle/reconcile.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace trader;
using namespace trader::order_lifecycle;
using clock_type = std::chrono::steady_clock;

constexpr ts_ns t0 = 1'795'219'200LL * ns_per_s;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double reconcile_ms() {
  std::vector<local_order> local;
  exchange_view ex;
  for (int i = 0; i < 1000; ++i) {
    const std::string cid = "t-" + std::to_string(i + 1) + "-b-btcusd-bench";
    local_order l;
    l.id = client_order_id{cid};
    l.exchange_id = exchange_order_id{"x" + std::to_string(i)};
    l.product = product_id{"P" + std::to_string(i % 50) + "-USD"};
    l.state = i % 10 == 0 ? order_state::unknown : order_state::open;
    l.ordered = size::from_int(1);
    l.updated_at = t0;
    local.push_back(l);
    exchange_order e;
    e.id = l.exchange_id;
    e.client_id = l.id;
    e.product = l.product;
    e.state = i % 10 == 1 ? order_state::partially_filled : order_state::open;
    e.ordered = l.ordered;
    e.filled = i % 10 == 1 ? size::from_double(0.5) : size{};
    ex.open_orders.push_back(e);
    ex.recent_orders.push_back(e);
    if (i % 10 == 0)
      ex.found_by_client_id.push_back(e);
  }
  for (int i = 0; i < 2000; ++i) {
    fill f;
    f.trade = trade_id{"tr" + std::to_string(i)};
    f.order = local[static_cast<std::size_t>(i % 1000)].id;
    f.product = local[static_cast<std::size_t>(i % 1000)].product;
    f.px = price::from_int(100);
    f.qty = size::from_double(0.01);
    f.ts_event = t0 + (2000 - i) * ns_per_s;
    ex.recent_fills.push_back(f);
  }
  auto booked = [](const trade_id& t) { return (t.value.back() - '0') % 2 == 0; };
  std::vector<double> rounds;
  std::size_t sink = 0;
  for (int r = 0; r < 200; ++r) {
    const auto a = clock_type::now();
    auto ids = lookups_needed(local, ex.open_orders);
    auto plan = reconcile(local, ex, t0 + 10 * ns_per_s, reconcile_policy{}, booked);
    rounds.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - a).count());
    sink += ids.size() + plan.resolve.size() + plan.apply_fills.size() + plan.mismatches.size();
  }
  std::fprintf(stderr, "reconcile: %zu actions over all rounds\n", sink);
  return median(rounds);
}

std::vector<ledger_fill> fill_stream(int n, int products, ts_ns step) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> move(-0.5, 0.5), qty(0.01, 0.2);
  std::vector<double> px(static_cast<std::size_t>(products), 100.0);
  std::vector<ledger_fill> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto p = static_cast<std::size_t>(i % products);
    px[p] += move(rng);
    ledger_fill f;
    f.trade = trade_id{"tr" + std::to_string(i)};
    f.order = client_order_id{"t-" + std::to_string(i + 1) + "-b-p-bench"};
    f.product = product_id{"P" + std::to_string(p) + "-USD"};
    f.dir = (i / products) % 3 == 2 ? side::sell : side::buy;
    f.px = price::from_double(px[p]);
    f.qty = size::from_double(qty(rng));
    f.fee = notional::from_double(0.004 * px[p] * 0.1);
    f.ts_event = t0 + i * step;
    out.push_back(std::move(f));
  }
  return out;
}

double apply_us(const std::vector<ledger_fill>& fills) {
  ledger l;
  const auto a = clock_type::now();
  for (const auto& f : fills)
    l.apply(f);
  const double us = std::chrono::duration<double, std::micro>(clock_type::now() - a).count();
  return us / static_cast<double>(fills.size());
}

} // namespace

int main() {
  const double rec = reconcile_ms();

  const auto stream = fill_stream(200'000, 20, ns_per_s);
  const double in_order = apply_us(stream);
  auto late = stream;
  for (std::size_t i = 0; i + 30 < late.size(); i += 20)
    std::rotate(late.begin() + static_cast<std::ptrdiff_t>(i), late.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                late.begin() + static_cast<std::ptrdiff_t>(i) + 31);
  const double reordered = apply_us(late);

  // Apply + encode per fill, the actor's per-fill work: 10 products × 1 fill/min × 24 h.
  const auto day = fill_stream(10 * 1440, 10, 6 * ns_per_s);
  ledger l;
  std::vector<double> per_fill;
  std::size_t write_bytes = 0;
  for (const auto& f : day) {
    const auto a = clock_type::now();
    l.apply(f);
    auto summary = ledger_codec::encode_summary(l);
    auto book = ledger_codec::encode_book(l, f.product);
    per_fill.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - a).count());
    write_bytes = summary.size() + book->size();
  }
  const std::size_t bytes = ledger_codec::encode(l).size();
  // Steady state: the last 6 h (the window is full).
  std::vector<double> steady(per_fill.end() - 3600, per_fill.end());

  std::fprintf(stderr, "reconcile_1000 %.3f ms; apply %.3f us; reordered %.3f us; apply+encode %.1f us, %zu/%zu bytes\n",
               rec, in_order, reordered, median(steady), write_bytes, bytes);
  std::printf("{\"reconcile_1000_ms\": %.3f, \"ledger_apply_per_fill_us\": %.3f, "
              "\"ledger_apply_reordered_per_fill_us\": %.3f, \"ledger_apply_encode_per_fill_us\": %.1f, "
              "\"ledger_write_bytes\": %zu, \"ledger_bytes\": %zu}\n",
              rec, in_order, reordered, median(steady), write_bytes, bytes);
  return 0;
}

// The risk actor's decision path without CAF (docs/risk.md "The risk actor"):
//   risk_desk_verdict_p50_us / _p99_us: risk_desk::evaluate() for one proposal that passes
//     every check — the portfolio snapshot rebuilt from the newest portfolio_update (50
//     positions, 20 working buys) and the newest quotes, then risk_engine::evaluate() — as
//     risk does for every trade_proposal; median of 3 runs of 20 000 verdicts.
//   risk_quote_p99_us: on_quote + check_exit + update_loss for a quote of a held product
//     (what risk does per quote of a position; no exit fires).
// Deterministic; no files, no network. Last stdout line: flat JSON.
#include "actors/trading/risk/risk_desk.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace trader;
using namespace trader::risk;
using clock_type = std::chrono::steady_clock;

constexpr ts_ns now = 1'796'212'800LL * ns_per_s;
constexpr int positions = 50;
constexpr int verdicts = 20'000;

std::string name(int i) { return "P" + std::to_string(i); }

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

template <class F>
std::pair<double, double> time_it(F f) {
  std::vector<double> us;
  us.reserve(verdicts);
  for (int i = 0; i < verdicts; ++i) {
    const auto t0 = clock_type::now();
    f(i);
    const auto t1 = clock_type::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  return {percentile(us, 0.5), percentile(us, 0.99)};
}

} // namespace

int main() {
  risk_policy policy = default_risk_policy();
  policy.max_total_at_risk_pct = 60;
  policy.max_open_positions = 100;
  policy.strategies["bench"] = strategy_limits{true, 60.0, 100};
  policy.max_order_usd = 5'000;
  policy.min_position_pct = 0.1;
  risk_desk desk{policy};
  std::vector<product_info> catalogue;
  portfolio_update u;
  u.version = 1;
  u.cash = notional::from_int(500'000);
  u.ts = now;
  u.reconciled = true;
  for (int i = 0; i <= positions; ++i) {
    const double px = 10.0 + 7.0 * i;
    product_info p;
    p.product = product_id{name(i) + "-USD"};
    p.base_currency = name(i);
    p.quote_currency = "USD";
    p.price_increment = price::from_double(0.01);
    p.base_increment = size::from_double(0.00000001);
    p.base_min_size = size::from_double(0.00001);
    p.quote_min_size = notional::from_int(1);
    catalogue.push_back(p);
    if (i == positions)
      continue;  // P50 is the proposal's product: not held
    position_state s;
    s.product = p.product;
    s.strategy = i % 2 ? "bench" : "breakout";
    s.qty = size::from_double(10'000.0 / px);
    s.avg_entry = price::from_double(px * 0.95);
    s.opened_at = s.updated_at = now - (3600 + i) * ns_per_s;
    u.positions.push_back(s);
    if (i < 20)
      u.working.push_back(working_order{client_order_id{"w" + std::to_string(i)}, p.product, s.strategy, side::buy, false,
                                        size::from_int(1), notional::from_int(500), order_state::open});
  }
  desk.on_products(catalogue);
  for (int i = 0; i <= positions; ++i) {
    const double px = 10.0 + 7.0 * i;
    const auto bid = price::from_double(px), ask = price::from_double(px * 1.0001);
    desk.on_quote(quote{product_id{name(i) + "-USD"}, bid, ask, size::from_int(1'000), size::from_int(1'000), bid, 1, now, now});
    // A 10-level book a side (level 2): evaluate() copies the proposal's product's levels.
    book_update b;
    b.product = product_id{name(i) + "-USD"};
    b.is_snapshot = true;
    b.sequence = 1;
    for (int l = 0; l < 10; ++l) {
      b.bids.push_back({price::from_double(px * (1.0 - 0.0001 * l)), size::from_int(1'000)});
      b.asks.push_back({price::from_double(px * 1.0001 * (1.0 + 0.0001 * l)), size::from_int(1'000)});
    }
    desk.on_book(b);
  }
  desk.on_portfolio(u, now);
  desk.update_loss(now);

  trade_proposal ok;
  ok.proposal_id = "bench-1";
  ok.strategy = "bench";
  ok.product = product_id{"P50-USD"};
  ok.target = notional::from_int(2'000);
  ok.ts = now;
  for (const auto& r : desk.evaluate(ok, now).verdict.rejections)
    std::fprintf(stderr, "approved proposal refused: %s %s\n", r.check.c_str(), r.detail.c_str());

  std::vector<std::pair<double, double>> runs;
  std::size_t approved = 0;
  for (int r = 0; r < 3; ++r)
    runs.push_back(time_it([&](int) { approved += desk.evaluate(ok, now).verdict.approved ? 1 : 0; }));
  std::sort(runs.begin(), runs.end(), [](auto& a, auto& b) { return a.second < b.second; });
  if (approved != 3u * verdicts)
    std::fprintf(stderr, "unexpected: %zu of %d approved\n", approved, 3 * verdicts);

  const auto held = product_id{"P7-USD"};
  const double px = 10.0 + 7.0 * 7;
  auto q = quote{held, price::from_double(px), price::from_double(px * 1.0001), size::from_int(1'000),
                 size::from_int(1'000), price::from_double(px), 1, now, now};
  auto per_quote = time_it([&](int i) {
    q.sequence = i;
    desk.on_quote(q);
    if (desk.check_exit(q, now))
      std::fprintf(stderr, "an exit fired\n");
    desk.update_loss(now);
  });
  std::fprintf(stderr, "risk_desk verdict p99 runs: %.2f %.2f %.2f us; per quote p50 %.2f p99 %.2f us\n",
               runs[0].second, runs[1].second, runs[2].second, per_quote.first, per_quote.second);
  std::printf("{\"risk_desk_verdict_p50_us\": %.2f, \"risk_desk_verdict_p99_us\": %.2f, \"risk_quote_p99_us\": %.2f}\n",
              runs[1].first, runs[1].second, per_quote.second);
  return 0;
}

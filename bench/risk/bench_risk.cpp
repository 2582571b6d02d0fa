// Risk engine pure core, no actors (docs/risk.md, docs/BENCHMARKS.md):
//   risk_verdict_p50_us / _p99_us: risk_engine::evaluate() for one proposal that passes
//     every check and is sized (the longest path), against a portfolio of 50 positions on
//     50 products with 20 pending orders, 3 themes and a pacing history; median of 3 runs
//     of 20 000 verdicts each; _min/_max keys give the spread of the p99 over the runs.
//   risk_reject_p99_us: the same with a proposal refused by four checks (rendered details).
// Deterministic; no files, no network. Last stdout line: flat JSON.
#include "actors/trading/risk/risk_engine.hpp"

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

market_entry entry(int i, double mid_px) {
  market_entry e;
  e.rules.product = product_id{name(i) + "-USD"};
  e.rules.base = name(i);
  e.rules.quote = "USD";
  e.rules.price_increment = price::from_double(0.01);
  e.rules.base_increment = size::from_double(0.00000001);
  e.rules.quote_increment = notional::from_double(0.01);
  e.rules.base_min = size::from_double(0.00001);
  e.rules.min_funds = notional::from_int(1);
  e.status = product_state::online;
  const auto bid = price::from_double(mid_px), ask = price::from_double(mid_px * 1.0001);
  e.top = quote{e.rules.product, bid, ask, size::from_int(1'000), size::from_int(1'000), bid, 1, now, now};
  for (int l = 0; l < 10; ++l) {
    e.bids.push_back({price::from_double(mid_px * (1 - 0.0001 * l)), size::from_int(100)});
    e.asks.push_back({price::from_double(mid_px * (1.0001 + 0.0001 * l)), size::from_int(100)});
  }
  return e;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

struct run_result {
  double p50, p99;
};

run_result run(const risk_engine& engine, const trade_proposal& p, const portfolio_snapshot& book,
               const market_snapshot& market, const pacing_state& pacing, bool expect_approved) {
  std::vector<double> us;
  us.reserve(verdicts);
  std::size_t approved = 0;
  for (int i = 0; i < verdicts; ++i) {
    const auto t0 = clock_type::now();
    auto ev = engine.evaluate(p, book, market, pacing, now);
    const auto t1 = clock_type::now();
    approved += ev.verdict.approved ? 1 : 0;
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  if ((approved == static_cast<std::size_t>(verdicts)) != expect_approved)
    std::fprintf(stderr, "unexpected verdicts: %zu approved\n", approved);
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
  policy.themes = {theme_limits{"t0", {"P0", "P1", "P2", "P50"}, 10},
                   theme_limits{"t1", {"P10", "P11", "P12", "P13"}, 10},
                   theme_limits{"t2", {"P20", "P21", "P50"}, 10}};

  market_snapshot market;
  portfolio_snapshot book;
  book.nav = notional::from_int(1'000'000);
  book.taken_at = now;
  pacing_state pacing;
  for (int i = 0; i <= positions; ++i) {
    const double px = 10.0 + 7.0 * i;
    market.upsert(entry(i, px));
    if (i == positions)
      break;  // P50 is the proposal's product: not held
    position_view pos;
    pos.product = product_id{name(i) + "-USD"};
    pos.strategy = i % 2 ? "bench" : "breakout";
    pos.qty = size::from_double(10'000.0 / px);
    pos.initial_qty = pos.qty;
    pos.avg_entry = price::from_double(px * 0.95);
    pos.mark = price::from_double(px);
    book.positions.push_back(pos);
    if (i < 20)
      book.pending.push_back({pos.product, pos.strategy, notional::from_int(500), false, pending_source::open_order});
    pacing.record_fill(pos.product, now - (3600 + i) * ns_per_s);
  }
  for (int i = 0; i < 10; ++i)
    pacing.record_trade(product_id{name(i) + "-USD"}, true, now - (7200 + 600 * i) * ns_per_s);

  trade_proposal ok;
  ok.proposal_id = "bench-1";
  ok.strategy = "bench";
  ok.product = product_id{"P50-USD"};
  ok.target = notional::from_int(2'000);
  ok.ts = now;
  trade_proposal bad = ok;
  bad.product = product_id{"P3-USD"};  // held: an add with pyramiding off, cooldown, …
  bad.target = notional::from_int(60'000);

  const risk_engine engine{policy};
  std::vector<run_result> runs;
  for (int r = 0; r < 3; ++r)
    runs.push_back(run(engine, ok, book, market, pacing, true));
  std::sort(runs.begin(), runs.end(), [](const run_result& a, const run_result& b) { return a.p99 < b.p99; });
  const auto rej = run(engine, bad, book, market, pacing, false);
  for (const auto& x : engine.evaluate(ok, book, market, pacing, now).verdict.rejections)
    std::fprintf(stderr, "approved proposal refused: %s %s\n", x.check.c_str(), x.detail.c_str());
  auto ev = engine.evaluate(bad, book, market, pacing, now);
  std::fprintf(stderr, "approved intent base=%s; reject checks:", to_string(engine.evaluate(ok, book, market, pacing, now).verdict.intent.base_size).c_str());
  for (const auto& x : ev.verdict.rejections)
    std::fprintf(stderr, " %s", x.check.c_str());
  std::fprintf(stderr, "\nrisk_verdict p99 runs: min %.2f median %.2f max %.2f us (p50 %.2f %.2f %.2f)\n", runs[0].p99,
               runs[1].p99, runs[2].p99, runs[0].p50, runs[1].p50, runs[2].p50);
  std::printf("{\"risk_verdict_p50_us\": %.2f, \"risk_verdict_p99_us\": %.2f, \"risk_verdict_p99_us_min\": %.2f, "
              "\"risk_verdict_p99_us_max\": %.2f, \"risk_reject_p99_us\": %.2f}\n",
              runs[1].p50, runs[1].p99, runs[0].p99, runs[2].p99, rej.p99);
  return 0;
}

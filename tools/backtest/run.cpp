#include "tools/backtest/run.hpp"

#include "tools/backtest/pipeline/pipeline.hpp"
#include "tools/backtest/sim/event_loop.hpp"
#include "tools/backtest/sim/sim_market.hpp"
#include "tools/simex/engine/ids.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace trader::backtest {

namespace {

constexpr std::int64_t synthetic_default_from_s = 1'767'225'600;  // 2026-01-01T00:00:00Z

/// The data's products the configuration trades: universe ∩ data, or the data's own when
/// they share none (a file of a product the universe does not list still backtests).
std::vector<std::string> traded_products(const std::vector<std::string>& universe, const std::vector<std::string>& have) {
  std::vector<std::string> out;
  for (const auto& p : universe)
    if (std::find(have.begin(), have.end(), p) != have.end())
      out.push_back(p);
  return out.empty() ? have : out;
}

void draw_progress(double frac) {
  const int width = 40;
  const int fill = static_cast<int>(frac * width);
  std::fprintf(stderr, "\r[%.*s%*s] %5.1f%%", fill, "########################################", width - fill, "",
               frac * 100.0);
  std::fflush(stderr);
}

} // namespace

market_options market_options_for(const run_options& o, bool synthetic, const std::vector<std::string>& universe) {
  market_options mo;
  mo.seed = o.seed;
  mo.step = std::max<std::int64_t>(1, o.step_ms) * ns_per_ms;
  mo.levels = o.levels;
  mo.synthetic_products = o.synthetic_products;
  mo.vol_scale = o.vol_scale;
  if (synthetic && mo.synthetic_products.empty())
    mo.synthetic_products = universe;
  return mo;
}

void run_loaded(const config::trader_config& cfg, const market_data& md, const run_options& o, run_result& out) {
  const auto wall0 = std::chrono::steady_clock::now();
  auto settings = settings_from(cfg);
  const market_options mo = market_options_for(o, md.synthetic, settings.universe);

  ts_ns t0 = 0, end = 0;
  if (md.synthetic) {
    t0 = (o.from_s != 0 ? o.from_s : synthetic_default_from_s) * ns_per_s;
    end = o.to_s != 0 ? o.to_s * ns_per_s : t0 + static_cast<ts_ns>(o.days * 86'400.0) * ns_per_s;
  } else {
    const auto [first, last] = md.span();
    t0 = first * ns_per_s;
    end = (last + 60) * ns_per_s;
  }
  t0 = t0 / mo.step * mo.step;

  sim_market market{md, mo};
  market.start(t0);
  market.exchange().deposit("bt", "USD", simex::amount::from_double(o.initial_cash));
  auto& rec = out.rec;
  rec = run_record{};
  rec.keep_audit = o.keep_audit;
  pipeline pipe{settings, market, notional::from_double(o.initial_cash), rec};
  auto products = traded_products(settings.universe, market.products());
  pipe.set_products(products);
  pipe.start(t0);

  // Live backfills the candle store over REST at start; here the exchange's history is it.
  if (md.synthetic)
    for (const auto& p : market.products()) {
      const auto* st = market.exchange().stats(p);
      for (auto g : {60, 300, 900, 3600}) {
        auto bars = st->candles(t0 / ns_per_s - std::int64_t{6} * 3600, t0 / ns_per_s, g, 1000);
        std::vector<candle> page;
        page.reserve(bars.size());
        for (const auto& c : bars)
          page.push_back(candle{product_id{p}, g, c.start * ns_per_s, c.open, c.high, c.low, c.close, c.volume, t0});
        if (auto gran = signals::granularity_from_seconds(g))
          pipe.backfill(p, *gran, page);
      }
    }

  // Per product: the next candle / tick to hand in, and where the tape was read up to.
  std::vector<const product_data*> data;
  for (const auto& p : md.products)
    data.push_back(&p);
  std::vector<std::size_t> next_candle(data.size(), 0), next_tick(data.size(), 0);
  std::vector<ts_ns> tape_from(market.products().size(), t0);

  event_loop loop{t0};
  const ts_ns step = mo.step;
  // Synthetic, or --bars tape: signals build bars from the simulated prints (as traderd does
  // from simex's feed); otherwise they get the file's closed bars or ticks.
  const bool tape_bars = md.synthetic || o.bars_from_tape;
  const bool progress = o.progress && isatty(fileno(stderr));
  std::uint64_t steps = 0;
  loop.every(t0 + step, [step](ts_ns) { return step; }, [&](ts_ns now) {
    market.advance(now);
    for (std::size_t i = 0; i < data.size() && !tape_bars; ++i) {
      const auto& pd = *data[i];
      if (pd.from_ticks) {
        auto& k = next_tick[i];
        for (; k < pd.ticks.size() && pd.ticks[k].t <= now; ++k)
          pipe.on_tick(pd.product, pd.ticks[k].px, pd.ticks[k].qty, pd.ticks[k].t);
      } else {
        auto& k = next_candle[i];
        for (; k < pd.candles.size() && (pd.candles[k].start + 60) * ns_per_s <= now; ++k) {
          const auto& c = pd.candles[k];
          pipe.on_bar(pd.product, signals::bar{c.start * ns_per_s, c.open, c.high, c.low, c.close, c.volume}, now);
        }
      }
    }
    if (tape_bars)  // the simulated tape is the signal side's input, as live
      for (std::size_t i = 0; i < market.products().size(); ++i) {
        const auto& p = market.products()[i];
        auto trades = market.exchange().stats(p)->trades(tape_from[i], now + 1, 1000);
        for (auto it = trades.rbegin(); it != trades.rend(); ++it)
          pipe.on_tick(p, (*it)->px, (*it)->qty, (*it)->time);
        tape_from[i] = now + 1;
      }
    pipe.on_step(now);
    if (progress && (++steps & 0x3ff) == 0)
      draw_progress(static_cast<double>(now - t0) / static_cast<double>(std::max<ts_ns>(1, end - t0)));
  });
  simex::prng jitter{o.seed ^ 0x6a09e667f3bcc908ULL};
  const double interval_ns = settings.cycle_interval_s * static_cast<double>(ns_per_s);
  auto next_cycle = [&, interval_ns](ts_ns) {
    const double j = settings.cycle_jitter_pct / 100.0 * (2.0 * jitter.uniform() - 1.0);
    return static_cast<ts_ns>(interval_ns * (1.0 + j));
  };
  std::int64_t cycle = 0;
  // A cycle due at the time of a step runs after it (rank 1): the cycle at T sees the market
  // up to T, as traderd's cycle sees the frames up to its time (without the rank the series
  // scheduled earlier — the cycle's — ran first and decided on the market of T - step).
  loop.every(t0 + next_cycle(t0), next_cycle, [&](ts_ns now) { pipe.on_cycle(++cycle, now); }, 1);
  loop.run_until(end);
  pipe.finish(end);
  if (progress)
    std::fprintf(stderr, "\r%*s\r", 60, "");
  rec.events += market.steps() * market.products().size();

  out.meta.synthetic = md.synthetic;
  out.meta.files = md.files;
  out.meta.products = products;
  out.meta.from = t0;
  out.meta.to = end;
  out.meta.seed = o.seed;
  out.meta.initial_cash = o.initial_cash;
  out.meta.step_ms = o.step_ms;
  out.meta.levels = mo.levels;
  out.meta.vol_scale = o.vol_scale;
  out.final_nav = rec.equity.empty() ? o.initial_cash : rec.equity.back().nav;
  out.open_positions.clear();
  for (const auto& [p, pos] : pipe.ledger().positions())
    if (!pos.flat())
      out.open_positions.emplace_back(p, pos.qty.to_double());
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
}

bool run_backtest(const config::trader_config& cfg, const std::string& config_dir, const std::string& config_hash,
                  const std::string& trading_hash, const run_options& o, run_result& out, std::string& error) {
  load_options lo{o.product, o.from_s, o.to_s};
  auto md = load_market_data(o.data, lo, error);
  if (!md)
    return false;
  run_loaded(cfg, *md, o, out);
  out.meta.config_dir = config_dir;
  out.meta.config_hash = config_hash;
  out.meta.trading_hash = trading_hash;
  return true;
}

} // namespace trader::backtest

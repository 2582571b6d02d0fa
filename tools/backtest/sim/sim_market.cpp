#include "tools/backtest/sim/sim_market.hpp"

namespace trader::backtest {

simex::synthetic_options synthetic_options_for(const market_options& o) {
  simex::synthetic_options so;
  so.seed = o.seed;
  so.step = o.step;
  so.levels = o.levels;
  so.vol_scale = o.vol_scale;
  so.products = o.synthetic_products;
  return so;
}

simex::model_config model_for(const market_data& md, const market_options& o) {
  if (md.synthetic)  // the very function simex's server builds its market with
    return simex::synthetic_model(synthetic_options_for(o));
  // the very function simex's --candles-model backtest builds its market with
  std::vector<simex::candle_series> series;
  series.reserve(md.products.size());
  for (const auto& pd : md.products)
    series.push_back({pd.product, pd.candles});  // a view: the model's path is the one copy
  return simex::candle_model(series, {o.seed, o.step, o.levels});
}

namespace {
simex::exchange_config seeded(std::uint64_t seed) {
  simex::exchange_config ec;
  ec.seed = seed;
  return ec;
}
} // namespace

sim_market::sim_market(const market_data& md, market_options o)
  : opt_(std::move(o)), ex_(std::make_unique<simex::exchange>(seeded(opt_.seed))) {
  ex_->set_event_recording(false);  // the pipeline reads orders, fills and the tape directly
  model_ = std::make_unique<simex::synthetic_market>(*ex_, model_for(md, opt_));
}

sim_market::~sim_market() = default;

void sim_market::start(ts_ns t0) {
  model_->start(t0);
  last_ = t0;
}

void sim_market::advance(ts_ns t) {
  if (t < last_ + opt_.step)
    return;
  steps_ += static_cast<std::uint64_t>((t - last_) / opt_.step);
  last_ += (t - last_) / opt_.step * opt_.step;
  model_->advance(t);
}

std::optional<quote> sim_market::top(const std::string& p, ts_ns now) const {
  const auto* b = ex_->book(p);
  if (b == nullptr)
    return std::nullopt;
  auto bid = b->best(simex::side::buy);
  auto ask = b->best(simex::side::sell);
  if (!bid || !ask)
    return std::nullopt;
  quote q{product_id{p}, *bid, *ask, b->qty_at(simex::side::buy, *bid), b->qty_at(simex::side::sell, *ask),
          price{}, static_cast<std::int64_t>(ex_->book_sequence(p)), now, now};
  if (const auto* st = ex_->stats(p))
    q.last = st->last();
  return q;
}

void sim_market::depth(const std::string& p, std::size_t n, std::vector<book_level>& bids,
                       std::vector<book_level>& asks) const {
  bids.clear();
  asks.clear();
  const auto* b = ex_->book(p);
  if (b == nullptr)
    return;
  b->for_each_level(simex::side::buy, n, [&](price px, size q) { bids.push_back({px, q}); });
  b->for_each_level(simex::side::sell, n, [&](price px, size q) { asks.push_back({px, q}); });
}

risk::product_rules sim_market::rules(const std::string& p) const {
  risk::product_rules r;
  const auto* pr = ex_->find_product(p);
  if (pr == nullptr)
    return r;
  r.product = product_id{p};
  r.base = pr->base_currency;
  r.quote = pr->quote_currency;
  r.price_increment = pr->quote_increment;
  r.base_increment = pr->base_increment;
  r.quote_increment = notional::from_units(pr->quote_increment.units);
  r.base_min = pr->base_min_size;
  r.base_max = pr->base_max_size;
  r.min_funds = pr->quote_min_size;
  r.max_funds = pr->quote_max_size;
  return r;
}

} // namespace trader::backtest

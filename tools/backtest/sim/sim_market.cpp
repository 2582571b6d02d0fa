#include "tools/backtest/sim/sim_market.hpp"

#include <algorithm>
#include <cmath>

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
  auto std_cfg = simex::model_config::standard(o.seed);
  simex::model_config c;
  c.seed = o.seed;
  c.step = o.step;
  c.history_minutes = 0;
  const auto [first, last] = md.span();
  for (const auto& pd : md.products) {
    simex::synthetic_product sp;
    auto known = std::find_if(std_cfg.products.begin(), std_cfg.products.end(),
                              [&](const auto& s) { return s.listing.id == pd.product; });
    if (known != std_cfg.products.end()) {
      sp = *known;
    } else {
      sp.listing.id = pd.product;
      sp.listing.base_currency = pd.product.substr(0, pd.product.find('-'));
      sp.listing.quote_currency = "USD";
      sp.listing.base_name = sp.listing.base_currency;
      sp.listing.quote_name = "US Dollar";
      sp.listing.base_increment = size::from_units(1);
      sp.listing.quote_increment = price::from_units(1'000'000);
      sp.listing.base_min_size = size::from_units(1);
      sp.listing.base_max_size = size::from_int(100'000'000);
      const double open = std::max(pd.candles.front().open.to_double(), 0.01);
      sp.level_size = size::from_double(std::max(20'000.0 / open, 1e-8));
    }
    sp.levels = o.levels;
    sp.start_price = pd.candles.front().open;
    sp.path = pd.candles;
    if (sp.path.front().start > first) {  // flat until the product's data begins
      auto lead = sp.path.front();
      lead.start = first;
      lead.high = lead.low = lead.close = lead.open;
      lead.volume = size{};
      sp.path.insert(sp.path.begin(), lead);
    }
    (void)last;
    c.products.push_back(std::move(sp));
  }
  return c;
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

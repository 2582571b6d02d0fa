#include "tools/simex/engine/candle_model.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace trader::simex {

namespace {

/// A listing for an id model_config::standard does not know.
synthetic_product generic_product(const candle_series& s) {
  synthetic_product sp;
  sp.listing.id = s.product;
  sp.listing.base_currency = s.product.substr(0, s.product.find('-'));
  sp.listing.quote_currency = "USD";
  sp.listing.base_name = sp.listing.base_currency;
  sp.listing.quote_name = "US Dollar";
  sp.listing.base_increment = size::from_units(1);
  sp.listing.quote_increment = price::from_units(1'000'000);
  sp.listing.base_min_size = size::from_units(1);
  sp.listing.base_max_size = size::from_int(100'000'000);
  const double open = std::max(s.candles.front().open.to_double(), 0.01);
  sp.level_size = size::from_double(std::max(20'000.0 / open, 1e-8));
  return sp;
}

} // namespace

model_config candle_model(const std::vector<candle_series>& products, const candle_model_options& o) {
  auto std_cfg = model_config::standard(o.seed);
  model_config c;
  c.seed = o.seed;
  c.step = o.step;
  c.history_minutes = 0;
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  for (const auto& s : products) {
    if (s.candles.empty())
      throw std::invalid_argument("candle model: product " + s.product + " has no candles");
    first = std::min(first, s.candles.front().start);
  }
  for (const auto& s : products) {
    auto known = std::find_if(std_cfg.products.begin(), std_cfg.products.end(),
                              [&](const auto& p) { return p.listing.id == s.product; });
    synthetic_product sp = known != std_cfg.products.end() ? *known : generic_product(s);
    if (o.levels > 0)
      sp.levels = o.levels;
    sp.start_price = s.candles.front().open;
    sp.path.assign(s.candles.begin(), s.candles.end());
    if (sp.path.front().start > first) {  // flat until the product's data begins
      auto lead = sp.path.front();
      lead.start = first;
      lead.high = lead.low = lead.close = lead.open;
      lead.volume = size{};
      sp.path.insert(sp.path.begin(), lead);
    }
    c.products.push_back(std::move(sp));
  }
  return c;
}

} // namespace trader::simex

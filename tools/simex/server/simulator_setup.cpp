#include "tools/simex/server/simulator_setup.hpp"

#include "tools/simex/engine/candle_model.hpp"
#include "tools/simex/engine/replay.hpp"

#include <stdexcept>

namespace trader::simex::transport {

simulator_config simulator_config_from(const server_config& cfg) {
  if (auto unknown = unknown_synthetic_products(cfg.products); !unknown.empty()) {
    std::string known;
    for (const auto& p : model_config::standard(cfg.seed).products)
      known += (known.empty() ? "" : ", ") + p.listing.id;
    throw std::invalid_argument("--products: '" + unknown.front() + "' is not a simulated product (simex lists "
                                + known + ")");
  }
  simulator_config sc;
  sc.seed = cfg.seed;
  synthetic_options so;  // the shape `backtest run` gives synthetic_model too (docs/simex.md)
  so.seed = cfg.seed;
  so.step = cfg.model_step_ms * ns_per_ms;
  so.levels = cfg.levels;
  so.vol_scale = cfg.vol_scale;
  so.products = cfg.products;
  sc.replay_ws_file = cfg.replay_ws_file;
  if (!cfg.candles_product.empty())
    sc.candles_product = cfg.candles_product;
  if (cfg.candles_model == "backtest") {  // backtest run --data F's market, one builder
    if (cfg.candles_csv_file.empty())
      throw std::invalid_argument("--candles-model backtest: needs --candles-csv");
    std::string err;
    auto bars = load_candles_csv(cfg.candles_csv_file, err);
    if (!bars || bars->empty())
      throw std::invalid_argument("--candles-csv " + cfg.candles_csv_file + ": "
                                  + (err.empty() ? std::string{"no rows"} : err));
    sc.market = candle_model({{sc.candles_product, *bars}},
                             {cfg.seed, cfg.model_step_ms * ns_per_ms, cfg.levels});
    return sc;
  }
  if (cfg.candles_model != "standard")
    throw std::invalid_argument("--candles-model: '" + cfg.candles_model + "' is not standard or backtest");
  sc.market = synthetic_model(so);
  sc.candles_csv_file = cfg.candles_csv_file;
  return sc;
}

} // namespace trader::simex::transport

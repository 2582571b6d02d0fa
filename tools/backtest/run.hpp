#pragma once
// One backtest run: loads the data, builds the simulated market and the pipeline, schedules
// the market steps, bar and tick deliveries and the jittered decision cycle on the event
// loop, runs it in virtual time and returns what was recorded. No CAF.

#include "runtime/config/trader_config.hpp"
#include "tools/backtest/data/market_data.hpp"
#include "tools/backtest/report/run_record.hpp"
#include "tools/backtest/sim/sim_market.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace trader::backtest {

/// What to run.
struct run_options {
  std::vector<std::string> data;        ///< Data files; empty = simex's synthetic market.
  std::string product;                  ///< Product id of files that do not name one.
  std::int64_t from_s = 0;              ///< Range start, UNIX s (0 = data start; synthetic: 2026-01-01).
  std::int64_t to_s = 0;                ///< Range end, exclusive (0 = data end; synthetic: from + days).
  double days = 1.0;                    ///< Synthetic market length when to_s is 0.
  double initial_cash = 10'000.0;       ///< Quote balance at the start, USD.
  std::uint64_t seed = 1;               ///< Market model, exchange ids and cycle jitter.
  std::int64_t step_ms = 10'000;        ///< Market model step.
  int levels = 10;                      ///< House levels per side of the market model.
  double vol_scale = 1.0;               ///< Synthetic: variance multiplier of the walk's per-step volatility.
  std::vector<std::string> synthetic_products;  ///< Synthetic: these products only (empty = all six).
  bool bars_from_tape = false;          ///< With data: signals read the simulated tape, not the file (--bars tape).
  bool keep_audit = false;              ///< Keep the audit stream in the record.
  bool progress = false;                ///< Draw a progress bar on stderr.
};

/// The run's identity, written into the report.
struct run_meta {
  std::string config_dir, config_hash, trading_hash;
  std::vector<data_file> files;
  bool synthetic = false;
  std::vector<std::string> products;    ///< Traded.
  ts_ns from = 0, to = 0;
  std::uint64_t seed = 0;
  double initial_cash = 0;
  std::int64_t step_ms = 0;
  int levels = 0;
  double vol_scale = 1.0;
};

/// A finished run.
struct run_result {
  run_meta meta;
  run_record rec;
  double final_nav = 0;
  std::vector<std::pair<std::string, double>> open_positions;  ///< Product → base qty still held.
  double wall_s = 0;  ///< Wall time of the run itself (not in the report: it is not deterministic).
};

/// The simulated market o asks for; a synthetic market without --products lists `universe`.
market_options market_options_for(const run_options& o, bool synthetic, const std::vector<std::string>& universe);

/// Runs; false with `error` set when the data cannot be loaded.
bool run_backtest(const config::trader_config& cfg, const std::string& config_dir, const std::string& config_hash,
                  const std::string& trading_hash, const run_options& o, run_result& out, std::string& error);

/// Runs on already loaded data (walk-forward windows reuse it).
void run_loaded(const config::trader_config& cfg, const market_data& md, const run_options& o, run_result& out);

} // namespace trader::backtest

// Parity (issue 19): the same market through traderd in PAPER against simex in stepped-clock
// mode and through `backtest run` gives the same orders (docs/backtest.md "Parity").
//
// One market: simex runs the synthetic model backtest runs for the same seed, products, model
// step and start (--products, --model-step-ms, --levels); traderd reads it over REST and the
// WebSocket, backtest straight from the engine. One clock: the harness moves simex
// (POST /clock/advance) and traderd's wall clock (the test hook's file) in 10 s steps, the
// model's step, and runs a decision cycle (debug.cycle) at every interval_s of simulated time,
// where backtest's loop runs its cycles — after the step's market data is in traderd (the
// feed's newest heartbeat, sent after the step's frames, is at the step's time) and before
// the next step (the cycle's proposals all have verdicts).
//
// Two markets: the synthetic one (simex --seed --products --model-step-ms --levels; backtest
// run --seed --products) and a candle file (simex --candles-csv --candles-model backtest;
// backtest run --data FILE --bars tape: the signal side builds its bars from the simulated
// tape, as traderd does from simex's feed).
//
// "The same orders": the approved entries and sent exits in order, with product, side, type,
// time in force, limit price and size (`backtest decisions --orders`). Up to the first fill
// on either side: PAPER fills against the quotes it sees, backtest's orders rest in simex's
// engine, so after a fill positions, cash and what risk allows legitimately part.
#include "tests/system/backtest/parity_fixture.hpp"

#include <cmath>

using namespace trader;
using namespace trader::parity_test;

namespace {

constexpr std::int64_t steps = 240;         ///< 40 simulated minutes.
/// An hour of the candle file: from no history the series warm up for 20 minutes and the
/// wave's first momentum entry comes about 45 minutes in.
constexpr std::int64_t candle_steps = 360;
constexpr std::uint64_t seed = 11;
const std::string products = "BTC-USD,ETH-USD";

void write_candles(const std::string& path) { test::write_wave_candles(path, start_s); }

class TraderdParityTest : public parity_fixture {};

} // namespace

TEST_F(TraderdParityTest, TheSameMarketGivesTheSameOrdersInTraderdAndBacktest) {
  // backtest's synthetic market for (seed, products, 10 s step, 10 levels) from start_s.
  ASSERT_NO_FATAL_FAILURE(configure({"--seed", std::to_string(seed), "--products", products, "--model-step-ms",
                                     std::to_string(step_s * 1000), "--levels", "10"},
                                    products));
  ASSERT_NO_FATAL_FAILURE(run_traderd(steps));
  // backtest on the same config, seed, products and range.
  expect_same_orders("--seed " + std::to_string(seed) + " --from " + std::to_string(start_s) + " --to " +
                     std::to_string(start_s + steps * step_s) + " --step-ms " + std::to_string(step_s * 1000) +
                     " --products " + products);
}

TEST_F(TraderdParityTest, TheSameCandleFileGivesTheSameOrdersInTraderdAndBacktest) {
  const std::string csv = dir / "btc-usd.csv";  // backtest reads the product from the name
  write_candles(csv);
  // backtest's market for the file (simex::candle_model: its one product, no history).
  ASSERT_NO_FATAL_FAILURE(configure({"--seed", std::to_string(seed), "--candles-csv", csv, "--candles-product",
                                     "BTC-USD", "--candles-model", "backtest", "--model-step-ms",
                                     std::to_string(step_s * 1000), "--levels", "10"},
                                    "BTC-USD"));
  ASSERT_NO_FATAL_FAILURE(run_traderd(candle_steps));
  // backtest on the same file up to where traderd stopped, bars from the simulated tape.
  expect_same_orders("--data " + csv + " --bars tape --seed " + std::to_string(seed) + " --to " +
                     std::to_string(start_s + candle_steps * step_s) + " --step-ms " + std::to_string(step_s * 1000));
}

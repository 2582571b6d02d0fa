#pragma once
// The strategy framework: a strategy reads an immutable context (the cycle's signals built
// from closed bars, its own positions and budget, the regime, the clock) and returns entry
// candidates; it has no exchange, store or other strategy. The registry runs the enabled
// strategies, enforces their budgets, aggregates per symbol (highest confidence wins, or an
// ensemble of K agreeing strategies) and turns the winners into trade_proposals; a cycle that
// proposes nothing says why. Long only: every proposal is a BUY that opens. No CAF.

#include "messages/signals.hpp"
#include "messages/trading.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace trader::signals {

/// One [strategies.NAME] of strategies.toml.
struct strategy_params {
  std::string name;
  std::string kind = "rules";          ///< rules | rsi_reversion.
  bool enabled = false;
  double risk_budget_pct = 10.0;       ///< Share of NAV at risk (risk enforces it; carried in the rationale).
  std::int64_t max_positions = 3;      ///< Its open positions (own + proposed this cycle).
  std::int64_t max_trades_per_cycle = 1;
  std::string trigger = "breakout";    ///< kind rules: the trigger id it consumes.
  double min_confidence = 0.5;         ///< Signals below are ignored.
  double notional_usd = 100.0;         ///< Quote amount per entry before the regime multiplier.
  double stop_loss_pct = 0, take_profit_pct = 0, stop_loss_atr = 0, take_profit_atr = 0;
  double rsi_oversold = 30.0;          ///< kind rsi_reversion.
};

/// [ensemble] of strategies.toml.
struct ensemble_params {
  bool enabled = false;
  std::int64_t min_agreeing = 2;
  double min_confidence = 0.8;         ///< Mean confidence of the agreeing strategies, 0..1.
  double entry_zone_pct = 0.5;         ///< Limit price this far above their mean reference price.
};

/// The correlation filter ([correlation] of universe.toml): skip a candidate whose recent
/// returns correlate above max_correlation with a product already held.
struct correlation_params {
  bool enabled = false;
  std::size_t lookback = 60;      ///< Returns compared (base bars); 2..1000.
  double max_correlation = 0.8;   ///< Pearson correlation above which the candidate is skipped; 0..1.
};

/// What a strategy may read. Immutable; built by the registry per strategy and cycle.
struct strategy_context {
  std::int64_t cycle = 0;
  ts_ns now = 0;                                ///< The cycle's clock.
  const signal_batch& signals;                  ///< Closed-bar signals of every eligible product.
  std::span<const position_state> positions;    ///< This strategy's open positions.
  std::span<const position_state> all_positions;  ///< Every open position (no doubling up).
  const strategy_params& params;                ///< Its own configuration and budget.
};

/// A strategy's wish to enter one product.
struct candidate {
  product_id product;
  double confidence = 0;              ///< In [0, 1].
  price reference;                    ///< The close it decided on.
  exit_plan exits;
  std::vector<std::string> trigger_ids;
  std::string rationale;
};

/// A strategy: pure, deterministic, no I/O.
class strategy {
public:
  virtual ~strategy() = default;
  /// Entry candidates for this cycle, best first.
  virtual std::vector<candidate> propose(const strategy_context& ctx) const = 0;
};

/// The built-in strategy of params.kind; nullptr for an unknown kind.
std::unique_ptr<strategy> make_strategy(const strategy_params& params);

/// The outcome of one cycle.
struct cycle_result {
  std::vector<trade_proposal> proposals;
  std::string no_trade_reason;        ///< Set when proposals is empty: a stable id (metric label).
  std::vector<std::string> notes;     ///< Per strategy and product: why something was not proposed.
  std::uint64_t look_ahead = 0;       ///< Signals refused because their bar had not closed.
};

/// Stable no-trade reason ids.
/// no_strategy_enabled, empty_universe, all_blocked, look_ahead, crash_regime,
/// regime_multiplier_zero, ensemble_disagree, position_open, correlated, budget_exhausted,
/// below_confidence, no_matching_signal, no_signal (the strategies actor adds cycle_overrun).
class strategy_registry {
public:
  strategy_registry(std::vector<strategy_params> strategies, const ensemble_params& ensemble,
                    const correlation_params& correlation = {});

  /// Runs every enabled strategy over the batch. Proposal ids are `id_prefix-cycle-n`
  /// (the actor passes a per-run prefix, so ids stay unique across restarts).
  cycle_result run(const signal_batch& batch, std::span<const position_state> positions, ts_ns now,
                   const std::string& id_prefix) const;

  /// Enabled strategies by name.
  std::vector<std::string> enabled() const;
  const std::vector<strategy_params>& params() const { return params_; }

private:
  /// Why `candidate` is skipped by the correlation filter; empty when it is not.
  std::string correlated(const signal_batch& b, std::span<const position_state> positions,
                         const product_id& candidate) const;

  std::vector<strategy_params> params_;
  std::vector<std::unique_ptr<strategy>> impl_;
  ensemble_params ensemble_;
  correlation_params correlation_;
};

} // namespace trader::signals

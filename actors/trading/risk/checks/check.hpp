#pragma once
// One pre-trade check = one stable id + one pure function of the check context (proposal,
// portfolio snapshot, policy, market snapshot, pacing, now). It approves, resizes (the
// order may go out, no larger than `cap`) or rejects, with a rendered detail:
// "PER_ASSET_CAP: asset=BTC at_risk_pct=5.40 limit_pct=5.00". No CAF.

#include "actors/trading/risk/market_view.hpp"
#include "actors/trading/risk/pacing.hpp"
#include "actors/trading/risk/portfolio.hpp"
#include "actors/trading/risk/risk_policy.hpp"
#include "messages/trading.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::risk {

/// What a check decided.
enum class check_outcome : std::uint8_t { approve, resize, reject };

/// A check's answer. `why` is set for resize and reject.
struct check_result {
  check_outcome outcome = check_outcome::approve;
  notional cap;   ///< resize: the most (quote currency, fees included) this check allows.
  rejection why;  ///< id + detail.

  static check_result ok() { return {}; }
  static check_result reject(std::string_view id, std::string detail) {
    return {check_outcome::reject, notional{}, rejection{std::string(id), std::move(detail)}};
  }
  static check_result resize(std::string_view id, notional cap, std::string detail) {
    return {check_outcome::resize, cap, rejection{std::string(id), std::move(detail)}};
  }
};

/// Everything a check reads. Built once per proposal by make_context(); the derived
/// fields (entry, position, exposure, desired) are folds of the inputs, not new inputs.
struct check_context {
  const trade_proposal& proposal;
  const portfolio_snapshot& book;
  const risk_policy& policy;
  const market_snapshot& market;
  const pacing_state& pacing;
  ts_ns now = 0;

  const market_entry* entry = nullptr;       ///< The proposal's product, or null when unknown.
  const position_view* position = nullptr;   ///< Its open position, or null.
  exposure_summary exposure;                 ///< Sums for its asset, strategy, themes.
  notional desired;                          ///< target × regime_multiplier.
  std::string_view regime;                   ///< The regime the entry is sized for (proposal's, else market's).
  double regime_multiplier = 1.0;            ///< Applied to target: the policy's for `regime`, over what
                                             ///< the strategy already applied, never above 1 then.
  bool adds_risk = true;                     ///< open/add buy (false: reduce/close).
  bool is_add = false;                       ///< Adds to an open position (kind add, or open while held).
};

/// The multiplier an entry's target gets: the policy's for the proposal's regime (an
/// unknown regime name: 0), else the market's; divided by what the strategy already applied
/// (`size_multiplier` > 0), capped at 1 then, so a target is never scaled twice or up.
double regime_multiplier(const risk_policy& policy, const market_snapshot& market, const trade_proposal& p);

/// Builds the context of one proposal.
check_context make_context(const trade_proposal& p, const portfolio_snapshot& book, const risk_policy& policy,
                           const market_snapshot& market, const pacing_state& pacing, ts_ns now);

/// A check: its stable id, its function, and whether it applies to exits too.
struct check_def {
  std::string_view id;
  check_result (*fn)(const check_context&);
  bool for_exits = false;  ///< Also runs on reduce/close proposals.
  bool input = false;      ///< Bad-input stage: when one fails, later stages are not run.
};

/// Runs one check; an exception becomes a CHECK_FAILED rejection naming the check.
check_result run_check(const check_def& c, const check_context& ctx) noexcept;

/// Formats like printf into a std::string (details only).
std::string fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));

} // namespace trader::risk

#pragma once
// Automatic red flags: rules over what the universe already sees that raise a temporary ban.
//   bad_ticks   — the quote guard held >= bad_ticks_count quotes of a product within
//                 bad_ticks_window_s;
//   wide_spread — the spread stayed above wide_spread_multiple × [eligibility] max_spread_bps
//                 for wide_spread_cycles consecutive decision cycles (off when max_spread_bps
//                 is 0: there is no reference);
//   status      — the exchange status went to cancel_only, offline or delisted.
// Each rule has its ban_hours (0 = the rule is off). A product already banned (by an operator
// or an earlier flag) or listed in excluded_symbols is not flagged again while the ban runs;
// its rule state restarts. Pure: time and facts are arguments. No CAF.

#include "actors/trading/signals/universe_rules.hpp"
#include "messages/market.hpp"
#include "messages/names.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace trader::universe {

/// [red_flags] of universe.toml (beyond excluded_symbols). Ranges as in the schema.
struct red_flag_params {
  std::int64_t bad_ticks_count = 5;        ///< Held quotes in the window that flag; 1..10000.
  std::int64_t bad_ticks_window_s = 3600;  ///< The window, s; 60..604800.
  double bad_ticks_ban_hours = 24.0;       ///< 0 = rule off; 0..8760.
  double wide_spread_multiple = 3.0;       ///< K: spread above K × max_spread_bps; 1..1000.
  std::int64_t wide_spread_cycles = 3;     ///< M consecutive cycles; 1..10000.
  double wide_spread_ban_hours = 6.0;      ///< 0 = rule off; 0..8760.
  double status_ban_hours = 24.0;          ///< cancel_only/offline/delisted; 0 = rule off; 0..8760.
  bool operator==(const red_flag_params&) const = default;
};

/// A rule that fired: the product gets a ban of `hours` from the cycle's time.
struct red_flag {
  std::string product;
  std::string rule;     ///< bad_ticks | wide_spread | status.
  double hours = 0;     ///< The rule's ban_hours.
  std::string figures;  ///< What it saw, e.g. "held=5 within 3600 s (limit 5)".
  /// The ban it raises at `now`: reason "red_flag RULE: FIGURES".
  signals::ban to_ban(ts_ns now) const;
};

/// Stable rule names, in evaluation order.
inline constexpr const char* red_flag_rules[] = {"bad_ticks", "wide_spread", "status"};

/// True for the states the status rule flags: cancel_only, offline, delisted.
bool flagged_state(product_state s);

class red_flag_monitor {
public:
  explicit red_flag_monitor(const red_flag_params& p = {}) : p_(p) {}

  /// New parameters (a reload); the rule state is kept unless a rule was switched off.
  void set_params(const red_flag_params& p);
  const red_flag_params& params() const { return p_; }

  /// The quote guard held a quote of `product` at `now`.
  void on_held_quote(const std::string& product, ts_ns now);
  /// A status seen for `product` (status channel or product list). A change from a state
  /// that is not flagged (or unknown) to a flagged one is remembered for the next evaluate().
  void on_status(const std::string& product, product_state s);

  /// One decision cycle at `now`: every rule over the tiers' products (`products`), given the
  /// facts (spreads), the eligibility max_spread_bps, the static exclusions and the bans in
  /// force. Returns the flags raised (at most one per product; the first rule in
  /// red_flag_rules order wins) and forgets the state that raised them.
  std::vector<red_flag> evaluate(const std::vector<std::string>& products,
                                 const std::map<std::string, signals::market_facts>& facts, double max_spread_bps,
                                 const std::vector<std::string>& excluded,
                                 const std::map<std::string, signals::ban>& bans, ts_ns now);

  /// Held quotes of `product` inside the window ending at `now` (for tests and the JSON view).
  std::size_t held_in_window(const std::string& product, ts_ns now) const;
  /// Consecutive wide cycles counted for `product`.
  std::int64_t wide_cycles(const std::string& product) const;

private:
  struct product_state_t {
    std::deque<ts_ns> held;         ///< Times of held quotes (newest last).
    std::int64_t wide = 0;          ///< Consecutive cycles above the limit.
    bool status_known = false;
    product_state status = product_state::online;
    bool status_went_bad = false;   ///< A change to a flagged state not evaluated yet.
    product_state bad_status = product_state::offline;  ///< The flagged state it changed to.
  };

  red_flag_params p_;
  std::map<std::string, product_state_t> s_;
};

} // namespace trader::universe

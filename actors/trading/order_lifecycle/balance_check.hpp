#pragma once
// The balance reconcile (docs/orders.md "Balances vs positions"): the exchange's base-currency
// balances against the ledger's positions. No CAF.
//
// An account may hold coins the daemon never traded (opening balances, a deposit before
// trading began): those are the baseline, the coins held outside the ledger per currency. A
// currency the daemon has never ordered takes its baseline from the balance at every check
// (so a deposit before trading is absorbed); from its first order on (written ahead, before
// it is sent) the baseline is fixed and persisted — not from its first fill, since a fill in
// flight (on the exchange's balance, not yet booked) would be absorbed into the baseline and
// be a difference for ever once booked — and balance − baseline must equal the sum of the ledger's positions
// of the products with that base currency, within a tolerance. A traded currency without a
// baseline (a store older than this check) adopts balance − positions once, reported.
//
// A fill can land between the exchange's fills read and its balances read, so one sighting of
// a difference only holds the gate; the same difference seen by two checks in a row is
// confirmed (the reconcile_mismatch alert).

#include "actors/trading/order_lifecycle/position.hpp"

#include "messages/exchange.hpp"
#include "messages/numeric.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace trader::order_lifecycle {

/// The base currency of a product id ("BTC-USD" → "BTC"; the whole id when it has no '-').
std::string base_currency_of(std::string_view product);

/// One currency whose balance and ledger disagree by more than the tolerance.
struct balance_difference {
  std::string currency;
  size exchange;      ///< available + hold on the exchange (zero when not listed).
  size outside;       ///< The baseline: coins held outside the ledger.
  size ledger;        ///< Σ positions of the products with this base currency.
  size difference;    ///< exchange − outside − ledger.
  bool listed = true; ///< The exchange listed the currency.
  bool confirmed = false;  ///< The previous check saw the same difference.
  bool agrees = true;      ///< Within the tolerance (then not among the report's differences).
  std::vector<std::string> products;
  /// "BTC exchange=1.02 outside=1 ledger=0.01 difference=0.01 products=BTC-USD".
  std::string describe() const;
};

/// What one check found.
struct balance_report {
  std::vector<balance_difference> compared;     ///< Every traded currency, agreeing or not.
  std::vector<balance_difference> differences;  ///< Above the tolerance: the gate is held.
  std::vector<std::string> rebased;  ///< Operator re-bases applied now ("BTC outside=1 -> 2 difference=1").
  std::vector<std::string> rebase_dropped;  ///< Re-bases with nothing to do ("BTC: agrees").
  std::vector<std::string> adopted;  ///< Traded currencies without a baseline: adopted now ("BTC outside=…").
  bool baseline_changed = false;     ///< Persist baseline() before trusting it after a restart.
  bool agreed() const { return differences.empty(); }
  bool confirmed() const;            ///< Some difference is confirmed (alert).
};

class balance_reconciler {
public:
  /// tolerance: the largest difference (base units) that still agrees; ≥ 0. The quote
  /// currency is cash (the ledger takes it from the balance), never compared.
  explicit balance_reconciler(size tolerance = size::from_units(1), std::string quote_currency = "USD")
    : tolerance_(tolerance), quote_(std::move(quote_currency)) {}

  /// An operator's re-base (traderctl balances --rebase CUR, after a deposit or withdrawal of a
  /// traded currency): at the next check that *confirms* a difference of `currency` (the same
  /// difference twice in a row, so not a fill in flight) the difference moves into the
  /// baseline. Dropped, reported, when the currency agrees or is not traded. Stays pending
  /// while a difference is unconfirmed.
  void request_rebase(std::string currency) { rebase_.insert(std::move(currency)); }
  const std::set<std::string>& rebases_pending() const { return rebase_; }

  /// The baseline as stored (decode_baseline); replaces the current one.
  void restore(std::map<std::string, size> baseline) { baseline_ = std::move(baseline); }
  const std::map<std::string, size>& baseline() const { return baseline_; }
  size tolerance() const { return tolerance_; }

  /// Compares the balances with the positions (by product id, flat ones included: a product
  /// with a booked fill marks its currency as traded, and so does each of `ordered`, the
  /// products of every order the daemon knows, whatever its state).
  balance_report check(const std::map<std::string, position>& positions, const std::vector<balance>& balances,
                       const std::set<std::string>& ordered = {});

private:
  size tolerance_;
  std::string quote_;
  std::map<std::string, size> baseline_;
  std::map<std::string, size> last_difference_;  ///< Of the previous check, by currency.
  std::set<std::string> rebase_;                 ///< Re-bases requested, not applied yet.
};

/// The baseline as bytes for the store: "v1\n" then "CURRENCY UNITS\n" per currency.
std::string encode_baseline(const std::map<std::string, size>& baseline);
/// nullopt when malformed (unknown version, a bad line); "" decodes to an empty baseline.
std::optional<std::map<std::string, size>> decode_baseline(std::string_view text);

} // namespace trader::order_lifecycle

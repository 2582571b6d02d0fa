#pragma once
// Everything the risk actor knows between messages, as one pure object: the newest
// portfolio_update from order_lifecycle, the market (rules from products, statuses, quotes,
// the clock offset), trade pacing, the loss limits and the protective exits. The actor feeds
// it messages and sends what it returns; the decisions stay in risk_engine, loss_limits and
// protective_exits. Reads no clock: `now` is an argument everywhere. No CAF.

#include "actors/trading/risk/auto_trim.hpp"
#include "actors/trading/risk/level_books.hpp"
#include "actors/trading/risk/loss_limits.hpp"
#include "actors/trading/risk/market_view.hpp"
#include "actors/trading/risk/pacing.hpp"
#include "actors/trading/risk/portfolio.hpp"
#include "actors/trading/risk/protective_exits.hpp"
#include "actors/trading/risk/pyramid_book.hpp"
#include "actors/trading/risk/risk_engine.hpp"
#include "messages/exchange.hpp"
#include "messages/trading.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::risk {

/// A product's trading rules from the products endpoint (quote_increment: its price
/// increment, which the endpoint does not give separately).
product_rules rules_of(const product_info& p);

/// A change of the ledger's cash that its fills do not explain: a deposit or withdrawal.
struct cash_flow_event {
  notional amount;       ///< > 0 deposit, < 0 withdrawal.
  notional nav;          ///< NAV at the newest marks after it.
  std::uint64_t version = 0;  ///< The portfolio_update that showed it.
};

/// What a portfolio_update changed in the protective exits.
struct portfolio_effects {
  std::vector<product_id> armed;     ///< New protection (a position appeared or grew).
  std::vector<product_id> disarmed;  ///< Positions gone.
  std::vector<product_id> retry;     ///< Exits sent long ago with no working exit order: armed again.
  bool exits_changed = false;        ///< Persist the exits.
  bool pacing_changed = false;       ///< A newer fill was recorded: persist pacing.
  bool pyramid_changed = false;      ///< A position appeared or went: persist the pyramid counts.
  std::optional<cash_flow_event> cash_flow;  ///< A transfer found and taken out of PnL (audit it).
};

class risk_desk {
public:
  explicit risk_desk(risk_policy p);

  // -- market ------------------------------------------------------------------------------
  /// The products catalogue: rules and status of every product.
  void on_products(const std::vector<product_info>& list);
  void on_status(const product_status& s);
  void on_clock_offset(std::int64_t offset_ns) { market_.clock_offset_ns = offset_ns; }
  /// The account's fee tier (rates as fractions, e.g. 0.004); sizing uses it from now on.
  void on_fee_tier(const fee_tier& t);
  bool fees_from_exchange() const { return fees_known_; }
  /// Records the quote as the product's newest top of book (mark for NAV and exits).
  void on_quote(const quote& q);
  /// A level-2 snapshot or update from market_data (depth and price impact read it).
  void on_book(const book_update& u) { books_.apply(u); }
  /// market_data says p's feed is unhealthy or has a gap ("" = the whole feed): its book is
  /// not trusted until the next snapshot.
  void drop_book(const product_id& p) { books_.drop(p); }
  const level_books& books() const { return books_; }
  /// Book levels copied into a market entry for the checks, a side.
  static constexpr std::size_t book_depth = 50;

  // -- the ledger --------------------------------------------------------------------------
  /// The newest ledger, received at `now`: re-arms, resizes and disarms exits, records new
  /// fills in pacing. An update older (version) than the one held is ignored within a run.
  portfolio_effects on_portfolio(const portfolio_update& u, ts_ns now);
  bool has_portfolio() const { return have_portfolio_; }
  const portfolio_update& portfolio() const { return ledger_; }
  /// The book as the checks read it: NAV and positions at the newest marks, pending buys.
  /// Built once per ledger; a quote of a held product only refreshes the marks and NAV.
  const portfolio_snapshot& snapshot() const;
  /// Realized (of now's day and week) and unrealized PnL and NAV at the newest marks.
  ledger_marks marks(ts_ns now) const;
  /// Folds marks(now) into the loss limits; nullopt before the first portfolio_update.
  std::optional<loss_status> update_loss(ts_ns now);

  // -- decisions ---------------------------------------------------------------------------
  /// Judges p over the newest ledger, market and pacing. The product's book levels are
  /// copied into its market entry first, and an ATR the proposal brings is kept for it.
  evaluation evaluate(const trade_proposal& p, ts_ns now);
  /// An approved entry went out: pacing counts it, and its exit plan arms the position
  /// when the fill shows up in the ledger.
  void record_sent(const trade_proposal& p, const evaluation& ev, ts_ns now);
  /// Checks a quote against the protective exits (call on_quote first).
  std::optional<exit_signal> check_exit(const quote& q, ts_ns now);
  /// An exit intent went out (kind: a stop-loss starts the stop-out cooldown).
  void exit_sent(const product_id& p, exit_kind kind, ts_ns now);
  /// The exit intent was refused (gate, order_lifecycle): fire again on the next crossing.
  void exit_failed(const product_id& p);

  /// A reloaded policy: checks, sizing, exits and loss limits use it from now on (trips,
  /// openings and the high-water mark are kept).
  void set_policy(risk_policy p);

  /// Auto-trim: reduce-only sells back under the per-asset and total caps. Only on a
  /// reconciled ledger (an unknown cash balance would make every position look too big), and
  /// never for a product with an exit or trim order working, an exit out, or a trim sent
  /// within trim_spacing_ns.
  trim_plan trims(ts_ns now) const;
  /// A trim of p went out at now.
  void trim_sent(const product_id& p, ts_ns now) { trim_sent_at_[p] = now; }

  // -- operator ----------------------------------------------------------------------------
  /// `traderctl resume max_drawdown`: re-bases the high-water mark at the current NAV.
  bool resume_drawdown(ts_ns now);

  /// {"limits":…,"exposure":…,"loss":…,"pacing":…,"exits":[…]} for `traderctl risk`.
  std::string status_json(ts_ns now) const;

  // -- persisted parts ---------------------------------------------------------------------
  pacing_state& pacing() { return pacing_; }
  const pacing_state& pacing() const { return pacing_; }
  protective_exits& exits() { return exits_; }
  const protective_exits& exits() const { return exits_; }
  loss_limits& loss() { return loss_; }
  pyramid_book& pyramid() { return pyramid_; }
  const pyramid_book& pyramid() const { return pyramid_; }
  const std::optional<loss_status>& last_loss() const { return last_loss_; }
  const risk_engine& engine() const { return engine_; }
  /// Exit plans of approved entries whose fill has not shown yet: {"v":1,"plans":[…]}.
  std::string plans_json() const;
  /// Restores plans_json()'s output; false when malformed.
  bool restore_plans(std::string_view text);
  const market_snapshot& market() const { return market_; }

  /// How long an exit may be out without a working exit order before it is armed again.
  static constexpr std::int64_t exit_retry_ns = 15 * ns_per_s;
  /// Least time between two trims of one product.
  static constexpr std::int64_t trim_spacing_ns = 60 * ns_per_s;

private:
  exit_spec spec_for(const product_id& p) const;
  std::optional<cash_flow_event> find_cash_flow(const portfolio_update& u);
  price mark_of(const product_id& p, price fallback) const;

  risk_engine engine_;
  market_snapshot market_;
  portfolio_update ledger_;
  bool have_portfolio_ = false;
  ts_ns received_at_ = 0;
  mutable std::optional<portfolio_snapshot> book_;  ///< snapshot() cache; reset by a new ledger.
  mutable bool marks_stale_ = false;                ///< A held product was quoted since.
  bool fees_known_ = false;
  pacing_state pacing_;
  pyramid_book pyramid_;
  level_books books_;
  std::optional<notional> cash_anchor_;  ///< cash + Σ qty × avg_entry − realized_total of the held ledger.
  loss_limits loss_;
  std::optional<loss_status> last_loss_;
  protective_exits exits_;
  std::map<product_id, exit_spec> plans_;     ///< Exit plans of approved entries not filled yet.
  std::map<product_id, ts_ns> exit_sent_at_;  ///< Exits out, by product.
  std::map<product_id, ts_ns> trim_sent_at_;  ///< Newest trim, by product.
};

} // namespace trader::risk

#pragma once
// The order_lifecycle actor's whole decision logic, without CAF (docs/orders.md "The actor"):
// the orders it tracks, the client order id generator, the ledger and the gate rule for
// intents. Every change is planned here, written by the actor, and only then committed here,
// so memory never runs ahead of the store: plan → durable write → commit.

#include "actors/trading/order_lifecycle/recent_trades.hpp"
#include "actors/trading/order_lifecycle/sell_reservations.hpp"
#include "actors/trading/order_lifecycle/client_order_ids.hpp"
#include "actors/trading/order_lifecycle/ledger.hpp"
#include "actors/trading/order_lifecycle/lifecycle_store.hpp"
#include "actors/trading/order_lifecycle/order_state_machine.hpp"
#include "actors/trading/order_lifecycle/order_ttl.hpp"
#include "actors/trading/order_lifecycle/portfolio.hpp"
#include "actors/trading/order_lifecycle/reconcile.hpp"

#include "messages/exchange.hpp"
#include "messages/gate.hpp"
#include "messages/trading.hpp"
#include "runtime/persistence/records.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trader::order_lifecycle {

struct lifecycle_options {
  std::string client_id_namespace = "t";
  /// True only in LIVE with read_only = false: creates and cancels go to the exchange.
  /// Otherwise (DRY_RUN, PAPER until its simulator lands) intents are audited, nothing is sent.
  bool send_orders = false;
  std::string mode = "DRY_RUN";
  ttl_policy ttl;
  /// A write-ahead intent found unsent after a restart (state created, unknown at the
  /// exchange by client order id) is sent again under the same id while younger than this;
  /// older ones are marked failed (never sent). 0: never re-send.
  std::int64_t resend_window_ns = 120 * ns_per_s;
};

// -- conversions between messages and store records -------------------------------------------
persistence::order_status to_status(order_state s);
order_state to_state(persistence::order_status s);
persistence::order_side to_record_side(side s);
side to_side(persistence::order_side s);

/// What an order does to risk: reduce_only intents are exits, the rest open or add.
/// Returns "" when the gate lets it through, else "GATE_CLOSED: reason=… effect=…".
std::string gate_refusal(const gate_changed& g, bool reduce_only);

/// The strategy an intent came from, for its client order id: the proposal id up to its
/// first ':' ("momentum:42" → "momentum"), "manual" when empty.
std::string strategy_of(const order_intent& in);

/// An order as the actor tracks it.
struct tracked_order {
  persistence::order_record rec;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  bool post_only = true;
  notional quote_size;
  ts_ns expire_at = 0;
  ts_ns placed_at = 0;            ///< When it was accepted (TTL age).
  ts_ns sent_at = 0;              ///< When its create was sent (ack latency).
  ts_ns cancel_requested_at = 0;  ///< 0: no cancel sent.
  bool in_flight = false;         ///< A create is out, unanswered.
  bool recovering = false;        ///< Found created/unknown at start: resolve by client order id.
  std::string strategy;
};

class lifecycle_book {
public:
  explicit lifecycle_book(lifecycle_options opts);

  /// Rebuilds from the store: orders (the id sequence is restored from every one, live
  /// orders are tracked, created/unknown ones marked for recovery) and fills (replayed into
  /// the ledger in (ts_event, trade id) order). Returns the problems met ("" when none).
  std::string restore(const std::vector<persistence::order_record>& orders,
                      const std::vector<persistence::fill_record>& fills);

  /// An intent made ready to write ahead: id assigned (when empty), the record and the
  /// create request. `refused` when it cannot be placed at all (validation).
  struct prepared {
    std::string refused;
    std::string cut;  ///< A sell cut to what the position has left ("" when not cut).
    persistence::order_record rec;
    create_order create;
    tracked_order order;
  };
  /// A fill with this trade id is in the ledger or was booked within the last hour.
  bool booked(const trade_id& t) const { return ledger_.seen(t) || recent_.contains(t); }
  prepared prepare(order_intent in, ts_ns now);
  /// Starts tracking a prepared intent whose write-ahead is durable.
  void track(const prepared& p);

  /// One planned order change: persist `rec`, then commit().
  struct order_change {
    bool known = false;     ///< The order is ours and tracked.
    bool changed = false;   ///< Something to persist.
    refusal why = refusal::none;
    std::string reason;     ///< When refused: the machine's reason.
    order_state from = order_state::created;
    order_state to = order_state::created;
    persistence::order_record rec;
  };
  order_change on_ack(const order_ack& a, ts_ns now);
  order_change on_event(const client_order_id& id, order_event e, std::string why, ts_ns now);
  order_change on_update(const order_update& u, ts_ns now);
  /// Makes a persisted change the tracked state.
  void commit(const order_change& c, ts_ns now);

  /// One planned fill: write `commit` (record_fill), then commit_fill().
  struct fill_plan {
    bool duplicate = false;      ///< Already booked (ledger or order map).
    std::string invalid;         ///< The ledger refused it (INVALID_FILL: …).
    bool unknown_order = false;  ///< No tracked order owns it (booked all the same: a fill is a fact).
    std::string order_refused;   ///< The order's state machine refused it (overfill…), booked anyway.
    bool size_in_quote = false;  ///< Reported in quote (its base counts towards its order's).
    fill_commit commit;
    std::optional<order_change> order;
    apply_result applied;
    ledger next;
  };
  fill_plan plan_fill(const fill& f, ts_ns now);
  void commit_fill(fill_plan&& p, ts_ns now);

  /// Cancels due for stale post-only orders; marks them requested.
  ttl_plan stale(ts_ns now);
  void cancel_requested(const client_order_id& id, ts_ns now);

  /// An open order on the exchange the store does not know, made ours
  /// (execution.unknown_order_policy = adopt): the record to write, then adopt(). Its client
  /// id is the exchange's, or "adopted-<exchange id>" when it has none; nullopt when it
  /// cannot be tracked (no side or base size, or the id is tracked already).
  std::optional<tracked_order> adoption(const exchange_order& e, ts_ns now) const;
  /// Starts tracking an adopted order whose record is durable.
  void adopt(const tracked_order& o);
  /// An order this book finished recently (by client or exchange id): its late facts are
  /// its own, not an unknown order's.
  bool finished_recently(const client_order_id& id, const exchange_order_id& ex) const;

  /// The create to send for a recovering intent, when it may be sent again (same id).
  std::optional<create_order> resend_of(const tracked_order& o) const;

  const tracked_order* find(const client_order_id& id) const;
  const tracked_order* find_exchange(const exchange_order_id& id) const;
  tracked_order* find_mut(const client_order_id& id);
  const std::map<std::string, tracked_order>& orders() const { return orders_; }
  const ledger& book() const { return ledger_; }
  ledger& book_mut() { return ledger_; }
  const client_order_id_generator& ids() const { return ids_; }
  const lifecycle_options& options() const { return opts_; }
  /// Positions, working orders (every tracked order: pending exposure) and PnL buckets as
  /// risk reads them; version, reconciled are the actor's.
  portfolio_update portfolio(ts_ns now) const;
  /// The newest fill's ts_event booked (the fills poll asks from a margin before it).
  ts_ns newest_fill() const { return newest_fill_; }

  /// The catalogue's base increments: a size_in_quote fill whose order's base the exchange
  /// has not reported is converted to a whole number of its product's increments (the
  /// exchange fills whole increments). Products without one (or before the catalogue was
  /// read) round to 1e-8. Replaces what was known; products absent from it keep theirs.
  void set_base_increments(const std::vector<product_info>& products) {
    for (const auto& p : products)
      if (p.base_increment.units > 0)
        increments_[p.product.value] = p.base_increment;
  }
  /// The base increment known for a product (0 units: none).
  size base_increment(const product_id& p) const {
    auto it = increments_.find(p.value);
    return it == increments_.end() ? size{} : it->second;
  }

private:
  order_change plan(tracked_order& o, const update_result& r, ts_ns now, const exchange_order_id& ex,
                    std::string last_error);
  /// Remembers a finished order under its client and exchange ids (bounded, oldest out).
  void remember_finished(const std::string& client_id, const std::string& exchange_id);
  /// The client id of a recently finished order, by client or exchange id; empty if none.
  std::string finished_order(const fill& f) const;

  /// How far (1e-8 units) the rounded quotient of a quote-sized fill may be from the rest of
  /// its order's reported base for the reported figure to be taken instead.
  static constexpr std::int64_t quote_rounding_units = 2;
  lifecycle_options opts_;
  client_order_id_generator ids_;
  std::map<std::string, tracked_order> orders_;            ///< By client order id.
  std::unordered_map<std::string, std::string> by_exchange_;  ///< Exchange id → client id.
  /// Orders sized in quote (client id): the cumulative base size the exchange reported in its
  /// updates and the base booked from their size_in_quote fills so far. A fill that brings the
  /// booked base to the reported one (within a rounding step) books exactly the difference, so
  /// the ledger ends with the exchange's base amount (docs/orders.md "size_in_quote").
  /// Bounded by max_finished (oldest first out); not persisted (after a restart: rounding).
  struct quote_sized {
    size reported;
    size booked;
  };
  quote_sized& quote_track(const std::string& client_id);
  std::unordered_map<std::string, quote_sized> quote_orders_;
  std::deque<std::string> quote_keys_;
  /// Recently finished orders (client or exchange id → client id): a fill that comes after
  /// its order's terminal update — Coinbase's user stream often says FILLED before the fills
  /// poll brings the fills, and PAPER's venue does the same — is still its order's, not an
  /// unknown order's. Bounded by max_finished (oldest first out); not persisted.
  std::unordered_map<std::string, std::string> finished_;
  std::deque<std::string> finished_keys_;
  static constexpr std::size_t max_finished = 4096;
  ledger ledger_;
  position_meta meta_;
  sell_reservations sells_;  ///< Sells never exceed the position (sell_reservations.hpp).
  recent_trades recent_;     ///< Trade ids booked in the last hour (the reconcile's re-read window).
  ts_ns newest_fill_ = 0;
  std::unordered_map<std::string, size> increments_;  ///< Product → base increment (catalogue).
};

} // namespace trader::order_lifecycle

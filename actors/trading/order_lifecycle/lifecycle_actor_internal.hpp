#pragma once
// Internal to the order_lifecycle actor (order_lifecycle_actor.hpp is its public surface):
// the actor's state and the handlers' helpers, split by concern over
//   lifecycle_views.cpp  metrics, audit, JSON views for traderctl, the portfolio_update
//   lifecycle_facts.cpp  order updates and fills: the state machine's answers persisted
//   lifecycle_send.cpp   gate, intents (write-ahead, create), lookups by client order id, cancels
//   lifecycle_tick.cpp   the periodic tick: TTL cancels, recovery, fills poll, open-order re-read
//   lifecycle_reconcile.cpp  reconcile with the exchange (unknown orders per policy)
//   lifecycle_flatten.cpp    traderctl flatten: reduce-only exits
//   lifecycle_fallback.cpp   taker fallback after a post-only order's TTL
//   lifecycle_shadow.cpp     shadow mode: the same creates through a local simulator
// CAF and prometheus live here, never in the pure cores (lifecycle_book and below).

#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"
#include "actors/trading/order_lifecycle/balance_check.hpp"
#include "actors/trading/order_lifecycle/position.hpp"
#include "actors/trading/order_lifecycle/rejection_burst.hpp"
#include "actors/trading/order_lifecycle/shadow_book.hpp"

#include "messages/exchange.hpp"
#include "messages/gate.hpp"
#include "messages/names.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/records.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace trader::order_lifecycle::detail {

using nlohmann::json;

/// trader_fills_total, trader_orders{state}, trader_order_rejections_total{reason},
/// trader_order_ack_seconds, trader_order_lifecycle_refused_updates_total{refusal}
/// (docs/metrics.md). Re-declared by a restarted actor: prometheus-cpp returns the families
/// already registered, so counters stay monotonic.
struct lifecycle_metrics {
  explicit lifecycle_metrics(prometheus::Registry& r);
  prometheus::Family<prometheus::Counter>& fills;
  prometheus::Family<prometheus::Gauge>& orders;
  prometheus::Family<prometheus::Counter>& rejections;
  prometheus::Histogram& ack;
  prometheus::Family<prometheus::Counter>& refused;
  prometheus::Gauge& fill_ratio;
  prometheus::Family<prometheus::Gauge>& shadow;  ///< trader_shadow{what}: shadow mode's comparison.
};

struct ol_state {
  static inline const char* name = names::order_lifecycle;
  std::unique_ptr<lifecycle_book> book;
  actor_options opts;
  core::registry* reg = nullptr;
  std::unique_ptr<lifecycle_metrics> metrics;
  gate_changed gate;           ///< Latest answer of risk (closed until the first one).
  bool have_gate = false;
  caf::actor user_stream;      ///< Subscribed instance (monitored).
  caf::actor venue;            ///< PAPER: the fill simulator (linked); null: orders and fills.
  std::int64_t ticks = 0;
  std::set<std::string> resolving;  ///< Client ids with a lookup in flight.
  std::set<std::string> unknown_reported;  ///< Orders not ours already logged (bounded by the account's orders).
  std::set<std::string> refused_alerted;   ///< "<client id>/<refusal>" already alerted (order_refused).
  std::int64_t refused_updates = 0;
  std::int64_t duplicate_fills = 0;
  ts_ns started = 0;
  std::uint64_t portfolio_version = 0;  ///< Of the last portfolio_update sent (grows per change).
  bool reconciled = false;              ///< The last reconcile agreed with the exchange.
  bool reconciling = false;             ///< A reconcile is gathering answers.
  std::int64_t last_reconcile_tick = 0; ///< Tick at which the last reconcile started.
  std::int64_t reconciles = 0;
  std::int64_t reconcile_mismatches = 0;  ///< Reconciles that found differences.
  bool mismatch_alerted = false;        ///< reconcile_mismatch raised and not resolved yet.
  json last_reconcile;                  ///< Summary of the last reconcile (traderctl orders).
  balance_reconciler balances;          ///< Base balances vs positions (baseline restored at start).
  json last_balances;                   ///< The last balance check (traderctl balances).
  bool baseline_ok = false;             ///< The stored baseline was read (else balances cannot agree).
  core::gate_reporter gate_source{names::order_lifecycle};
  rejection_burst burst;                ///< order_rejection_burst: 5 exchange rejections within 60 s.
  std::int64_t orders_finished = 0;     ///< Accepted orders that ended filled/canceled/expired (trader_fill_ratio).
  std::int64_t orders_with_fills = 0;   ///< Of those, the ones with a fill.
  caf::actor shadow;                    ///< Shadow mode: the relay to the shadow simulator (linked); null: off.
  shadow_book shadow_orders;            ///< Intended (simulator) vs actual (venue) fills per order.
  bool asking_products = false;         ///< A catalogue read is out (base increments).
  ts_ns products_at = 0;                ///< When the catalogue was last read (0: never).
};

using self_ptr = caf::stateful_actor<ol_state>*;

/// Where creates, cancels, lookups and open-order reads go: the venue (PAPER) or orders.
caf::actor orders_of(self_ptr self);
/// Where fills are polled: the venue (PAPER) or fills.
caf::actor fills_of(self_ptr self);

// -- views (lifecycle_views.cpp) ----------------------------------------------------------------
/// Bounded label for free-text reasons: the leading upper-case word ("GATE_CLOSED").
std::string reason_label(const std::string& why);
ts_ns now_of(self_ptr self);
void audit(self_ptr self, const char* kind, json payload);
void count_rejection(self_ptr self, const std::string& why);
void update_order_gauge(self_ptr self);
json order_json(const persistence::order_record& r);
json positions_json(self_ptr self);
json pnl_json(self_ptr self);
json orders_json(self_ptr self, bool open_only);
/// traderctl balances: the last check per traded currency, the baseline, pending re-bases.
json balances_json(self_ptr self);
/// traderctl balances --rebase CUR: requests the re-base (balance_reconciler::request_rebase),
/// audited; refused (errc::rejected) for the quote currency or a malformed name.
caf::result<std::string> request_rebase(self_ptr self, const std::string& currency, const std::string& reason);
/// Keeps what a balance check found for balances_json.
void note_balances(self_ptr self, const balance_report& report);
/// Counts an order's committed transition: exchange rejections (order_rejection_burst) and
/// finished accepted orders (trader_fill_ratio).
void note_transition(self_ptr self, order_state from, order_state to, const persistence::order_record& rec);
/// On the tick: resolves order_rejection_burst when the window has emptied.
void check_rejection_burst(self_ptr self);
/// The current portfolio_update (version of the last one published).
portfolio_update portfolio_of(self_ptr self);
/// Publishes a new portfolio_update (next version) to risk: after every committed change.
void publish_portfolio(self_ptr self);

// -- facts (lifecycle_facts.cpp) ----------------------------------------------------------------
/// An update for an order the actor does not track: logged and audited once per exchange id.
void report_unknown(self_ptr self, const order_update& u, const char* source);
/// Persists a planned order change, then makes it the tracked state (refusals counted).
void apply_change(self_ptr self, const lifecycle_book::order_change& c, const char* source);
/// Books a fill once: fill, position, order and PnL bucket in one store transaction.
void on_fill(self_ptr self, const fill& f, const char* source);

// -- send (lifecycle_send.cpp) ------------------------------------------------------------------
/// Asks risk for the gate (fail closed without an answer), then runs `then`.
void refresh_gate(self_ptr self, const std::function<void()>& then);
/// The intent after the gate said yes or no.
void admit(self_ptr self, order_intent in, caf::response_promise rp);
/// Sends a create through orders; `done` gets the JSON answer for the intent's requester.
void send_create(self_ptr self, const create_order& c, const std::function<void(json)>& done);
/// Asks orders for an order by client id (or exchange id) and applies the answer.
void resolve(self_ptr self, const client_order_id& id);
/// Cancels `ids`; answers rp with {open_on_exchange, sent, confirmed, failed}.
void cancel_ids(self_ptr self, const std::vector<exchange_order_id>& ids, const std::string& reason,
                std::size_t on_exchange, const std::string& list_error, caf::response_promise rp);
/// cancel_all: every open order of the account on the exchange plus every one tracked.
void cancel_all_orders(self_ptr self, const std::string& reason, caf::response_promise rp);
/// cancel_order: one tracked order.
void cancel_one(self_ptr self, const cancel_order& c);

// -- taker fallback (lifecycle_fallback.cpp) ------------------------------------------------
/// A post-only limit order ending by TTL (our cancel, source "ttl") or expiry, with
/// actor_options::taker_fallback on: call before the change is committed.
bool taker_fallback_due(self_ptr self, const lifecycle_book::order_change& c, const char* source);
/// Re-reads the order's filled size, then places a market IOC intent for the remainder.
void taker_fallback(self_ptr self, const persistence::order_record& rec, const std::string& strategy);

// -- shadow mode (lifecycle_shadow.cpp) ------------------------------------------------------
/// Spawns the shadow simulator's relay when actor_options::shadow_venue is set.
void start_shadow(self_ptr self);
/// A create sent to the venue: the same one to the shadow simulator.
void shadow_sent(self_ptr self, const create_order& c);
/// A fill of the shadow simulator (intended) / a new venue fill booked (actual).
void shadow_intended(self_ptr self, const fill& f);
void shadow_actual(self_ptr self, const persistence::fill_record& f);
void update_shadow_metrics(self_ptr self);
/// traderctl shadow: the summary and the last 20 orders.
json shadow_json(self_ptr self);

// -- flatten (lifecycle_flatten.cpp) ----------------------------------------------------------
/// Closes the long positions of req.product (all when empty) with reduce-only market sells
/// after cancelling its working orders; answers rp with a JSON summary or errc::rejected.
void flatten(self_ptr self, const flatten_positions& req, const caf::response_promise& rp);

// -- reconcile (lifecycle_reconcile.cpp) -----------------------------------------------------
/// Starts a reconcile unless one is running (docs/orders.md "Reconcile").
void start_reconcile(self_ptr self);

// -- tick (lifecycle_tick.cpp) ------------------------------------------------------------------
void subscribe_user_stream(self_ptr self);
/// Reads the product catalogue (base increments for size_in_quote fills) when it was never
/// read or is older than ten minutes; one request at a time, failures logged and retried.
void refresh_products(self_ptr self);
void on_tick(self_ptr self);

} // namespace trader::order_lifecycle::detail

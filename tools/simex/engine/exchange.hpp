#pragma once
// The simulated exchange: products, books, accounts, orders, fills and the event feed.
// Pure and deterministic: time is an argument of every call, nothing reads a clock, and
// ids come from a seeded PRNG. Not thread-safe: the transport serialises calls.

#include "tools/simex/engine/accounts.hpp"
#include "tools/simex/engine/events.hpp"
#include "tools/simex/engine/fee_schedule.hpp"
#include "tools/simex/engine/ids.hpp"
#include "tools/simex/engine/market_stats.hpp"
#include "tools/simex/engine/order_book.hpp"
#include "tools/simex/engine/product.hpp"

#include <deque>
#include <memory>
#include <unordered_map>

namespace trader::simex {

/// Why an order was refused: Coinbase's new_order_failure_reason and preview_failure_reason.
struct reject {
  std::string_view reason;          ///< e.g. "INSUFFICIENT_FUND"; empty when accepted.
  std::string_view preview_reason;  ///< e.g. "PREVIEW_INSUFFICIENT_FUND".
  std::string message;              ///< Human text.
  explicit operator bool() const { return !reason.empty(); }
};

/// Outcome of place().
struct place_result {
  const order_record* order = nullptr;  ///< The new order, or the existing one on reuse.
  bool duplicate = false;               ///< client_order_id was already used: nothing placed.
  reject why;                           ///< Set when refused (order is nullptr).
};

/// Outcome of preview(): estimates, nothing placed.
struct preview_result {
  reject why;
  notional order_total;       ///< Quote spent (buy) or received (sell), fees included.
  notional commission_total;
  size base_size;
  notional quote_size;
  price best_bid, best_ask;
  price average_price;        ///< Estimated average execution price.
};

/// Outcome of cancel(): Coinbase's cancel failure_reason, empty on success.
struct cancel_result {
  std::string_view failure_reason;
  bool ok() const { return failure_reason.empty(); }
};

/// Filters of GET /orders/historical/batch (empty vectors = any).
struct order_filter {
  std::string user;
  std::vector<std::string> product_ids, order_ids;
  std::vector<order_status> statuses;
  std::vector<order_kind> kinds;
  std::optional<side> order_side;
  ts_ns start = 0;  ///< Inclusive creation time; 0 = open.
  ts_ns end = 0;    ///< Exclusive; 0 = open.
};

/// Filters of GET /orders/historical/fills.
struct fill_filter {
  std::string user;
  std::vector<std::string> product_ids, order_ids, trade_ids;
  ts_ns start = 0, end = 0;
};

/// One page of a newest-first listing; cursor is "" when has_next is false.
template <class T>
struct page {
  std::vector<const T*> items;
  bool has_next = false;
  std::string cursor;
};

/// Engine-wide settings.
struct exchange_config {
  std::uint64_t seed = 1;  ///< Drives order ids.
  fee_schedule fees = fee_schedule::coinbase_default();
  std::uint64_t first_trade_id = 100'000'000;
};

/// Fee tier and volume of one user (GET /transaction_summary).
struct fee_summary {
  const fee_tier* tier = nullptr;
  notional volume_30d;
  notional fees_30d;
};

/// The simulated exchange.
class exchange {
public:
  explicit exchange(exchange_config cfg = {});
  ~exchange();
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  // -- products --------------------------------------------------------------------
  /// Lists a product (replaces one with the same id, keeping its book).
  void add_product(product p);
  const product* find_product(std::string_view id) const;
  /// Product ids in listing order.
  const std::vector<std::string>& product_ids() const { return product_ids_; }
  /// Changes a product's status and emits status_changed.
  void set_status(std::string_view id, product_status s, ts_ns now);

  // -- accounts --------------------------------------------------------------------
  void deposit(std::string_view user, std::string_view currency, amount a) { ledger_.deposit(user, currency, a); }
  const accounts& ledger() const { return ledger_; }
  /// Adds to a user's 30-day volume as if traded before (fee tier tests and config).
  void add_prior_volume(std::string_view user, notional usd, ts_ns when);

  // -- orders ----------------------------------------------------------------------
  place_result place(const order_request& r, ts_ns now);
  preview_result preview(const order_request& r, ts_ns now) const;
  cancel_result cancel(std::string_view user, std::string_view order_id, ts_ns now);
  /// Moves engine time: expires GTD orders whose end_time ≤ now.
  void advance(ts_ns now);

  // -- house liquidity (the market model) ----------------------------------------------
  /// Rests a house order; if it crosses, it first trades as taker. Returns its ref.
  std::uint64_t house_add(std::string_view product_id, side s, price px, size qty, ts_ns now);
  /// Removes a house order (no-op if already filled).
  void house_remove(std::uint64_t ref, ts_ns now);
  /// A house market order of qty on side s (generates prints; fills user makers).
  void house_take(std::string_view product_id, side s, size qty, ts_ns now);
  /// Remaining size of a house order (zero once filled or removed).
  size house_qty(std::uint64_t ref) const;
  /// Emits a trade print without touching the book (bad-tick faults, replayed tape).
  void print_trade(std::string_view product_id, price px, size qty, side maker_side, ts_ns now);

  // -- queries ---------------------------------------------------------------------
  const order_record* find_order(std::string_view user, std::string_view order_id) const;
  const order_record* find_by_client_id(std::string_view user, std::string_view client_order_id) const;
  page<order_record> list_orders(const order_filter& f, std::string_view cursor, std::size_t limit) const;
  page<fill_record> list_fills(const fill_filter& f, std::string_view cursor, std::size_t limit) const;
  /// Open orders of a user (the WS user snapshot).
  std::vector<const order_record*> open_orders(std::string_view user) const;
  const order_book* book(std::string_view product_id) const;
  const market_stats* stats(std::string_view product_id) const;
  market_stats* stats(std::string_view product_id);
  /// Per-product l2 sequence (advances on every level change).
  std::uint64_t book_sequence(std::string_view product_id) const;
  fee_summary fees_of(std::string_view user, ts_ns now) const;
  const exchange_config& config() const { return cfg_; }

  // -- events ----------------------------------------------------------------------
  /// Events since the last clear, oldest first.
  const std::vector<event>& events() const { return events_; }
  /// Moves the pending events into out (appending) and clears them.
  void drain_events(std::vector<event>& out);
  void clear_events() { events_.clear(); }
  /// Stop recording events (benchmarks that never drain them).
  void set_event_recording(bool on) { record_events_ = on; }

private:
  struct market;
  struct house_order;
  struct volume_entry;
  struct user_volume;
  struct taker;

  market* find_market(std::string_view id);
  const market* find_market(std::string_view id) const;
  reject validate(order_request& r, const market& m, ts_ns now, amount& hold) const;
  void match(market& m, taker& t, ts_ns now);
  void execute_maker(market& m, const book_entry& e, price px, size qty, taker& t, ts_ns now);
  void settle_user(order_record& o, const product& p, price px, size qty, liquidity liq, const std::string& trade,
                   ts_ns now);
  void finish(order_record& o, order_status s, ts_ns now, std::string_view message = {});
  void rest(market& m, order_record& o, ts_ns now);
  void flush(market& m, ts_ns now, bool ticker);
  void emit(event e);
  order_record* by_ref(std::uint64_t ref);
  notional volume_30d(std::string_view user, ts_ns now) const;
  void add_volume(const std::string& user, ts_ns when, notional usd, notional fee);

  exchange_config cfg_;
  prng ids_;
  std::uint64_t next_trade_id_;
  std::uint64_t next_house_ref_ = 1;
  std::uint64_t next_fill_seq_ = 1;
  std::vector<std::string> product_ids_;
  std::unordered_map<std::string, std::unique_ptr<market>> markets_;
  accounts ledger_;
  std::deque<order_record> orders_;  ///< Index = seq - 1; references stay valid.
  std::unordered_map<std::string, std::uint64_t> by_order_id_;
  std::unordered_map<std::string, std::uint64_t> by_client_id_;  ///< user + '\n' + client id.
  std::unordered_map<std::string, std::vector<std::uint64_t>> user_orders_;
  std::deque<fill_record> fills_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> user_fills_;
  std::unordered_map<std::uint64_t, house_order> house_;
  std::unordered_map<std::string, user_volume> volume_;  ///< Rolling 30-day traded volume.
  std::vector<std::uint64_t> gtd_;  ///< Seqs of resting GTD orders.
  std::vector<event> events_;
  bool record_events_ = true;
};

} // namespace trader::simex

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
#include "tools/simex/engine/results.hpp"

#include <deque>
#include <memory>
#include <unordered_map>

namespace trader::simex {

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
  /// The listed product, or nullptr.
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
  /// Validates, holds funds, matches and rests an order; a reused client_order_id returns the
  /// original order (duplicate = true) and places nothing.
  place_result place(const order_request& r, ts_ns now);
  /// What place() would do against the current book, without changing anything.
  preview_result preview(const order_request& r, ts_ns now) const;
  /// Cancels a user's open order and releases its hold.
  cancel_result cancel(std::string_view user, std::string_view order_id, ts_ns now);
  /// Moves engine time: expires GTD orders whose end_time ≤ now.
  void advance(ts_ns now);

  // -- house liquidity (the market model) ----------------------------------------------
  /// Rests a house order; if it crosses, it first trades as taker. Returns its ref.
  std::uint64_t house_add(std::string_view product_id, side s, price px, size qty, ts_ns now);
  /// Index of a listed product for the house calls by index (listing order; no id lookup
  /// per call), or no_market.
  std::size_t market_index(std::string_view product_id) const;
  static constexpr std::size_t no_market = static_cast<std::size_t>(-1);
  /// house_add / house_take on the product at market_index().
  std::uint64_t house_add_at(std::size_t market, side s, price px, size qty, ts_ns now);
  void house_take_at(std::size_t market, side s, size qty, ts_ns now);
  /// Removes a house order (no-op if already filled).
  void house_remove(std::uint64_t ref, ts_ns now);
  /// A house market order of qty on side s (generates prints; fills user makers).
  void house_take(std::string_view product_id, side s, size qty, ts_ns now);
  /// Remaining size of a house order (zero once filled or removed).
  size house_qty(std::uint64_t ref) const;
  /// How many house orders of the product at market_index() takers have filled whole so far:
  /// while it does not change, none of its house orders left the book but by house_remove.
  std::uint64_t house_used_up(std::size_t market) const;
  /// Emits a trade print without touching the book (bad-tick faults, replayed tape).
  void print_trade(std::string_view product_id, price px, size qty, side maker_side, ts_ns now);

  // -- queries ---------------------------------------------------------------------
  /// A user's order by exchange id (nullptr when unknown or another user's).
  const order_record* find_order(std::string_view user, std::string_view order_id) const;
  /// A user's order by client order id.
  const order_record* find_by_client_id(std::string_view user, std::string_view client_order_id) const;
  /// Newest-first page of a user's orders; cursor "" starts at the newest.
  page<order_record> list_orders(const order_filter& f, std::string_view cursor, std::size_t limit) const;
  /// Newest-first page of a user's fills; cursor "" starts at the newest.
  page<fill_record> list_fills(const fill_filter& f, std::string_view cursor, std::size_t limit) const;
  /// Open orders of a user (the WS user snapshot).
  std::vector<const order_record*> open_orders(std::string_view user) const;
  /// A product's book, or nullptr.
  const order_book* book(std::string_view product_id) const;
  /// A product's trades and candles, or nullptr (mutable: history seeding).
  const market_stats* stats(std::string_view product_id) const;
  market_stats* stats(std::string_view product_id);
  /// Per-product l2 sequence (advances on every level change).
  std::uint64_t book_sequence(std::string_view product_id) const;
  /// Fee tier, 30-day volume and fees of a user at now.
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
  house_order* house_find(std::uint64_t ref);
  const house_order* house_find(std::uint64_t ref) const;
  void house_release(house_order& h);
  notional volume_30d(std::string_view user, ts_ns now) const;
  void add_volume(const std::string& user, ts_ns when, notional usd, notional fee);

  exchange_config cfg_;
  prng ids_;
  std::uint64_t next_trade_id_;
  std::uint64_t next_house_ref_ = 1;
  std::uint64_t next_fill_seq_ = 1;
  std::vector<std::string> product_ids_;
  std::vector<market*> market_list_;  ///< Listing order, as product_ids_.
  /// Looks a product id up without building a std::string.
  struct id_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<market>, id_hash, std::equal_to<>> markets_;
  accounts ledger_;
  std::deque<order_record> orders_;  ///< Index = seq - 1; references stay valid.
  std::unordered_map<std::string, std::uint64_t> by_order_id_;
  std::unordered_map<std::string, std::uint64_t> by_client_id_;  ///< user + '\n' + client id.
  std::unordered_map<std::string, std::vector<std::uint64_t>> user_orders_;
  std::deque<fill_record> fills_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> user_fills_;
  /// House orders by slot (a ref's low bits; no hashing on the ladder's churn); free slots
  /// are reused, and a ref names its slot's current order only (the high bits count).
  std::vector<house_order> house_;
  std::vector<std::uint32_t> house_free_;
  std::unordered_map<std::string, user_volume> volume_;  ///< Rolling 30-day traded volume.
  std::vector<std::uint64_t> gtd_;  ///< Seqs of resting GTD orders.
  std::vector<event> events_;
  bool record_events_ = true;
};

} // namespace trader::simex

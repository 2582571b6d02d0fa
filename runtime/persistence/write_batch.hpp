#pragma once
// Several writes committed in one transaction: all or nothing.

#include "runtime/persistence/record_codec.hpp"
#include "runtime/persistence/records.hpp"

#include <string>
#include <vector>

namespace trader::persistence {

/// A list of writes the state_store commits atomically. Records are encoded when added.
class write_batch {
public:
  /// Upserts a keyed record (orders, positions, cooldowns, bans, config hashes, secrets, latency).
  template <class T>
  void put(const T& rec) {
    add(op_kind::put, record_traits<T>::db, key_of(rec), encode(key_of(rec), rec));
  }
  /// Inserts an order intent; the whole batch fails with `duplicate` if the id exists.
  void insert_order_intent(const order_record& rec);
  /// Inserts a fill; a duplicate trade id is skipped (reported, never overwritten).
  void insert_fill(const fill_record& rec);
  /// Replaces the persisted trading gate.
  void put_gate(const gate_record& rec);
  /// Adds realized PnL (net of fees) to the day, ISO week and total buckets of `at`.
  void add_realized_pnl(ts_ns at, notional realized, notional fees);
  /// Raises the NAV high-water mark if nav exceeds it.
  void update_nav(notional nav, ts_ns at);
  /// Deletes a cooldown or ban (absent keys are fine).
  void erase_cooldown(const product_id& p);
  void erase_ban(const product_id& p);

  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return ops_.size(); }

  /// One write (internal to the store).
  enum class op_kind { put, insert_strict, insert_dedupe, erase, pnl_add, nav };
  struct op {
    op_kind kind;
    std::string db;
    std::string key;
    std::string value;  ///< Encoded record (put/insert).
    ts_ns at = 0;
    notional a;         ///< realized or nav
    notional b;         ///< fees
  };
  const std::vector<op>& ops() const { return ops_; }

private:
  void add(op_kind k, const char* db, std::string key, std::string value);
  std::vector<op> ops_;
};

/// What a committed batch did besides writing.
struct batch_outcome {
  std::vector<trade_id> duplicate_fills;  ///< Fills skipped because their trade id existed.
};

} // namespace trader::persistence

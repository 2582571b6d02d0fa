#pragma once
// What the order_lifecycle actor needs from the state store, as an interface (no CAF), so the
// actor test can put a fake in (one that fails the write-ahead, counts writes, records the
// order of writes and sends). The real one (`make_store_backend`) writes through the shared
// persistence::state_store: its writers are serialised by the store's own mutex, and every
// write here is durable (fsynced) before it returns, which is why the actor runs detached.

#include "runtime/persistence/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trader::persistence {
class state_store;
}

namespace trader::order_lifecycle {

/// The outcome of one store write.
struct store_outcome {
  bool ok = false;
  bool duplicate = false;  ///< record_fill: the trade id was already stored (nothing written).
  std::string error;       ///< When !ok: the store's description.
  static store_outcome success() { return {true, false, {}}; }
  static store_outcome dup() { return {true, true, {}}; }
  static store_outcome failure(std::string why) { return {false, false, std::move(why)}; }
};

/// One new fill and what it changes, committed in one transaction.
struct fill_commit {
  persistence::fill_record fill;
  persistence::position_record position;          ///< The fill's product after it.
  std::optional<persistence::order_record> order;  ///< The fill's order after it, when known and changed.
  notional realized;                               ///< Realized by this fill (PnL buckets of ts_event).
  notional fee;
};

class lifecycle_store {
public:
  virtual ~lifecycle_store() = default;
  /// Write-ahead of a new intent (refused when its client order id exists).
  virtual store_outcome write_ahead(const persistence::order_record& r) = 0;
  /// An order's new state.
  virtual store_outcome update_order(const persistence::order_record& r) = 0;
  /// A fill with its position, order and PnL bucket changes; duplicate when the trade id is stored.
  virtual store_outcome record_fill(const fill_commit& c) = 0;
  /// Every stored order (history included: the client order id sequence is restored from it).
  virtual std::optional<std::vector<persistence::order_record>> orders(std::string* why) = 0;
  /// Every stored fill (the ledger is rebuilt from them at start).
  virtual std::optional<std::vector<persistence::fill_record>> fills(std::string* why) = 0;
  /// The balance reconcile's baseline of `mode` (encode_baseline's text; "" when none is
  /// stored); nullopt with why when it cannot be read. The default keeps none (tests' fakes).
  virtual std::optional<std::string> balance_baseline(const std::string& mode, std::string* why) {
    (void)mode;
    (void)why;
    return baseline_;
  }
  /// Stores the baseline of `mode` (durable).
  virtual store_outcome put_balance_baseline(const std::string& mode, const std::string& text) {
    (void)mode;
    baseline_ = text;
    return store_outcome::success();
  }

private:
  std::string baseline_;  ///< The default's memory (a fake store keeps it across actor restarts).
};

/// The real store; store may be null (absent store: every write fails, reads fail).
std::shared_ptr<lifecycle_store> make_store_backend(std::shared_ptr<persistence::state_store> store,
                                                    std::string why_unavailable);

} // namespace trader::order_lifecycle

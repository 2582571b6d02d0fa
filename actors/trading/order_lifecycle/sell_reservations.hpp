#pragma once
// Sells never exceed the position (docs/orders.md "Sells and the position"). No CAF.
//
// The daemon trades spot and long only: a sell larger than what the ledger holds sells coins
// the account held outside the ledger (an operator's own) — the chaos soak caught a stop-loss
// exit and a reduce-only sell of the same position both sent within milliseconds, which left
// the ledger 0.0173 ETH short. Every sell therefore reserves its size against the position
// until its fills are booked: while it works (unfilled part) and after it finished until the
// fills the exchange reported for it are in the ledger (Coinbase's user stream often says
// FILLED before the fills come). A new sell gets the position less the reservations: more
// is cut to that, nothing left is refused.

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/trading.hpp"

#include <string>
#include <unordered_map>

namespace trader::order_lifecycle {

class sell_reservations {
public:
  /// A sell order tracked (written ahead): base size, or zero when sized in quote (its base
  /// is unknown until it fills: no other sell of the product while it works).
  void open(const std::string& id, const product_id& product, size base);
  /// A fill of order `id` booked into the ledger (base).
  void booked(const std::string& id, size base);
  /// Order `id` ended; `filled` is its base filled as the exchange reported it.
  void finished(const std::string& id, size filled);

  struct pending {
    size reserved;        ///< Σ (reserved − booked) of the product's sells, ≥ 0 each.
    bool unsized = false; ///< A quote-sized sell of the product is working.
  };
  pending of(const product_id& product) const;
  std::size_t tracked() const { return by_order_.size(); }

private:
  struct entry {
    product_id product;
    size reserved;
    size booked;
    bool live = true;
    bool unsized = false;
  };
  std::unordered_map<std::string, entry> by_order_;
};

/// What may be sold of `in` (a sell) given the ledger's position and the pending sells:
/// "" and `in` unchanged, "" and its base size cut to what is left (then *cut = true), or the
/// refusal ("SELL_EXCEEDS_POSITION: …"). Buys pass unchanged.
std::string limit_sell(order_intent& in, size position, const sell_reservations::pending& p, bool* cut);

} // namespace trader::order_lifecycle

#pragma once
// PAPER mode's fill simulator: simex's matching engine (tools/simex/engine) fed with the live
// market data instead of a synthetic market, so PAPER, simex and backtest share one fill
// model (fees by tier, partial fills of resting orders, post-only refusals, GTD expiry).
// The live top of book of each product is mirrored as house liquidity; an intent is placed
// on the engine as a user order and matches against it (taker) or rests (maker) until the
// live market moves through its price. Answers the orders/fills protocol
// (messages/exchange.hpp) so order_lifecycle runs one code path for PAPER and LIVE.
// No CAF, no clock: time is an argument. Not thread-safe (paper_venue_actor serialises).

#include "tools/simex/engine/exchange.hpp"

#include "messages/exchange.hpp"
#include "messages/market.hpp"
#include "messages/orders.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trader::simex {

struct paper_options {
  std::string user = "paper";                          ///< The simulated account.
  std::string quote_currency = "USD";
  notional starting_cash = notional::from_int(10'000);  ///< Deposited at construction; ≥ 0.
  /// Base coins deposited at construction, by currency ("BTC"): PAPER starts from what the
  /// ledger holds (order_lifecycle::paper_holdings_from), so a restart resets nothing.
  std::vector<std::pair<std::string, size>> coins;
  std::uint64_t seed = 1;                               ///< Engine order ids.
};

class paper_venue {
public:
  explicit paper_venue(paper_options o = {});

  /// Mirrors q's best bid and ask (with their sizes) as the product's house liquidity; the
  /// first quote of a product lists it. A crossed or empty side is not mirrored. Resting
  /// paper orders the new levels cross are filled (as makers, at their own limit).
  void on_quote(const quote& q, ts_ns now);

  /// create_order as the exchange answers it: accepted with an exchange id, or refused with
  /// Coinbase's failure reason. A reused client order id answers the original order.
  order_ack create(const create_order& c, ts_ns now);
  cancel_results cancel(const cancel_orders& c, ts_ns now);
  /// By exchange id, or by client order id when that is empty; nullopt when unknown.
  std::optional<order_update> find(const get_order& g) const;
  order_list open_orders(const list_open_orders& l, ts_ns now) const;
  /// Every order of any status created since l.since (Coinbase's recent-orders list).
  order_list recent_orders(const list_recent_orders& l, ts_ns now) const;
  fill_list fills(const get_fills& g, ts_ns now) const;
  balance_list balances(ts_ns now) const;  ///< Every currency of the paper account.

  /// Order changes and fills since the last drain, oldest first (what a user stream sends).
  struct facts {
    std::vector<order_update> updates;
    std::vector<fill> fills;
  };
  facts drain(ts_ns now);

  const exchange& engine() const { return ex_; }

private:
  struct mirror {
    std::uint64_t bid_ref = 0, ask_ref = 0;
    price bid, ask;
    size bid_qty, ask_qty;
  };
  void list(const product_id& p);

  paper_options opts_;
  exchange ex_;
  std::map<std::string, mirror> mirrors_;
  std::vector<event> pending_;
};

/// An engine order as the order_update Coinbase's REST and user stream carry.
order_update to_update(const order_record& o, ts_ns now);
/// An engine fill as the fill message (qty in base; never size_in_quote).
fill to_fill(const fill_record& f, ts_ns now);

} // namespace trader::simex

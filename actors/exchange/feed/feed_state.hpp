#pragma once
// Small pure pieces of the feed actors (no CAF): the per-connection sequence check, the
// per-product staleness monitor, the gate-reason aggregation, the user stream's fill
// bookkeeping, and the random source of their backoffs (exchange::backoff,
// actors/exchange/coinbase/backoff.hpp).

#include "actors/exchange/coinbase/backoff.hpp"
#include "messages/gate.hpp"
#include "messages/market.hpp"
#include "messages/orders.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace trader::feed {

/// The jitter source of a feed's backoff: seeded (tests, benches) or, for 0, the backoff's
/// own (seeded from the OS).
exchange::backoff::uniform_fn jitter_source(std::uint64_t seed);

// -- sequence ------------------------------------------------------------------

/// Coinbase's sequence_num counts per connection, across all channels, from 0, +1 per
/// message. A gap means a message was lost (there is no replay: resubscribe).
class sequence_tracker {
public:
  enum class verdict { first, in_order, gap, old };
  struct result {
    verdict v = verdict::first;
    std::int64_t expected = 0;  ///< what we expected (gap, old)
    std::int64_t missing = 0;   ///< messages lost (gap)
  };
  /// Checks one message's sequence_num and moves on (after a gap: from seq).
  result observe(std::int64_t seq);
  /// A new connection: the next number starts a fresh count.
  void reset() { next_ = -1; }
  std::uint64_t gaps() const { return gaps_; }

private:
  std::int64_t next_ = -1;
  std::uint64_t gaps_ = 0;
};

// -- staleness -----------------------------------------------------------------

/// Per-product age of the newest market-data message against a configured maximum. An open
/// socket that delivers heartbeats but no data for a product makes that product stale.
class staleness_monitor {
public:
  explicit staleness_monitor(std::int64_t max_age_ns) : max_age_ns_(max_age_ns) {}

  /// Starts measuring p (its age counts from now), e.g. on subscribe.
  void watch(const product_id& p, mono_ns now);
  /// Fresh data for p at now; true when p was stale and is fresh again.
  bool touch(const product_id& p, mono_ns now);
  struct change {
    product_id product;
    std::int64_t age_ns = 0;
  };
  /// Products that turned stale since the last check (each reported once until touched).
  std::vector<change> check(mono_ns now);
  bool is_stale(const product_id& p) const;
  /// Age of p's newest message (-1 when not watched).
  std::int64_t age_ns(const product_id& p, mono_ns now) const;
  /// The largest age over all watched products.
  std::int64_t max_age_seen_ns(mono_ns now) const;
  std::int64_t max_age_ns() const { return max_age_ns_; }

private:
  struct entry {
    mono_ns last = 0;
    bool stale = false;
  };
  std::int64_t max_age_ns_;
  std::unordered_map<product_id, entry> entries_;
};

// -- gate aggregation ----------------------------------------------------------

/// One gate reason to raise or clear.
struct gate_change {
  gate_reason reason = gate_reason::stale_data;
  bool active = true;
  std::string detail;  ///< "products=BTC-USD,ETH-USD"
};

/// The risk gate holds one entry per reason, while the feed knows per product why it is
/// unhealthy: the reason stays raised while any product has it and is cleared with the last.
class gate_aggregator {
public:
  /// Sets or clears reason r for p; a change to send, if the reason's product set changed.
  std::optional<gate_change> set(gate_reason r, const product_id& p, bool active);
  bool has(gate_reason r, const product_id& p) const;
  bool any(gate_reason r) const;
  const std::set<product_id>& products(gate_reason r) const;

private:
  std::map<gate_reason, std::set<product_id>> by_reason_;
};

// -- user stream ---------------------------------------------------------------

/// The user channel reports cumulative order state, not fills, and carries no trade id.
/// Fills are therefore never invented from deltas: a growth of cumulative_quantity tells
/// us a fill happened, and the fills themselves (with trade ids) are read over REST.
class fill_tracker {
public:
  explicit fill_tracker(std::size_t max_remembered = 100000) : max_(max_remembered) {}
  /// True when u's cumulative filled size grew since the last update of that order.
  bool filled_more(const order_update& u);
  /// True the first time trade t is seen (then remembered); the dedupe of published fills.
  bool first_time(const trade_id& t);
  std::size_t remembered() const { return seen_.size(); }

private:
  std::size_t max_;
  std::unordered_map<exchange_order_id, std::int64_t> cumulative_;
  std::unordered_set<trade_id> seen_;
  std::deque<trade_id> order_;  ///< oldest first, to bound memory
};

} // namespace trader::feed

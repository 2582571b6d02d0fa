#pragma once
// Deterministic client order ids (docs/orders.md "Client order ids"). No CAF.
//
//   <ns>-<seq>-<b|s>-<symbol>-<strategy>      e.g. "t-42-b-btcusd-momentum"
//
// ns: 1..4 of [a-z0-9] (one per account/deployment); seq: the intent sequence in decimal,
// unique per ns and never reused; symbol and strategy: lowercased, [a-z0-9] only, truncated
// so the id never passes 36 characters (a UUID's length, the form Coinbase's own examples
// use) and stays URL-safe (it is put in a path and a query by the lookup). Uniqueness rests
// on (ns, seq) alone; symbol, side and strategy are for operators and cross-checks.

#include "messages/ids.hpp"
#include "messages/market.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader::order_lifecycle {

/// Longest id generated, characters.
inline constexpr std::size_t max_client_order_id_len = 36;
/// Longest namespace prefix, characters.
inline constexpr std::size_t max_client_id_namespace_len = 4;

/// An id taken apart (symbol and strategy as written into the id, maybe truncated).
struct client_order_id_parts {
  std::string ns;
  std::uint64_t sequence = 0;
  side dir = side::buy;
  std::string symbol;    ///< "btcusd" for BTC-USD.
  std::string strategy;  ///< Sanitised, maybe truncated.
};

/// The id for these inputs: the same inputs always give the same id.
/// ns must satisfy valid_client_id_namespace(); sequence > 0.
client_order_id make_client_order_id(std::string_view ns, std::string_view strategy, const product_id& product, side dir,
                                     std::uint64_t sequence);
/// Parses an id made by make_client_order_id(); nullopt for anything else (a foreign id).
std::optional<client_order_id_parts> parse_client_order_id(std::string_view id);
/// True for 1..4 characters of [a-z0-9].
bool valid_client_id_namespace(std::string_view ns);

/// Hands out ids with a strictly increasing sequence. The sequence is restored at start
/// from the store (and any id seen on the exchange), so an id is never given out twice.
class client_order_id_generator {
public:
  /// ns invalid → "t". The first id gets sequence `next`.
  explicit client_order_id_generator(std::string ns = "t", std::uint64_t next = 1);

  /// A new id; consumes one sequence number.
  client_order_id next(std::string_view strategy, const product_id& product, side dir);
  /// The sequence the next id gets.
  std::uint64_t next_sequence() const { return next_; }
  /// Makes the next sequence at least last_used + 1 (never lowers it).
  void restore(std::uint64_t last_used);
  /// restore()s from an id seen in the store or on the exchange when it is ours (same ns);
  /// returns whether it was.
  bool observe(std::string_view id);
  const std::string& ns() const { return ns_; }

private:
  std::string ns_;
  std::uint64_t next_;
};

} // namespace trader::order_lifecycle

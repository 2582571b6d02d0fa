#pragma once
// An operator's view of a store: counts, gate, positions, open orders, last fills.
// Rendered as text for humans or JSON for tools (`traderctl state inspect [--json]`).

#include "runtime/persistence/result.hpp"
#include "runtime/persistence/records.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::persistence {

class state_store;

/// What inspect() found.
struct store_inspection {
  std::string dir;
  std::uint32_t schema_version = 0;
  std::size_t map_size = 0;
  std::map<std::string, std::size_t> counts;  ///< Records per database.
  std::optional<gate_record> gate;
  std::vector<position_record> positions;
  std::vector<order_record> open_orders;
  std::vector<fill_record> last_fills;        ///< Newest first.
  std::optional<pnl_bucket> pnl_total;
  std::optional<nav_mark> nav_high_water;
  std::vector<cooldown_record> cooldowns;
  std::vector<ban_record> bans;
};

/// Reads the inspection from an open store (the last `fills` fills).
result<store_inspection> inspect(const state_store& store, std::size_t fills = 10);

/// Human text, one section per part.
std::string to_text(const store_inspection& x);
/// One JSON object (pretty when indent ≥ 0).
std::string to_json_text(const store_inspection& x, int indent = 2);

} // namespace trader::persistence

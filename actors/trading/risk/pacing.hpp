#pragma once
// Trade pacing as data: when risk-adding orders went out (per UTC day, rolling hour, new
// positions), the newest one overall, and per symbol the newest trade, fill and stop-out.
// The risk actor records into it and persists it (to_json / from_json) so a restart does
// not reset the counts; the pacing checks read it. Exits never count. No CAF.

#include "messages/ids.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::risk {

/// Newest events on one symbol (0 = none).
struct symbol_pacing {
  ts_ns last_trade = 0;     ///< Newest risk-adding order sent.
  ts_ns last_fill = 0;      ///< Newest fill, any side.
  ts_ns last_stop_out = 0;  ///< Newest stop-loss exit.

  bool operator==(const symbol_pacing&) const = default;
};

class pacing_state {
public:
  /// A risk-adding order on p was approved at `now` (new_position: it opens one).
  void record_trade(const product_id& p, bool new_position, ts_ns now);
  /// A fill on p at `now` (starts the per-symbol cooldown).
  void record_fill(const product_id& p, ts_ns now);
  /// A stop-loss exit on p at `now` (starts the stop-out cooldown).
  void record_stop_out(const product_id& p, ts_ns now);
  /// Forgets trades older than 25 h and symbols with nothing newer than `keep_ns` ago.
  void prune(ts_ns now, std::int64_t keep_ns);

  /// Risk-adding orders in the UTC day holding `now`.
  std::int64_t trades_today(ts_ns now) const;
  /// Risk-adding orders in (now − 1 h, now].
  std::int64_t trades_last_hour(ts_ns now) const;
  /// New positions in (now − 1 h, now].
  std::int64_t new_positions_last_hour(ts_ns now) const;
  /// The newest risk-adding order (0 = none).
  ts_ns last_trade() const { return last_trade_; }
  /// The marks of p (all zero when none).
  symbol_pacing symbol(const product_id& p) const;

  /// Versioned JSON: {"v":1,"trades":[…],"new_positions":[…],"last_trade":…,"symbols":{…}}.
  std::string to_json() const;
  /// Parses to_json()'s output; nullopt when malformed or of an unknown version.
  static std::optional<pacing_state> from_json(std::string_view text);

  bool operator==(const pacing_state&) const = default;

private:
  std::vector<ts_ns> trades_;         ///< Oldest first.
  std::vector<ts_ns> new_positions_;  ///< Oldest first.
  ts_ns last_trade_ = 0;
  std::map<std::string, symbol_pacing> symbols_;
};

} // namespace trader::risk

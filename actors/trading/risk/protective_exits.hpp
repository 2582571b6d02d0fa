#pragma once
// Protective exits, event-driven: every open position carries a stop-loss and a
// take-profit level (fixed % of entry, or a multiple of the ATR at entry), checked on every
// quote of its product — not at the next cycle. A crossing produces one reduce-only exit
// intent (market IOC sell of the whole position); the position is then marked exiting and
// fires nothing more until the exit is resolved. Long only. Serializable (to_json /
// from_json) so levels survive a restart. No CAF.

#include "actors/trading/risk/market_view.hpp"
#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/trading.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::risk {

/// How the levels of a position are set (from the proposal; the policy's when it has none).
struct exit_spec {
  double stop_loss_pct = 10.0;    ///< Stop this far below entry, %; used when stop_loss_atr ≤ 0 or no ATR.
  double take_profit_pct = 12.0;  ///< Take profit this far above entry, %; 0 = none.
  double stop_loss_atr = 0;       ///< Stop at entry − k × ATR when > 0 and the ATR is known.
  double take_profit_atr = 0;     ///< Take profit at entry + k × ATR when > 0 and the ATR is known.
};

/// Which exit fired.
enum class exit_kind : std::uint8_t { stop_loss, take_profit };
/// "stop_loss", "take_profit".
std::string_view name(exit_kind k);

/// The persisted protection of one position.
struct protected_position {
  product_id product;
  size qty;                 ///< Size to exit.
  price entry;
  price stop;               ///< Exit when the bid is at or below; zero = none.
  price take;               ///< Exit when the bid is at or above; zero = none.
  bool exiting = false;     ///< An exit intent is out; nothing more fires until resolved.
  ts_ns last_quote = 0;     ///< Receipt time of the newest quote seen (staleness alerts).

  bool operator==(const protected_position&) const = default;
};

/// An exit to send.
struct exit_signal {
  exit_kind kind = exit_kind::stop_loss;
  order_intent intent;   ///< Reduce-only market IOC sell (id left empty).
  std::string detail;    ///< "stop_loss: product=BTC-USD bid=45000 stop=45000 entry=50000".
};

/// Levels for an entry at `entry` (ATR zero = unknown), on the price increment (stop
/// rounded down, take up: never tighter than asked).
protected_position protect(const product_id& p, size qty, price entry, const exit_spec& spec, price atr, price tick);

class protective_exits {
public:
  /// Adds or replaces the protection of pp.product (a fill opened or changed the position).
  void arm(protected_position pp);
  /// The position's size changed (partial exit, add); qty ≤ 0 disarms it.
  void resize(const product_id& p, size qty);
  /// Forgets p (position closed).
  void disarm(const product_id& p);
  /// The exit intent failed or was cancelled: fire again on the next crossing quote.
  void exit_failed(const product_id& p);

  /// Checks q against its product's levels; an exit to send when one is crossed.
  std::optional<exit_signal> on_quote(const quote& q, ts_ns now);
  /// Products whose newest quote is older than max_age_ns (raise an alert for each).
  std::vector<product_id> stale(ts_ns now, std::int64_t max_age_ns) const;

  const protected_position* find(const product_id& p) const;
  std::size_t count() const { return positions_.size(); }
  /// Every protected position, by product.
  const std::map<product_id, protected_position>& positions() const { return positions_; }

  /// Versioned JSON of every protected position.
  std::string to_json() const;
  /// Restores to_json()'s output; nullopt when malformed.
  static std::optional<protective_exits> from_json(std::string_view text);

private:
  std::map<product_id, protected_position> positions_;
};

} // namespace trader::risk

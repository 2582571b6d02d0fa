#pragma once
// The ledger: fills → positions → realized PnL → NAV (docs/orders.md "Ledger"). No CAF.
//
// Fills are deduplicated by trade id. A product's position is a function of the set of its
// fills in exchange-time order, so a duplicated or out-of-order stream ends where the clean
// one does: a fill older than the newest is slotted in and the product is replayed from its
// checkpoint. Fills older than reorder_window behind the newest are folded into the
// checkpoint (bounded memory and bytes); a fill older than the checkpoint is booked at the
// end and reported (beyond_window). The ledger serialises to bytes (ledger_codec.hpp): whole,
// or as a summary plus one book per product, so the actor commits the summary and the book
// a fill touched with the fill, in one store transaction.

#include "actors/trading/order_lifecycle/position.hpp"

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace trader::order_lifecycle {

/// A fill as the ledger books it (a `fill` message plus what Coinbase says beside it).
struct ledger_fill {
  trade_id trade;
  client_order_id order;
  product_id product;
  side dir = side::buy;
  price px;
  size qty;                    ///< Base size; the quote amount when size_in_quote.
  bool size_in_quote = false;  ///< Coinbase's flag (market buys by quote size): qty is quote.
  /// size_in_quote: the base size the exchange reports for this fill (from its order's
  /// filled_size); zero when not known, then qty / px is rounded (base_increment).
  size base_reported;
  /// size_in_quote without base_reported: the product's base increment the converted size is
  /// rounded to (nearest); zero: to 1e-8.
  size base_increment;
  notional fee;                ///< Fee charged in the quote currency.
  size fee_base;               ///< Fee charged in the base asset (fewer coins in, more out).
  ts_ns ts_event = 0;          ///< Exchange time: orders the replay and picks the PnL buckets.
};
/// A `fill` message as a ledger_fill (its fee is in quote; qty in base unless size_in_quote).
ledger_fill to_ledger_fill(const fill& f, bool size_in_quote = false);
/// The fill's base size: qty; when size_in_quote, base_reported when the exchange gave it, else
/// qty (quote) / px rounded half away from zero to base_increment (an exchange fills whole
/// increments; the quote it reports is price × base rounded to 1e-8, so truncating the
/// quotient would book one unit short). nullopt when px is not positive.
std::optional<size> base_size_of(const ledger_fill& f);

/// Realized PnL of a bucket (UTC day, ISO week, total).
struct pnl_totals {
  notional realized;       ///< Net of exit fees and the proportional entry fees.
  notional fees;           ///< Every fee paid by fills in the bucket (base fees at fill price).
  std::int64_t fills = 0;  ///< Fills booked in the bucket.
  bool operator==(const pnl_totals&) const = default;
};

/// Tuning; both keys are documented in docs/orders.md.
struct ledger_options {
  std::int64_t reorder_window_ns = 3600 * ns_per_s;  ///< Fills this far behind the newest are folded; > 0.
  std::uint32_t max_pending = 2'000;       ///< Per product, fills kept for replay beyond which they fold; ≥ 1.
  std::uint32_t folded_trade_ids = 256;    ///< Per product, folded trade ids still remembered for dedupe
                                           ///< (the durable dedupe is the store's fills database).
};

/// What apply() did.
enum class apply_outcome : std::uint8_t { applied, duplicate, invalid };

struct apply_result {
  apply_outcome outcome = apply_outcome::applied;
  notional realized;          ///< Realized by this fill (as booked now).
  bool reordered = false;     ///< Older than the newest fill of its product: the product was replayed.
  bool beyond_window = false; ///< Older than the checkpoint: booked at the end (alert: not exact).
  std::string reason;         ///< For invalid: "INVALID_FILL: px=0".
  /// A replay changed what earlier fills realized: (their ts_event, change). The buckets
  /// already hold it; an actor mirroring buckets elsewhere applies these too.
  std::vector<std::pair<ts_ns, notional>> restated;
};

/// NAV after a mark, with its high-water mark.
struct nav_mark_result {
  notional nav;
  notional high_water;
  double drawdown_pct = 0;         ///< (high_water - nav) / high_water × 100; 0 when high_water ≤ 0.
  bool new_high = false;
  std::vector<product_id> unmarked;  ///< Positions without a mark: nav is not computed.
  bool ok() const { return unmarked.empty(); }
};

/// One fill as kept for replay (normalised).
struct booked_fill {
  trade_id trade;
  client_order_id order;
  ts_ns ts_event = 0;
  ts_ns key_ts = 0;      ///< Replay order: ts_event, or the checkpoint's when it was older.
  price px;
  size delta;            ///< Signed coins in (+) or out (-), base fees included.
  notional fee;          ///< Quote fee + base fee × px.
  notional realized;     ///< As last computed.
};

/// One product's book: a checkpoint and the fills after it.
struct product_book {
  position checkpoint;
  ts_ns checkpoint_ts = 0;        ///< key_ts of the newest folded fill (0: none).
  std::deque<booked_fill> pending;  ///< Sorted by (key_ts, trade id).
  std::deque<trade_id> folded;    ///< Recently folded trade ids, oldest first (bounded).
  position current;               ///< checkpoint + pending, kept up to date.
};

class ledger {
public:
  explicit ledger(ledger_options opts = {});

  /// Books a fill once (dedupe by trade id). Invalid fills (no trade id or product, px ≤ 0,
  /// qty ≤ 0, negative base fee) change nothing.
  apply_result apply(const ledger_fill& f);
  /// True when the trade id was booked (and not forgotten after folding).
  bool seen(const trade_id& t) const { return seen_.count(t) != 0; }

  /// The position of a product (nullptr if it never traded).
  const position* find(const product_id& p) const;
  /// Every product's position, by product id.
  std::map<std::string, position> positions() const;

  /// PnL of the UTC day, ISO week of t, and since the ledger began.
  pnl_totals day(ts_ns t) const;
  pnl_totals week(ts_ns t) const;
  pnl_totals total() const;
  /// Every bucket by key ("day/…", "week/…", "total").
  const std::map<std::string, pnl_totals>& buckets() const { return buckets_; }

  /// Quote cash: set from the exchange's balances (reconcile); fills move it.
  void set_cash(notional c) { cash_ = c; }
  notional cash() const { return cash_; }
  /// NAV = cash + Σ qty × mark. Raises the high-water mark when NAV passes it.
  nav_mark_result mark(const std::unordered_map<product_id, price>& marks, ts_ns now);
  notional high_water() const { return hwm_; }
  ts_ns high_water_at() const { return hwm_at_; }

  const ledger_options& options() const { return opts_; }

private:
  friend class ledger_codec;
  void add_to_buckets(ts_ns t, notional realized, notional fees, std::int64_t fills);
  void replay(product_book& b, const trade_id& added, apply_result& res);
  void fold(product_book& b);
  void remember_folded(product_book& b, const trade_id& t);

  ledger_options opts_;
  std::map<std::string, product_book> books_;
  std::map<std::string, pnl_totals> buckets_;
  std::unordered_set<trade_id> seen_;  ///< Every pending and remembered folded trade id.
  notional cash_;
  notional hwm_;
  ts_ns hwm_at_ = 0;
  bool hwm_set_ = false;  ///< False until the first complete mark.
};

} // namespace trader::order_lifecycle

#pragma once
// The order state machine: one table of legal (from, event) → to rows (docs/orders.md).
// Anything not in the table is refused with a reason; the caller logs and counts it. No CAF.

#include "messages/numeric.hpp"
#include "messages/orders.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace trader::order_lifecycle {

/// What happened to an order, as the machine sees it.
enum class order_event : std::uint8_t {
  send_timed_out,  ///< The create request's outcome is unknown (timeout, reset, unreadable 200).
  not_placed,      ///< Nothing is at the exchange: never sent, refused before the book, not
                   ///< found by client order id after the lookup window, exchange FAILED.
  accepted,        ///< The exchange has it resting (OPEN, PENDING, QUEUED), nothing filled.
  partial_fill,    ///< Cumulative filled > 0 and below the ordered size.
  full_fill,       ///< Cumulative filled reached the ordered size (or the exchange says FILLED).
  canceled,
  expired,
  rejected,        ///< The exchange refused it (post-only would take, insufficient funds...).
};
/// Stable name ("partial_fill").
std::string_view to_string(order_event e);

/// One legal row of the table.
struct order_transition {
  order_state from;
  order_event event;
  order_state to;
  const char* note;  ///< Why an odd edge is legal; "" for the plain ones.
};

/// Every legal row, grouped by `from`.
std::span<const order_transition> transition_table();

/// Why an update was refused.
enum class refusal : std::uint8_t {
  none,
  illegal_transition,  ///< No row for (from, event).
  moves_backwards,     ///< No row, and the event belongs to an earlier stage (FILLED → OPEN).
  filled_decreased,    ///< Cumulative filled size below the one already known.
  overfill,            ///< Cumulative filled size above the ordered size.
  bad_update,          ///< The update names a state the exchange never reports (created, unknown).
};
/// Stable name, also the metrics label ("moves_backwards").
std::string_view to_string(refusal r);

/// The machine's answer.
struct transition_result {
  refusal why = refusal::none;
  order_state to = order_state::created;  ///< New state when accepted (may equal from: a replay).
  const char* note = "";                  ///< The row's note when accepted.
  std::string reason;  ///< When refused: "ILLEGAL_TRANSITION: from=filled event=accepted".
  bool accepted() const { return why == refusal::none; }
};

/// The table lookup.
transition_result next_state(order_state from, order_event event);

/// What the machine tracks per order.
struct order_progress {
  order_state state = order_state::created;
  size ordered;  ///< Requested base size; zero when unknown (a market buy by quote size).
  size filled;   ///< Cumulative; never decreases.
};

/// An update checked against the table and the fill arithmetic.
struct update_result {
  transition_result step;
  order_progress next;   ///< The progress after the update (== current when refused).
  bool changed = false;  ///< State or filled size moved (persist, publish).
};

/// Maps an exchange order update onto an event (filled size decides partial vs full).
std::optional<order_event> classify(const order_update& u, size ordered);
/// Applies an exchange order update: the reported cumulative filled size must not decrease
/// or pass the ordered size, and the state must follow the table.
update_result apply_update(const order_progress& current, const order_update& u);
/// Applies one new fill of qty (already deduplicated by trade id).
update_result apply_fill(const order_progress& current, size qty);
/// Applies a local event (send_timed_out, not_placed, or a cancel/expiry seen elsewhere).
update_result apply_event(const order_progress& current, order_event e);

/// True for filled, rejected: nothing legal follows but a replay. (canceled, expired and
/// failed still take late facts, see the table's notes.)
bool is_final(order_state s);
/// True for created, open, partially_filled, unknown: the order may still trade.
bool is_live(order_state s);

} // namespace trader::order_lifecycle

#include "actors/trading/order_lifecycle/order_state_machine.hpp"

#include "messages/names.hpp"

#include <array>

namespace trader::order_lifecycle {

namespace {

using st = order_state;
using ev = order_event;

constexpr const char* resolved = "resolved by client order id";
constexpr const char* raced_ack = "the fill raced the ack";
constexpr const char* after_restart = "the order's life went on while we could not see it";
constexpr const char* reappeared = "found after the lookup window: the exchange is the truth";

// The whole machine. A row per legal (from, event) → to; odd edges say why they are legal.
constexpr std::array<order_transition, 40> table{{
  // created: persisted (write-ahead), maybe sent.
  {st::created, ev::send_timed_out, st::unknown, ""},
  {st::created, ev::not_placed, st::failed, ""},
  {st::created, ev::accepted, st::open, ""},
  {st::created, ev::partial_fill, st::partially_filled, raced_ack},
  {st::created, ev::full_fill, st::filled, "a taker order filled before its ack"},
  {st::created, ev::canceled, st::canceled, "an IOC order that found nothing, or one canceled while we were down"},
  {st::created, ev::expired, st::expired, after_restart},
  {st::created, ev::rejected, st::rejected, ""},
  // unknown: sent, outcome unknown; only the exchange can resolve it.
  {st::unknown, ev::send_timed_out, st::unknown, "another lookup timed out: still unresolved"},
  {st::unknown, ev::not_placed, st::failed, "not found by client order id after the window"},
  {st::unknown, ev::accepted, st::open, resolved},
  {st::unknown, ev::partial_fill, st::partially_filled, resolved},
  {st::unknown, ev::full_fill, st::filled, resolved},
  {st::unknown, ev::canceled, st::canceled, resolved},
  {st::unknown, ev::expired, st::expired, resolved},
  {st::unknown, ev::rejected, st::rejected, resolved},
  // open
  {st::open, ev::accepted, st::open, "replay (reconnect snapshot, REST re-read)"},
  {st::open, ev::partial_fill, st::partially_filled, ""},
  {st::open, ev::full_fill, st::filled, ""},
  {st::open, ev::canceled, st::canceled, ""},
  {st::open, ev::expired, st::expired, ""},
  // partially_filled
  {st::partially_filled, ev::partial_fill, st::partially_filled, "more of it filled (or a replay)"},
  {st::partially_filled, ev::full_fill, st::filled, ""},
  {st::partially_filled, ev::canceled, st::canceled, "canceled with a part filled"},
  {st::partially_filled, ev::expired, st::expired, "expired with a part filled"},
  // filled: final.
  {st::filled, ev::full_fill, st::filled, "replay"},
  // canceled
  {st::canceled, ev::canceled, st::canceled, "replay"},
  {st::canceled, ev::partial_fill, st::canceled, "a late fill of an order canceled with a part filled"},
  {st::canceled, ev::full_fill, st::filled, "the fill raced the cancel"},
  // expired
  {st::expired, ev::expired, st::expired, "replay"},
  {st::expired, ev::partial_fill, st::expired, "a late fill of an order expired with a part filled"},
  {st::expired, ev::full_fill, st::filled, "the fill raced the expiry"},
  // rejected: final.
  {st::rejected, ev::rejected, st::rejected, "replay"},
  // failed: we gave up on it; if the exchange shows it after all, the exchange wins.
  {st::failed, ev::not_placed, st::failed, "replay"},
  {st::failed, ev::accepted, st::open, reappeared},
  {st::failed, ev::partial_fill, st::partially_filled, reappeared},
  {st::failed, ev::full_fill, st::filled, reappeared},
  {st::failed, ev::canceled, st::canceled, reappeared},
  {st::failed, ev::expired, st::expired, reappeared},
  {st::failed, ev::rejected, st::rejected, reappeared},
}};

/// How far along an order is; an event of a lower stage than the state moves it backwards.
int stage(order_state s) {
  switch (s) {
    case st::created:
    case st::unknown:
    case st::failed:
      return 0;
    case st::open:
      return 1;
    case st::partially_filled:
      return 2;
    case st::filled:
    case st::canceled:
    case st::expired:
    case st::rejected:
      return 3;
  }
  return 0;
}

int stage(order_event e) {
  switch (e) {
    case ev::send_timed_out:
    case ev::not_placed:
      return 0;
    case ev::accepted:
      return 1;
    case ev::partial_fill:
      return 2;
    case ev::full_fill:
    case ev::canceled:
    case ev::expired:
    case ev::rejected:
      return 3;
  }
  return 0;
}

update_result refuse(const order_progress& cur, refusal why, std::string reason) {
  update_result r;
  r.step.why = why;
  r.step.to = cur.state;
  r.step.reason = std::move(reason);
  r.next = cur;
  return r;
}

update_result advance(const order_progress& cur, order_event e, size filled) {
  update_result r;
  r.step = next_state(cur.state, e);
  r.next = cur;
  if (!r.step.accepted())
    return r;
  r.next.state = r.step.to;
  r.next.filled = filled;
  r.changed = r.next.state != cur.state || r.next.filled != cur.filled;
  return r;
}

} // namespace

std::string_view to_string(order_event e) {
  switch (e) {
    case ev::send_timed_out: return "send_timed_out";
    case ev::not_placed: return "not_placed";
    case ev::accepted: return "accepted";
    case ev::partial_fill: return "partial_fill";
    case ev::full_fill: return "full_fill";
    case ev::canceled: return "canceled";
    case ev::expired: return "expired";
    case ev::rejected: return "rejected";
  }
  return "?";
}

std::string_view to_string(refusal r) {
  switch (r) {
    case refusal::none: return "none";
    case refusal::illegal_transition: return "illegal_transition";
    case refusal::moves_backwards: return "moves_backwards";
    case refusal::filled_decreased: return "filled_decreased";
    case refusal::overfill: return "overfill";
    case refusal::bad_update: return "bad_update";
  }
  return "?";
}

std::span<const order_transition> transition_table() { return table; }

transition_result next_state(order_state from, order_event event) {
  transition_result r;
  for (const auto& row : table) {
    if (row.from == from && row.event == event) {
      r.to = row.to;
      r.note = row.note;
      return r;
    }
  }
  const bool backwards = stage(event) < stage(from);
  r.why = backwards ? refusal::moves_backwards : refusal::illegal_transition;
  r.to = from;
  r.reason = std::string{backwards ? "MOVES_BACKWARDS" : "ILLEGAL_TRANSITION"} + ": from=" +
             std::string{trader::to_string(from)} + " event=" + std::string{to_string(event)};
  return r;
}

std::optional<order_event> classify(const order_update& u, size ordered) {
  auto by_size = [&] {
    if (u.filled_size.is_zero())
      return ev::accepted;
    return !ordered.is_zero() && u.filled_size >= ordered ? ev::full_fill : ev::partial_fill;
  };
  switch (u.state) {
    case st::open:
    case st::partially_filled:
      return by_size();
    case st::filled: return ev::full_fill;
    case st::canceled: return ev::canceled;
    case st::expired: return ev::expired;
    case st::rejected: return ev::rejected;
    case st::failed: return ev::not_placed;
    case st::created:
    case st::unknown:
      return std::nullopt;
  }
  return std::nullopt;
}

update_result apply_update(const order_progress& cur, const order_update& u) {
  auto e = classify(u, cur.ordered);
  if (!e)
    return refuse(cur, refusal::bad_update, "BAD_UPDATE: state=" + std::string{trader::to_string(u.state)});
  if (u.filled_size < cur.filled)
    return refuse(cur, refusal::filled_decreased,
                  "FILLED_DECREASED: known=" + to_string(cur.filled) + " reported=" + to_string(u.filled_size));
  if (!cur.ordered.is_zero() && u.filled_size > cur.ordered)
    return refuse(cur, refusal::overfill,
                  "OVERFILL: ordered=" + to_string(cur.ordered) + " filled=" + to_string(u.filled_size));
  return advance(cur, *e, u.filled_size);
}

update_result apply_fill(const order_progress& cur, size qty) {
  const size filled = cur.filled + qty;
  if (qty.units <= 0)
    return refuse(cur, refusal::bad_update, "BAD_FILL: qty=" + to_string(qty));
  if (!cur.ordered.is_zero() && filled > cur.ordered)
    return refuse(cur, refusal::overfill, "OVERFILL: ordered=" + to_string(cur.ordered) + " filled=" + to_string(filled));
  const auto e = !cur.ordered.is_zero() && filled == cur.ordered ? ev::full_fill : ev::partial_fill;
  return advance(cur, e, filled);
}

update_result apply_event(const order_progress& cur, order_event e) { return advance(cur, e, cur.filled); }

bool is_final(order_state s) { return s == st::filled || s == st::rejected; }

bool is_live(order_state s) {
  return s == st::created || s == st::open || s == st::partially_filled || s == st::unknown;
}

} // namespace trader::order_lifecycle

#include "messages/names.hpp"

namespace trader {

std::string_view to_string(side x) {
  switch (x) {
    case side::buy: return "buy";
    case side::sell: return "sell";
  }
  return "?";
}

std::string_view to_string(product_state x) {
  switch (x) {
    case product_state::online: return "online";
    case product_state::post_only: return "post_only";
    case product_state::limit_only: return "limit_only";
    case product_state::cancel_only: return "cancel_only";
    case product_state::offline: return "offline";
    case product_state::delisted: return "delisted";
  }
  return "?";
}

std::string_view to_string(proposal_kind x) {
  switch (x) {
    case proposal_kind::open: return "open";
    case proposal_kind::add: return "add";
    case proposal_kind::reduce: return "reduce";
    case proposal_kind::close: return "close";
  }
  return "?";
}

std::string_view to_string(order_type x) {
  switch (x) {
    case order_type::market: return "market";
    case order_type::limit: return "limit";
  }
  return "?";
}

std::string_view to_string(time_in_force x) {
  switch (x) {
    case time_in_force::gtc: return "gtc";
    case time_in_force::gtd: return "gtd";
    case time_in_force::ioc: return "ioc";
    case time_in_force::fok: return "fok";
  }
  return "?";
}

std::string_view to_string(decision_path x) {
  switch (x) {
    case decision_path::none: return "none";
    case decision_path::exit: return "exit";
    case decision_path::strategy: return "strategy";
  }
  return "?";
}

std::string_view to_string(order_state x) {
  switch (x) {
    case order_state::created: return "created";
    case order_state::open: return "open";
    case order_state::partially_filled: return "partially_filled";
    case order_state::filled: return "filled";
    case order_state::canceled: return "canceled";
    case order_state::expired: return "expired";
    case order_state::rejected: return "rejected";
    case order_state::failed: return "failed";
    case order_state::unknown: return "unknown";
  }
  return "?";
}

std::string_view to_string(liquidity x) {
  switch (x) {
    case liquidity::maker: return "maker";
    case liquidity::taker: return "taker";
    case liquidity::unknown: return "unknown";
  }
  return "?";
}

std::string_view to_string(gate_reason x) {
  switch (x) {
    case gate_reason::kill_switch: return "kill_switch";
    case gate_reason::daily_stop: return "daily_stop";
    case gate_reason::weekly_stop: return "weekly_stop";
    case gate_reason::max_drawdown: return "max_drawdown";
    case gate_reason::stale_data: return "stale_data";
    case gate_reason::sequence_gap: return "sequence_gap";
    case gate_reason::product_degraded: return "product_degraded";
    case gate_reason::api_error_burst: return "api_error_burst";
    case gate_reason::clock_skew: return "clock_skew";
    case gate_reason::reconcile_pending: return "reconcile_pending";
    case gate_reason::state_unavailable: return "state_unavailable";
    case gate_reason::actor_lost_state: return "actor_lost_state";
    case gate_reason::order_timeout: return "order_timeout";
    case gate_reason::user_stream_gap: return "user_stream_gap";
    case gate_reason::safe_halt: return "safe_halt";
    case gate_reason::audit_unavailable: return "audit_unavailable";
    case gate_reason::startup: return "startup";
    case gate_reason::crash_regime: return "crash_regime";
    case gate_reason::operator_halt: return "operator_halt";
  }
  return "?";
}

std::string_view to_string(severity x) {
  switch (x) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::critical: return "critical";
  }
  return "?";
}

std::string_view to_string(actor_run_state x) {
  switch (x) {
    case actor_run_state::starting: return "starting";
    case actor_run_state::running: return "running";
    case actor_run_state::restarting: return "restarting";
    case actor_run_state::stopping: return "stopping";
    case actor_run_state::stopped: return "stopped";
    case actor_run_state::failed: return "failed";
  }
  return "?";
}

std::optional<gate_reason> parse_gate_reason(std::string_view s) {
  if (s == "kill_switch") return gate_reason::kill_switch;
  if (s == "daily_stop") return gate_reason::daily_stop;
  if (s == "weekly_stop") return gate_reason::weekly_stop;
  if (s == "max_drawdown") return gate_reason::max_drawdown;
  if (s == "stale_data") return gate_reason::stale_data;
  if (s == "sequence_gap") return gate_reason::sequence_gap;
  if (s == "product_degraded") return gate_reason::product_degraded;
  if (s == "api_error_burst") return gate_reason::api_error_burst;
  if (s == "clock_skew") return gate_reason::clock_skew;
  if (s == "reconcile_pending") return gate_reason::reconcile_pending;
  if (s == "state_unavailable") return gate_reason::state_unavailable;
  if (s == "actor_lost_state") return gate_reason::actor_lost_state;
  if (s == "order_timeout") return gate_reason::order_timeout;
  if (s == "user_stream_gap") return gate_reason::user_stream_gap;
  if (s == "safe_halt") return gate_reason::safe_halt;
  if (s == "audit_unavailable") return gate_reason::audit_unavailable;
  if (s == "startup") return gate_reason::startup;
  if (s == "crash_regime") return gate_reason::crash_regime;
  if (s == "operator_halt") return gate_reason::operator_halt;
  return std::nullopt;
}

std::optional<product_state> parse_product_state(std::string_view s) {
  if (s == "online") return product_state::online;
  if (s == "post_only") return product_state::post_only;
  if (s == "limit_only") return product_state::limit_only;
  if (s == "cancel_only") return product_state::cancel_only;
  if (s == "offline") return product_state::offline;
  if (s == "delisted") return product_state::delisted;
  return std::nullopt;
}

} // namespace trader

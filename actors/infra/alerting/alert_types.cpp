#include "actors/infra/alerting/alert_types.hpp"

namespace trader::alerting {

namespace {

bool valid_id(const std::string& s) {
  if (s.empty() || s.size() > 64)
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

} // namespace

bool alert_type_registry::add(alert_type t) {
  if (!valid_id(t.id))
    return false;
  std::lock_guard<std::mutex> lock(mtx_);
  auto id = t.id;
  types_[id] = std::move(t);
  return true;
}

std::optional<alert_type> alert_type_registry::find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mtx_);
  auto it = types_.find(id);
  if (it == types_.end())
    return std::nullopt;
  return it->second;
}

std::vector<alert_type> alert_type_registry::list() const {
  std::lock_guard<std::mutex> lock(mtx_);
  std::vector<alert_type> out;
  for (const auto& [id, t] : types_)
    out.push_back(t);
  return out;
}

std::vector<alert_type> builtin_alert_types() {
  return {
    {"latency_budget_violation", severity::warning, "An endpoint or stage exceeded its latency budget (p95/p99)."},
    {"api_rate_limit", severity::warning, "Exchange request rate near its limit (80 % of a window) or answered 429."},
    {"api_error_burst", severity::critical, "Consecutive or bursty exchange API errors on an endpoint; the gate closes."},
    {"exception_burst", severity::critical, "An actor raised several exceptions in a short window."},
    {"actor_restart_storm", severity::critical, "An actor restarted repeatedly; its supervisor nears its intensity limit."},
    {"sequence_gap", severity::critical, "A WebSocket sequence gap (market data or user stream) is unresolved."},
    {"clock_skew", severity::critical, "Local clock drifts from exchange time beyond the limit; LIVE refuses to start."},
    {"state_unavailable", severity::critical, "The LMDB state store cannot be opened, read, written or verified."},
    {"audit_unavailable", severity::critical, "An audit log append failed; the gate closes (audit_unavailable)."},
    {"registry_drop", severity::critical,
     "A message to risk, order_lifecycle, state or alerting was dropped: no such actor was registered."},
    {"secret_rotation_due", severity::warning, "An API key is older than 80 days (WARNING) or 90 days (CRITICAL)."},
    {"staging_test", severity::info, "Fired by `traderctl alert test` through every configured sink."},
    {"kill_switch", severity::critical, "The kill switch was engaged (file or traderctl kill): cancels only."},
    {"safe_halt", severity::critical, "traderd halted trading on purpose after an unrecoverable fault; it stays up."},
    {"daily_stop", severity::critical, "The UTC day's loss reached the daily stop; the gate closes until the next day."},
    {"weekly_stop", severity::critical, "The ISO week's loss reached the weekly stop; the gate closes until Monday."},
    {"max_drawdown", severity::critical, "NAV fell from its high-water mark beyond the limit; resume by hand only."},
    {"stale_position_data", severity::warning, "An open position has no fresh quote: its protective exits cannot fire."},
    {"empty_universe", severity::warning, "No product is eligible this cycle: nothing will be traded."},
    {"cycle_overrun", severity::warning, "A decision cycle took longer than loop.cycle_budget_s and was abandoned."},
    {"strategy_drift", severity::warning,
     "A strategy's live results drift from its backtest baseline (WARNING; CRITICAL: 3+ checks or the win rate down twice the limit)."},
    {"reconcile_mismatch", severity::critical, "Local orders, fills or balances disagree with the exchange."},
    {"order_rejection_burst", severity::warning, "The exchange rejected several orders in a short window."},
    {"order_refused", severity::warning,
     "The exchange reported an order state the order state machine refuses (backwards, overfill): re-read."},
    {"unknown_order", severity::warning,
     "An order update or fill came for an order this daemon does not track (execution.unknown_order_policy)."},
  };
}

void add_builtin_types(alert_type_registry& r) {
  for (auto& t : builtin_alert_types())
    r.add(std::move(t));
}

alert make_alert(const alert_type_registry& types, const std::string& type, std::string source, std::string title,
                 std::string detail, std::string fingerprint) {
  alert a;
  a.type = type;
  a.level = types.find(type).value_or(alert_type{type, severity::warning, {}}).default_level;
  a.source = std::move(source);
  a.title = std::move(title);
  a.detail = std::move(detail);
  a.fingerprint = std::move(fingerprint);
  return a;
}

std::string_view severity_label(severity s) {
  switch (s) {
    case severity::info: return "INFO";
    case severity::warning: return "WARNING";
    case severity::critical: return "CRITICAL";
  }
  return "CRITICAL";
}

} // namespace trader::alerting

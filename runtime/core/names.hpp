#pragma once
// Every actor and supervisor name, once. The supervision tree (runtime/core/tree.cpp), the
// factories in tools/traderd and every registry send/request/get use these constants; a
// string literal naming an actor elsewhere is a bug (a typo would be a silent drop).
//
// Why here and not in messages/: a name is a key of core::registry and of the tree, i.e. it is
// how this process is wired, not domain vocabulary. Every sender already includes
// runtime/core/registry.hpp, and messages/ stays free of routing (backtest may wire another
// set of actors against the same messages).
//
// The constants are char arrays so they convert to const char*, std::string_view and
// std::string alike. Compare them with a std::string or std::string_view, never with another
// const char* (that would compare pointers).

#include <string_view>

namespace trader::names {

// -- supervisors ------------------------------------------------------------------------------
inline constexpr char root[] = "root";          ///< Top supervisor (rest_for_one, escalates to safe halt).
inline constexpr char infra[] = "infra";        ///< audit · alerting · state · latency · metrics.
inline constexpr char exchange[] = "exchange";  ///< The Coinbase connection: REST endpoints and feeds.
inline constexpr char trading[] = "trading";    ///< universe → … → order_lifecycle (rest_for_one).

// -- infra ------------------------------------------------------------------------------------
inline constexpr char audit[] = "audit";        ///< The JSONL audit log.
inline constexpr char alerting[] = "alerting";  ///< Alert dedupe, escalation and delivery.
inline constexpr char state[] = "state";        ///< The LMDB store (single writer).
inline constexpr char latency[] = "latency";    ///< Per-endpoint latency histograms and budgets.
inline constexpr char metrics[] = "metrics";    ///< Reserved leaf: the exporter runs outside the tree.
inline constexpr char recorder[] = "recorder";  ///< Market recording (traderd --record-market, issue 19).

// -- exchange ---------------------------------------------------------------------------------
inline constexpr char rate_limiter[] = "rate_limiter";  ///< Permits for every REST call.
inline constexpr char products[] = "products";          ///< /products: the product cache, candles.
inline constexpr char accounts[] = "accounts";          ///< /accounts: balances, fee tier.
inline constexpr char orders[] = "orders";              ///< /orders: the REST order gateway.
inline constexpr char fills[] = "fills";                ///< /orders/historical/fills.
inline constexpr char clock[] = "clock";                ///< Exchange server time and skew.
inline constexpr char market_data[] = "market_data";    ///< Public WebSocket feed and books.
inline constexpr char user_stream[] = "user_stream";    ///< The user WebSocket channel.

// -- trading ----------------------------------------------------------------------------------
inline constexpr char universe[] = "universe";                ///< The tradable set (later issue).
inline constexpr char triggers[] = "triggers";                ///< Signals (later issue).
inline constexpr char strategies[] = "strategies";            ///< Proposals (later issue).
inline constexpr char risk[] = "risk";                        ///< The trading gate and pre-trade checks.
inline constexpr char order_lifecycle[] = "order_lifecycle";  ///< Sole owner of order state (issue 16).
inline constexpr char drift[] = "drift";                      ///< Live results against the backtest baseline (issue 19).

// -- directly under root ----------------------------------------------------------------------
inline constexpr char scheduler[] = "scheduler";  ///< The jittered decision cycle.
inline constexpr char control[] = "control";      ///< Reserved leaf: the control server runs outside the tree.
inline constexpr char probe[] = "probe";          ///< Test hook (TRADER_TEST_PROBE only).
inline constexpr char kill_switch[] = "kill_switch";  ///< Watches control.kill_switch_file.

/// The gate's level-triggered sources (core::gate_reporter): a (re)started risk asks each of
/// them for its current conditions (report_gate_conditions).
/// (orders raises order_timeout as an event: no source can tell that an unresolved create has
/// resolved, so it is persisted and waits for a reconcile or an operator.)
/// triggers holds crash_regime; order_lifecycle holds reconcile_pending.
inline constexpr const char* gate_sources[] = {state,    audit,       clock,       rate_limiter,    products,
                                               market_data, user_stream, kill_switch, triggers, order_lifecycle};

/// True for names whose messages carry safety (gate signals, halts, order state, alerts): a
/// send dropped because one of them is absent raises registry_drop (core::registry).
constexpr bool carries_safety(std::string_view name) noexcept {
  return name == risk || name == order_lifecycle || name == state || name == alerting;
}

} // namespace trader::names

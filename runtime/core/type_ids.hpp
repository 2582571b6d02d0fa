#pragma once
// Every message type, registered with CAF in one place (portable names for the wire and
// for diagnostics). Included only by runtime/core/system_config.cpp and actor TUs.

#include "messages/exchange.hpp"
#include "messages/gate.hpp"
#include "messages/market.hpp"
#include "messages/ops.hpp"
#include "messages/orders.hpp"
#include "messages/signals.hpp"
#include "messages/trading.hpp"

#include <caf/type_id.hpp>

CAF_BEGIN_TYPE_ID_BLOCK(trader, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(trader, (trader::quote))
  CAF_ADD_TYPE_ID(trader, (trader::book_update))
  CAF_ADD_TYPE_ID(trader, (trader::candle))
  CAF_ADD_TYPE_ID(trader, (trader::market_trade))
  CAF_ADD_TYPE_ID(trader, (trader::product_status))
  CAF_ADD_TYPE_ID(trader, (trader::feed_health))
  CAF_ADD_TYPE_ID(trader, (trader::trade_proposal))
  CAF_ADD_TYPE_ID(trader, (trader::risk_verdict))
  CAF_ADD_TYPE_ID(trader, (trader::order_intent))
  CAF_ADD_TYPE_ID(trader, (trader::decision_tick))
  CAF_ADD_TYPE_ID(trader, (trader::order_update))
  CAF_ADD_TYPE_ID(trader, (trader::fill))
  CAF_ADD_TYPE_ID(trader, (trader::cancel_order))
  CAF_ADD_TYPE_ID(trader, (trader::cancel_all))
  CAF_ADD_TYPE_ID(trader, (trader::gate_signal))
  CAF_ADD_TYPE_ID(trader, (trader::gate_changed))
  CAF_ADD_TYPE_ID(trader, (trader::get_gate))
  CAF_ADD_TYPE_ID(trader, (trader::resume_gate))
  CAF_ADD_TYPE_ID(trader, (trader::gate_conditions))
  CAF_ADD_TYPE_ID(trader, (trader::report_gate_conditions))
  CAF_ADD_TYPE_ID(trader, (trader::raise_gate))
  CAF_ADD_TYPE_ID(trader, (trader::persist_gate))
  CAF_ADD_TYPE_ID(trader, (trader::alert))
  CAF_ADD_TYPE_ID(trader, (trader::latency_sample))
  CAF_ADD_TYPE_ID(trader, (trader::health_report))
  CAF_ADD_TYPE_ID(trader, (trader::control_command))
  CAF_ADD_TYPE_ID(trader, (trader::control_reply))
  CAF_ADD_TYPE_ID(trader, (trader::audit_entry))
  CAF_ADD_TYPE_ID(trader, (trader::config_changed))
  CAF_ADD_TYPE_ID(trader, (trader::config_runtime))
  CAF_ADD_TYPE_ID(trader, (trader::alert_test))
  CAF_ADD_TYPE_ID(trader, (trader::alert_ack))
CAF_END_TYPE_ID_BLOCK(trader)

// The exchange subtree's protocol (messages/exchange.hpp).
CAF_BEGIN_TYPE_ID_BLOCK(trader_exchange, caf::first_custom_type_id + 100)
  CAF_ADD_TYPE_ID(trader_exchange, (trader::permit_request))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::permit_grant))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::call_outcome))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::product_info))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_products))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::product_list))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_product))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_balances))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::balance_list))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_fee_tier))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::fee_tier))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::create_order))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::preview_order))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::order_ack))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::order_preview))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::cancel_orders))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::cancel_results))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_order))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::list_open_orders))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::order_list))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_fills))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::fill_list))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::measure_clock))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::clock_sample))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::subscribe_feed))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::subscribed))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_book))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::book_snapshot))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::get_candles))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::candle_list))
  CAF_ADD_TYPE_ID(trader_exchange, (trader::list_recent_orders))
CAF_END_TYPE_ID_BLOCK(trader_exchange)

// Operations messages added by issue 7 (latency, scheduler, ...).
CAF_BEGIN_TYPE_ID_BLOCK(trader_ops, caf::first_custom_type_id + 200)
  CAF_ADD_TYPE_ID(trader_ops, (trader::latency_report_request))
CAF_END_TYPE_ID_BLOCK(trader_ops)

// The trading pipeline (messages/trading.hpp): order_lifecycle → risk portfolio. Block +400
// is the signal side's (universe, triggers, strategies: messages/signals.hpp).
CAF_BEGIN_TYPE_ID_BLOCK(trader_trading, caf::first_custom_type_id + 300)
  CAF_ADD_TYPE_ID(trader_trading, (trader::portfolio_update))
  CAF_ADD_TYPE_ID(trader_trading, (trader::get_portfolio))
  CAF_ADD_TYPE_ID(trader_trading, (trader::flatten_positions))
  CAF_ADD_TYPE_ID(trader_trading, (trader::get_drift))
CAF_END_TYPE_ID_BLOCK(trader_trading)

// The signal side (messages/signals.hpp): universe → triggers → strategies.
CAF_BEGIN_TYPE_ID_BLOCK(trader_signals, caf::first_custom_type_id + 400)
  CAF_ADD_TYPE_ID(trader_signals, (trader::universe_entry))
  CAF_ADD_TYPE_ID(trader_signals, (trader::universe_snapshot))
  CAF_ADD_TYPE_ID(trader_signals, (trader::fired_trigger))
  CAF_ADD_TYPE_ID(trader_signals, (trader::product_signals))
  CAF_ADD_TYPE_ID(trader_signals, (trader::signal_batch))
  CAF_ADD_TYPE_ID(trader_signals, (trader::get_universe))
  CAF_ADD_TYPE_ID(trader_signals, (trader::get_signals))
  CAF_ADD_TYPE_ID(trader_signals, (trader::get_strategies))
  CAF_ADD_TYPE_ID(trader_signals, (trader::ban_product))
  CAF_ADD_TYPE_ID(trader_signals, (trader::unban_product))
  CAF_ADD_TYPE_ID(trader_signals, (trader::set_strategy_enabled))
CAF_END_TYPE_ID_BLOCK(trader_signals)

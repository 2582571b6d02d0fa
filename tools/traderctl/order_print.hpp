#pragma once
// Human-readable output of `traderctl orders`, `positions`, `pnl` and `cancel-all` (issue 16;
// answered by the order_lifecycle actor).

#include <nlohmann/json.hpp>

namespace trader::ctl {

/// One line per order (newest last).
void print_orders(const nlohmann::json& r);
/// One line per product the ledger holds (or closed with PnL).
void print_positions(const nlohmann::json& r);
/// Realized PnL net of fees: UTC day, ISO week and total.
void print_pnl(const nlohmann::json& r);
/// How many open orders the exchange listed, were sent and confirmed, and every failure.
void print_cancel_all(const nlohmann::json& r);

} // namespace trader::ctl

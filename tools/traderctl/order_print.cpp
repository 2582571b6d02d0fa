#include "tools/traderctl/order_print.hpp"

#include <iomanip>
#include <iostream>

namespace trader::ctl {

using nlohmann::json;

/// `traderctl orders`: one line per order (newest last).
void print_orders(const json& r) {
  auto orders = r.value("orders", json::array());
  std::cout << "orders (" << r.value("mode", "?") << "): " << orders.size() << "\n";
  for (auto& o : orders)
    std::cout << "  " << std::left << std::setw(34) << o.value("client_order_id", "") << std::setw(17)
              << o.value("state", "") << std::setw(10) << o.value("product", "") << std::setw(5) << o.value("side", "")
              << " " << o.value("type", "") << " qty " << o.value("qty", "") << " filled " << o.value("filled_qty", "")
              << " px " << o.value("limit_px", "") << (o.value("last_error", "").empty() ? "" : "  " + o.value("last_error", ""))
              << "\n";
}

/// `traderctl positions`: one line per product the ledger holds (or closed with PnL).
void print_positions(const json& r) {
  auto ps = r.value("positions", json::array());
  if (ps.empty())
    std::cout << "positions: none\n";
  for (auto& p : ps)
    std::cout << std::left << std::setw(12) << p.value("product", "") << " qty " << std::setw(14) << p.value("qty", "")
              << " avg_entry " << std::setw(14) << p.value("avg_entry", "") << " realized " << std::setw(12)
              << p.value("realized", "") << " fees " << p.value("fees", "") << "\n";
}

/// `traderctl pnl`: realized PnL net of fees, UTC day, ISO week and total.
void print_pnl(const json& r) {
  auto line = [&](const char* name, const json& b, const std::string& key) {
    std::cout << std::left << std::setw(6) << name << std::setw(14) << key << " realized " << std::setw(14)
              << b.value("realized", "") << " fees " << std::setw(12) << b.value("fees", "") << " fills "
              << b.value("fills", 0) << "\n";
  };
  line("day", r.value("day", json::object()), r.value("day_key", ""));
  line("week", r.value("week", json::object()), r.value("week_key", ""));
  line("total", r.value("total", json::object()), "");
}

/// `traderctl cancel-all`: how many open orders the exchange listed, were sent and confirmed.
void print_cancel_all(const json& r) {
  std::cout << "cancel-all: " << r.value("open_on_exchange", 0) << " open on the exchange, " << r.value("sent", 0)
            << " cancel(s) sent, " << r.value("confirmed", 0) << " confirmed";
  if (r.contains("note"))
    std::cout << " (" << r.value("note", "") << ")";
  std::cout << "\n";
  for (auto& f : r.value("failed", json::array()))
    std::cout << "  failed " << f.value("exchange_order_id", "") << ": " << f.value("failure_reason", "") << "\n";
  if (r.contains("error"))
    std::cout << "  error: " << r.value("error", "") << "\n";
  if (r.contains("list_error"))
    std::cout << "  listing open orders: " << r.value("list_error", "") << " (cancelled what the daemon tracks)\n";
}

} // namespace trader::ctl

#include "tools/traderctl/drift_print.hpp"

#include <iomanip>
#include <iostream>

namespace trader::ctl {

using nlohmann::json;

void print_drift(const json& r) {
  std::cout << "drift: " << (r.value("enabled", false) ? "on" : "off (strategies.toml [drift] enabled = false)")
            << ", baseline " << (r.value("baseline_file", "").empty() ? "none" : r.value("baseline_file", ""));
  if (!r.value("baseline_error", "").empty())
    std::cout << " (NOT USED: " << r.value("baseline_error", "") << ")";
  std::cout << "\n";
  auto strategies = r.value("strategies", json::array());
  if (strategies.empty())
    std::cout << "  no strategy has a baseline or live round trips yet\n";
  std::cout << std::fixed << std::setprecision(2);
  for (auto& s : strategies) {
    auto live = s.value("live", json::object());
    auto base = s.value("baseline", json::object());
    std::cout << "  " << std::left << std::setw(16) << s.value("strategy", "") << std::setw(9)
              << s.value("severity", "?") << "live " << live.value("trades", 0) << " trades, win "
              << live.value("win_rate_pct", 0.0) << "% pf " << live.value("profit_factor", 0.0) << " sharpe "
              << live.value("sharpe", 0.0) << " | baseline " << base.value("trades", 0) << " trades, win "
              << base.value("win_rate_pct", 0.0) << "% pf " << base.value("profit_factor", 0.0) << " sharpe "
              << base.value("sharpe", 0.0);
    if (s.value("ready", false))
      std::cout << " | KS p " << std::setprecision(4) << s.value("ks_p", 1.0) << std::setprecision(2);
    if (s.value("disable", false))
      std::cout << "  SWITCHED OFF";
    std::cout << "\n";
    for (auto& why : s.value("reasons", json::array()))
      std::cout << "      " << why.get<std::string>() << "\n";
  }
}

} // namespace trader::ctl

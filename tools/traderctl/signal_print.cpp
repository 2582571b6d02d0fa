#include "tools/traderctl/signal_print.hpp"

#include <iomanip>
#include <iostream>

namespace trader::ctl {

using nlohmann::json;

void print_universe(const json& r) {
  auto eligible = r.value("eligible", json::array());
  auto excluded = r.value("excluded", json::array());
  std::cout << "universe (cycle " << r.value("cycle", 0) << "): " << eligible.size() << " eligible, "
            << excluded.size() << " excluded\n";
  for (auto& e : eligible)
    std::cout << "  eligible  " << std::left << std::setw(12) << e.value("product", "") << e.value("tier", "") << "\n";
  for (auto& e : excluded)
    std::cout << "  excluded  " << std::left << std::setw(12) << e.value("product", "") << std::setw(11)
              << e.value("tier", "") << e.value("reason", "") << "\n";
  auto bans = r.value("bans", json::array());
  if (!bans.empty())
    std::cout << "bans (" << (r.value("bans_persisted", false) ? "persisted" : "in memory only") << "):\n";
  for (auto& b : bans)
    std::cout << "  banned    " << std::left << std::setw(12) << b.value("product", "") << "until "
              << b.value("until", std::int64_t{0}) / 1'000'000'000 << " UTC s: " << b.value("reason", "") << "\n";
}

void print_signals(const json& r) {
  std::cout << "signals (cycle " << r.value("cycle", 0) << ", " << r.value("granularity_s", 0) << " s bars): regime "
            << r.value("regime", "?") << " x" << r.value("size_multiplier", 0.0) << ", bad ticks held "
            << r.value("bad_ticks_held", 0) << "\n";
  for (auto& p : r.value("products", json::array())) {
    std::cout << "  " << std::left << std::setw(12) << p.value("product", "");
    if (p.value("blocked", false)) {
      std::cout << "blocked: " << p.value("reason", "") << "\n";
      continue;
    }
    std::cout << "close " << p.value("close", 0.0) << " rsi " << std::setprecision(4) << p.value("rsi", 0.0)
              << std::setprecision(6);
    auto fired = p.value("fired", json::array());
    if (fired.empty())
      std::cout << "  no trigger";
    for (auto& f : fired)
      std::cout << "\n      " << f.value("detail", "") << " (confidence " << f.value("confidence", 0.0) << ")";
    std::cout << "\n";
  }
  // Each product's stored history at the base timeframe: what a product blocked "warming_up",
  // "stale" or "gap" is waiting for.
  auto series = r.value("base_series", json::object());
  if (!series.empty())
    std::cout << "history (" << r.value("backfill_pending", 0) << " backfill page(s) pending):\n";
  for (auto& [p, s] : series.items()) {
    std::cout << "  " << std::left << std::setw(12) << p << s.value("bars", 0) << " bars";
    if (s.contains("newest") && s["newest"].is_string())
      std::cout << ", newest " << s["newest"].get<std::string>();
    if (s.value("gaps", 0) > 0)
      std::cout << ", " << s.value("gaps", 0) << " gap(s)";
    std::cout << "\n";
  }
}

void print_strategies(const json& r) {
  auto ps = r.value("proposals", json::array());
  std::cout << "strategies (cycle " << r.value("cycle", 0) << ", regime " << r.value("regime", "?")
            << "): " << ps.size() << " proposal(s)";
  if (ps.empty())
    std::cout << ", no trade: " << r.value("no_trade_reason", "");
  std::cout << "\n";
  auto verdicts = r.value("verdicts", json::object());
  for (auto& p : ps) {
    auto id = p.value("proposal_id", "");
    std::cout << "  " << std::left << std::setw(22) << id << std::setw(16) << p.value("strategy", "") << std::setw(10)
              << p.value("product", "") << " buy " << p.value("target", 0.0) << " conf " << p.value("confidence", 0.0);
    if (verdicts.contains(id))
      std::cout << (verdicts[id].value("approved", false) ? "  approved" : "  rejected " + verdicts[id].dump());
    std::cout << "\n      " << p.value("rationale", "") << "\n";
  }
  for (auto& n : r.value("notes", json::array()))
    std::cout << "  note: " << n.get<std::string>() << "\n";
}

} // namespace trader::ctl

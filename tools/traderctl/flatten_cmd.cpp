#include "tools/traderctl/flatten_cmd.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace trader::ctl {

using nlohmann::json;

void print_flatten(const json& r) {
  std::cout << "flatten " << r.value("product", std::string{"all"}) << ": " << r.value("positions", 0)
            << " position(s), " << r.value("cancelled", 0) << " working order(s) cancelled first"
            << (r.value("dry_run", false) ? " (DRY_RUN: nothing sent)" : "") << "\n";
  if (r.contains("cancel_error"))
    std::cout << "  cancel failed: " << r["cancel_error"].get<std::string>() << "\n";
  for (auto& o : r.value("orders", json::array())) {
    std::cout << "  sell " << o.value("qty", std::string{}) << " " << o.value("product", std::string{});
    if (o.contains("client_order_id"))
      std::cout << "  " << o["client_order_id"].get<std::string>();
    if (o.contains("state"))
      std::cout << "  " << o["state"].get<std::string>();
    if (o.contains("error"))
      std::cout << "  NOT PLACED: " << o["error"].get<std::string>();
    std::cout << "\n";
  }
}

void print_shadow(const json& r) {
  if (!r.value("enabled", false)) {
    std::cout << "shadow mode is off ([execution] shadow_mode = false, or DRY_RUN)\n";
    return;
  }
  std::cout << "shadow (" << r.value("mode", std::string{}) << "): " << r.value("orders", 0) << " order(s), "
            << r.value("compared", 0) << " compared, " << r.value("only_intended", 0) << " filled only in the simulator, "
            << r.value("only_actual", 0) << " only at the venue\n"
            << "  slippage bps (actual vs simulated, + = worse): median " << r.value("slippage_bps_median", 0.0)
            << " mean " << r.value("slippage_bps_mean", 0.0) << "\n"
            << "  first fill delay ms (actual - simulated): median " << r.value("delay_ms_median", 0.0)
            << "   size ratio (actual/simulated): mean " << r.value("size_ratio_mean", 0.0) << "\n";
  for (auto& o : r.value("recent", json::array()))
    std::cout << "  " << o.value("client_order_id", std::string{}) << " " << o.value("side", std::string{}) << " "
              << o.value("product", std::string{}) << "  simulated " << o.value("intended_qty", std::string{}) << " @ "
              << o.value("intended_px", 0.0) << "  actual " << o.value("actual_qty", std::string{}) << " @ "
              << o.value("actual_px", 0.0) << "  " << o.value("slippage_bps", 0.0) << " bps\n";
}

void print_balances(const json& r) {
  if (r.contains("requested")) {
    std::cout << "re-base of " << r["requested"].get<std::string>() << " requested: "
              << r.value("note", std::string{}) << "\n";
    return;
  }
  auto last = r.value("last_check", json::object());
  if (!r.value("baseline_readable", true))
    std::cout << "the stored baseline is unreadable: balances cannot agree (docs/orders.md)\n";
  if (last.empty()) {
    std::cout << "no balance check yet (DRY_RUN, or the first reconcile has not read balances)\n";
  } else {
    std::cout << "balances vs positions: " << (last.value("agreed", false) ? "agree" : "DIFFER")
              << " (tolerance " << r.value("tolerance", std::string{}) << ")\n";
    for (auto& c : last.value("compared", json::array())) {
      std::cout << "  " << c.value("currency", std::string{}) << "  exchange " << c.value("exchange", std::string{})
                << "  outside " << c.value("outside", std::string{}) << "  ledger " << c.value("ledger", std::string{})
                << "  difference " << c.value("difference", std::string{});
      if (!c.value("agrees", true))
        std::cout << (c.value("confirmed", false) ? "  MISMATCH (confirmed)" : "  (unconfirmed)");
      std::cout << "\n";
    }
  }
  for (auto& p : r.value("rebase_pending", json::array()))
    std::cout << "  re-base pending: " << p.get<std::string>() << "\n";
}

void add_flatten_subcommand(CLI::App& app, const call_fn& call, int& rc) {
  static std::string product;
  static std::string reason = "operator flatten";
  auto* f = app.add_subcommand("flatten", "Close long positions with reduce-only market sells (all, or SYMBOL); "
                                          "allowed while the gate is closed, not under the kill switch");
  f->add_option("symbol", product, "Product to flatten, e.g. BTC-USD (default: every position)");
  f->add_option("--reason", reason, "Recorded in the audit log");
  f->callback([&rc, call] {
    json args{{"reason", reason}};
    if (!product.empty())
      args["product"] = product;
    rc = call("flatten", args, print_flatten);
  });
  static std::string rebase;
  static std::string rebase_reason = "operator re-base";
  auto* b = app.add_subcommand("balances", "Base balances on the exchange vs the ledger's positions; --rebase CUR "
                                           "accepts a deposit or withdrawal of a traded currency");
  b->add_option("--rebase", rebase, "Currency whose confirmed difference becomes coins held outside the ledger");
  b->add_option("--reason", rebase_reason, "Recorded in the audit log (with --rebase)");
  b->callback([&rc, call] {
    json args = json::object();
    if (!rebase.empty())
      args = json{{"rebase", rebase}, {"reason", rebase_reason}};
    rc = call("balances", args, print_balances);
  });
  app.add_subcommand("shadow", "Shadow mode: simulated vs actual fill price, time and size of the orders sent")
    ->callback([&rc, call] { rc = call("shadow", json::object(), print_shadow); });
}

} // namespace trader::ctl

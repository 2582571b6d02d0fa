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

void add_flatten_subcommand(CLI::App& app, call_fn call, int& rc) {
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
  app.add_subcommand("shadow", "Shadow mode: simulated vs actual fill price, time and size of the orders sent")
    ->callback([&rc, call] { rc = call("shadow", json::object(), print_shadow); });
}

} // namespace trader::ctl

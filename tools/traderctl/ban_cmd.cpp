#include "tools/traderctl/ban_cmd.hpp"

#include <iostream>

namespace trader::ctl {

namespace {

using nlohmann::json;

void print_ban(const json& r) {
  const auto event = r.value("event", "");
  std::cout << r.value("product", "?") << (event == "ban" ? " banned" : " unbanned");
  if (event == "ban")
    std::cout << " for " << r.value("hours", 0.0) << " h (until " << r.value("until", std::int64_t{0}) / 1'000'000'000
              << " UTC s): " << r.value("reason", "");
  if (event == "ban" && !r.value("persisted", false))
    std::cout << "  [not persisted: the daemon runs without a state store]";
  std::cout << "\n";
}

} // namespace

void add_ban_subcommands(CLI::App& app, const call_fn& call, int& rc) {
  struct args {
    std::string product;
    double hours = 0;
    std::string reason = "operator ban";
  };
  static args ban_args, unban_args;
  auto* ban = app.add_subcommand("ban", "Exclude a product from the universe for some hours (persisted, lifted at expiry)");
  ban->add_option("SYMBOL", ban_args.product, "Product id, e.g. DOGE-USD")->required();
  ban->add_option("--hours", ban_args.hours, "How long, 0 < H <= 8760")->required()->check(CLI::Range(1e-6, 8760.0));
  ban->add_option("--reason", ban_args.reason, "Shown in the exclusion and recorded in the audit log");
  ban->callback([&rc, call] {
    rc = call("ban", json{{"product", ban_args.product}, {"hours", ban_args.hours}, {"reason", ban_args.reason}},
              print_ban);
  });
  auto* unban = app.add_subcommand("unban", "Lift a product's ban now");
  unban->add_option("SYMBOL", unban_args.product, "Product id")->required();
  unban->callback([&rc, call] { rc = call("unban", json{{"product", unban_args.product}}, print_ban); });
}

} // namespace trader::ctl

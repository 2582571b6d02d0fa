#pragma once
// `traderctl smoke`: a read-only check of the configured exchange through the running
// exchange actors — server time (clock skew), products, auth + balances, fee tier, open
// orders, and per streamed product quote freshness, book depth and recent candles. Nothing
// is placed or cancelled. Each check reports ok, a one-line detail and how long it took.

#include "tools/traderd/control_commands.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace trader::daemon {

/// One check's outcome.
struct smoke_check {
  std::string name;
  bool ok = false;
  std::string detail;
  double ms = 0;
};

/// {"ok": all passed, "checks": [{name, ok, detail, ms}, ...]}.
nlohmann::json smoke_json(const std::vector<smoke_check>& checks);

/// Registers "smoke" (runs on its own thread; the actors' replies are awaited there).
void register_smoke_command(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon

#pragma once
// `traderctl flatten [SYMBOL]` and `traderctl shadow` (issue 16; answered by the
// order_lifecycle actor): reduce-only market sells of the long positions, allowed while the
// gate is closed for entries, refused under the kill switch; shadow mode's intended vs actual
// fills. Their own file so main.cpp only wires them.

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace trader::ctl {

/// Sends one control command with its arguments; prints the answer with `human` (or as JSON).
/// Returns the process exit code.
using call_fn = std::function<int(const std::string& cmd, nlohmann::json args, void (*human)(const nlohmann::json&))>;

/// Adds `flatten [SYMBOL] [--reason TEXT]`, `balances [--rebase CUR] [--reason TEXT]` and `shadow`.
void add_flatten_subcommand(CLI::App& app, const call_fn& call, int& rc);

/// Shadow mode: the comparison's summary and the last orders (intended vs actual).
void print_shadow(const nlohmann::json& r);

/// The last balance check per currency, pending re-bases; or a re-base's acknowledgement.
void print_balances(const nlohmann::json& r);

/// What flatten did: positions, cancelled working orders, one line per exit order.
void print_flatten(const nlohmann::json& r);

} // namespace trader::ctl

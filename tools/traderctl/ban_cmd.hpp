#pragma once
// `traderctl ban SYMBOL --hours H [--reason TEXT]` and `traderctl unban SYMBOL` (issue 14):
// temporary bans the universe persists in the state store and lifts at expiry; shown by
// `traderctl universe`.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace trader::ctl {

/// Calls a control command and prints its result (traderctl's call(), bound to its globals).
using call_fn = std::function<int(const std::string& cmd, nlohmann::json args, void (*human)(const nlohmann::json&))>;

/// Adds ban and unban to app; rc receives the exit code.
void add_ban_subcommands(CLI::App& app, const call_fn& call, int& rc);

} // namespace trader::ctl

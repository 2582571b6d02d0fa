#pragma once
// trader::errc: the project's CAF error category ("trader"). Errors are values in actors.

#include <caf/error.hpp>

#include <cstdint>
#include <string>

namespace trader {

/// Error codes of the "trader" category. Zero is never used (empty error = success).
enum class errc : std::uint8_t {
  actor_unavailable = 1,          ///< No live instance registered under the name.
  restart_intensity_exceeded,     ///< A supervisor gave up (escalation).
  start_failed,                   ///< A child's start function threw or returned nothing.
  unknown_child,                  ///< Restart requested for a name the supervisor does not own.
  busy,                           ///< The supervisor is shutting down or halted.
  invalid_argument,
  timeout,
  state_unavailable,              ///< The state store cannot be trusted.
  exchange_error,                 ///< The exchange answered with an error (reason kept).
  transport_error,                ///< Network/TLS failure talking to the exchange.
  rejected,                       ///< Refused by a check (risk, gate, mode).
};

std::string to_string(errc x);

/// The category atom used to register and recognise trader errors.
caf::atom_value errc_category();

caf::error make_error(errc x);
caf::error make_error(errc x, std::string context);

/// True if err belongs to the trader category and has code x.
bool is(const caf::error& err, errc x);

/// Human-readable rendering of any error (safe on an empty error: "none").
std::string describe(const caf::error& err);

} // namespace trader

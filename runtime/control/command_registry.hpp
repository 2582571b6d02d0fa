#pragma once
// The named commands a control server serves; thread-safe. No CAF, no sockets.

#include "runtime/control/protocol.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace trader::control {

/// Answers one request; call it exactly once, from any thread, now or later. Calls after
/// the request timed out or the server stopped are ignored.
using reply_fn = std::function<void(reply)>;

/// Runs a command. Called on the server thread: do not block; hand work to an actor and
/// answer through the reply_fn. An exception becomes an `internal` error reply.
using command_handler = std::function<void(const request&, reply_fn)>;

/// A registered command as listed by `help`.
struct command_info {
  std::string name;
  std::string description;
};

/// One registered command.
struct command_entry {
  std::string description;
  command_handler handler;
  std::chrono::milliseconds timeout{0};  ///< 0: the server's default request timeout.
};

/// Name → command; `help` is built in and cannot be replaced.
class command_registry {
public:
  /// Adds or replaces name (names follow the protocol's [a-z0-9_.-]{1,64}); false for
  /// an invalid name or "help".
  bool add(std::string name, std::string description, command_handler handler,
           std::chrono::milliseconds timeout = std::chrono::milliseconds{0});
  /// Removes name; no-op if absent.
  void remove(const std::string& name);
  /// A copy of name's entry, or nullopt.
  std::optional<command_entry> find(const std::string& name) const;
  /// Every command sorted by name, `help` included.
  std::vector<command_info> list() const;
  /// The result object of `help`: {"commands":[{"name":..,"description":..},...]}.
  nlohmann::json help() const;

private:
  mutable std::mutex mtx_;
  std::map<std::string, command_entry> commands_;
};

} // namespace trader::control

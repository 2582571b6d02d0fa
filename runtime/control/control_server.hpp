#pragma once
// The control socket server: a Unix domain socket (mode 0600) in the runtime directory,
// peer credentials checked on every connection, one poll() thread serving many clients,
// a registry of named commands whose handlers may answer later from any thread.
// No CAF: the control actor owns one control_server and registers commands on it.

#include "runtime/control/command_registry.hpp"
#include "runtime/result.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace trader::control {

/// One audited event: every command served or refused, with the caller.
struct audit_record {
  peer_credentials peer;     ///< Who called.
  std::string cmd;           ///< Command name ("" if the request was unreadable).
  std::int64_t id = 0;       ///< Request id (0 if unreadable).
  bool ok = false;           ///< True when the command answered successfully.
  std::optional<error_code> error;  ///< The error code sent back, if any.
};

/// Receives audit records on the server thread (or the replying thread); must not block.
using audit_fn = std::function<void(const audit_record&)>;

/// How the server listens and limits its clients.
struct server_options {
  std::string socket_path;  ///< e.g. /run/247trader/control.sock; its directory is created 0700.
  std::chrono::milliseconds request_timeout{5000};  ///< Default per-request answer deadline.
  std::chrono::milliseconds idle_timeout{60000};    ///< Close connections silent this long.
  std::size_t max_clients = 32;            ///< Further connections get `unavailable` and close.
  std::size_t max_pending_per_client = 8;  ///< Further requests get `unavailable`.
  audit_fn on_audit;                       ///< Optional audit sink.
};

/// The Unix-socket control server. start() binds and spawns the thread; stop() (or the
/// destructor) closes every connection, removes the socket file and joins.
class control_server {
public:
  explicit control_server(server_options opts);
  ~control_server();
  control_server(const control_server&) = delete;
  control_server& operator=(const control_server&) = delete;

  /// Adds (or replaces) a command; thread-safe, before or after start(). timeout overrides
  /// server_options::request_timeout for this command when non-zero. False for an invalid
  /// name (not [a-z0-9_.-]{1,64}), for "help" (built in) or an empty handler.
  bool register_command(std::string name, std::string description, command_handler handler,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds{0});
  /// Removes a command; requests for it then get unknown_command.
  void unregister_command(const std::string& name);
  /// Every registered command, sorted by name, including the built-in `help`.
  std::vector<command_info> commands() const;

  /// Binds the socket (removing a stale one nobody listens on), sets and verifies mode
  /// 0600, listens and starts serving; or why it cannot.
  result<void, std::string> start();
  /// Stops serving, closes every connection and unlinks the socket file; idempotent.
  void stop();
  /// True between a successful start() and stop().
  bool running() const;
  /// The socket path.
  const std::string& socket_path() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace trader::control

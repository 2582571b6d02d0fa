#pragma once
// Small POSIX helpers for the control socket: safe bind with mode 0600, stale-socket
// detection, SO_PEERCRED and connect with errno. No CAF.

#include "runtime/control/protocol.hpp"
#include "runtime/result.hpp"

#include <string>
#include <sys/types.h>

namespace trader::control {

/// The file identity of a bound socket, so stop() unlinks only our own file.
struct socket_file_id {
  dev_t dev = 0;
  ino_t ino = 0;
};

/// Creates a listening, non-blocking, close-on-exec Unix stream socket at path with mode
/// 0600 owned by this process's euid (set before listen(), then verified). The parent
/// directory is created with mode 0700 if missing. An existing socket file is removed
/// only when nobody accepts connections on it; anything else there is an error.
/// Returns the fd, or why not.
result<int, std::string> listen_unix(const std::string& path, int backlog, socket_file_id& id);

/// Unlinks path if it is still the socket file identified by id.
void unlink_if_same(const std::string& path, const socket_file_id& id);

/// Reads the peer's pid/uid/gid of a connected Unix socket; false on failure.
bool read_peer_credentials(int fd, peer_credentials& out);

/// Connects a blocking, close-on-exec Unix stream socket to path. Returns the fd, or -1
/// with errno preserved (ENOENT: no socket; ECONNREFUSED: stale; EACCES: permissions).
int connect_unix(const std::string& path);

/// True if uid may use the control socket of a daemon running as daemon_uid.
bool peer_allowed(uid_t uid, uid_t daemon_uid);

} // namespace trader::control

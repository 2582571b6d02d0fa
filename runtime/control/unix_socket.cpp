#include "runtime/control/unix_socket.hpp"

#include "runtime/errno_text.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace trader::control {

namespace {

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + trader::errno_text(err); }

/// The socket's own directory must be ours (or root's) and writable by nobody else, so no
/// other user can replace the socket (review row #21); /tmp-like sticky directories pass.
bool private_enough(const std::string& dir, const struct stat& st, std::string& why) {
  bool owner_ok = st.st_uid == ::geteuid() || st.st_uid == 0;
  bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0;
  if (owner_ok && !others_write)
    return true;
  why = "refusing a control socket directory " + dir + " " +
        (owner_ok ? "that other users can write to" : "owned by uid " + std::to_string(st.st_uid)) +
        ": use a private directory (mode 0700, owned by the service user), e.g. RuntimeDirectory=";
  return false;
}

bool make_address(const std::string& path, sockaddr_un& addr, std::string& why) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    why = "socket path is empty or longer than " + std::to_string(sizeof addr.sun_path - 1) + " bytes: " + path;
    return false;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return true;
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// Creates dir (and missing parents) with mode 0700.
bool ensure_directory(const std::string& dir, std::string& why) {
  struct stat st{};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      why = "not a directory: " + dir;
      return false;
    }
    return true;
  }
  if (dir != "/" && dir != "." && !ensure_directory(parent_of(dir), why))
    return false;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    why = errno_text(("mkdir " + dir).c_str(), errno);
    return false;
  }
  return true;
}

/// The socket's directory, once it exists, passes private_enough.
bool socket_dir_private(const std::string& path, std::string& why) {
  auto dir = parent_of(path);
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) {
    why = errno_text(("stat " + dir).c_str(), errno);
    return false;
  }
  return private_enough(dir, st, why);
}

/// Removes a socket file nobody listens on; refuses to touch anything else.
bool clear_stale(const std::string& path, std::string& why) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return true;
    why = errno_text(("stat " + path).c_str(), errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    why = "refusing to replace a file that is not a socket: " + path;
    return false;
  }
  int fd = connect_unix(path);
  if (fd >= 0) {
    ::close(fd);
    why = "another process is already listening on " + path;
    return false;
  }
  if (errno != ECONNREFUSED && errno != ENOENT) {
    why = errno_text(("probe " + path).c_str(), errno);
    return false;
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    why = errno_text(("unlink stale " + path).c_str(), errno);
    return false;
  }
  return true;
}

} // namespace

result<int, std::string> listen_unix(const std::string& path, int backlog, socket_file_id& id) {
  sockaddr_un addr{};
  std::string why;
  if (!make_address(path, addr, why) || !ensure_directory(parent_of(path), why) || !socket_dir_private(path, why) ||
      !clear_stale(path, why))
    return trader::fail(std::move(why));
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return trader::fail(errno_text("socket", errno));
  auto fail = [&](std::string reason) -> result<int, std::string> {
    ::close(fd);
    return trader::fail(std::move(reason));
  };
  // Linux gives the bound file the socket inode's mode (minus umask): restrict it first,
  // then chmod the file before listen() so nobody can connect while it is wider.
  ::fchmod(fd, 0600);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    return fail(errno_text(("bind " + path).c_str(), errno));
  if (::chmod(path.c_str(), 0600) != 0)
    return fail(errno_text(("chmod " + path).c_str(), errno));
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0)
    return fail(errno_text(("stat " + path).c_str(), errno));
  if (!S_ISSOCK(st.st_mode) || (st.st_mode & 07777) != 0600 || st.st_uid != ::geteuid()) {
    ::unlink(path.c_str());
    return fail("control socket " + path + " does not have mode 0600 and our owner after bind");
  }
  if (::listen(fd, backlog) != 0) {
    ::unlink(path.c_str());
    return fail(errno_text("listen", errno));
  }
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  return fd;
}

void unlink_if_same(const std::string& path, const socket_file_id& id) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && st.st_dev == id.dev && st.st_ino == id.ino)
    ::unlink(path.c_str());
}

bool read_peer_credentials(int fd, peer_credentials& out) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred)
    return false;
  out.pid = cred.pid;
  out.uid = cred.uid;
  out.gid = cred.gid;
  return true;
}

int connect_unix(const std::string& path) {
  sockaddr_un addr{};
  std::string why;
  if (!make_address(path, addr, why)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

bool peer_allowed(uid_t uid, uid_t daemon_uid) { return uid == daemon_uid || uid == 0; }

} // namespace trader::control

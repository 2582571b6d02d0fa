#include "runtime/control/control_client.hpp"

#include "runtime/control/unix_socket.hpp"
#include "runtime/errno_text.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace trader::control {

namespace {

using clock_type = std::chrono::steady_clock;

/// Largest response line the client accepts.
constexpr std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;

call_result failed(client_status s, std::string message) {
  call_result r;
  r.status = s;
  r.message = std::move(message);
  return r;
}

int remaining_ms(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

/// Closes fd on every path out of the call.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

std::string_view to_string(client_status s) {
  switch (s) {
    case client_status::ok: return "ok";
    case client_status::not_running: return "not_running";
    case client_status::permission_denied: return "permission_denied";
    case client_status::timeout: return "timeout";
    case client_status::connection_lost: return "connection_lost";
    case client_status::bad_response: return "bad_response";
  }
  return "bad_response";
}

control_client::control_client(std::string socket_path) : path_(std::move(socket_path)) {}

call_result control_client::call(const std::string& cmd, nlohmann::json args, std::chrono::milliseconds timeout) {
  request r;
  r.id = next_id_++;
  r.cmd = cmd;
  r.args = std::move(args);
  auto result = call_raw(serialize(r), timeout);
  if (result.status == client_status::ok && result.resp.id && *result.resp.id != r.id)
    return failed(client_status::bad_response, "response id does not match the request id");
  return result;
}

call_result control_client::call_raw(std::string_view line, std::chrono::milliseconds timeout) {
  auto deadline = clock_type::now() + timeout;
  fd_guard g{connect_unix(path_)};
  if (g.fd < 0) {
    int err = errno;
    if (err == ENOENT)
      return failed(client_status::not_running, "traderd is not running: no control socket at " + path_);
    if (err == ECONNREFUSED)
      return failed(client_status::not_running, "traderd is not running: nobody listens on " + path_);
    if (err == EACCES || err == EPERM)
      return failed(client_status::permission_denied,
                    "permission denied on " + path_ + ": run as the service user or root");
    return failed(client_status::connection_lost, "cannot connect to " + path_ + ": " + trader::errno_text(err));
  }
  // Only the service user (or root) may be the server: a socket another user managed to put
  // in place must not receive our commands nor feed us answers (review row #21).
  ucred peer{};
  socklen_t len = sizeof peer;
  if (::getsockopt(g.fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0)
    return failed(client_status::connection_lost, std::string("SO_PEERCRED on ") + path_ + ": " + trader::errno_text(errno));
  if (peer.uid != ::geteuid() && peer.uid != 0)
    return failed(client_status::permission_denied, "refusing " + path_ + ": its server runs as uid " +
                                                        std::to_string(peer.uid) + ", neither this user nor root");
  std::string out(line);
  out.push_back('\n');
  std::size_t sent = 0;
  while (sent < out.size()) {
    auto n = ::send(g.fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return failed(client_status::connection_lost, std::string("send failed: ") + trader::errno_text(errno));
    sent += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[8192];
  for (;;) {
    auto nl = in.find('\n');
    if (nl != std::string::npos) {
      call_result r;
      std::string why;
      if (!parse_response(std::string_view(in).substr(0, nl), r.resp, why))
        return failed(client_status::bad_response, why);
      return r;
    }
    if (in.size() > max_response_bytes)
      return failed(client_status::bad_response, "response line too long");
    pollfd p{g.fd, POLLIN, 0};
    int ms = remaining_ms(deadline);
    if (ms == 0)
      return failed(client_status::timeout, "no answer from traderd within " + std::to_string(timeout.count()) + " ms");
    int rc = ::poll(&p, 1, ms);
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc == 0)
      continue;  // the deadline check above reports the timeout
    auto n = ::recv(g.fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return failed(client_status::connection_lost, "traderd closed the connection without answering");
    in.append(buf, static_cast<std::size_t>(n));
  }
}

} // namespace trader::control

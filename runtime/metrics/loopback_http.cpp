#include "runtime/metrics/loopback_http.hpp"

#include "runtime/errno_text.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace trader::metrics {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;

struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

http_result fail(std::string why) {
  http_result r;
  r.error = std::move(why);
  return r;
}

int left_ms(clock_type::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
  return ms <= 0 ? 0 : static_cast<int>(std::min<long long>(ms, 1 << 30));
}

/// Waits for events on fd until deadline; false on timeout.
bool wait_for(int fd, short events, clock_type::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int ms = left_ms(deadline);
    if (ms == 0)
      return false;
    int rc = ::poll(&p, 1, ms);
    if (rc > 0)
      return true;
    if (rc < 0 && errno != EINTR)
      return true;  // let the following call report the error
  }
}

int connect_to(const std::string& host, std::uint16_t port, clock_type::time_point deadline, std::string& why) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof *v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof *v6;
  } else {
    why = "not a numeric address: " + host;
    return -1;
  }
  int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::string("socket: ") + trader::errno_text(errno);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 && errno != EINPROGRESS) {
    why = std::string("connect: ") + trader::errno_text(errno);
    ::close(fd);
    return -1;
  }
  if (!wait_for(fd, POLLOUT, deadline)) {
    why = "timeout connecting";
    ::close(fd);
    return -1;
  }
  int err = 0;
  socklen_t el = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
  if (err != 0) {
    why = std::string("connect: ") + trader::errno_text(err);
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// Decodes a chunked body; false if malformed or incomplete.
bool dechunk(std::string_view in, std::string& out) {
  std::size_t pos = 0;
  for (;;) {
    auto eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos)
      return false;
    std::size_t size = 0;
    try {
      size = std::stoul(std::string(in.substr(pos, eol - pos)), nullptr, 16);
    } catch (...) {
      return false;
    }
    pos = eol + 2;
    if (size == 0)
      return true;
    if (pos + size + 2 > in.size())
      return false;
    out.append(in.substr(pos, size));
    pos += size + 2;
  }
}

/// Parses a response; false if malformed or not complete yet.
bool parse_response(const std::string& raw, http_result& r) {
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.rfind("HTTP/1.", 0) != 0)
    return false;
  auto sp = raw.find(' ');
  if (sp == std::string::npos || sp + 4 > raw.size())
    return false;
  r.status = std::atoi(raw.c_str() + sp + 1);
  std::string head = lower(raw.substr(0, head_end));
  std::string_view body(raw);
  body.remove_prefix(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos)
    return dechunk(body, r.body);
  auto cl = head.find("\r\ncontent-length:");
  if (cl != std::string::npos) {
    auto n = static_cast<std::size_t>(std::strtoull(head.c_str() + cl + 17, nullptr, 10));
    if (body.size() < n)
      return false;
    body = body.substr(0, n);
  }
  r.body = std::string(body);
  return true;
}

/// True once raw holds a whole response (by Content-Length or the last chunk).
bool complete(const std::string& raw) {
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos)
    return false;
  std::string head = lower(raw.substr(0, head_end));
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos)
    return raw.size() >= 5 && raw.compare(raw.size() - 5, 5, "0\r\n\r\n") == 0;
  auto cl = head.find("\r\ncontent-length:");
  if (cl == std::string::npos)
    return false;
  auto n = static_cast<std::size_t>(std::strtoull(head.c_str() + cl + 17, nullptr, 10));
  return raw.size() - (head_end + 4) >= n;
}

} // namespace

http_result perform(const http_request& req) {
  auto deadline = clock_type::now() + req.timeout;
  std::string why;
  fd_guard g{connect_to(req.host, req.port, deadline, why)};
  if (g.fd < 0)
    return fail(why);
  std::string host_header = req.host.find(':') != std::string::npos ? "[" + req.host + "]" : req.host;
  std::string out = req.method + " " + req.target + " HTTP/1.1\r\nHost: " + host_header + ":" + std::to_string(req.port)
                    + "\r\nConnection: close\r\nUser-Agent: 247trader\r\n";
  for (const auto& [k, v] : req.headers)
    out += k + ": " + v + "\r\n";
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT")
    out += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
  out += "\r\n";
  out += req.body;
  std::size_t sent = 0;
  while (sent < out.size()) {
    if (!wait_for(g.fd, POLLOUT, deadline))
      return fail("timeout sending");
    auto n = ::send(g.fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return fail(std::string("send: ") + trader::errno_text(errno));
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    if (!wait_for(g.fd, POLLIN, deadline))
      return fail("timeout reading the response");
    auto n = ::recv(g.fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n < 0)
      return fail(std::string("recv: ") + trader::errno_text(errno));
    if (n == 0)
      break;
    raw.append(buf, static_cast<std::size_t>(n));
    if (raw.size() > max_response_bytes)
      return fail("response too large");
    http_result early;
    if (complete(raw) && parse_response(raw, early)) {
      early.ok = true;
      return early;  // the server may keep the connection open despite "close"
    }
  }
  http_result r;
  if (!parse_response(raw, r))
    return fail("malformed or truncated HTTP response");
  r.ok = true;
  return r;
}

http_result http_get(const std::string& host, std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout) {
  http_request req;
  req.host = host;
  req.port = port;
  req.target = path;
  req.timeout = timeout;
  return perform(req);
}

} // namespace trader::metrics

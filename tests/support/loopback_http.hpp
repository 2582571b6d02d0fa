#pragma once
// A loopback HTTP/1.1 server for tests: listens on 127.0.0.1:<any>, one thread, one request
// per connection (head and Content-Length body read whole), each answered by the handler.
// Header-only, no CAF; canned_exchange and webhook_receiver are built on it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <utility>

namespace trader::test_support {

/// A request as the server read it.
struct http_request {
  std::string method;
  std::string target;  ///< Path and query.
  std::string body;
};

/// What the handler answers.
struct http_reply {
  int status = 200;
  std::string body;
  std::string content_type;  ///< Sent when not empty.
};

class loopback_http_server {
public:
  using handler = std::function<http_reply(const http_request&)>;

  /// Starts listening; the handler runs on the server's thread.
  explicit loopback_http_server(handler h) : handler_(std::move(h)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~loopback_http_server() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  loopback_http_server(const loopback_http_server&) = delete;
  loopback_http_server& operator=(const loopback_http_server&) = delete;

  /// "http://127.0.0.1:<port>".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0)
        continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c >= 0) {
        serve(c);
        ::close(c);
      }
    }
  }
  void serve(int c) {
    std::string in;
    char buf[4096];
    std::size_t need = std::string::npos;
    std::size_t head_end = std::string::npos;
    while (need == std::string::npos || in.size() < need) {
      auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0)
        return;
      in.append(buf, static_cast<std::size_t>(n));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        std::size_t cl = 0;
        auto pos = in.find("Content-Length: ");
        if (pos != std::string::npos && pos < head_end)
          cl = std::strtoul(in.c_str() + pos + 16, nullptr, 10);
        need = head_end + 4 + cl;
      }
    }
    http_request r;
    auto sp1 = in.find(' ');
    auto sp2 = in.find(' ', sp1 + 1);
    r.method = in.substr(0, sp1);
    r.target = in.substr(sp1 + 1, sp2 - sp1 - 1);
    r.body = in.substr(head_end + 4);
    const http_reply a = handler_(r);
    std::string resp = "HTTP/1.1 " + std::to_string(a.status) + " X\r\n";
    if (!a.content_type.empty())
      resp += "Content-Type: " + a.content_type + "\r\n";
    resp += "Content-Length: " + std::to_string(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
    ::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
  }

  handler handler_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace trader::test_support

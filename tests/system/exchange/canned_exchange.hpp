#pragma once
// A loopback HTTP server that answers each REST path with a canned JSON body (200), for
// tests that need the exchange to send exactly these bytes (ids simex would not list,
// elements the daemon cannot represent). One thread, one request per connection.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace trader::testing {

class canned_exchange {
public:
  /// bodies: path without query (e.g. "/api/v3/brokerage/products") → body; other paths 404.
  explicit canned_exchange(std::map<std::string, std::string> bodies) : bodies_(std::move(bodies)) {
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
  ~canned_exchange() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  canned_exchange(const canned_exchange&) = delete;
  canned_exchange& operator=(const canned_exchange&) = delete;

  /// "http://127.0.0.1:<port>".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Request targets (path and query) in arrival order.
  std::vector<std::string> targets() {
    std::lock_guard<std::mutex> lock(mtx_);
    return targets_;
  }

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
    std::size_t head_end = std::string::npos;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
      auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0)
        return;
      in.append(buf, static_cast<std::size_t>(n));
    }
    auto sp1 = in.find(' ');
    auto sp2 = in.find(' ', sp1 + 1);
    auto target = in.substr(sp1 + 1, sp2 - sp1 - 1);
    auto path = target.substr(0, target.find('?'));
    std::string body = R"({"error":"NOT_FOUND"})";
    int status = 404;
    {
      std::lock_guard<std::mutex> lock(mtx_);
      targets_.push_back(target);
      if (auto it = bodies_.find(path); it != bodies_.end()) {
        body = it->second;
        status = 200;
      }
    }
    std::string resp = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: "
                       + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    ::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
  }

  std::map<std::string, std::string> bodies_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::mutex mtx_;
  std::vector<std::string> targets_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace trader::testing

#pragma once
// A loopback HTTP receiver for alert-sink tests: answers each POST with the next scripted
// status (then 200) and records what it got.

#include <arpa/inet.h>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace trader::test_support {

/// One request the receiver saw.
struct received_request {
  std::string method;
  std::string target;
  std::string body;
  int answered = 0;  ///< Status code sent back.
};

/// Listens on 127.0.0.1:<any>; one thread, one request per connection.
class webhook_receiver {
public:
  explicit webhook_receiver(std::vector<int> script = {}) : script_(std::move(script)) {
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
  ~webhook_receiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  /// The base URL, e.g. "http://127.0.0.1:40123".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Everything received so far.
  std::vector<received_request> requests() {
    std::lock_guard<std::mutex> lock(mtx_);
    return seen_;
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
    received_request r;
    auto sp1 = in.find(' ');
    auto sp2 = in.find(' ', sp1 + 1);
    r.method = in.substr(0, sp1);
    r.target = in.substr(sp1 + 1, sp2 - sp1 - 1);
    r.body = in.substr(head_end + 4);
    {
      std::lock_guard<std::mutex> lock(mtx_);
      r.answered = next_ < script_.size() ? script_[next_++] : 200;
      seen_.push_back(r);
    }
    std::string resp = "HTTP/1.1 " + std::to_string(r.answered) + " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
  }

  int fd_ = -1;
  unsigned short port_ = 0;
  std::vector<int> script_;
  std::size_t next_ = 0;
  std::mutex mtx_;
  std::vector<received_request> seen_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace trader::test_support

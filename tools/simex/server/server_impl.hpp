#pragma once
// Internals shared by server.cpp (listeners, the step loop), http_conn.cpp, ws_conn.cpp and
// admin.cpp (the admin port). Asio lives here, never in server.hpp.

#include "runtime/net/jwt.hpp"
#include "tools/simex/server/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace spdlog {
class logger;
}

namespace trader::simex::transport {

/// A live WebSocket connection as the fan-out sees it.
class ws_peer {
public:
  virtual ~ws_peer() = default;
  /// Delivers this step's events (and, when tick, the per-second frames).
  virtual void step(ts_ns now, bool tick, mono_ns mono) = 0;
  /// Abortive close (the ws drop fault).
  virtual void drop() = 0;
  /// Burns a sequence number (the sequence-gap fault).
  virtual void gap() = 0;
  /// Benchmark helper: streams n synthetic l2_data frames of about size bytes, as fast as
  /// the socket takes them (POST /ws/flood).
  virtual void flood(std::uint64_t n, std::size_t size) = 0;
};

/// simex's clock: real, accelerated or stepped.
class sim_clock {
public:
  sim_clock(clock_mode mode, double speed, std::int64_t start_s);
  ts_ns now() const;
  /// Stepped mode: moves time forward by d ns.
  void advance(std::int64_t d) { stepped_ += d; }
  clock_mode mode() const { return mode_; }

private:
  clock_mode mode_;
  double speed_;
  ts_ns start_wall_;
  mono_ns start_mono_;
  std::atomic<ts_ns> stepped_;
};

/// Counters the admin port reports.
struct server_stats {
  std::uint64_t http_connections = 0;
  std::uint64_t ws_connections = 0;
  std::uint64_t ws_open = 0;
  std::uint64_t rest_requests = 0;
  std::uint64_t admin_requests = 0;
  std::uint64_t ws_frames_in = 0;
  std::uint64_t ws_frames_out = 0;
  std::uint64_t ws_slow_disconnects = 0;
  std::uint64_t ws_deadline_disconnects = 0;
  std::map<int, std::uint64_t> by_status;
  std::map<std::string, std::uint64_t, std::less<>> auth_rejected;  ///< by jwt_status
  std::map<std::string, std::uint64_t, std::less<>> by_key;         ///< private requests
  std::map<std::string, std::uint64_t, std::less<>> faults;         ///< applied, by kind
};

mono_ns mono_now();

struct server::impl {
  impl(server_config c, std::unique_ptr<backend> b);
  /// Connections still owned by pending handlers die with ioc, after other members:
  /// `closing` tells them not to touch the server any more.
  ~impl() {
    closing = true;
    hung.clear();
  }

  server_config cfg;
  std::unique_ptr<backend> be;
  boost::asio::io_context ioc{1};
  std::optional<boost::asio::ssl::context> tls;
  boost::asio::ip::tcp::acceptor rest_acc{ioc}, ws_acc{ioc}, admin_acc{ioc};
  boost::asio::steady_timer ticker{ioc};
  net::jwt_verifier verifier;
  sim_clock clock;
  std::shared_ptr<spdlog::logger> log;
  server_stats stats;
  bound_ports ports;
  std::uint64_t next_conn_id = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<ws_peer>> ws_peers;
  std::vector<std::shared_ptr<void>> hung;  ///< no_answer connections, kept open
  std::int64_t last_second = -1;
  bool closing = false;
  struct window {
    std::int64_t second = 0;
    int count = 0;
  };
  std::unordered_map<std::string, window> rate_windows;

  void accept(boost::asio::ip::tcp::acceptor& acc, bool admin);
  void schedule_tick();
  /// Runs the backend to now and fans its events out; tick adds per-second frames. While the
  /// fault plan stalls the feed, no connection is stepped.
  void step_all(bool force_tick);
  /// Closes the listeners and stops the event loop (from the loop's thread).
  void shut_down();
  /// The admin port's request; answers into out.
  void handle_admin(const request_view& req, reply& out);
  /// Keeps a no_answer connection open (bounded).
  void hold_unanswered(std::shared_ptr<void> c);
  /// True (and counts it) when key exceeded cfg.rate_limit_per_s this second.
  bool over_rate_limit(std::string_view key, ts_ns now);
  std::string stats_json() const;
};

} // namespace trader::simex::transport

// simex transport throughput on loopback: the real simex binary as a child process, driven
// by a lean raw-socket client (one thread, asio) so that the client costs less than the
// server it measures.
//  - simex_rest_req_per_s: GET /api/v3/brokerage/time over N keep-alive connections;
//  - simex_rest_order_roundtrips_per_s: JWT-authenticated POST /orders (limit, post-only)
//    + POST /orders/batch_cancel pairs;
//  - simex_ws_msg_per_s: l2_data-sized frames fanned out to M WebSocket connections
//    (admin POST /ws/flood), counted by the client frame by frame.
// Each rate is also given per CPU-second of the simex process (*_per_server_cpu_s): the
// machine is shared, so that figure says what one core of simex sustains.
// Bounded: about 12 s. Last stdout line: one flat JSON object.

#include "runtime/net/jwt.hpp"
#include "runtime/net/test_pki.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct child {
  pid_t pid = -1;
  int rest = 0, ws = 0, admin = 0;
};

child start_simex(const std::vector<std::string>& args) {
  int out[2];
  if (::pipe(out) != 0)
    std::exit(1);
  child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    std::vector<std::string> a = args;
    std::vector<char*> argv;
    std::string bin = SIMEX_BIN;
    argv.push_back(bin.data());
    for (auto& s : a)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char ch;
  while (::read(out[0], &ch, 1) == 1 && ch != '\n')
    line += ch;
  ::close(out[0]);
  auto num = [&](const char* key) {
    auto p = line.find(key);
    return p == std::string::npos ? 0 : std::atoi(line.c_str() + p + std::strlen(key) + 1);
  };
  c.rest = num("\"rest_port\"");
  c.ws = num("\"ws_port\"");
  c.admin = num("\"admin_port\"");
  if (!c.rest) {
    std::fprintf(stderr, "simex did not start: %s\n", line.c_str());
    std::exit(1);
  }
  return c;
}

/// utime + stime of a process, seconds.
double process_cpu_s(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = stat.rfind(')');
  std::istringstream fields(stat.substr(p + 2));
  std::string f;
  double ut = 0, st = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14)
      ut = std::stod(f);
    if (i == 15)
      st = std::stod(f);
  }
  return (ut + st) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// One keep-alive HTTP connection issuing requests back to back.
class http_conn : public std::enable_shared_from_this<http_conn> {
public:
  using next_fn = std::function<void(std::string& request, std::string_view last_body)>;
  http_conn(asio::io_context& ioc, int port, next_fn next, std::uint64_t& done, const bool& stop)
    : sock_(ioc), next_(std::move(next)), done_(done), stop_(stop) {
    sock_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    sock_.set_option(tcp::no_delay(true));
    buf_.resize(1 << 16);
  }
  void start() { send({}); }

private:
  void send(std::string_view last_body) {
    if (stop_)
      return;
    next_(req_, last_body);
    asio::async_write(sock_, asio::buffer(req_), [self = shared_from_this()](auto ec, std::size_t) {
      if (!ec)
        self->read();
    });
  }
  void read() {
    sock_.async_read_some(asio::buffer(buf_.data() + len_, buf_.size() - len_),
                          [self = shared_from_this()](auto ec, std::size_t n) {
                            if (ec)
                              return;
                            self->len_ += n;
                            self->parse();
                          });
  }
  void parse() {
    std::string_view data(buf_.data(), len_);
    auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos)
      return read();
    auto cl = data.find("Content-Length: ");
    std::size_t body = cl < end ? std::strtoul(data.data() + cl + 16, nullptr, 10) : 0;
    if (len_ < end + 4 + body)
      return read();
    ++done_;
    body_.assign(data.substr(end + 4, body));
    auto used = end + 4 + body;
    std::memmove(buf_.data(), buf_.data() + used, len_ - used);
    len_ -= used;
    send(body_);
  }
  tcp::socket sock_;
  next_fn next_;
  std::uint64_t& done_;
  const bool& stop_;
  std::string req_, body_;
  std::vector<char> buf_;
  std::size_t len_ = 0;
};

struct rate {
  double wall = 0, server_cpu = 0;
};

/// Runs conns connections for seconds; returns completed requests per second.
rate run_http(const child& sx, int conns, double seconds, const std::function<http_conn::next_fn(int)>& make) {
  asio::io_context ioc{1};
  std::uint64_t done = 0;
  bool stop = false;
  std::vector<std::shared_ptr<http_conn>> cs;
  for (int i = 0; i < conns; ++i)
    cs.push_back(std::make_shared<http_conn>(ioc, sx.rest, make(i), done, stop));
  asio::steady_timer t(ioc);
  t.expires_after(std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds)));
  t.async_wait([&](auto) {
    stop = true;
    ioc.stop();
  });
  auto cpu0 = process_cpu_s(sx.pid);
  auto t0 = clock_type::now();
  for (auto& c : cs)
    c->start();
  ioc.run();
  double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  double cpu = process_cpu_s(sx.pid) - cpu0;
  return {static_cast<double>(done) / wall, cpu > 0 ? static_cast<double>(done) / cpu : 0};
}

std::string http_post(int port, const std::string& target, const std::string& body) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body;
  asio::write(s, asio::buffer(req));
  std::string out;
  boost::system::error_code ec;
  char b[4096];
  while (auto n = s.read_some(asio::buffer(b), ec))
    out.append(b, n);
  return out;
}

/// M WebSocket connections; the server floods them; the client counts frames.
rate run_ws(const child& sx, int conns, std::uint64_t per_conn, double max_seconds, std::size_t frame_size) {
  asio::io_context ioc{1};
  struct wsc {
    tcp::socket sock;
    std::vector<char> buf = std::vector<char>(1 << 18);
    std::size_t len = 0;
    std::uint64_t frames = 0;
  };
  std::vector<std::unique_ptr<wsc>> ws;
  for (int i = 0; i < conns; ++i) {
    auto c = std::make_unique<wsc>(wsc{tcp::socket(ioc)});
    c->sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(sx.ws)));
    std::string up = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    asio::write(c->sock, asio::buffer(up));
    std::string resp;
    char ch;
    while (resp.find("\r\n\r\n") == std::string::npos && asio::read(c->sock, asio::buffer(&ch, 1)))
      resp += ch;
    // a masked subscribe (mask 0) keeps the subscribe deadline happy
    std::string sub = R"({"type":"subscribe","channel":"heartbeats"})";
    std::string frame{static_cast<char>(0x81), static_cast<char>(0x80 | sub.size()), 0, 0, 0, 0};
    frame += sub;
    asio::write(c->sock, asio::buffer(frame));
    ws.push_back(std::move(c));
  }
  std::uint64_t total = 0;
  const std::uint64_t want = per_conn * static_cast<std::uint64_t>(conns);
  std::function<void(wsc&)> read = [&](wsc& c) {
    c.sock.async_read_some(asio::buffer(c.buf.data() + c.len, c.buf.size() - c.len), [&](auto ec, std::size_t n) {
      if (ec)
        return;
      c.len += n;
      std::size_t pos = 0;
      while (c.len - pos >= 2) {
        auto b1 = static_cast<std::uint8_t>(c.buf[pos + 1]) & 0x7F;
        std::size_t hdr = 2, plen = b1;
        if (b1 == 126) {
          if (c.len - pos < 4)
            break;
          plen = (static_cast<std::uint8_t>(c.buf[pos + 2]) << 8) | static_cast<std::uint8_t>(c.buf[pos + 3]);
          hdr = 4;
        } else if (b1 == 127) {
          break;  // not produced by the flood
        }
        if (c.len - pos < hdr + plen)
          break;
        pos += hdr + plen;
        ++c.frames;
        ++total;
      }
      std::memmove(c.buf.data(), c.buf.data() + pos, c.len - pos);
      c.len -= pos;
      if (total >= want)
        ioc.stop();
      else
        read(c);
    });
  };
  for (auto& c : ws)
    read(*c);
  asio::steady_timer t(ioc);
  t.expires_after(std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(max_seconds)));
  t.async_wait([&](auto) { ioc.stop(); });
  ioc.poll();  // acks
  auto cpu0 = process_cpu_s(sx.pid);
  auto t0 = clock_type::now();
  auto base = total;
  http_post(sx.admin, "/ws/flood",
            "{\"messages\":" + std::to_string(per_conn) + ",\"size\":" + std::to_string(frame_size) + "}");
  ioc.run();
  double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  double cpu = process_cpu_s(sx.pid) - cpu0;
  double n = static_cast<double>(total - base);
  return {n / wall, cpu > 0 ? n / cpu : 0};
}

} // namespace

int main() {
  std::signal(SIGPIPE, SIG_IGN);
  auto dir = std::filesystem::temp_directory_path() / ("bench_simex_server_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string key_name = "organizations/bench/apiKeys/bench";
  auto key = *trader::net::api_key::from_pem(key_name, trader::net::testing::generate_ec_key_pem());
  trader::net::testing::write_file((dir / "bench.pub.pem").string(), key.public_key_pem());
  auto sx = start_simex({"--log-file", "-", "--api-key", key_name + "=" + (dir / "bench.pub.pem").string()});

  const int rest_conns = 8;
  auto rest = run_http(sx, rest_conns, 4.0, [](int) {
    return [](std::string& req, std::string_view) {
      if (req.empty())
        req = "GET /api/v3/brokerage/time HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    };
  });
  std::printf("rest GET /time: %.0f req/s wall, %.0f req per simex CPU-second\n", rest.wall, rest.server_cpu);

  // Order round trips: create (post-only, far from the market) then cancel it. The JWT of
  // each path is signed once and reused within its 120 s life (simex caches verified
  // signatures; every request still has exp/nbf/uri checked).
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto host = "127.0.0.1:" + std::to_string(sx.rest);
  auto jwt_create = trader::net::sign_rest_jwt(key, "POST", host, "/api/v3/brokerage/orders", now);
  auto jwt_cancel = trader::net::sign_rest_jwt(key, "POST", host, "/api/v3/brokerage/orders/batch_cancel", now);
  const int order_conns = 4;
  auto orders = run_http(sx, order_conns, 3.0, [&](int conn) {
    return [&, conn, n = std::uint64_t{0}, creating = true](std::string& req, std::string_view last) mutable {
      std::string body;
      std::string_view path;
      const std::string* jwt;
      if (creating) {
        body = R"({"client_order_id":"b)" + std::to_string(conn) + "-" + std::to_string(n++)
               + R"(","product_id":"BTC-USD","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"1000.00","post_only":true}}})";
        path = "/api/v3/brokerage/orders";
        jwt = &jwt_create;
      } else {
        auto p = last.find("\"order_id\":\"");
        body = R"({"order_ids":[")" + std::string(p == std::string_view::npos ? "none" : last.substr(p + 12, 36)) + "\"]}";
        path = "/api/v3/brokerage/orders/batch_cancel";
        jwt = &jwt_cancel;
      }
      creating = !creating;
      req = "POST " + std::string(path) + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + *jwt
            + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    };
  });
  std::printf("rest order create+cancel: %.0f req/s wall, %.0f req per simex CPU-second\n", orders.wall,
              orders.server_cpu);

  const int ws_conns = 4;
  auto ws = run_ws(sx, ws_conns, 1'000'000, 4.0, 300);
  std::printf("ws flood (300-byte l2_data frames, %d connections): %.0f msg/s wall, %.0f msg per simex CPU-second\n",
              ws_conns, ws.wall, ws.server_cpu);

  ::kill(sx.pid, SIGTERM);
  int status = 0;
  ::waitpid(sx.pid, &status, 0);
  std::filesystem::remove_all(dir);
  std::printf("{\"simex_rest_req_per_s\": %.0f, \"simex_rest_req_per_server_cpu_s\": %.0f, "
              "\"simex_rest_order_roundtrips_per_s\": %.0f, \"simex_rest_order_reqs_per_server_cpu_s\": %.0f, "
              "\"simex_ws_msg_per_s\": %.0f, \"simex_ws_msg_per_server_cpu_s\": %.0f}\n",
              rest.wall, rest.server_cpu, orders.wall / 2, orders.server_cpu, ws.wall, ws.server_cpu);
  return 0;
}

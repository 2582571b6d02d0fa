// The server: listeners, TLS set-up, the step loop that moves the market and fans its events
// out to the WebSocket connections, the clock, the request log. Connections live in
// http_conn.cpp and ws_conn.cpp, the admin port in admin.cpp.
#include "tools/simex/server/server.hpp"

#include "tools/simex/server/connection.hpp"
#include "tools/simex/server/faults.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace trader::simex::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

mono_ns mono_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

ts_ns wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& file) {
  spdlog::sink_ptr sink;
  if (file == "-")
    sink = std::make_shared<spdlog::sinks::null_sink_st>();
  else if (file.empty())
    sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  else
    sink = std::make_shared<spdlog::sinks::basic_file_sink_st>(file);
  auto log = std::make_shared<spdlog::logger>("simex", sink);
  log->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%fZ level=%l %v", spdlog::pattern_time_type::utc);
  log->set_level(file == "-" ? spdlog::level::off : spdlog::level::info);
  log->flush_on(spdlog::level::warn);
  return log;
}

} // namespace

// -- clock ------------------------------------------------------------------------------

sim_clock::sim_clock(clock_mode mode, double speed, std::int64_t start_s)
  : mode_(mode), speed_(speed), start_wall_(start_s > 0 ? start_s * ns_per_s : wall_now()),
    start_mono_(mono_now()), stepped_(start_wall_) {}

ts_ns sim_clock::now() const {
  switch (mode_) {
    case clock_mode::real:
      return wall_now();
    case clock_mode::accelerated:
      return start_wall_ + static_cast<ts_ns>(static_cast<double>(mono_now() - start_mono_) * speed_);
    case clock_mode::stepped:
      return stepped_.load();
  }
  return wall_now();
}

// -- server -----------------------------------------------------------------------------

std::string bound_ports::to_json(bool tls) const {
  return "{\"event\":\"listening\",\"rest_port\":" + std::to_string(rest) + ",\"ws_port\":" + std::to_string(ws)
         + ",\"admin_port\":" + std::to_string(admin) + ",\"tls\":" + (tls ? "true" : "false") + "}";
}

server::impl::impl(server_config c, std::unique_ptr<backend> b)
  : cfg(std::move(c)), be(std::move(b)),
    verifier(net::jwt_verify_options{.skew_s = cfg.jwt_skew_s, .extra_hosts = cfg.jwt_hosts}),
    clock(cfg.clock, cfg.speed, cfg.start_time_s), log(make_logger(cfg.log_file)) {}

server::server(server_config cfg, std::unique_ptr<backend> be)
  : impl_(std::make_unique<impl>(std::move(cfg), std::move(be))) {}

server::~server() = default;

bound_ports server::start() {
  auto& s = *impl_;
  for (const auto& k : s.cfg.api_keys) {
    auto pub = net::public_key::from_pem(k.name, read_text_file(k.public_key_file));
    if (!pub)
      throw std::runtime_error("api key " + k.name + ": " + pub.error());
    s.verifier.add_key(std::move(*pub));
  }
  std::optional<std::vector<fault_rule>> admin_faults;
  if (!s.cfg.faults_file.empty()) {
    std::string err;
    admin_faults = parse_fault_specs(read_text_file(s.cfg.faults_file), err);
    if (!admin_faults)
      throw std::runtime_error(s.cfg.faults_file + ": " + err);
  }
  std::optional<fault_plan> scenario;
  if (!s.cfg.scenario_file.empty()) {
    std::string err;
    scenario = fault_plan::from_toml(read_text_file(s.cfg.scenario_file), err);
    if (!scenario)
      throw std::runtime_error(s.cfg.scenario_file + ": " + err);
  }
  if (s.cfg.tls_cert.empty() != s.cfg.tls_key.empty())
    throw std::runtime_error("--tls-cert and --tls-key go together");
  if (!s.cfg.tls_cert.empty()) {
    s.tls.emplace(asio::ssl::context::tls_server);
    s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                       | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                       | asio::ssl::context::no_tlsv1_1);
    s.tls->use_certificate_chain_file(s.cfg.tls_cert);
    s.tls->use_private_key_file(s.cfg.tls_key, asio::ssl::context::pem);
  }
  auto listen = [&](tcp::acceptor& acc, const std::string& addr, std::uint16_t port) {
    tcp::endpoint ep(asio::ip::make_address(addr), port);
    acc.open(ep.protocol());
    acc.set_option(asio::socket_base::reuse_address(true));
    acc.bind(ep);
    acc.listen(asio::socket_base::max_listen_connections);
    return acc.local_endpoint().port();
  };
  s.ports.rest = listen(s.rest_acc, s.cfg.bind_address, s.cfg.port);
  s.ports.ws = listen(s.ws_acc, s.cfg.bind_address, s.cfg.ws_port);
  s.ports.admin = listen(s.admin_acc, "127.0.0.1", s.cfg.admin_port);
  s.step_all(true);  // the market exists before the first request
  if (scenario)
    s.be->faults().load_scenario(std::move(*scenario), s.clock.now());
  for (auto& f : admin_faults.value_or(std::vector<fault_rule>{}))
    s.be->faults().install(std::move(f), s.clock.now());
  s.accept(s.rest_acc, false);
  s.accept(s.ws_acc, false);
  s.accept(s.admin_acc, true);
  s.schedule_tick();
  s.log->info("event=listening rest_port={} ws_port={} admin_port={} tls={} keys={} clock={}", s.ports.rest,
              s.ports.ws, s.ports.admin, s.tls.has_value(), s.verifier.key_count(), static_cast<int>(s.cfg.clock));
  return s.ports;
}

void server::run() {
  impl_->ioc.run();
  impl_->log->flush();
}

void server::stop() {
  asio::post(impl_->ioc, [s = impl_.get()] { s->shut_down(); });
}

void server::impl::shut_down() {
  beast::error_code ec;
  rest_acc.close(ec);
  ws_acc.close(ec);
  admin_acc.close(ec);
  ticker.cancel();
  ioc.stop();
}

void server::impl::accept(tcp::acceptor& acc, bool admin) {
  acc.async_accept([this, &acc, admin](beast::error_code ec, tcp::socket sock) {
    if (ec) {
      if (ec != asio::error::operation_aborted && acc.is_open())
        accept(acc, admin);
      return;
    }
    ++stats.http_connections;
    beast::error_code ignored;
    sock.set_option(tcp::no_delay(true), ignored);
    if (tls && !admin)
      serve_http(*this, tls_stream(beast::tcp_stream(std::move(sock)), *tls), false);
    else
      serve_http(*this, plain_stream(std::move(sock)), admin);
    accept(acc, admin);
  });
}

void server::impl::schedule_tick() {
  ticker.expires_after(std::chrono::milliseconds(cfg.tick_ms));
  ticker.async_wait([this](beast::error_code ec) {
    if (ec)
      return;
    step_all(false);
    schedule_tick();
  });
}

void server::impl::step_all(bool force_tick) {
  auto now = clock.now();
  auto mono = mono_now();
  be->step(now);
  auto second = now / ns_per_s;
  bool tick = force_tick || second != last_second;
  last_second = second;
  bool stale = be->faults().feed_stalled(now);
  for (auto it = ws_peers.begin(); it != ws_peers.end();) {
    auto peer = it->second.lock();
    ++it;  // step() may close and erase its own entry only via the destructor, later
    if (peer && !stale)
      peer->step(now, tick, mono);
  }
  if (tick)
    log->flush();
}

void server::impl::hold_unanswered(std::shared_ptr<void> c) {
  if (hung.size() >= 1024)  // bounded: the oldest unanswered connection is closed
    hung.erase(hung.begin());
  hung.push_back(std::move(c));
}

bool server::impl::over_rate_limit(std::string_view key, ts_ns now) {
  if (cfg.rate_limit_per_s <= 0)
    return false;
  auto& w = rate_windows[std::string(key)];
  auto second = mono_now() / ns_per_s;
  if (w.second != second) {
    w.second = second;
    w.count = 0;
  }
  return ++w.count > cfg.rate_limit_per_s;
}

} // namespace trader::simex::transport

#include "tools/simex/server/server.hpp"

#include "tools/simex/server/server_impl.hpp"
#include "tools/simex/server/ws_frame.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace trader::simex::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

mono_ns mono_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

namespace {

ts_ns wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr std::size_t ws_max_frame = 1u << 20;

// -- one TCP connection: HTTP/1.1 keep-alive, then possibly WebSocket --------------------

template <class Stream>
class conn final : public ws_peer, public std::enable_shared_from_this<conn<Stream>> {
public:
  conn(server::impl& srv, Stream stream, bool admin)
    : srv_(srv), stream_(std::move(stream)), admin_(admin), delay_(srv.ioc), id_(srv.next_conn_id++) {}

  ~conn() override {
    if (ws_ && !srv_.closing) {
      srv_.ws_peers.erase(id_);
      --srv_.stats.ws_open;
    }
  }

  void start() {
    if constexpr (std::is_same_v<Stream, tls_stream>) {
      lowest().expires_after(std::chrono::seconds(10));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) {
                                  self->srv_.log->info("event=tls_handshake_failed conn={} error=\"{}\"",
                                                       self->id_, ec.message());
                                  return;
                                }
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

  // -- ws_peer ------------------------------------------------------------------------
  void step(ts_ns now, bool tick, mono_ns mono) override {
    if (closing_)
      return;
    if (tick && !ws_->has_subscribed()
        && mono - ws_opened_ > std::int64_t{srv_.cfg.subscribe_deadline_ms} * ns_per_ms) {
      ++srv_.stats.ws_deadline_disconnects;
      srv_.log->info("event=ws_subscribe_deadline conn={}", id_);
      close_ws(1008);
      return;
    }
    out_.clear();
    ws_->on_events(now, out_);
    if (tick)
      ws_->on_tick(now, out_);
    send_frames();
    if (ws_->wants_close())
      drop();
  }
  void drop() override {
    srv_.log->info("event=ws_drop conn={}", id_);
    abort();
  }
  void gap() override { ws_->skip_sequence(); }
  void flood(std::uint64_t n, std::size_t size) override {
    flood_left_ += n;
    flood_suffix_ = R"(,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid",)"
                    R"("event_time":"2026-11-21T18:00:00.000000Z","price_level":"68900.01","new_quantity":"0.50000000"}]}]})";
    std::size_t base = 120 + flood_suffix_.size();
    if (size > base)
      flood_suffix_.insert(flood_suffix_.size() - 1, std::string(",\"pad\":\"") + std::string(size - base, 'x') + "\"");
    refill();
  }

private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read_request() {
    parser_.emplace();
    parser_->body_limit(4u << 20);
    parser_->header_limit(64u << 10);
    lowest().expires_after(std::chrono::milliseconds(srv_.cfg.idle_timeout_ms));
    http::async_read(stream_, buf_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_request(ec);
                     });
  }

  void on_request(beast::error_code ec) {
    if (ec) {
      if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted
          && ec != beast::error::timeout && ec != asio::error::connection_reset)
        srv_.log->debug("event=read_error conn={} error=\"{}\"", id_, ec.message());
      shutdown();
      return;
    }
    auto& req = parser_->get();
    if (!admin_ && beast::websocket::is_upgrade(req)) {
      upgrade();
      return;
    }
    started_ = mono_now();
    auto target = std::string_view(req.target().data(), req.target().size());
    auto q = target.find('?');
    view_ = request_view{};
    view_.method = std::string_view(req.method_string().data(), req.method_string().size());
    view_.path = target.substr(0, q);
    view_.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    view_.body = req.body();
    rep_.clear();
    if (admin_) {
      ++srv_.stats.admin_requests;
      srv_.handle_admin(view_, rep_);
      log_request("-", "admin", "none");
      write_reply();
      return;
    }
    ++srv_.stats.rest_requests;
    fault_ = srv_.faults.take(view_.method, view_.path, started_);
    if (fault_) {
      ++srv_.stats.faults[to_string(fault_->kind)];
      switch (fault_->kind) {
        case fault_kind::http_429:
          answer_429(fault_->rate_limit, fault_->retry_after_s);
          log_request("-", "skipped", "http_429");
          write_reply();
          return;
        case fault_kind::http_5xx:
          rep_.status = fault_->status;
          rep_.body = R"({"error":"INTERNAL","error_details":"simex injected fault","message":"simex injected fault"})";
          log_request("-", "skipped", "http_5xx");
          write_reply();
          return;
        case fault_kind::reset:
          log_request("-", "skipped", "reset");
          abort();
          return;
        case fault_kind::no_answer:
          log_request("-", "skipped", "no_answer");
          lowest().expires_never();
          srv_.hold_unanswered(this->shared_from_this());
          return;
        case fault_kind::latency:
          delay_.expires_after(std::chrono::milliseconds(fault_->latency_ms));
          delay_.async_wait([self = this->shared_from_this()](beast::error_code e) {
            if (!e)
              self->process();
          });
          return;
        case fault_kind::drop_reply:
        case fault_kind::ws_stale:
          break;
      }
    } else {
      action_.act = transport_action::kind::pass;
      srv_.be->rest_fault(view_.method, view_.path, srv_.clock.now(), action_);
      if (apply_backend_fault())
        return;
    }
    process();
  }

  /// The engine fault plan's decision; true when the request is finished with.
  bool apply_backend_fault() {
    using k = transport_action::kind;
    switch (action_.act) {
      case k::pass:
        return false;
      case k::respond:
        ++srv_.stats.faults["engine_respond"];
        rep_.status = action_.status;
        rep_.body = action_.body;
        rep_.headers = action_.headers;
        for (const auto& [name, value] : rep_.headers)
          if (name == "Content-Type" || name == "content-type")
            rep_.content_type = value;
        log_request("-", "skipped", "engine_respond");
        write_reply();
        return true;
      case k::delay:
        ++srv_.stats.faults["engine_delay"];
        delay_.expires_after(std::chrono::nanoseconds(action_.delay_ns));
        delay_.async_wait([self = this->shared_from_this()](beast::error_code e) {
          if (!e)
            self->process();
        });
        return true;
      case k::reset:
        ++srv_.stats.faults["engine_reset"];
        log_request("-", "skipped", "engine_reset");
        abort();
        return true;
      case k::no_answer:
        ++srv_.stats.faults["engine_no_answer"];
        log_request("-", "skipped", "engine_no_answer");
        lowest().expires_never();
        srv_.hold_unanswered(this->shared_from_this());
        return true;
      case k::drop_reply:
        ++srv_.stats.faults["engine_drop_reply"];
        return false;  // processed, then dropped in process()
    }
    return false;
  }

  /// Authenticates, rate-limits and asks the backend; then answers (or drops the answer).
  void process() {
    auto& req = parser_->get();
    auto now = srv_.clock.now();
    std::string key;
    const char* auth = "public";
    if (srv_.be->requires_auth(view_.path)) {
      auto authz = req[http::field::authorization];
      auto host = req[http::field::host];
      auto check = srv_.verifier.verify_rest(std::string_view(authz.data(), authz.size()), view_.method,
                                             std::string_view(host.data(), host.size()), view_.path,
                                             wall_now());
      if (!check.ok()) {
        auth = net::to_string(check.status);
        ++srv_.stats.auth_rejected[auth];
        rep_.status = 401;
        rep_.content_type = "text/plain";
        rep_.body = "Unauthorized";
        rep_.headers.emplace_back("x-simex-auth-error", auth);
        log_request(check.key_name, auth, "none", check.detail);
        write_reply();
        return;
      }
      auth = "ok";
      key = std::move(check.key_name);
      ++srv_.stats.by_key[key];
      if (srv_.over_rate_limit(key, now)) {
        answer_429(srv_.cfg.rate_limit_per_s, 1);
        log_request(key, auth, "rate_limit");
        write_reply();
        return;
      }
    }
    view_.key_name = key;
    srv_.be->handle(view_, now, rep_);
    if ((fault_ && fault_->kind == fault_kind::drop_reply)
        || (!fault_ && action_.act == transport_action::kind::drop_reply)) {
      log_request(key, auth, "drop_reply");
      abort();
      return;
    }
    log_request(key, auth, fault_ ? to_string(fault_->kind) : "none");
    write_reply();
  }

  void answer_429(int limit, int retry_after_s) {
    auto reset_s = wall_now() / ns_per_s + retry_after_s;
    rep_.status = 429;
    rep_.body = R"({"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]})";
    rep_.headers.emplace_back("x-ratelimit-limit", std::to_string(limit));
    rep_.headers.emplace_back("x-ratelimit-remaining", "0");
    rep_.headers.emplace_back("x-ratelimit-reset", std::to_string(reset_s));
    rep_.headers.emplace_back("retry-after", std::to_string(retry_after_s));
  }

  void log_request(std::string_view key, std::string_view auth, std::string_view fault,
                   std::string_view detail = {}) {
    ++srv_.stats.by_status[rep_.status];
    if (!srv_.log->should_log(spdlog::level::info))
      return;
    auto dur_us = (mono_now() - started_) / ns_per_us;
    if (detail.empty())
      srv_.log->info("event=http conn={} method={} path={} status={} key={} auth={} fault={} dur_us={}", id_,
                     view_.method, view_.path, rep_.status, key.empty() ? "-" : key, auth, fault, dur_us);
    else
      srv_.log->info("event=http conn={} method={} path={} status={} key={} auth={} fault={} dur_us={} "
                     "detail=\"{}\"",
                     id_, view_.method, view_.path, rep_.status, key.empty() ? "-" : key, auth, fault, dur_us,
                     detail);
  }

  void write_reply() {
    auto& req = parser_->get();
    res_.clear();
    res_.result(static_cast<unsigned>(rep_.status));
    res_.version(11);
    res_.set(http::field::server, "simex");
    res_.set(http::field::content_type, rep_.content_type);
    for (const auto& [name, value] : rep_.headers)
      res_.set(name, value);
    res_.keep_alive(req.keep_alive());
    res_.body().swap(rep_.body);
    res_.prepare_payload();
    lowest().expires_after(std::chrono::seconds(30));
    http::async_write(stream_, res_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->res_.body().swap(self->rep_.body);  // keep both buffers' capacity
      if (ec || !self->res_.keep_alive()) {
        self->shutdown();
        return;
      }
      self->read_request();
    });
  }

  void shutdown() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  /// RST instead of FIN: SO_LINGER 0 then close.
  void abort() {
    closing_ = true;
    beast::error_code ec;
    lowest().socket().set_option(asio::socket_base::linger(true, 0), ec);
    lowest().socket().close(ec);
  }

  // -- WebSocket ------------------------------------------------------------------------
  void upgrade() {
    auto& req = parser_->get();
    auto key = req[http::field::sec_websocket_key];
    auto version = req[http::field::sec_websocket_version];
    if (key.empty() || version != "13") {
      rep_.clear();
      rep_.status = 400;
      rep_.content_type = "text/plain";
      rep_.body = "bad websocket upgrade";
      write_reply();
      return;
    }
    ++srv_.stats.ws_connections;
    ++srv_.stats.ws_open;
    ws_opened_ = mono_now();
    ws_ = srv_.be->open_ws([&srv = srv_](std::string_view jwt) -> std::optional<std::string> {
      auto check = srv.verifier.verify_ws(jwt, wall_now());
      if (!check.ok()) {
        ++srv.stats.auth_rejected[net::to_string(check.status)];
        srv.log->info("event=ws_auth status={} key={} detail=\"{}\"", net::to_string(check.status),
                      check.key_name.empty() ? "-" : check.key_name, check.detail);
        return std::nullopt;
      }
      return check.key_name;
    });
    srv_.ws_peers.emplace(id_, std::weak_ptr<ws_peer>(this->shared_from_this()));
    auto target = req.target();
    srv_.log->info("event=ws_open conn={} target={}", id_, std::string_view(target.data(), target.size()));
    // Bytes the HTTP parser read past the request belong to the WebSocket stream.
    auto rest = buf_.data();
    in_.resize(std::max<std::size_t>(rest.size(), 16384));
    std::memcpy(in_.data(), rest.data(), rest.size());
    in_len_ = rest.size();
    buf_.consume(buf_.size());
    pending_ = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: ";
    pending_ += ws_accept_key(std::string_view(key.data(), key.size()));
    pending_ += "\r\n\r\n";
    parser_.reset();  // key pointed into the parsed request
    lowest().expires_never();
    flush();
    if (in_len_ > 0)
      parse_frames();
    read_ws();
  }

  void read_ws() {
    if (closing_)
      return;
    if (in_.size() - in_len_ < 4096)
      in_.resize(in_len_ + 16384);
    stream_.async_read_some(asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) {
                                self->closing_ = true;
                                return;
                              }
                              self->in_len_ += n;
                              self->parse_frames();
                              self->read_ws();
                            });
  }

  void parse_frames() {
    std::size_t pos = 0;
    auto now = srv_.clock.now();
    while (!closing_) {
      ws_frame f;
      std::size_t used = 0;
      auto r = ws_parse_frame(in_.data() + pos, in_len_ - pos, true, ws_max_frame, f, used);
      if (r == ws_parse::need_more)
        break;
      if (r == ws_parse::error) {
        srv_.log->info("event=ws_protocol_error conn={}", id_);
        close_ws(1002);
        return;
      }
      pos += used;
      ++srv_.stats.ws_frames_in;
      out_.clear();
      switch (f.opcode) {
        case ws_opcode::text:
        case ws_opcode::binary:
        case ws_opcode::continuation:
          if (f.opcode != ws_opcode::continuation)
            text_.clear();
          text_.append(f.payload);
          if (f.fin) {
            srv_.log->info("event=ws_message conn={} bytes={}", id_, text_.size());
            ws_->on_text(text_, now, out_);
            if (ws_->wants_close()) {
              send_frames();
              drop();
              return;
            }
          }
          break;
        case ws_opcode::ping:
          ws_append_frame(pending_, ws_opcode::pong, f.payload);
          break;
        case ws_opcode::close:
          close_ws(1000);
          return;
        case ws_opcode::pong:
          break;
      }
      send_frames();
    }
    if (pos > 0) {
      std::memmove(in_.data(), in_.data() + pos, in_len_ - pos);
      in_len_ -= pos;
    }
  }

  void send_frames() {
    if (closing_) return;
    for (const auto& frame : out_)
      ws_append_frame(pending_, ws_opcode::text, frame);
    srv_.stats.ws_frames_out += out_.size();
    out_.clear();
    if (pending_.size() > srv_.cfg.ws_max_pending_bytes) {
      ++srv_.stats.ws_slow_disconnects;
      srv_.log->warn("event=ws_slow_consumer conn={} pending_bytes={}", id_, pending_.size());
      abort();
      return;
    }
    flush();
  }

  void close_ws(std::uint16_t code) {
    if (closing_)
      return;
    char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    ws_append_frame(pending_, ws_opcode::close, std::string_view(payload, 2));
    close_after_flush_ = true;
    flush();
    closing_ = true;
  }

  /// Appends flood frames while the outgoing buffer is small, then writes.
  void refill() {
    static constexpr std::string_view head =
      R"({"channel":"l2_data","client_id":"","timestamp":"2026-11-21T18:00:00.000000Z","sequence_num":)";
    while (flood_left_ > 0 && pending_.size() < (256u << 10) && !closing_) {
      frame_.assign(head);
      char num[24];
      auto r = std::to_chars(num, num + sizeof(num), flood_seq_++);
      frame_.append(num, r.ptr);
      frame_.append(flood_suffix_);
      ws_append_frame(pending_, ws_opcode::text, frame_);
      --flood_left_;
      ++srv_.stats.ws_frames_out;
    }
    flush();
  }

  void flush() {
    if (writing_ || pending_.empty())
      return;
    writing_ = true;
    writing_buf_.swap(pending_);
    pending_.clear();
    asio::async_write(stream_, asio::buffer(writing_buf_),
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        self->writing_buf_.clear();
                        if (ec) {
                          self->closing_ = true;
                          return;
                        }
                        if (self->flood_left_ > 0)
                          self->refill();
                        else if (!self->pending_.empty())
                          self->flush();
                        else if (self->close_after_flush_)
                          self->shutdown();
                      });
  }

  server::impl& srv_;
  Stream stream_;
  bool admin_;
  asio::steady_timer delay_;
  std::uint64_t id_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  request_view view_;
  reply rep_;
  std::optional<fault_spec> fault_;
  transport_action action_;
  mono_ns started_ = 0;
  // WebSocket state
  std::unique_ptr<ws_handler> ws_;
  mono_ns ws_opened_ = 0;
  std::vector<char> in_;
  std::size_t in_len_ = 0;
  std::string text_, pending_, writing_buf_;
  std::vector<std::string> out_;
  bool writing_ = false, closing_ = false, close_after_flush_ = false;
  std::uint64_t flood_left_ = 0, flood_seq_ = 0;
  std::string flood_suffix_, frame_;
};

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
  if (!s.cfg.faults_file.empty()) {
    std::string err;
    auto specs = parse_faults(read_text_file(s.cfg.faults_file), err);
    if (!specs)
      throw std::runtime_error(s.cfg.faults_file + ": " + err);
    for (const auto& f : *specs)
      s.faults.add(f, mono_now());
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
  asio::post(impl_->ioc, [s = impl_.get()] {
    beast::error_code ec;
    s->rest_acc.close(ec);
    s->ws_acc.close(ec);
    s->admin_acc.close(ec);
    s->ticker.cancel();
    s->ioc.stop();
  });
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
    if (tls && !admin) {
      tls_stream stream(beast::tcp_stream(std::move(sock)), *tls);
      std::make_shared<conn<tls_stream>>(*this, std::move(stream), false)->start();
    } else {
      std::make_shared<conn<plain_stream>>(*this, plain_stream(std::move(sock)), admin)->start();
    }
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
  bool stale = faults.ws_stale(mono);
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

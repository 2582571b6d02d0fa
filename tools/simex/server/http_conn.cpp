// One accepted TCP connection speaking HTTP/1.1 keep-alive: on the REST ports the fault
// plan's decision is carried out, private paths are JWT-checked and rate-limited, the backend
// answers and every request leaves one log line; on the admin port requests go to
// handle_admin. A WebSocket upgrade hands the stream to serve_ws.
#include "tools/simex/server/connection.hpp"
#include "tools/simex/server/faults.hpp"
#include "tools/simex/server/ws_frame.hpp"

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <optional>

namespace trader::simex::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

template <class Stream>
class http_conn final : public std::enable_shared_from_this<http_conn<Stream>> {
public:
  http_conn(server::impl& srv, Stream stream, bool admin)
    : srv_(srv), stream_(std::move(stream)), admin_(admin), delay_(srv.ioc), id_(srv.next_conn_id++) {}

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
    decision_ = srv_.be->faults().on_rest_request(view_.method, view_.path, srv_.clock.now());
    if (!decision_.fault.empty())
      ++srv_.stats.faults[decision_.fault];
    switch (carry_out(decision_, rep_)) {
      case fault_step::process:
      case fault_step::process_then_reset:
      case fault_step::process_then_mangle:
        process();
        return;
      case fault_step::answer:
        log_request("-", "skipped", decision_.fault);
        write_reply();
        return;
      case fault_step::process_later:
        delay_.expires_after(std::chrono::nanoseconds(decision_.delay));
        delay_.async_wait([self = this->shared_from_this()](beast::error_code e) {
          if (!e)
            self->process();
        });
        return;
      case fault_step::reset:
        log_request("-", "skipped", decision_.fault);
        abort_socket(lowest());
        return;
      case fault_step::hold:
        log_request("-", "skipped", decision_.fault);
        lowest().expires_never();
        srv_.hold_unanswered(this->shared_from_this());
        return;
    }
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
        auto limited = too_many_requests(srv_.cfg.rate_limit_per_s, 1, now);
        carry_out(limited, rep_);
        log_request(key, auth, "rate_limit");
        write_reply();
        return;
      }
    }
    view_.key_name = key;
    srv_.be->handle(view_, now, rep_);
    if (decision_.act == rest_decision::action::messy_fills && rep_.status == 200)
      rep_.body = disorder_fills(rep_.body);
    if (decision_.act == rest_decision::action::drop_reply) {
      log_request(key, auth, decision_.fault);
      abort_socket(lowest());
      return;
    }
    log_request(key, auth, decision_.fault.empty() ? std::string_view("none") : decision_.fault);
    write_reply();
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

  /// Checks the handshake fields, then hands the stream over; this connection ends here.
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
    auto accept = ws_accept_key(std::string_view(key.data(), key.size()));
    auto target = std::string(req.target().data(), req.target().size());
    auto rest = buf_.data();
    lowest().expires_never();
    serve_ws(srv_, std::move(stream_), id_, accept, target,
             std::string_view(static_cast<const char*>(rest.data()), rest.size()));
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
  rest_decision decision_;
  mono_ns started_ = 0;
};

} // namespace

void abort_socket(beast::tcp_stream& s) {
  beast::error_code ec;
  s.socket().set_option(asio::socket_base::linger(true, 0), ec);
  s.socket().close(ec);
}

template <class Stream>
void serve_http(server::impl& srv, Stream stream, bool admin) {
  std::make_shared<http_conn<Stream>>(srv, std::move(stream), admin)->start();
}

template void serve_http<plain_stream>(server::impl&, plain_stream, bool);
template void serve_http<tls_stream>(server::impl&, tls_stream, bool);

} // namespace trader::simex::transport

#include "runtime/net/ws_client.hpp"

#include "runtime/net/detail_connect.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace trader::net {

using namespace detail;
namespace websocket = beast::websocket;

namespace {

/// The connection over either stream type.
class ws_conn {
public:
  virtual ~ws_conn() = default;
  virtual beast::tcp_stream& lowest() = 0;
  virtual std::optional<transport_error> handshake(const url_parts& u, const header_list& h,
                                                   const client_options& o) = 0;
  virtual void async_read(beast::flat_buffer& b, std::function<void(beast::error_code)> done) = 0;
  virtual beast::error_code write(std::string_view text) = 0;
  virtual beast::error_code ping(std::string_view payload) = 0;
  virtual void close(std::chrono::milliseconds timeout) = 0;
  virtual bool got_text() const = 0;
  virtual bool is_open() const = 0;
};

template <class Stream>
class ws_conn_t final : public ws_conn {
public:
  template <class... Args>
  ws_conn_t(asio::io_context& ioc, std::uint64_t& pongs, Args&&... args)
    : ioc_(ioc), ws_(std::forward<Args>(args)...) {
    ws_.control_callback([&pongs](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong)
        ++pongs;
    });
  }
  beast::tcp_stream& lowest() override { return beast::get_lowest_layer(ws_); }

  std::optional<transport_error> handshake(const url_parts& u, const header_list& headers,
                                           const client_options& o) override {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      if (auto e = tls_handshake(ioc_, ws_.next_layer(), u, o.connect_timeout))
        return e;
    }
    lowest().expires_never();  // the websocket stream's own timeouts take over
    websocket::stream_base::timeout t{};
    t.handshake_timeout = o.connect_timeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.read_message_max(o.max_body);
    ws_.set_option(websocket::stream_base::decorator([headers, ua = o.user_agent](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, ua);
      for (const auto& [k, v] : headers)
        req.set(k, v);
    }));
    auto ec = run_op(ioc_, [&](auto h) { ws_.async_handshake(u.host_header(), u.target, h); });
    if (ec == beast::error::timeout)
      return transport_error{transport_errc::timeout, "websocket handshake: timed out"};
    if (ec)
      return transport_error{transport_errc::protocol_error, "websocket handshake: " + ec.message()};
    return std::nullopt;
  }
  void async_read(beast::flat_buffer& b, std::function<void(beast::error_code)> done) override {
    ws_.async_read(b, [done = std::move(done)](beast::error_code ec, std::size_t) { done(ec); });
  }
  beast::error_code write(std::string_view text) override {
    ws_.text(true);
    return run_op(ioc_, [&](auto h) { ws_.async_write(asio::buffer(text.data(), text.size()), h); });
  }
  beast::error_code ping(std::string_view payload) override {
    auto p = payload.substr(0, 125);
    websocket::ping_data data(p.data(), p.size());
    return run_op(ioc_, [&](auto h) { ws_.async_ping(data, h); });
  }
  void close(std::chrono::milliseconds timeout) override {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = timeout;
    t.idle_timeout = websocket::stream_base::none();
    ws_.set_option(t);
    run_op(ioc_, [&](auto h) { ws_.async_close(websocket::close_code::normal, h); });
  }
  bool got_text() const override { return ws_.got_text(); }
  bool is_open() const override { return ws_.is_open(); }

private:
  asio::io_context& ioc_;
  websocket::stream<Stream> ws_;
};

} // namespace

struct ws_client::impl {
  client_options opts;
  asio::io_context ioc{1};
  std::shared_ptr<asio::ssl::context> tls;
  std::unique_ptr<ws_conn> conn;
  beast::flat_buffer buf;
  bool read_pending = false, read_done = false;
  beast::error_code read_ec;
  std::uint64_t pongs = 0;

  void reset() {
    if (conn) {
      beast::error_code ec;
      conn->lowest().socket().close(ec);
      // let a pending read complete (aborted) before the stream goes away
      ioc.restart();
      ioc.poll();
    }
    conn.reset();
    buf.consume(buf.size());
    read_pending = read_done = false;
  }
};

ws_client::ws_client(client_options opts) : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
}

ws_client::~ws_client() {
  impl_->reset();
}

std::optional<transport_error> ws_client::connect(std::string_view url, const header_list& headers) {
  auto& s = *impl_;
  s.reset();
  auto u = parse_url(url);
  if (!u)
    return transport_error{transport_errc::invalid_url, u.error()};
  if (u->scheme != "ws" && u->scheme != "wss")
    return transport_error{transport_errc::invalid_url, "not a ws:// or wss:// URL"};
  if (auto e = check_url_policy(*u))
    return e;
  if (u->tls) {
    if (!s.tls) {
      auto ctx = make_tls_context(s.opts.tls);
      if (!ctx)
        return ctx.error();
      s.tls = std::move(*ctx);
    }
    s.conn = std::make_unique<ws_conn_t<beast::ssl_stream<beast::tcp_stream>>>(s.ioc, s.pongs, s.ioc, *s.tls);
  } else {
    s.conn = std::make_unique<ws_conn_t<beast::tcp_stream>>(s.ioc, s.pongs, s.ioc);
  }
  if (auto e = connect_tcp(s.ioc, s.conn->lowest(), *u, s.opts.connect_timeout)) {
    s.reset();
    return e;
  }
  if (auto e = s.conn->handshake(*u, headers, s.opts)) {
    s.reset();
    return e;
  }
  return std::nullopt;
}

std::optional<transport_error> ws_client::send_text(std::string_view text) {
  auto& s = *impl_;
  if (!s.conn)
    return transport_error{transport_errc::closed, "not connected"};
  auto ec = s.conn->write(text);
  if (ec)
    return map_io_error(ec, "websocket write");
  return std::nullopt;
}

result<ws_message> ws_client::read(std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  if (!s.conn)
    return transport_error{transport_errc::closed, "not connected"};
  if (!s.read_pending) {
    s.read_pending = true;
    s.read_done = false;
    s.conn->async_read(s.buf, [&s](beast::error_code ec) {
      s.read_ec = ec;
      s.read_done = true;
    });
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!s.read_done) {
    s.ioc.restart();
    if (s.ioc.run_one_until(deadline) == 0 && std::chrono::steady_clock::now() >= deadline)
      break;
  }
  if (!s.read_done)
    return transport_error{transport_errc::timeout, "no websocket message within deadline"};
  s.read_pending = false;
  s.read_done = false;
  if (s.read_ec) {
    auto ec = s.read_ec;
    if (ec == websocket::error::closed)
      return transport_error{transport_errc::closed, "websocket closed by server"};
    if (ec == websocket::error::message_too_big)
      return transport_error{transport_errc::protocol_error, "websocket message too big"};
    return map_io_error(ec, "websocket read");
  }
  ws_message m;
  m.binary = !s.conn->got_text();
  m.text = beast::buffers_to_string(s.buf.data());
  s.buf.consume(s.buf.size());
  return m;
}

std::optional<transport_error> ws_client::ping(std::string_view payload) {
  auto& s = *impl_;
  if (!s.conn)
    return transport_error{transport_errc::closed, "not connected"};
  if (auto ec = s.conn->ping(payload))
    return map_io_error(ec, "websocket ping");
  return std::nullopt;
}

std::uint64_t ws_client::pongs_received() const {
  return impl_->pongs;
}

void ws_client::close() {
  auto& s = *impl_;
  if (s.conn && s.conn->is_open())
    s.conn->close(s.opts.request_timeout);
  s.reset();
}

bool ws_client::is_open() const {
  return impl_->conn && impl_->conn->is_open();
}

} // namespace trader::net

#include "runtime/net/detail_connect.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <openssl/x509.h>

#include <poll.h>

namespace trader::net::detail {

result<std::shared_ptr<asio::ssl::context>> make_tls_context(const tls_options& opts) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                   | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                   | asio::ssl::context::no_tlsv1_1);
  ctx->set_verify_mode(asio::ssl::verify_peer);
  beast::error_code ec;
  if (opts.ca_file.empty())
    ctx->set_default_verify_paths(ec);
  else
    ctx->load_verify_file(opts.ca_file, ec);
  if (ec)
    return transport_error{transport_errc::tls_failed, "cannot load CA "
                                                         + (opts.ca_file.empty() ? std::string("system store") : opts.ca_file)
                                                         + ": " + ec.message()};
  return ctx;
}

transport_error map_io_error(const beast::error_code& ec, const char* what) {
  std::string detail = std::string(what) + ": " + ec.message();
  if (ec == beast::error::timeout)
    return {transport_errc::timeout, detail};
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe
      || ec == asio::error::connection_aborted)
    return {transport_errc::reset, detail};
  if (ec == asio::error::eof || ec == beast::http::error::end_of_stream
      || ec == beast::http::error::partial_message || ec == asio::ssl::error::stream_truncated)
    return {transport_errc::closed, detail};
  if (ec == beast::http::error::body_limit)
    return {transport_errc::protocol_error, detail};
  return {transport_errc::protocol_error, detail};
}

std::optional<transport_error> connect_tcp(asio::io_context& ioc, beast::tcp_stream& stream,
                                           const url_parts& u, std::chrono::milliseconds timeout) {
  std::vector<tcp::endpoint> eps;
  beast::error_code ec;
  auto addr = asio::ip::make_address(u.host, ec);
  if (!ec) {
    eps.emplace_back(addr, u.port);
  } else if (u.host == "localhost") {
    eps.emplace_back(asio::ip::make_address("127.0.0.1"), u.port);
    eps.emplace_back(asio::ip::make_address("::1"), u.port);
  } else {
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type results;
    ec = run_op(ioc, [&](auto h) {
      resolver.async_resolve(u.host, std::to_string(u.port),
                             [h, &results](beast::error_code e, tcp::resolver::results_type r) mutable {
                               results = std::move(r);
                               h(e);
                             });
    });
    if (ec)
      return transport_error{transport_errc::resolve_failed, "resolve " + u.host + ": " + ec.message()};
    for (const auto& r : results)
      eps.push_back(r.endpoint());
  }
  stream.expires_after(timeout);
  ec = run_op(ioc, [&](auto h) { stream.async_connect(eps, [h](beast::error_code e, const tcp::endpoint&) mutable { h(e); }); });
  if (ec == beast::error::timeout)
    return transport_error{transport_errc::timeout, "connect " + u.host_header() + ": timed out"};
  if (ec)
    return transport_error{transport_errc::connect_failed, "connect " + u.host_header() + ": " + ec.message()};
  stream.socket().set_option(tcp::no_delay(true), ec);
  return std::nullopt;
}

std::optional<transport_error> tls_handshake(asio::io_context& ioc,
                                             beast::ssl_stream<beast::tcp_stream>& stream,
                                             const url_parts& u, std::chrono::milliseconds timeout) {
  beast::error_code ec;
  asio::ip::make_address(u.host, ec);
  bool is_ip = !ec;
  // SNI carries DNS names only (RFC 6066 §3).
  if (!is_ip && !SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
    return transport_error{transport_errc::tls_failed, "cannot set SNI"};
  auto reason = std::make_shared<std::string>();
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback([reason, check = asio::ssl::host_name_verification(u.host), host = u.host](
                               bool preverified, asio::ssl::verify_context& ctx) {
    if (!preverified) {
      int err = X509_STORE_CTX_get_error(ctx.native_handle());
      if (reason->empty())
        *reason = std::string("certificate verify failed: ") + X509_verify_cert_error_string(err);
      return false;
    }
    bool ok = check(preverified, ctx);  // verify_peer alone accepts any valid host
    if (!ok && reason->empty())
      *reason = "certificate verify failed: certificate does not match host " + host;
    return ok;
  });
  beast::get_lowest_layer(stream).expires_after(timeout);
  ec = run_op(ioc, [&](auto h) { stream.async_handshake(asio::ssl::stream_base::client, h); });
  if (ec == beast::error::timeout)
    return transport_error{transport_errc::timeout, "TLS handshake with " + u.host_header() + ": timed out"};
  if (ec)
    return transport_error{transport_errc::tls_failed,
                           "TLS handshake with " + u.host_header() + ": "
                             + (reason->empty() ? ec.message() : *reason)};
  return std::nullopt;
}

bool socket_idle_ok(tcp::socket& s) {
  if (!s.is_open())
    return false;
  pollfd p{s.native_handle(), POLLIN, 0};
  int rc = ::poll(&p, 1, 0);
  // Readable while idle means EOF, an RST or unsolicited bytes: not reusable.
  return rc == 0;
}

} // namespace trader::net::detail

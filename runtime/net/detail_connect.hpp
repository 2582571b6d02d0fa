#pragma once
// Internal to trader_net's .cpp files (Beast is heavy: never include this from a public
// header). Blocking helpers over asynchronous Beast operations: each runs a private
// io_context until the operation completes, so every step gets a real deadline.

#include "runtime/net/http_types.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <string>

namespace trader::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

/// Starts an async operation via start(handler) and runs ioc until it completes.
template <class Start>
beast::error_code run_op(asio::io_context& ioc, Start&& start) {
  beast::error_code result;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  ioc.restart();
  while (!done && ioc.run_one() > 0) {
  }
  if (!done)
    result = asio::error::operation_aborted;
  return result;
}

/// A client TLS context: verify_peer, the system store or ca_file, TLS ≥ 1.2; tls_failed
/// naming the CA source when it cannot be loaded.
result<std::shared_ptr<asio::ssl::context>> make_tls_context(const tls_options& opts);

/// Maps a Beast/Asio error of a read or write to a transport error.
transport_error map_io_error(const beast::error_code& ec, const char* what);

/// Resolves (IP literal and "localhost" without DNS) and connects within timeout.
std::optional<transport_error> connect_tcp(asio::io_context& ioc, beast::tcp_stream& stream,
                                           const url_parts& u, std::chrono::milliseconds timeout);

/// SNI (DNS names only), peer + host-name verification, handshake within timeout.
std::optional<transport_error> tls_handshake(asio::io_context& ioc,
                                             beast::ssl_stream<beast::tcp_stream>& stream,
                                             const url_parts& u, std::chrono::milliseconds timeout);

/// True when a kept-alive socket can still be used (nothing readable, no hang-up).
bool socket_idle_ok(tcp::socket& s);

} // namespace trader::net::detail

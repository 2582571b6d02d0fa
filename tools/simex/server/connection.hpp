#pragma once
// The transport's two connection kinds, one template per stream type (plain TCP or TLS):
// http_conn.cpp serves HTTP/1.1 keep-alive (REST and admin) and hands an upgraded socket to
// ws_conn.cpp, which writes and parses WebSocket frames itself.

#include "tools/simex/server/server_impl.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cstdint>
#include <string_view>

namespace trader::simex::transport {

using plain_stream = boost::beast::tcp_stream;
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Wall-clock nanoseconds (JWT checks; never the simulated clock).
ts_ns wall_now();

/// Serves one accepted connection (TLS handshake first for tls_stream): HTTP requests until
/// the peer closes or idles; admin = the admin port (no auth, no faults, no upgrade).
template <class Stream>
void serve_http(server::impl& srv, Stream stream, bool admin);

/// Takes over a connection whose upgrade request was accepted: writes the 101 answer with
/// accept_key, registers a ws_peer under id and parses leftover (bytes read past the request)
/// as the first WebSocket bytes.
template <class Stream>
void serve_ws(server::impl& srv, Stream stream, std::uint64_t id, std::string_view accept_key,
              std::string_view target, std::string_view leftover);

/// RST instead of FIN: SO_LINGER 0, then close.
void abort_socket(boost::beast::tcp_stream& s);

} // namespace trader::simex::transport

#include "runtime/net/https_client.hpp"

#include "runtime/net/detail_connect.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace trader::net {

using namespace detail;
namespace http = beast::http;

struct https_client::impl {
  client_options opts;
  std::optional<url_parts> url;
  transport_error url_error{transport_errc::invalid_url, ""};
  std::string host;
  asio::io_context ioc{1};
  std::shared_ptr<asio::ssl::context> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buf;
  std::uint64_t opened = 0;
  std::chrono::steady_clock::time_point last_used;

  bool connected() const { return plain || secure; }
  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void drop() {
    beast::error_code ec;
    if (connected())
      lowest().socket().close(ec);
    plain.reset();
    secure.reset();
    buf.consume(buf.size());
  }

  std::optional<transport_error> open() {
    drop();
    if (url->tls) {
      if (!tls) {
        auto ctx = make_tls_context(opts.tls);
        if (!ctx)
          return ctx.error();
        tls = std::move(*ctx);
      }
      secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *tls);
      if (auto e = connect_tcp(ioc, beast::get_lowest_layer(*secure), *url, opts.connect_timeout)) {
        drop();
        return e;
      }
      if (auto e = tls_handshake(ioc, *secure, *url, opts.connect_timeout)) {
        drop();
        return e;
      }
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
      if (auto e = connect_tcp(ioc, *plain, *url, opts.connect_timeout)) {
        drop();
        return e;
      }
    }
    ++opened;
    return std::nullopt;
  }

  template <class Stream>
  result<http_response> exchange(Stream& stream, http::request<http::string_body>& req, bool& nothing_read,
                                 const std::function<void()>& on_written) {
    lowest().expires_after(opts.request_timeout);
    auto ec = run_op(ioc, [&](auto h) { http::async_write(stream, req, h); });
    if (ec)
      return map_io_error(ec, "write");
    if (on_written)
      on_written();
    http::response_parser<http::string_body> parser;
    parser.body_limit(opts.max_body);
    parser.header_limit(64u << 10);
    ec = run_op(ioc, [&](auto h) { http::async_read(stream, buf, parser, h); });
    nothing_read = !parser.got_some();
    if (ec)
      return map_io_error(ec, "read");
    auto& res = parser.get();
    http_response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
      out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive())
      drop();
    return out;
  }

  result<http_response> send(const http_request& r) {
    if (!url)
      return url_error;
    if (auto e = check_url_policy(*url))
      return *e;
    http::request<http::string_body> req;
    req.method_string(r.method);
    req.target(r.target);
    req.version(11);
    req.set(http::field::host, host);
    req.set(http::field::user_agent, opts.user_agent);
    for (const auto& [k, v] : r.headers)
      req.set(k, v);
    if (!r.body.empty() && req.find(http::field::content_type) == req.end())
      req.set(http::field::content_type, "application/json");
    req.body() = r.body;
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT")
      req.prepare_payload();
    req.keep_alive(true);
    bool idempotent = r.method == "GET" || r.method == "HEAD" || r.method == "DELETE";
    for (int attempt = 0;; ++attempt) {
      bool reused = connected() && socket_idle_ok(lowest().socket())
                    && std::chrono::steady_clock::now() - last_used < opts.max_idle;
      if (!reused) {
        if (auto e = open())
          return *e;
      }
      bool nothing_read = true;
      auto res = secure ? exchange(*secure, req, nothing_read, r.on_written)
                        : exchange(*plain, req, nothing_read, r.on_written);
      last_used = std::chrono::steady_clock::now();
      if (res.ok())
        return res;
      drop();
      bool stale = res.error().code == transport_errc::closed || res.error().code == transport_errc::reset;
      if (reused && idempotent && stale && nothing_read && attempt == 0)
        continue;  // the server closed the idle connection as we reused it
      return res;
    }
  }
};

https_client::https_client(std::string_view base_url, client_options opts) : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
  if (auto u = parse_url(base_url)) {
    impl_->url = std::move(*u);
    impl_->host = impl_->url->host_header();
  } else {
    impl_->url_error.detail = std::move(u).error();
  }
}

https_client::~https_client() {
  impl_->drop();
}

result<http_response> https_client::request(const http_request& req) {
  return impl_->send(req);
}

result<http_response> https_client::get(std::string target, header_list headers) {
  return impl_->send(http_request{"GET", std::move(target), std::move(headers), {}});
}

result<http_response> https_client::post(std::string target, std::string body, header_list headers) {
  return impl_->send(http_request{"POST", std::move(target), std::move(headers), std::move(body)});
}

std::string https_client::host_header() const {
  return impl_->host;
}

const std::optional<url_parts>& https_client::origin() const {
  return impl_->url;
}

std::uint64_t https_client::connections_opened() const {
  return impl_->opened;
}

void https_client::close() {
  impl_->drop();
}

} // namespace trader::net

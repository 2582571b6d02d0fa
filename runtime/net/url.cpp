#include "runtime/net/http_types.hpp"

#include <boost/asio/ip/address.hpp>

#include <cctype>
#include <charconv>

namespace trader::net {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

} // namespace

const char* to_string(transport_errc e) {
  switch (e) {
    case transport_errc::invalid_url:
      return "invalid_url";
    case transport_errc::plaintext_refused:
      return "plaintext_refused";
    case transport_errc::resolve_failed:
      return "resolve_failed";
    case transport_errc::connect_failed:
      return "connect_failed";
    case transport_errc::tls_failed:
      return "tls_failed";
    case transport_errc::timeout:
      return "timeout";
    case transport_errc::reset:
      return "reset";
    case transport_errc::closed:
      return "closed";
    case transport_errc::protocol_error:
      return "protocol_error";
  }
  return "?";
}

std::optional<std::string_view> http_response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequal(k, name))
      return std::string_view(v);
  return std::nullopt;
}

std::string url_parts::host_header() const {
  bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  bool default_port = (tls && port == 443) || (!tls && port == 80);
  if (!default_port)
    h += ":" + std::to_string(port);
  return h;
}

trader::result<url_parts, std::string> parse_url(std::string_view url) {
  auto fail = [&](const char* why) -> trader::result<url_parts, std::string> {
    return std::string(why) + ": '" + std::string(url) + "'";
  };
  url_parts u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return fail("URL has no scheme");
  for (char c : url.substr(0, sep))
    u.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme == "https" || u.scheme == "wss")
    u.tls = true;
  else if (u.scheme != "http" && u.scheme != "ws")
    return fail("unsupported scheme");
  auto rest = url.substr(sep + 3);
  auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!u.target.empty() && u.target.front() == '?')
    u.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return fail("credentials in URL are not supported");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return fail("bad IPv6 literal");
    u.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return fail("bad authority");
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos)
      port_text = authority.substr(colon + 1);
  }
  if (u.host.empty())
    return fail("URL has no host");
  for (auto& c : u.host)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  u.port = u.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned p = 0;
    auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (r.ec != std::errc() || r.ptr != port_text.data() + port_text.size() || p == 0 || p > 65535)
      return fail("bad port");
    u.port = static_cast<std::uint16_t>(p);
  }
  return u;
}

bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (iequal(host, "localhost"))
    return true;
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(std::string(host), ec);
  if (ec)
    return false;
  if (addr.is_v4())
    return (addr.to_v4().to_uint() >> 24) == 127;
  return addr.to_v6().is_loopback() || (addr.to_v6().is_v4_mapped()
                                        && (addr.to_v6().to_bytes()[12] == 127));
}

std::optional<transport_error> check_url_policy(const url_parts& u) {
  if (!u.tls && !is_loopback_host(u.host))
    return transport_error{transport_errc::plaintext_refused,
                           u.scheme + "://" + u.host + " refused: plaintext is allowed to loopback only"};
  return std::nullopt;
}

} // namespace trader::net

#include "runtime/metrics/exporter.hpp"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <exception>

namespace trader::metrics {

result<exporter_options, std::string> parse_listen(std::string_view listen, exporter_options base) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size())
    return fail("listen must be host:port, got \"" + std::string(listen) + "\"");
  auto host = listen.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3)
      return fail("malformed IPv6 address in \"" + std::string(listen) + "\"");
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535)
      return fail("bad port in \"" + std::string(listen) + "\"");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535)
    return fail("port out of range in \"" + std::string(listen) + "\"");
  base.bind_address = std::string(host);
  base.port = static_cast<std::uint16_t>(port);
  return base;
}

bool is_loopback(const std::string& address) {
  return address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

exporter::exporter() : registry_(std::make_shared<prometheus::Registry>()) {}

exporter::~exporter() { stop(); }

result<void, std::string> exporter::start(const exporter_options& opts) {
  if (exposer_)
    return fail("metrics exporter already running");
  auto address = opts.bind_address.find(':') != std::string::npos ? "[" + opts.bind_address + "]" : opts.bind_address;
  address += ":" + std::to_string(opts.port);
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(address, std::max<std::size_t>(opts.threads, 1));
    auto ports = exposer->GetListeningPorts();
    if (ports.empty())
      return fail("metrics exporter bound no port on " + address);
    exposer->RegisterCollectable(registry_);
    port_ = static_cast<std::uint16_t>(ports.front());
    exposer_ = std::move(exposer);
    return {};
  } catch (const std::exception& e) {
    return fail("cannot serve metrics on " + address + ": " + e.what());
  }
}

void exporter::stop() {
  exposer_.reset();
  port_ = 0;
}

} // namespace trader::metrics

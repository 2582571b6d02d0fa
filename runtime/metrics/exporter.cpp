#include "runtime/metrics/exporter.hpp"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <exception>

namespace trader::metrics {

bool parse_listen(std::string_view listen, exporter_options& opts, std::string& why) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size()) {
    why = "listen must be host:port, got \"" + std::string(listen) + "\"";
    return false;
  }
  auto host = listen.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) {
      why = "malformed IPv6 address in \"" + std::string(listen) + "\"";
      return false;
    }
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      why = "bad port in \"" + std::string(listen) + "\"";
      return false;
    }
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535) {
    why = "port out of range in \"" + std::string(listen) + "\"";
    return false;
  }
  opts.bind_address = std::string(host);
  opts.port = static_cast<std::uint16_t>(port);
  return true;
}

bool is_loopback(const std::string& address) {
  return address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

exporter::exporter() : registry_(std::make_shared<prometheus::Registry>()) {}

exporter::~exporter() { stop(); }

bool exporter::start(const exporter_options& opts, std::string& why) {
  if (exposer_) {
    why = "metrics exporter already running";
    return false;
  }
  auto address = opts.bind_address.find(':') != std::string::npos ? "[" + opts.bind_address + "]" : opts.bind_address;
  address += ":" + std::to_string(opts.port);
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(address, std::max<std::size_t>(opts.threads, 1));
    auto ports = exposer->GetListeningPorts();
    if (ports.empty()) {
      why = "metrics exporter bound no port on " + address;
      return false;
    }
    exposer->RegisterCollectable(registry_);
    port_ = static_cast<std::uint16_t>(ports.front());
    exposer_ = std::move(exposer);
    return true;
  } catch (const std::exception& e) {
    why = "cannot serve metrics on " + address + ": " + e.what();
    return false;
  }
}

void exporter::stop() {
  exposer_.reset();
  port_ = 0;
}

} // namespace trader::metrics

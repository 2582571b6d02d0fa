#include "runtime/metrics/exporter.hpp"

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <exception>

namespace trader::metrics {

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

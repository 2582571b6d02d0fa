#pragma once
// The running configuration, swapped atomically on reload. Readers take a snapshot
// (shared_ptr) and keep using it; a reload never changes a snapshot in someone's hands.

#include "runtime/config/trader_config.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace trader::daemon {

struct config_snapshot {
  config::trader_config config;
  std::string hash;  ///< 16 hex chars.
  std::string dir;   ///< Directory it was loaded from.
};

class config_holder {
public:
  explicit config_holder(config_snapshot initial)
    : current_(std::make_shared<const config_snapshot>(std::move(initial))) {}
  std::shared_ptr<const config_snapshot> get() const {
    std::lock_guard guard{mtx_};
    return current_;
  }
  void swap(config_snapshot next) {
    auto p = std::make_shared<const config_snapshot>(std::move(next));
    std::lock_guard guard{mtx_};
    current_ = std::move(p);
  }

private:
  mutable std::mutex mtx_;
  std::shared_ptr<const config_snapshot> current_;
};

} // namespace trader::daemon

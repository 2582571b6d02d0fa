#pragma once
// Actors find each other by name. After a restart the name points to the new instance;
// between a death and the restart the name is absent, so a send is dropped (counted) and a
// request fails at once (sec::invalid_argument for no instance, sec::request_receiver_down
// for an instance that died with the request queued) — it never hangs.
// Names are plain strings (CAF 0.17 atoms hold at most 10 characters).

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace trader::core {

/// Thread-safe name → live actor handle table, written by supervisors.
class registry {
public:
  /// Points name at a (replacing any previous instance).
  void put(const std::string& name, caf::actor a);
  /// Removes name only if it still points at the actor with address addr.
  void erase_if(const std::string& name, const caf::actor_addr& addr);
  /// The current instance, or an invalid handle when none is registered.
  caf::actor get(const std::string& name) const;
  std::vector<std::string> names() const;
  /// Messages dropped because no instance was registered.
  std::uint64_t dropped() const { return dropped_.load(); }

  /// Sends to the current instance of name; false (and counted) if there is none.
  template <class Self, class... Ts>
  bool send(Self* self, const std::string& name, Ts&&... xs) {
    auto dst = get(name);
    if (!dst) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    self->send(dst, std::forward<Ts>(xs)...);
    return true;
  }

  /// Requests from the current instance of name. Always attach an error handler.
  template <class Self, class Timeout, class... Ts>
  auto request(Self* self, const std::string& name, Timeout timeout, Ts&&... xs) {
    return self->request(get(name), timeout, std::forward<Ts>(xs)...);
  }

private:
  mutable std::mutex mtx_;
  std::unordered_map<std::string, caf::actor> entries_;
  std::atomic<std::uint64_t> dropped_{0};
};

} // namespace trader::core

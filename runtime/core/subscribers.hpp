#pragma once
// The subscriber list of an actor that publishes to whoever asked (subscribe_feed): the
// sender of each request is recorded once and monitored, a channel mask says what it wants,
// and its down_msg removes it. Copy-on-write, so another thread (market_data's reader) can
// take a snapshot and send to it without asking the actor; only the actor changes the list.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace trader::core {

/// One subscriber: where to send and which channels (bits chosen by the publisher).
struct subscriber {
  caf::actor handle;
  std::uint32_t mask = ~0u;  ///< ~0u = everything
};

/// Thread-safe copy-on-write list of subscribers; changed by its actor only.
class subscribers {
public:
  using list = std::vector<subscriber>;
  static constexpr std::uint32_t all = ~0u;

  /// Records the sender of self's current message with mask (monitored the first time; a
  /// repeated subscribe replaces the mask). Returns it, or an invalid handle when anonymous.
  caf::actor add_sender(caf::scheduled_actor* self, std::uint32_t mask = all);
  /// Removes the subscriber a down_msg is about; true when it was one.
  bool remove(const caf::down_msg& dm);
  /// Sets self's down handler to remove(dm), then call changed (may be empty). For actors
  /// that monitor nothing but their subscribers; the list must outlive self's behavior.
  void remove_on_down(caf::scheduled_actor* self, std::function<void()> changed = {});

  /// Sends x to every subscriber whose mask shares a bit with bits (actor thread).
  template <class Self, class T>
  void publish(Self* self, const T& x, std::uint32_t bits = all) const {
    for (auto& s : *snapshot())
      if (s.mask & bits)
        self->send(s.handle, x);
  }

  /// The current list; safe from any thread, never changes under the caller.
  std::shared_ptr<const list> snapshot() const {
    std::lock_guard<std::mutex> g(mtx_);
    return list_;
  }
  std::size_t size() const { return snapshot()->size(); }

private:
  void replace(list next);

  mutable std::mutex mtx_;
  std::shared_ptr<const list> list_ = std::make_shared<const list>();
};

} // namespace trader::core

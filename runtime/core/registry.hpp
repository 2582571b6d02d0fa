#pragma once
// Actors find each other by name (runtime/core/names.hpp). After a restart the name points to
// the new instance; between a death and the restart the name is absent, so a send is dropped
// and a request fails at once (sec::invalid_argument for no instance,
// sec::request_receiver_down for an instance that died with the request queued) — it never
// hangs.
//
// A dropped send is never silent: it is counted per name (drop_counts(), exported by traderd as
// trader_registry_dropped_total{name}); the first drop of an absence is logged (warn, error for
// names that carry safety messages); and for those names (names::carries_safety: risk,
// order_lifecycle, state, alerting) a registry_drop alert goes to alerting, resolved when the
// name is registered again. When alerting itself is the absent one, or is absent when the
// alert is due, the drop is logged at error level instead. traderd turns the alert off while
// the tree starts and stops (set_drop_alerts), when absences are expected.
// Names are plain strings (CAF 0.17 atoms hold at most 10 characters).

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/error.hpp>
#include <caf/message.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace trader::core {

/// Thread-safe name → live actor handle table, written by supervisors.
class registry {
public:
  /// Distinct names drop_counts() keeps; further names count under "other".
  static constexpr std::size_t max_drop_names = 64;

  /// Points name at a (replacing any previous instance). Ends the name's absence: its next
  /// drop is logged again, and a registry_drop alert raised for it is resolved.
  void put(std::string_view name, caf::actor a);
  /// Removes name only if it still points at the actor with address addr.
  void erase_if(std::string_view name, const caf::actor_addr& addr);
  /// The current instance, or an invalid handle when none is registered.
  caf::actor get(std::string_view name) const;
  /// Every registered name.
  std::vector<std::string> names() const;
  /// Messages dropped because no instance was registered, all names.
  std::uint64_t dropped() const { return dropped_.load(); }
  /// Messages dropped for one name.
  std::uint64_t dropped(std::string_view name) const;
  /// Dropped messages per name (≤ max_drop_names names, then "other").
  std::map<std::string, std::uint64_t> drop_counts() const;
  /// Whether a drop to a safety name raises registry_drop (default on). Counting and logging
  /// go on regardless.
  void set_drop_alerts(bool on) { drop_alerts_.store(on); }

  /// Messages sent to `name` while no instance is registered are kept — at most `limit`,
  /// then drops as for any name — and delivered in order to the next instance as it
  /// registers, before anything sent after. For a sink whose records must not be lost while
  /// the tree starts (subtrees come up concurrently: risk may audit its first gate state
  /// before audit runs) or while it restarts. Held messages carry no sender.
  void hold_while_absent(std::string_view name, std::size_t limit);
  /// Messages held now for name (waiting for its next instance).
  std::size_t held(std::string_view name) const;

  /// Sends to the current instance of name; when none: held (hold_while_absent), else false
  /// (and counted, logged, alerted).
  template <class Self, class... Ts>
  bool send(Self* self, std::string_view name, Ts&&... xs) {
    auto dst = get(name);
    if (!dst)
      return deliver_or_hold(name, caf::make_message(std::forward<Ts>(xs)...));
    self->send(dst, std::forward<Ts>(xs)...);
    return true;
  }

  /// send() for code outside any actor (traderd's main thread, the control thread).
  template <class... Ts>
  bool anon_send(std::string_view name, Ts&&... xs) {
    auto dst = get(name);
    if (!dst)
      return deliver_or_hold(name, caf::make_message(std::forward<Ts>(xs)...));
    caf::anon_send(dst, std::forward<Ts>(xs)...);
    return true;
  }

  /// Requests from the current instance of name. Always attach an error handler.
  template <class Self, class Timeout, class... Ts>
  auto request(Self* self, std::string_view name, Timeout timeout, Ts&&... xs) {
    return self->request(get(name), timeout, std::forward<Ts>(xs)...);
  }

  /// Whether a request() failed because the name had no running instance — not started yet
  /// (subtrees start concurrently) or between a crash and its restart — rather than because
  /// the instance answered with an error or timed out. Such a request is worth repeating in
  /// about a second, not after the caller's usual failure back-off.
  static bool absent(const caf::error& e);

private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  /// One name's drops: the count, and what this absence has already logged and alerted.
  struct drop_track {
    std::uint64_t count = 0;
    bool logged = false;
    bool alerted = false;
  };
  void on_drop(std::string_view name);
  /// No instance was found: an instance registered since gets msg now; a held name keeps it;
  /// otherwise it is dropped (on_drop).
  bool deliver_or_hold(std::string_view name, caf::message msg);
  /// Messages waiting for a held name's next instance.
  struct holding {
    std::size_t limit = 0;
    std::deque<caf::message> messages;
  };

  mutable std::mutex mtx_;
  std::unordered_map<std::string, caf::actor, string_hash, std::equal_to<>> entries_;
  std::map<std::string, drop_track, std::less<>> drops_;
  std::map<std::string, holding, std::less<>> held_;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<bool> drop_alerts_{true};
};

} // namespace trader::core

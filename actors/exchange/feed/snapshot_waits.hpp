#pragma once
// Which products wait for a level-2 snapshot, since when, and when to ask again (issue 20).
// After a (re)subscription each product waits `timeout` for its snapshot. A miss backs off
// (full jitter, exchange::backoff: uniform in [0, min(cap, base·2^(misses-1))]) and then
// asks again for that product alone; every (resubscribes_before_reconnect + 1)-th miss of a
// product asks for a reconnect instead. Nothing waits forever, and nothing asks faster than
// the backoff allows. No CAF, no clock: time is an argument.

#include "actors/exchange/coinbase/backoff.hpp"
#include "messages/ids.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace trader::feed {

/// The retry rule of snapshot_waits.
struct snapshot_wait_options {
  std::int64_t timeout_ns = 5'000'000'000;  ///< a snapshot later than this after its request is a miss
  exchange::retry_policy backoff{1 << 30, std::chrono::milliseconds{1000}, std::chrono::milliseconds{30000}};
  int resubscribes_before_reconnect = 3;    ///< ≥ 0; 0 = every miss reconnects
};

class snapshot_waits {
public:
  explicit snapshot_waits(snapshot_wait_options o, exchange::backoff::uniform_fn uniform = {});

  /// A subscription asking for ps's snapshots went out at now: each waits `timeout` for it.
  /// A product already waiting keeps its start and its misses.
  void asked(const std::vector<product_id>& ps, mono_ns now, ts_ns wall);
  /// p's snapshot arrived; true when p was waiting for it.
  bool arrived(const product_id& p);

  /// What poll() found due.
  struct due {
    std::vector<product_id> missed;       ///< snapshots that did not come in time (now backing off)
    std::vector<product_id> resubscribe;  ///< backed off long enough: ask for these again now
    bool reconnect = false;               ///< a product missed often enough: reconnect instead
  };
  /// Moves every wait whose time has come; at most one step per product and call.
  due poll(mono_ns now);

  /// One waiting product, for status and logs.
  struct entry {
    product_id product;
    ts_ns since = 0;           ///< wall time of the first request it still waits on
    int misses = 0;            ///< requests that went unanswered
    bool backing_off = false;  ///< between a miss and the next request
  };
  std::vector<entry> entries() const;
  bool waiting(const product_id& p) const { return waits_.count(p) != 0; }
  bool empty() const { return waits_.empty(); }
  const snapshot_wait_options& options() const { return opts_; }

private:
  struct wait {
    ts_ns since = 0;
    mono_ns due = 0;
    int misses = 0;
    bool backing_off = false;
  };
  snapshot_wait_options opts_;
  exchange::backoff backoff_;
  std::map<product_id, wait> waits_;
};

} // namespace trader::feed

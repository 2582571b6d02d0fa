#include "actors/exchange/feed/snapshot_waits.hpp"

#include <algorithm>

namespace trader::feed {

snapshot_waits::snapshot_waits(snapshot_wait_options o, exchange::backoff::uniform_fn uniform)
  : opts_(o), backoff_(o.backoff, std::move(uniform)) {
  opts_.resubscribes_before_reconnect = std::max(0, opts_.resubscribes_before_reconnect);
}

void snapshot_waits::asked(const std::vector<product_id>& ps, mono_ns now, ts_ns wall) {
  for (auto& p : ps) {
    auto [it, fresh] = waits_.try_emplace(p);
    if (fresh)
      it->second.since = wall;
    it->second.due = now + opts_.timeout_ns;
    it->second.backing_off = false;
  }
}

bool snapshot_waits::arrived(const product_id& p) { return waits_.erase(p) != 0; }

snapshot_waits::due snapshot_waits::poll(mono_ns now) {
  due out;
  const int cycle = opts_.resubscribes_before_reconnect + 1;
  for (auto& [p, w] : waits_) {
    if (now < w.due)
      continue;
    if (w.backing_off) {
      out.resubscribe.push_back(p);
      w.backing_off = false;
      w.due = now + opts_.timeout_ns;
      continue;
    }
    ++w.misses;
    out.missed.push_back(p);
    if (w.misses % cycle == 0) {
      out.reconnect = true;  // the connect re-asks every product; meanwhile this waits again
      w.due = now + opts_.timeout_ns;
      continue;
    }
    auto delay = backoff_.delay(std::min(w.misses - 1, 30));
    w.backing_off = true;
    w.due = now + std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
  }
  if (out.reconnect) {
    // The reconnect asks for every snapshot: a resubscribe now would only be lost with it.
    for (auto& p : out.resubscribe)
      waits_[p].due = now + opts_.timeout_ns;
    out.resubscribe.clear();
  }
  return out;
}

std::vector<snapshot_waits::entry> snapshot_waits::entries() const {
  std::vector<entry> out;
  out.reserve(waits_.size());
  for (auto& [p, w] : waits_)
    out.push_back(entry{p, w.since, w.misses, w.backing_off});
  return out;
}

} // namespace trader::feed

#include "actors/exchange/feed/stream_recovery.hpp"

#include <algorithm>

namespace trader::feed {

stream_recovery::options stream_recovery::options_of(const user_stream_options& o) {
  options out;
  out.margin_ns = o.reread_margin.count() * ns_per_ms;
  out.backoff = exchange::retry_policy{1 << 30, o.retry_base, o.retry_cap};
  return out;
}

stream_recovery::stream_recovery(options o, exchange::backoff::uniform_fn uniform)
  : opts_(o), backoff_(o.backoff, std::move(uniform)) {}

std::optional<stream_recovery::reread> stream_recovery::connected() {
  connected_ = true;
  ever_connected_ = true;
  if (!pending())
    return std::nullopt;
  return start();
}

void stream_recovery::disconnected(ts_ns at) {
  connected_ = false;
  ++gen_;  // a re-read running now cannot vouch for what the next connection misses
  left_ = 0;
  if (ever_connected_)
    lost(at);
}

std::optional<stream_recovery::reread> stream_recovery::gap(ts_ns at) {
  lost(at);
  if (!connected_)
    return std::nullopt;  // the next connect re-reads
  return start();
}

stream_recovery::outcome stream_recovery::answered(std::uint64_t gen, bool ok) {
  outcome out;
  out.gen = gen;
  if (gen != gen_ || left_ <= 0)
    return out;  // an older re-read: a newer one decides
  ok_ = ok_ && ok;
  if (--left_ > 0) {
    out.kind = outcome::waiting;
    return out;
  }
  if (ok_) {
    lost_since_ = 0;
    attempt_ = 0;
    out.kind = outcome::recovered;
    return out;
  }
  out.kind = outcome::retry;
  out.delay = backoff_.delay(std::min(attempt_ - 1, 30));
  return out;
}

std::optional<stream_recovery::reread> stream_recovery::retry(std::uint64_t gen) {
  if (gen != gen_ || left_ > 0 || !pending() || !connected_)
    return std::nullopt;
  return start();
}

void stream_recovery::lost(ts_ns since) {
  if (lost_since_ == 0 || since < lost_since_)
    lost_since_ = since;
}

stream_recovery::reread stream_recovery::start() {
  left_ = 2;
  ok_ = true;
  return reread{++gen_, lost_since_ - opts_.margin_ns, attempt_++};
}

} // namespace trader::feed

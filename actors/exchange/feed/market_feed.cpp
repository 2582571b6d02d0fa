#include "actors/exchange/feed/market_feed.hpp"

#include "actors/exchange/feed/ws_requests.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trader::feed {

std::uint32_t channel_mask(const std::vector<std::string>& channels) {
  if (channels.empty())
    return ~0u;
  std::uint32_t m = want_health;
  for (auto& c : channels) {
    if (c == "ticker" || c == "quote" || c == "quotes")
      m |= want_quotes;
    else if (c == "level2" || c == "book" || c == "books")
      m |= want_books;
    else if (c == "market_trades" || c == "trades")
      m |= want_trades;
    else if (c == "candles")
      m |= want_candles;
    else if (c == "status")
      m |= want_status;
  }
  return m;
}

void feed_effects::clear() {
  channel = ws_channel::unknown;
  publish = false;
  send.clear();
  resubscribe.clear();
  reconnect.clear();
  notice.gates.clear();
  notice.health.clear();
  notice.statuses.clear();
  warnings.clear();
  ages.clear();
  counts = {};
}

namespace {

snapshot_wait_options wait_options(const market_data_options& o) {
  snapshot_wait_options w;
  w.timeout_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(o.snapshot_timeout).count();
  w.backoff = exchange::retry_policy{1 << 30, o.retry_base, o.retry_cap};
  w.resubscribes_before_reconnect = o.resubscribes_before_reconnect;
  return w;
}

std::string names_of(const std::vector<product_id>& ps) {
  std::string out;
  for (auto& p : ps)
    out += (out.empty() ? "" : ",") + p.value;
  return out;
}

} // namespace

market_feed::market_feed(const market_data_options& o, mono_ns now)
  : products_(o.products),
    channels_(o.channels),
    has_level2_(std::find(o.channels.begin(), o.channels.end(), "level2") != o.channels.end()),
    staleness_(o.max_age.count() * ns_per_ms),
    waits_(wait_options(o), jitter_source(o.seed)) {
  for (auto& p : products_)
    staleness_.watch(p, now);
}

// -- reader thread -------------------------------------------------------------------

const feed_effects& market_feed::on_frame(std::string_view text, ts_ns recv, mono_ns now) {
  auto& fx = fx_;
  fx.clear();
  auto& f = frame_;
  if (auto err = parser_.parse(text, recv, f)) {
    fx.counts.parse_errors = 1;
    fx.warnings.push_back("unparseable message (" + err->what + "); treating it as lost");
    lost(products_, "parse error: " + err->what, recv, now, fx);
    return fx;
  }
  fx.channel = f.channel;
  if (f.channel == ws_channel::error) {
    fx.warnings.push_back("exchange error '" + f.error + "'");
    return fx;
  }
  if (f.channel == ws_channel::unknown)
    return fx;
  auto s = seq_.observe(f.sequence);
  if (s.v == sequence_tracker::verdict::old)
    return fx;  // already past it: a replay must not move a book backwards
  if (s.v == sequence_tracker::verdict::gap) {
    fx.counts.gaps = 1;
    lost(products_, fmt::format("sequence gap: expected {} got {} ({} lost)", s.expected, f.sequence, s.missing), recv,
         now, fx);
  }
  touched_.clear();
  crossed_.clear();
  // The frame's read time travels with its quotes and trades to the decisions they cause
  // (tick_to_order: the orders actor measures from here to the create on the socket).
  for (auto& q : f.quotes) {
    q.origin_mono = now;
    touched_.push_back(q.product);
  }
  for (auto& t : f.trades) {
    t.origin_mono = now;
    touched_.push_back(t.product);
  }
  for (auto& c : f.candles)
    touched_.push_back(c.product);
  {
    std::lock_guard<std::mutex> g(mtx_);
    for (auto& u : f.books) {
      auto& b = books_[u.product];
      auto r = b.apply(u);
      fx.counts.unknown_deletes += static_cast<std::uint32_t>(r.unknown_deletes);
      if (!r.applied)
        continue;
      touched_.push_back(u.product);
      if (u.is_snapshot) {
        waits_.arrived(u.product);
        set_reason(gate_reason::sequence_gap, u.product, false, 0, recv, fx.notice);
      }
      if (b.crossed())
        crossed_.push_back(u.product);
    }
    for (auto& p : touched_)
      if (staleness_.touch(p, now))
        set_reason(gate_reason::stale_data, p, false, 0, recv, fx.notice);
    // The newest heartbeat's exchange time: every frame the exchange sent before it on this
    // connection has been read and handed on (status shows it; a stepped-clock harness waits
    // for it before the next decision cycle: docs/backtest.md "Parity").
    if (f.channel == ws_channel::heartbeats && f.ts_event > heartbeat_at_)
      heartbeat_at_ = f.ts_event;
    for (auto& st : f.statuses) {
      // Anything but online stops new risk in that product at once, not at the next cycle.
      status_[st.product] = st.state;
      if (auto c = gate_.set(gate_reason::product_degraded, st.product, st.state != product_state::online))
        fx.notice.gates.push_back(std::move(*c));
      fx.notice.statuses.push_back(st);
    }
  }
  fx.publish = true;
  if (!crossed_.empty()) {
    fx.counts.crossed = static_cast<std::uint32_t>(crossed_.size());
    lost(crossed_, "crossed book", recv, now, fx);
  }
  return fx;
}

std::vector<std::string> market_feed::subscribe_messages() const {
  std::vector<std::string> out;
  for (auto& c : channels_)
    out.push_back(subscribe_message(c, c == "heartbeats" ? std::vector<product_id>{} : products_));
  return out;
}

feed_effects market_feed::on_connected(ts_ns wall, mono_ns now) {
  feed_effects fx;
  seq_.reset();
  std::lock_guard<std::mutex> g(mtx_);
  for (auto& [p, b] : books_)
    b.invalidate();  // the subscribes just sent bring fresh snapshots
  fx.counts.reconnects = ever_connected_ ? 1 : 0;
  ever_connected_ = true;
  connected_ = true;
  ask(products_, wall, now, fx);
  return fx;
}

feed_effects market_feed::on_disconnected(const std::string& why, ts_ns wall) {
  feed_effects fx;
  fx.warnings.push_back("WebSocket lost (" + why + ")");
  std::lock_guard<std::mutex> g(mtx_);
  connected_ = false;  // snapshots are asked for again by the next connect, not by retries
  if (ever_connected_ && has_level2_)  // never had data: nothing was lost, the staleness check covers the wait
    for (auto& p : products_)
      set_reason(gate_reason::sequence_gap, p, true, 0, wall, fx.notice);
  return fx;
}

void market_feed::lost(const std::vector<product_id>& ps, const std::string& why, ts_ns wall, mono_ns now,
                       feed_effects& fx) {
  if (!has_level2_) {  // no books to repair: ticker, trades and candles carry no state
    fx.warnings.push_back(why + " (no level2 subscribed: nothing to repair)");
    return;
  }
  {
    std::lock_guard<std::mutex> g(mtx_);
    for (auto& p : ps) {
      books_[p].invalidate();
      set_reason(gate_reason::sequence_gap, p, true, 0, wall, fx.notice);
    }
    ask(ps, wall, now, fx);
  }
  fx.warnings.push_back(why + ": resubscribing level2");
  auto msgs = resubscribe_messages(ps);
  fx.send.insert(fx.send.end(), msgs.begin(), msgs.end());
}

void market_feed::ask(const std::vector<product_id>& ps, ts_ns wall, mono_ns now, feed_effects& fx) {
  if (!has_level2_)
    return;
  for (auto& p : ps)
    fx.counts.snapshot_waits += waits_.waiting(p) ? 0 : 1;
  waits_.asked(ps, now, wall);
}

std::vector<std::string> market_feed::resubscribe_messages(const std::vector<product_id>& ps) {
  return {unsubscribe_message("level2", ps), subscribe_message("level2", ps)};
}

void market_feed::set_reason(gate_reason r, const product_id& p, bool active, std::int64_t age_ns, ts_ns wall,
                             feed_notice& n) {
  auto c = gate_.set(r, p, active);
  if (!c)
    return;
  n.gates.push_back(std::move(*c));
  feed_health h;
  h.product = p;
  h.sequence_gap = gate_.has(gate_reason::sequence_gap, p);
  h.healthy = !h.sequence_gap && !gate_.has(gate_reason::stale_data, p);
  h.age_ms = age_ns / ns_per_ms;
  h.ts = wall;
  n.health.push_back(std::move(h));
}

// -- actor ---------------------------------------------------------------------------

feed_effects market_feed::check(ts_ns wall, mono_ns now) {
  feed_effects fx;
  std::lock_guard<std::mutex> g(mtx_);
  for (auto& c : staleness_.check(now)) {
    fx.warnings.push_back(fmt::format("{} stale: no data for {} ms (max {} ms)", c.product.value, c.age_ns / ns_per_ms,
                                      staleness_.max_age_ns() / ns_per_ms));
    set_reason(gate_reason::stale_data, c.product, true, c.age_ns, wall, fx.notice);
  }
  for (auto& p : products_)
    fx.ages.emplace_back(p, staleness_.age_ns(p, now));
  if (!connected_)
    return fx;
  auto due = waits_.poll(now);
  auto timeout_ms = waits_.options().timeout_ns / ns_per_ms;
  for (auto& p : due.missed) {
    ++fx.counts.snapshot_misses;
    fx.warnings.push_back(fmt::format("{}: no level2 snapshot within {} ms of asking for it; asking again after a backoff",
                                      p.value, timeout_ms));
  }
  if (due.reconnect) {
    ++fx.counts.snapshot_reconnects;
    fx.reconnect = fmt::format("level2 snapshot of {} missing after {} requests", names_of(due.missed),
                               waits_.options().resubscribes_before_reconnect + 1);
    fx.warnings.push_back(fx.reconnect + ": reconnecting");
  }
  if (!due.resubscribe.empty()) {
    fx.counts.snapshot_retries += static_cast<std::uint32_t>(due.resubscribe.size());
    fx.warnings.push_back("asking again for the level2 snapshot of " + names_of(due.resubscribe));
    fx.resubscribe = std::move(due.resubscribe);
  }
  return fx;
}

book_snapshot market_feed::book(const product_id& p, std::int32_t depth, ts_ns wall, mono_ns now) const {
  std::lock_guard<std::mutex> g(mtx_);
  auto it = books_.find(p);
  book_snapshot s;
  if (it == books_.end()) {
    s.product = p;
    s.stale = true;
  } else {
    s = it->second.top(p, depth);
    s.stale = !it->second.has_snapshot() || staleness_.is_stale(p) || gate_.has(gate_reason::sequence_gap, p);
  }
  s.ts_heartbeat = heartbeat_at_;
  for (auto& e : waits_.entries())
    if (e.product == p) {
      s.waiting_for = "snapshot";
      s.waiting_since = e.since;
      s.retries = e.misses;
    }
  if (s.waiting_for.empty() && staleness_.is_stale(p)) {
    s.waiting_for = "data";
    s.waiting_since = wall - staleness_.age_ns(p, now);
  }
  return s;
}

feed_notice market_feed::late_subscriber(ts_ns wall) const {
  feed_notice n;
  std::lock_guard<std::mutex> g(mtx_);
  for (auto r : {gate_reason::sequence_gap, gate_reason::stale_data})
    for (auto& p : gate_.products(r))
      n.health.push_back(feed_health{p, false, gate_.has(gate_reason::sequence_gap, p), 0, wall});
  for (auto& [p, s] : status_)
    if (s != product_state::online)
      n.statuses.push_back(product_status{p, s, 0, wall});
  return n;
}

std::size_t market_feed::snapshots_awaited() const {
  std::lock_guard<std::mutex> g(mtx_);
  return waits_.entries().size();
}

bool market_feed::ever_connected() const {
  std::lock_guard<std::mutex> g(mtx_);
  return ever_connected_;
}

} // namespace trader::feed

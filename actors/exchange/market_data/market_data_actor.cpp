#include "actors/exchange/market_data/market_data_actor.hpp"

#include "actors/exchange/market_data/market_data_events.hpp"
#include "actors/exchange/market_data/market_data_stats.hpp"
#include "messages/names.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "actors/exchange/feed/alert_latch.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/order_book.hpp"
#include "actors/exchange/feed/ws_parser.hpp"
#include "actors/exchange/feed/ws_reader.hpp"
#include "actors/exchange/feed/ws_requests.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <mutex>

namespace trader::market_data {

namespace {

using check_atom = caf::atom_constant<caf::atom("md_check")>;
using gap_alert_atom = caf::atom_constant<caf::atom("md_gapal")>;
/// A gap still unresolved this long pages (alert sequence_gap); shorter ones only gate.
constexpr std::chrono::seconds gap_alert_after{30};

/// What a subscriber asked for (subscribe_feed.channels; empty = everything).
enum mask_bits : std::uint32_t {
  want_quotes = 1,
  want_books = 2,
  want_trades = 4,
  want_candles = 8,
  want_status = 16,
  want_health = 32,
};

std::uint32_t mask_of(const std::vector<std::string>& channels) {
  if (channels.empty())
    return ~0u;
  std::uint32_t m = want_health;  // health always goes to every subscriber
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

struct subscriber {
  caf::actor handle;
  std::uint32_t mask = 0;
};
using subscriber_list = std::vector<subscriber>;

/// State shared by the reader thread and the actor. Books and staleness are read by the
/// actor (get_book, the periodic check) and written by the reader: guarded by mtx.
struct feed_core {
  explicit feed_core(feed::market_data_options o, prometheus::Registry& r)
    : opts(std::move(o)),
      clock(opts.clock ? *opts.clock : system_time_source::instance()),
      stats(metrics::actor_metrics(r, names::market_data)),
      staleness(opts.max_age.count() * ns_per_ms) {
    // One series per channel, looked up once: labelled<>::operator[] locks and builds a key.
    for (std::size_t i = 0; i < per_channel.size(); ++i)
      per_channel[i] = &stats.messages[feed::to_string(static_cast<feed::ws_channel>(i))];
  }

  feed::market_data_options opts;
  const time_source& clock;
  market_data_stats stats;
  std::array<prometheus::Counter*, static_cast<std::size_t>(feed::ws_channel::error) + 1> per_channel{};

  std::mutex mtx;
  std::map<product_id, feed::order_book> books;
  feed::staleness_monitor staleness;
  std::shared_ptr<const subscriber_list> subs = std::make_shared<subscriber_list>();

  // Reader thread only.
  feed::ws_parser parser;
  feed::ws_frame frame;
  feed::sequence_tracker seq;
  std::unique_ptr<feed::ws_reader> reader;
  caf::actor self;  ///< the actor, for feed_event / product_status; reset when it exits
  std::vector<product_id> touched, recovered, snapshots, crossed;

  void notify(feed_event::kind_t k, std::vector<product_id> ps, std::string detail) {
    if (self)
      caf::anon_send(self, feed_event{k, std::move(ps), std::move(detail), clock.wall_now()});
  }

  /// Messages were lost for these products: forget their books, ask for fresh snapshots.
  void resubscribe(std::vector<product_id> ps, std::string why) {
    {
      std::lock_guard<std::mutex> g(mtx);
      for (auto& p : ps)
        books[p].invalidate();
    }
    if (reader) {
      reader->send(feed::unsubscribe_message("level2", ps));
      reader->send(feed::subscribe_message("level2", ps));
    }
    notify(feed_event::gap, std::move(ps), std::move(why));
  }

  std::vector<std::string> subscribe_messages() {
    std::vector<std::string> out;
    for (auto& c : opts.channels)
      out.push_back(feed::subscribe_message(c, c == "heartbeats" ? std::vector<product_id>{} : opts.products));
    return out;
  }

  void on_connected(ts_ns at) {
    seq.reset();
    std::lock_guard<std::mutex> g(mtx);
    for (auto& [p, b] : books)
      b.invalidate();  // the subscribes just sent bring fresh snapshots
    stats.connected.Set(1);
    if (self)
      caf::anon_send(self, feed_event{feed_event::connected, {}, opts.ws_url, at});
  }

  void on_disconnected(const std::string& why, ts_ns at) {
    stats.connected.Set(0);
    notify(feed_event::disconnected, opts.products, why);
  }

  template <class T>
  static void fan_out(const subscriber_list& subs, std::uint32_t bit, const std::vector<T>& xs) {
    if (xs.empty())
      return;
    for (auto& s : subs)
      if (s.mask & bit)
        for (auto& x : xs)
          caf::anon_send(s.handle, x);
  }

  /// The hot path: one frame from the socket to the subscribers.
  void on_frame(std::string_view text, ts_ns recv) {
    auto& f = frame;
    if (auto err = parser.parse(text, recv, f)) {
      stats.parse_errors.Increment();
      spdlog::warn("market_data: unparseable message ({}); treating it as lost", err->what);
      resubscribe(opts.products, "parse error: " + err->what);
      return;
    }
    per_channel[static_cast<std::size_t>(f.channel)]->Increment();
    if (f.channel == feed::ws_channel::error) {
      spdlog::warn("market_data: exchange error '{}'", f.error);
      return;
    }
    if (f.channel == feed::ws_channel::unknown)
      return;
    auto s = seq.observe(f.sequence);
    if (s.v == feed::sequence_tracker::verdict::old)
      return;  // already past it: a replay must not move a book backwards
    if (s.v == feed::sequence_tracker::verdict::gap) {
      stats.gaps.Increment();
      resubscribe(opts.products,
                  fmt::format("sequence gap: expected {} got {} ({} lost)", s.expected, f.sequence, s.missing));
    }
    touched.clear();
    recovered.clear();
    snapshots.clear();
    crossed.clear();
    for (auto& q : f.quotes)
      touched.push_back(q.product);
    for (auto& t : f.trades)
      touched.push_back(t.product);
    for (auto& c : f.candles)
      touched.push_back(c.product);
    std::shared_ptr<const subscriber_list> subs_now;
    auto mono = clock.mono_now();
    {
      std::lock_guard<std::mutex> g(mtx);
      subs_now = subs;
      for (auto& u : f.books) {
        auto& b = books[u.product];
        auto r = b.apply(u);
        if (r.unknown_deletes)
          stats.unknown_deletes.Increment(static_cast<double>(r.unknown_deletes));
        if (!r.applied)
          continue;
        touched.push_back(u.product);
        if (u.is_snapshot)
          snapshots.push_back(u.product);
        if (b.crossed())
          crossed.push_back(u.product);
      }
      for (auto& p : touched)
        if (staleness.touch(p, mono))
          recovered.push_back(p);
    }
    fan_out(*subs_now, want_books, f.books);
    fan_out(*subs_now, want_quotes, f.quotes);
    fan_out(*subs_now, want_trades, f.trades);
    fan_out(*subs_now, want_candles, f.candles);
    if (self)
      for (auto& st : f.statuses)
        caf::anon_send(self, st);  // the actor publishes and tells risk
    if (!snapshots.empty())
      notify(feed_event::snapshot, snapshots, "level2 snapshot");
    if (!recovered.empty()) {
      std::sort(recovered.begin(), recovered.end());
      recovered.erase(std::unique(recovered.begin(), recovered.end()), recovered.end());
      notify(feed_event::fresh, recovered, "data again");
    }
    if (!crossed.empty()) {
      stats.crossed.Increment(static_cast<double>(crossed.size()));
      resubscribe(crossed, "crossed book");
    }
  }
};

struct md_state {
  std::shared_ptr<feed_core> core;
  feed::gate_aggregator gate;
  std::map<product_id, product_state> status;
  bool ever_connected = false;
  feed::alert_latch gap_alert{std::chrono::nanoseconds(gap_alert_after).count()};
  static inline const char* name = names::market_data;
};

using self_ptr = caf::stateful_actor<md_state>*;

void tell_risk(self_ptr self, core::registry& reg, const std::optional<feed::gate_change>& c) {
  if (!c)
    return;
  spdlog::warn("market_data: gate {} {} ({})", to_string(c->reason), c->active ? "raised" : "cleared", c->detail);
  auto now = self->state.core->clock.wall_now();
  reg.send(self, names::risk, gate_signal{c->reason, c->active, c->detail, names::market_data, now});
  if (c->reason == gate_reason::sequence_gap) {
    auto act = self->state.gap_alert.set(c->active, now);
    if (c->active)
      self->delayed_send(self, gap_alert_after, gap_alert_atom::value, self->state.gap_alert.generation());
    if (act.resolve)
      reg.send(self, names::alerting, feed::sequence_gap_alert(names::market_data, c->detail, true, now));
  }
}

void publish_health(self_ptr self, const product_id& p, std::int64_t age_ns) {
  auto& st = self->state;
  feed_health h;
  h.product = p;
  h.sequence_gap = st.gate.has(gate_reason::sequence_gap, p);
  bool stale = st.gate.has(gate_reason::stale_data, p);
  h.healthy = !h.sequence_gap && !stale;
  h.age_ms = age_ns / ns_per_ms;
  h.ts = st.core->clock.wall_now();
  std::shared_ptr<const subscriber_list> subs;
  {
    std::lock_guard<std::mutex> g(st.core->mtx);
    subs = st.core->subs;
  }
  for (auto& s : *subs)
    if (s.mask & want_health)
      self->send(s.handle, h);
}

/// Sets or clears one per-product reason, tells risk, and publishes the product's health.
void set_reason(self_ptr self, core::registry& reg, gate_reason r, const product_id& p, bool active,
                std::int64_t age_ns = 0) {
  auto c = self->state.gate.set(r, p, active);
  if (!c)
    return;
  tell_risk(self, reg, c);
  publish_health(self, p, age_ns);
}

void replace_subs(self_ptr self, subscriber_list next) {
  auto& core = *self->state.core;
  core.stats.subscribers.Set(static_cast<double>(next.size()));
  std::lock_guard<std::mutex> g(core.mtx);
  core.subs = std::make_shared<const subscriber_list>(std::move(next));
}

caf::behavior market_data_impl(self_ptr self, core::registry* reg, std::shared_ptr<feed_core> core) {
  auto& st = self->state;
  st.core = core;
  core->self = caf::actor_cast<caf::actor>(self);
  {
    std::lock_guard<std::mutex> g(core->mtx);
    for (auto& p : core->opts.products)
      core->staleness.watch(p, core->clock.mono_now());
  }
  self->attach_functor([core] {
    // Runs when the actor exits (also on a supervisor restart): end the reader thread
    // before anything it uses goes away, and break the actor ↔ core reference cycle.
    if (core->reader)
      core->reader->stop();
    core->self = nullptr;
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto subs = *self->state.core->subs;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](auto& s) { return s.handle.address() == dm.source; }),
               subs.end());
    replace_subs(self, std::move(subs));
  });
  auto interval = core->opts.check_interval.count() > 0 ? core->opts.check_interval : core->opts.max_age / 4;
  if (interval.count() <= 0)
    interval = std::chrono::milliseconds{1};
  self->delayed_send(self, interval, check_atom::value);
  if (core->opts.injector) {
    feed_core* c = core.get();
    core->opts.injector->push = [c](std::string_view text, ts_ns recv) { c->on_frame(text, recv); };
  } else if (!core->opts.ws_url.empty()) {
    auto ro = feed::ws_reader_options::of(core->opts, std::max(core->opts.max_age * 3, std::chrono::milliseconds{5000}));
    feed_core* c = core.get();  // the reader is stopped before core dies (attach_functor)
    feed::ws_reader_hooks hooks;
    hooks.subscribe_messages = [c] { return c->subscribe_messages(); };
    hooks.on_connected = [c](ts_ns at) { c->on_connected(at); };
    hooks.on_frame = [c](std::string_view text, ts_ns recv) { c->on_frame(text, recv); };
    hooks.on_disconnected = [c](const std::string& why, ts_ns at) { c->on_disconnected(why, at); };
    core->reader = std::make_unique<feed::ws_reader>(ro, std::move(hooks), core->clock);
    core->reader->start();
  }
  return {
    core::probe_handler(self),
    [=](const subscribe_feed& req) -> subscribed {
      auto who = caf::actor_cast<caf::actor>(self->current_sender());
      if (who) {
        auto subs = *self->state.core->subs;
        auto it = std::find_if(subs.begin(), subs.end(), [&](auto& s) { return s.handle == who; });
        if (it == subs.end()) {
          self->monitor(who);
          subs.push_back(subscriber{who, mask_of(req.channels)});
        } else {
          it->mask = mask_of(req.channels);
        }
        replace_subs(self, std::move(subs));
        // A late subscriber learns what is already wrong.
        auto& g = self->state.gate;
        for (auto r : {gate_reason::sequence_gap, gate_reason::stale_data})
          for (auto& p : g.products(r)) {
            feed_health h{p, false, g.has(gate_reason::sequence_gap, p), 0, self->state.core->clock.wall_now()};
            self->send(who, h);
          }
        for (auto& [p, s] : self->state.status)
          if (s != product_state::online)
            self->send(who, product_status{p, s, 0, self->state.core->clock.wall_now()});
      }
      return subscribed{self->state.core->opts.products};
    },
    [=](const get_book& req) -> book_snapshot {
      auto& st = self->state;
      std::lock_guard<std::mutex> g(st.core->mtx);
      auto it = st.core->books.find(req.product);
      if (it == st.core->books.end()) {
        book_snapshot s;
        s.product = req.product;
        s.stale = true;
        return s;
      }
      auto s = it->second.top(req.product, req.depth);
      s.stale = !it->second.has_snapshot() || st.core->staleness.is_stale(req.product)
                || st.gate.has(gate_reason::sequence_gap, req.product);
      return s;
    },
    [=](const feed_event& e) {
      auto& st = self->state;
      switch (e.kind) {
        case feed_event::connected:
          if (st.ever_connected)
            st.core->stats.reconnects.Increment();
          st.ever_connected = true;
          spdlog::info("market_data: connected to {}", e.detail);
          break;
        case feed_event::disconnected:
          spdlog::warn("market_data: WebSocket lost ({})", e.detail);
          if (!st.ever_connected)
            break;  // never had data: nothing was lost, the staleness check covers the wait
          [[fallthrough]];
        case feed_event::gap:
          for (auto& p : e.products)
            set_reason(self, *reg, gate_reason::sequence_gap, p, true);
          break;
        case feed_event::snapshot:
          for (auto& p : e.products)
            set_reason(self, *reg, gate_reason::sequence_gap, p, false);
          break;
        case feed_event::fresh:
          for (auto& p : e.products)
            set_reason(self, *reg, gate_reason::stale_data, p, false);
          break;
      }
    },
    [=](const product_status& s) {
      // Anything but online stops new risk in that product at once, not at the next cycle.
      auto& st = self->state;
      st.status[s.product] = s.state;
      std::shared_ptr<const subscriber_list> subs;
      {
        std::lock_guard<std::mutex> g(st.core->mtx);
        subs = st.core->subs;
      }
      for (auto& sub : *subs)
        if (sub.mask & want_status)
          self->send(sub.handle, s);
      auto c = st.gate.set(gate_reason::product_degraded, s.product, s.state != product_state::online);
      tell_risk(self, *reg, c);
    },
    [=](gap_alert_atom, std::uint64_t generation) {
      auto now = self->state.core->clock.wall_now();
      if (self->state.gap_alert.check(generation, now).fire)
        reg->send(self, names::alerting,
                  feed::sequence_gap_alert(names::market_data, "sequence gap unresolved for 30 s; the gate stays closed",
                                           false, now));
    },
    [=](check_atom) {
      auto& st = self->state;
      auto& core = *st.core;
      auto mono = core.clock.mono_now();
      std::vector<feed::staleness_monitor::change> changes;
      std::vector<std::pair<product_id, std::int64_t>> ages;
      {
        std::lock_guard<std::mutex> g(core.mtx);
        changes = core.staleness.check(mono);
        for (auto& p : core.opts.products)
          ages.emplace_back(p, core.staleness.age_ns(p, mono));
      }
      for (auto& [p, age] : ages)
        core.stats.age[p.value].Set(static_cast<double>(age) / 1e9);
      for (auto& c : changes) {
        spdlog::warn("market_data: {} stale: no data for {} ms (max {} ms)", c.product.value, c.age_ns / ns_per_ms,
                     core.opts.max_age.count());
        set_reason(self, *reg, gate_reason::stale_data, c.product, true, c.age_ns);
      }
      self->delayed_send(self, interval, check_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_market_data(caf::actor_system& sys, core::registry& reg, feed::market_data_options opts) {
  static prometheus::Registry unexported;  // metrics of an actor nobody exports
  auto* r = opts.metrics ? opts.metrics : &unexported;
  auto core = std::make_shared<feed_core>(std::move(opts), *r);
  return sys.spawn(market_data_impl, &reg, std::move(core));
}

} // namespace trader::market_data

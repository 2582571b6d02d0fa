#include "actors/trading/triggers/triggers_actor.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

namespace trader::triggers {

namespace {

using nlohmann::json;
using poll_atom = caf::atom_constant<caf::atom("tr_poll")>;
using subscribe_atom = caf::atom_constant<caf::atom("tr_sub")>;
using backfill_atom = caf::atom_constant<caf::atom("tr_bfill")>;

/// One REST page waiting its turn (backfill is paced: one page in flight, then a pause).
struct queued_page {
  product_id product;
  signals::granularity gran;
  std::string why;
  signals::candle_page page;
};

struct triggers_stats {
  explicit triggers_stats(const metrics::actor_metrics& m)
    : bad_ticks_held(m.counter("bad_ticks_held_total", "Closed bars the bad-tick guard held (never evaluated).")),
      signals(m.counter("signals_total", "Trigger signals passed to strategies (after the per-cycle cap).")),
      blocked(m.gauge("blocked_products", "Eligible products blocked at the last cycle (series, bad tick, trend).")),
      backfills(m.counter("backfills_total", "REST candle pages requested.")),
      backfill_failures(m.counter("backfill_failures_total", "REST candle pages that failed.")),
      candle_mismatch(m.counter("candle_mismatch_total",
                                "Exchange 5-minute candles whose close differs from ours by more than 1 %.")),
      reloads_refused(m.counter("reloads_refused_total", "Configuration reloads refused (old parameters kept).")),
      dropped(m.counters("dropped_inputs_total", "Trades, bars and REST candles dropped as bad input, by reason.",
                         {{"reason", {}}}, 16)) {}
  prometheus::Counter& bad_ticks_held;
  prometheus::Counter& signals;
  prometheus::Gauge& blocked;
  prometheus::Counter& backfills;
  prometheus::Counter& backfill_failures;
  prometheus::Counter& candle_mismatch;
  prometheus::Counter& reloads_refused;
  metrics::labelled<prometheus::Counter> dropped;
};

struct triggers_state {
  options opts;
  core::registry* reg = nullptr;
  std::unique_ptr<signals::signal_engine> engine;
  std::map<std::pair<std::string, std::int64_t>, ts_ns> backfill_at;  ///< Last request per (product, gran).
  std::deque<queued_page> backfill_queue;      ///< Pages not asked yet, oldest want first.
  std::optional<queued_page> backfill_in_flight;  ///< The page asked and not answered yet.
  std::set<std::string> unhealthy;  ///< Products whose feed reported unhealthy.
  std::map<std::string, signals::drop_counts> drops_seen;  ///< Per product, as last reported.
  std::map<product_id, mono_ns> origin;  ///< Read time of each product's newest market_trades frame (tick_to_order).
  signal_batch last;
  caf::actor market_data;
  std::uint64_t held_seen = 0;
  std::uint64_t fired_seen = 0;
  std::unique_ptr<triggers_stats> stats;
  core::gate_reporter gate{names::triggers};  ///< crash_regime while the regime detector says crash.
  static inline const char* name = names::triggers;
};

using self_ptr = caf::stateful_actor<triggers_state>*;

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

/// Asks for one queued page; the next goes backfill_spacing after its answer, so a start
/// with many products does not take the public REST budget from everything else (the
/// limiter refuses data calls busy above its hold threshold: smoke, quotes, reconcile).
void ask_page(self_ptr self, const queued_page& q) {
  auto& st = self->state;
  st.backfill_in_flight = q;
  if (st.stats)
    st.stats->backfills.Increment();
  const auto p = q.product;
  const auto g = q.gran;
  const auto page = q.page;
  spdlog::debug("triggers: backfilling {} {} ({}): {} bars to {}", p.value, signals::name(g), q.why, page.count,
                page.end_s);
  auto done = [=] {
    auto& s = self->state;
    s.backfill_in_flight.reset();
    if (s.opts.backfill_spacing.count() > 0)
      self->delayed_send(self, s.opts.backfill_spacing, backfill_atom::value);
    else
      self->send(self, backfill_atom::value);
  };
  st.reg->request(self, names::products, std::chrono::seconds(30),
                  get_candles{p, static_cast<std::int32_t>(signals::seconds(g)), page.count, page.end_s})
    .then(
      [=](const candle_list& l) {
        auto& engine = *self->state.engine;
        auto r = engine.backfill(p, g, l.candles, now_of(self));
        // The page answered for [end − count × g, end]: what it left out had no trades.
        const ts_ns len = signals::length_ns(g);
        const ts_ns end = page.end_s * ns_per_s;
        const auto quiet = engine.fill_quiet(p, g, end - page.count * len, end + len);
        spdlog::debug("triggers: {} {} backfill added {} bars, {} quiet ones filled", p.value, signals::name(g),
                      r.added, quiet);
        done();
      },
      [=](caf::error& e) {
        if (self->state.stats)
          self->state.stats->backfill_failures.Increment();
        spdlog::warn("triggers: backfill of {} {} failed: {}", p.value, signals::name(g), to_string(e));
        // products not running (yet, or again): the next poll asks again, not backfill_retry later.
        if (core::registry::absent(e))
          self->state.backfill_at.erase(std::make_pair(p.value, signals::seconds(g)));
        done();
      });
}

void pump_backfill(self_ptr self) {
  auto& st = self->state;
  if (st.backfill_in_flight || st.backfill_queue.empty())
    return;
  auto q = std::move(st.backfill_queue.front());
  st.backfill_queue.pop_front();
  ask_page(self, q);
}

/// Whether pages of the series (p, g) are queued or in flight.
bool backfill_pending(const triggers_state& st, const product_id& p, signals::granularity g) {
  auto of_series = [&](const queued_page& q) { return q.product == p && q.gran == g; };
  return (st.backfill_in_flight && of_series(*st.backfill_in_flight))
         || std::any_of(st.backfill_queue.begin(), st.backfill_queue.end(), of_series);
}

/// Queues one wanted range's REST pages (newest page first; each page < 350 buckets),
/// unless pages of that series are still queued or in flight.
void backfill(self_ptr self, const signals::backfill_want& w) {
  auto& st = self->state;
  if (backfill_pending(st, w.product, w.gran))
    return;
  const auto bars = std::clamp<std::int32_t>(st.opts.backfill_bars, 1, 300);
  const std::size_t max_pages = st.opts.engine.capacity / static_cast<std::size_t>(bars) + 2;
  for (const auto& page : signals::backfill_pages(w, bars, max_pages))
    st.backfill_queue.push_back(queued_page{w.product, w.gran, w.why, page});
  pump_backfill(self);
}

/// Asks for what p's series need, at most once per backfill_retry per series.
void backfill_wanted(self_ptr self, const product_id& p, ts_ns now) {
  auto& st = self->state;
  const auto retry = std::chrono::duration_cast<std::chrono::nanoseconds>(st.opts.backfill_retry).count();
  std::set<std::int64_t> asked;  // granularities asked for in this call
  for (const auto& w : st.engine->wanted(p, now)) {
    // Pages of this series still queued or in flight: judge what it wants once they are in,
    // at the next poll (stamping the retry now would leave a want their answers do not cover
    // — a stale end when only the older pages were answered — for backfill_retry).
    if (!asked.count(signals::seconds(w.gran)) && backfill_pending(st, p, w.gran))
      continue;
    const auto key = std::make_pair(p.value, signals::seconds(w.gran));
    auto& at = st.backfill_at[key];
    if (!asked.count(key.second)) {
      if (at != 0 && now - at < retry)
        continue;
      at = now;
      asked.insert(key.second);
    }
    backfill(self, w);
  }
}

/// Bad input (trades, bars, REST candles) dropped since the last poll: counted by reason,
/// logged once per product and reason.
void report_drops(self_ptr self) {
  auto& st = self->state;
  for (const auto& p : st.engine->store().products()) {
    const auto now = st.engine->store().drops(p);
    auto& seen = st.drops_seen[p.value];
    for (std::size_t i = 0; i < signals::drop_reason_count; ++i) {
      if (now.by_reason[i] < seen.by_reason[i])  // a reload rebuilt the store
        seen.by_reason[i] = 0;
      if (now.by_reason[i] == seen.by_reason[i])
        continue;
      const auto r = static_cast<signals::drop_reason>(i);
      if (st.stats)
        st.stats->dropped[std::string(signals::name(r))].Increment(
          static_cast<double>(now.by_reason[i] - seen.by_reason[i]));
      // A trade of a bucket already closed, or a bucket we joined midway, is what every start
      // and reconnect brings: counted, logged at info; the other reasons are bad data: warn.
      const bool expected = r == signals::drop_reason::late_trade || r == signals::drop_reason::partial_bucket;
      if (seen.by_reason[i] == 0)
        spdlog::log(expected ? spdlog::level::info : spdlog::level::warn,
                    "triggers: {} input dropped: {} (logged once per product; trader_triggers_dropped_inputs_total)",
                    p.value, signals::name(r));
    }
    seen = now;
  }
}

/// Closes ended buckets, audits held bars, and asks for the backfills the series need.
void poll(self_ptr self) {
  auto& st = self->state;
  const auto now = now_of(self);
  st.engine->advance(now);
  report_drops(self);
  for (auto& [p, reason] : st.engine->take_held()) {
    spdlog::warn("triggers: bad tick held on {}: {}", p.value, reason);
    json j{{"product", p.value}, {"reason", reason}};
    st.reg->send(self, names::audit, audit_entry{"bad_tick", names::triggers, j.dump()});
  }
  const auto& c = st.engine->counts();
  if (st.stats) {
    st.stats->bad_ticks_held.Increment(static_cast<double>(c.bad_ticks_held - st.held_seen));
    st.stats->signals.Increment(static_cast<double>(c.fired - st.fired_seen));
  }
  st.held_seen = c.bad_ticks_held;
  const bool crash = st.engine->current_regime() == signals::regime::crash;
  if (st.gate.update(gate_reason::crash_regime, crash, crash ? st.engine->regime_reason() : ""))
    core::report_gate(self, *st.reg, st.gate, now);
  st.fired_seen = c.fired;
  for (const auto& p : st.opts.products)
    backfill_wanted(self, p, now);
}

void subscribe(self_ptr self) {
  auto md = self->state.reg->get(names::market_data);
  if (md && md != self->state.market_data)
    self->request(md, std::chrono::seconds(5), subscribe_feed{{"market_trades", "candles"}})
      .then(
        [=](const subscribed&) {
          if (self->state.market_data == md)
            return;  // an earlier request's answer came first: the builders already started
          self->state.market_data = md;
          // A new subscription: the buckets in progress began before we listened.
          for (const auto& p : self->state.opts.products)
            self->state.engine->store().start(p, now_of(self));
        },
        [](caf::error&) {});
  // Until subscribed (market_data not registered yet at start, or restarted), look again
  // every second: no live bar is built meanwhile. Once subscribed, every 10 s is enough to
  // notice a restarted market_data.
  self->delayed_send(self, self->state.market_data ? std::chrono::seconds(10) : std::chrono::seconds(1),
                     subscribe_atom::value);
}

json to_json(const signal_batch& b) {
  json products = json::array();
  for (const auto& ps : b.products) {
    json fired = json::array();
    for (const auto& f : ps.fired)
      fired.push_back({{"id", f.id}, {"strength", f.strength}, {"confidence", f.confidence}, {"detail", f.detail}});
    products.push_back({{"product", ps.product.value}, {"blocked", ps.blocked}, {"reason", ps.block_reason},
                        {"close", ps.last_close.to_double()}, {"atr", ps.atr.to_double()}, {"rsi", ps.rsi},
                        {"bar_start", ps.bar_start}, {"fired", fired}});
  }
  return {{"cycle", b.cycle}, {"ts", b.ts}, {"granularity_s", b.granularity_s}, {"regime", b.regime},
          {"size_multiplier", b.size_multiplier}, {"products", products}};
}

void on_config_changed(self_ptr self, const config_changed& c) {
  auto& st = self->state;
  if (!st.opts.reload)
    return;
  auto next = st.opts.reload();
  auto error = next.error.empty() ? st.engine->reconfigure(next.engine) : next.error;
  if (!error.empty()) {
    if (st.stats)
      st.stats->reloads_refused.Increment();
    spdlog::error("triggers: reload {} refused, the running parameters stay: {}", c.hash, error);
    json j{{"event", "reload_refused"}, {"hash", c.hash}, {"error", error}};
    st.reg->send(self, names::audit, audit_entry{"config", names::triggers, j.dump()});
    return;
  }
  st.opts.engine = std::move(next.engine);
  st.opts.products = std::move(next.products);
  st.opts.backfill_bars = next.backfill_bars;
  st.opts.backfill_retry = next.backfill_retry;
  spdlog::info("triggers: parameters reloaded (config {})", c.hash);
  poll(self);  // new series or timeframes ask for their backfill now
}

caf::behavior triggers_impl(self_ptr self, core::registry* reg, options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.reg = reg;
  st.engine = std::make_unique<signals::signal_engine>(st.opts.engine);
  if (st.opts.metrics)
    st.stats = std::make_unique<triggers_stats>(metrics::actor_metrics(*st.opts.metrics, names::triggers));
  subscribe(self);
  self->send(self, poll_atom::value);
  core::start_gate_reassert(self);
  return {
    [=](const market_trade& t) {
      auto& o = self->state.origin[t.product];
      o = std::max(o, t.origin_mono);
      self->state.engine->on_trade(t);
    },
    [=](const candle& c) {
      auto check = self->state.engine->store().cross_check(c);
      if (check.compared && check.close_diff_pct > 1.0) {
        if (self->state.stats)
          self->state.stats->candle_mismatch.Increment();
        spdlog::warn("triggers: {} candle at {} differs from ours: close {:.2f} %", c.product.value,
                     c.start / ns_per_s, check.close_diff_pct);
      }
    },
    [=](const feed_health& h) {
      auto& st = self->state;
      auto restart = [&] {
        for (const auto& p : st.opts.products)
          if (h.product.value.empty() || h.product == p)
            st.engine->store().start(p, now_of(self));
      };
      if (!h.healthy) {
        // Lost: restart the builders, so the minutes we cannot see are not closed as flat
        // "quiet" bars at the last price (a backfill keeps stored bars: they would stay). They
        // stay missing — stale or a gap, the product blocked — until the backfill brings them.
        if (st.unhealthy.insert(h.product.value).second)
          restart();
        return;
      }
      if (!st.unhealthy.erase(h.product.value))
        return;
      // Recovered: restart the builders (what came in meanwhile is partial) and backfill.
      restart();
      st.backfill_at.clear();
    },
    [=](poll_atom) {
      poll(self);
      self->delayed_send(self, self->state.opts.poll, poll_atom::value);
    },
    [=](subscribe_atom) { subscribe(self); },
    [=](backfill_atom) { pump_backfill(self); },
    [=](const config_changed& c) { on_config_changed(self, c); },
    [=](const universe_snapshot& u) {
      auto& st = self->state;
      const auto t0 = std::chrono::steady_clock::now();
      poll(self);
      auto batch = st.engine->evaluate(u, now_of(self));
      for (auto& ps : batch.products)  // the newest frame behind each product's bars
        if (auto it = st.origin.find(ps.product); it != st.origin.end())
          ps.origin_mono = it->second;
      if (st.stats)
        st.stats->blocked.Set(static_cast<double>(
          std::count_if(batch.products.begin(), batch.products.end(), [](const auto& p) { return p.blocked; })));
      st.reg->send(self, names::strategies, batch);
      st.last = std::move(batch);
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      st.reg->send(self, names::latency, latency_sample{"cycle.triggers", ns.count(), true, u.tick_ts});
    },
    [=](const get_signals&) {
      auto j = to_json(self->state.last);
      j["regime_reason"] = self->state.engine->regime_reason();
      j["bad_ticks_held"] = self->state.engine->counts().bad_ticks_held;
      // REST backfill pages still to come (queued, or one in flight): series they fill may be
      // short, stale or gapped until then.
      j["backfill_pending"] = self->state.backfill_queue.size() + (self->state.backfill_in_flight ? 1 : 0);
      // Whether trades reach the bar builders (subscribed to market_data's market_trades).
      j["subscribed"] = static_cast<bool>(self->state.market_data);
      // Each product's base series: closed bars stored, the newest one's start (null before
      // any) and the gaps inside it — history still missing shows here before it blocks.
      auto series = json::object();
      const auto& engine = *self->state.engine;
      for (const auto& p : self->state.opts.products) {
        const auto* s = engine.store().series(p, engine.base());
        const auto newest = s ? s->newest() : std::nullopt;
        series[p.value] = {{"bars", s ? s->size() : 0},
                           {"newest", newest ? json(format_rfc3339(newest->start)) : json(nullptr)},
                           {"gaps", s ? s->gaps().size() : 0}};
      }
      j["base_series"] = series;
      return j.dump();
    },
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [self] { return now_of(self); }),
  };
}

} // namespace

caf::actor spawn_triggers(caf::actor_system& sys, core::registry& reg, options opts) {
  return sys.spawn(triggers_impl, &reg, std::move(opts));
}

} // namespace trader::triggers

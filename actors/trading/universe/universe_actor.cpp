#include "actors/trading/universe/universe_actor.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::universe {

namespace {

using nlohmann::json;
using refresh_atom = caf::atom_constant<caf::atom("un_refresh")>;
using subscribe_atom = caf::atom_constant<caf::atom("un_sub")>;

struct universe_stats {
  explicit universe_stats(metrics::actor_metrics m)
    : eligible(m.gauge("eligible", "Products eligible at the last decision cycle.")),
      excluded(m.gauges("excluded", "Products excluded at the last decision cycle, by reason.", {{"reason", {}}}, 32)),
      refresh_failures(m.counter("refresh_failures_total", "Product-list or volume reads that failed.")) {}
  prometheus::Gauge& eligible;
  metrics::labelled<prometheus::Gauge> excluded;
  prometheus::Counter& refresh_failures;
};

struct universe_state {
  options opts;
  core::registry* reg = nullptr;
  std::map<std::string, signals::market_facts> facts;
  std::map<std::string, signals::ban> bans;
  universe_snapshot last;
  std::string last_key;       ///< Eligible set and reasons of the last audited snapshot.
  bool empty_alerted = false;
  caf::actor market_data;     ///< The market_data we are subscribed to.
  std::unique_ptr<universe_stats> stats;
  static inline const char* name = names::universe;
};

using self_ptr = caf::stateful_actor<universe_state>*;

json to_json(const universe_snapshot& s) {
  json eligible = json::array(), excluded = json::array();
  for (const auto& e : s.entries) {
    if (e.eligible)
      eligible.push_back({{"product", e.product.value}, {"tier", e.tier}});
    else
      excluded.push_back({{"product", e.product.value}, {"tier", e.tier}, {"reason", e.reason}});
  }
  return {{"cycle", s.cycle}, {"ts", s.ts}, {"eligible", eligible}, {"excluded", excluded}};
}

void read_volumes(self_ptr self) {
  for (const auto& p : self->state.opts.rules.rotational) {
    if (!self->state.facts[p].listed)
      continue;
    self->state.reg->request(self, names::products, std::chrono::seconds(30), get_candles{product_id{p}, 3600, 24})
      .then(
        [=](const candle_list& l) {
          double usd = 0;
          for (const auto& c : l.candles)
            usd += c.volume.to_double() * c.close.to_double();
          self->state.facts[p].volume_24h_usd = usd;
        },
        [=](caf::error& e) {
          if (self->state.stats)
            self->state.stats->refresh_failures.Increment();
          spdlog::warn("universe: 24 h volume of {} unavailable: {}", p, to_string(e));
        });
  }
}

void refresh(self_ptr self) {
  self->state.reg->request(self, names::products, std::chrono::seconds(30), get_products{})
    .then(
      [=](const product_list& l) {
        auto& facts = self->state.facts;
        for (auto& [id, f] : facts)
          f.listed = false;
        for (const auto& p : l.products) {
          auto& f = facts[p.product.value];
          f.listed = true;
          f.state = p.state;
          f.quote_currency = p.quote_currency;
        }
        read_volumes(self);
        self->delayed_send(self, self->state.opts.refresh, refresh_atom::value);
      },
      [=](caf::error& e) {
        if (self->state.stats)
          self->state.stats->refresh_failures.Increment();
        spdlog::warn("universe: product list unavailable ({}); retrying in {} s", to_string(e),
                     self->state.opts.retry.count());
        self->delayed_send(self, self->state.opts.retry, refresh_atom::value);
      });
}

void subscribe(self_ptr self) {
  auto md = self->state.reg->get(names::market_data);
  if (md && md != self->state.market_data)
    self->request(md, std::chrono::seconds(5), subscribe_feed{{"ticker", "status"}})
      .then([=](const subscribed&) { self->state.market_data = md; }, [](caf::error&) {});
  self->delayed_send(self, std::chrono::seconds(10), subscribe_atom::value);
}

void report(self_ptr self, const universe_snapshot& s) {
  auto& st = self->state;
  std::size_t n = 0;
  std::map<std::string, double> by_reason;
  std::string key;
  for (const auto& e : s.entries) {
    key += e.product.value + "=" + (e.eligible ? "ok" : e.reason) + ";";
    if (e.eligible)
      ++n;
    else
      by_reason[std::string(signals::exclusion_id(e.reason))] += 1;
  }
  if (st.stats) {
    st.stats->eligible.Set(static_cast<double>(n));
    for (const char* r : {"red_flag", "banned", "not_listed", "status", "quote_currency", "low_volume",
                          "volume_unknown", "wide_spread", "no_quote", "outside_liquidity_hours", "event_embargo", "rank"})
      st.stats->excluded[r].Set(by_reason.count(r) ? by_reason[r] : 0.0);
  }
  if (key != st.last_key) {
    st.last_key = key;
    st.reg->send(self, names::audit, audit_entry{"universe", names::universe, to_json(s).dump()});
    spdlog::info("universe: {} eligible of {} at cycle {}", n, s.entries.size(), s.cycle);
  }
  if ((n == 0) != st.empty_alerted) {
    st.empty_alerted = n == 0;
    alert a;
    a.type = "empty_universe";
    a.level = severity::warning;
    a.source = names::universe;
    a.title = n == 0 ? "The universe is empty: nothing can be traded" : "The universe has products again";
    a.detail = to_json(s)["excluded"].dump();
    a.resolved = n != 0;
    a.ts = s.ts;
    st.reg->send(self, names::alerting, a);
  }
}

caf::behavior universe_impl(self_ptr self, core::registry* reg, options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.reg = reg;
  if (st.opts.metrics)
    st.stats = std::make_unique<universe_stats>(metrics::actor_metrics(*st.opts.metrics, names::universe));
  refresh(self);
  subscribe(self);
  return {
    [=](const decision_tick& t) {
      auto& st = self->state;
      const auto t0 = std::chrono::steady_clock::now();
      for (const auto& p : signals::lift_expired(st.bans, t.ts))
        spdlog::info("universe: the ban of {} expired", p);
      universe_snapshot s{t.cycle, t.ts, t.ts, signals::build_universe(st.opts.rules, st.facts, st.bans, t.ts)};
      st.reg->send(self, names::triggers, s);
      report(self, s);
      st.last = std::move(s);
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      st.reg->send(self, names::latency, latency_sample{"cycle.universe", ns.count(), true, t.ts});
    },
    [=](const quote& q) {
      if (q.bid.units <= 0 || q.ask.units <= 0 || q.ask < q.bid)
        return;
      const double bid = q.bid.to_double(), ask = q.ask.to_double();
      self->state.facts[q.product.value].spread_bps = (ask - bid) / ((ask + bid) / 2) * 1e4;
    },
    [=](const product_status& s) { self->state.facts[s.product.value].state = s.state; },
    [=](const feed_health&) {
      // nop: staleness blocks products through their candle series (triggers) and the gate.
    },
    [=](refresh_atom) { refresh(self); },
    [=](subscribe_atom) { subscribe(self); },
    [=](const get_universe&) { return to_json(self->state.last).dump(); },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_universe(caf::actor_system& sys, core::registry& reg, options opts) {
  return sys.spawn(universe_impl, &reg, std::move(opts));
}

} // namespace trader::universe

#include "actors/trading/universe/universe_actor.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
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
  explicit universe_stats(const metrics::actor_metrics& m)
    : eligible(m.gauge("eligible", "Products eligible at the last decision cycle.")),
      excluded(m.gauges("excluded", "Products excluded at the last decision cycle, by reason.", {{"reason", {}}}, 32)),
      refresh_failures(m.counter("refresh_failures_total", "Product-list or volume reads that failed.")),
      bans(m.gauge("bans", "Temporary bans in force.")),
      ban_store_failures(m.counter("ban_store_failures_total", "Ban reads or writes the state store refused.")),
      reloads_refused(m.counter("reloads_refused_total", "Configuration reloads refused (old rules kept).")),
      quotes_held(m.counter("quotes_held_total", "Quotes the bad-tick guard held (their spread not used).")),
      red_flag_bans(m.counters("red_flag_bans_total", "Temporary bans raised by a red-flag rule, by rule.",
                               {{"rule", {"bad_ticks", "wide_spread", "status"}}}, 4)) {}
  prometheus::Gauge& eligible;
  metrics::labelled<prometheus::Gauge> excluded;
  prometheus::Counter& refresh_failures;
  prometheus::Gauge& bans;
  prometheus::Counter& ban_store_failures;
  prometheus::Counter& reloads_refused;
  prometheus::Counter& quotes_held;
  metrics::labelled<prometheus::Counter> red_flag_bans;
};

struct universe_state {
  options opts;
  core::registry* reg = nullptr;
  std::map<std::string, signals::market_facts> facts;
  std::map<std::string, signals::ban> bans;
  std::map<std::string, signals::bad_tick_guard> quote_guards;  ///< Per product, over quote mids.
  red_flag_monitor flags;     ///< The red-flag rules' state per product.
  universe_snapshot last;
  std::string last_key;       ///< Eligible set and reasons of the last audited snapshot.
  bool empty_alerted = false;
  caf::actor market_data;     ///< The market_data we are subscribed to.
  std::unique_ptr<universe_stats> stats;
  static inline const char* name = names::universe;
};

using self_ptr = caf::stateful_actor<universe_state>*;

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

void audit(self_ptr self, const char* kind, const json& j) {
  self->state.reg->send(self, names::audit, audit_entry{kind, names::universe, j.dump()});
}

json bans_json(const std::map<std::string, signals::ban>& bans) {
  json out = json::array();
  for (const auto& [p, b] : bans)
    out.push_back({{"product", p}, {"reason", b.reason}, {"until", b.until}});
  return out;
}

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

/// Listing dates: the product's new_at, else (rotational, listing age checked) the oldest
/// daily candle of one page — a page that is full means at least that many days old.
void read_listing_dates(self_ptr self) {
  const auto days = self->state.opts.rules.min_listing_age_days;
  if (days <= 0)
    return;
  for (const auto& p : self->state.opts.rules.rotational) {
    const auto& f = self->state.facts[p];
    if (!f.listed || f.listed_at)
      continue;
    const auto n = static_cast<std::int32_t>(std::min<std::int64_t>(300, days + 1));
    self->state.reg->request(self, names::products, std::chrono::seconds(30), get_candles{product_id{p}, 86400, n})
      .then(
        [=](const candle_list& l) {
          if (!l.candles.empty())
            self->state.facts[p].listed_at = l.candles.front().start;  // oldest first
        },
        [=](caf::error& e) {
          if (self->state.stats)
            self->state.stats->refresh_failures.Increment();
          spdlog::warn("universe: first daily candle of {} unavailable: {}", p, to_string(e));
        });
  }
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

/// Reads the product list (and then volumes and listing dates); `chain`: schedules the next
/// refresh (or the retry), false for a one-off after a reload.
void refresh(self_ptr self, bool chain = true) {
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
          if (p.listed_at != 0)
            f.listed_at = p.listed_at;
          self->state.flags.on_status(p.product.value, p.state);
        }
        read_volumes(self);
        read_listing_dates(self);
        if (chain)
          self->delayed_send(self, self->state.opts.refresh, refresh_atom::value);
      },
      [=](caf::error& e) {
        if (self->state.stats)
          self->state.stats->refresh_failures.Increment();
        // products not running (yet, or again): ask again in a second, not after the back-off.
        const auto wait = core::registry::absent(e) ? std::min(self->state.opts.retry, std::chrono::seconds{1})
                                                    : self->state.opts.retry;
        spdlog::warn("universe: product list unavailable ({}); retrying in {} s", to_string(e), wait.count());
        if (chain)
          self->delayed_send(self, wait, refresh_atom::value);
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
    for (const char* r : {"red_flag", "banned", "not_listed", "status", "quote_currency", "listing_unknown",
                          "listing_age", "low_volume",
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

/// A quote's spread, after the bad-tick guard: a held quote (its mid jumped more than
/// [bad_tick] max_jump_pct without confirmation) does not change the product's spread.
void on_quote(self_ptr self, const quote& q) {
  auto& st = self->state;
  if (q.bid.units <= 0 || q.ask.units <= 0 || q.ask < q.bid)
    return;
  const double bid = q.bid.to_double(), ask = q.ask.to_double();
  auto& guard = st.quote_guards.try_emplace(q.product.value, st.opts.quote_guard).first->second;
  auto d = guard.check_price((ask + bid) / 2);
  if (!d.passes()) {
    if (st.stats)
      st.stats->quotes_held.Increment();
    if (guard.counts().held == 1)  // the first of each product: the audit log has every held bar already
      audit(self, "bad_tick", json{{"product", q.product.value}, {"stream", "quote"}, {"reason", d.reason}});
    st.flags.on_held_quote(q.product.value, q.ts_recv > 0 ? q.ts_recv : now_of(self));  // the clock of the feed
    return;
  }
  st.facts[q.product.value].spread_bps = (ask - bid) / ((ask + bid) / 2) * 1e4;
}

void load_bans(self_ptr self) {
  auto& st = self->state;
  if (!st.opts.bans)
    return;
  std::string why;
  if (auto b = st.opts.bans->load(&why)) {
    st.bans = std::move(*b);
    if (!st.bans.empty())
      spdlog::info("universe: {} ban(s) restored from the state store", st.bans.size());
  } else {
    if (st.stats)
      st.stats->ban_store_failures.Increment();
    spdlog::error("universe: bans could not be read from the state store ({}); only new bans apply", why);
  }
}

caf::result<std::string> on_ban(self_ptr self, const ban_product& b) {
  auto& st = self->state;
  const auto& p = b.product.value;
  if (p.empty() || !(b.hours > 0) || b.hours > 8760)
    return trader::make_error(errc::invalid_argument, "ban: a product and 0 < hours <= 8760 are needed");
  const auto now = now_of(self);
  signals::ban ban{now + static_cast<ts_ns>(b.hours * 3600.0 * 1e9), b.reason.empty() ? "operator ban" : b.reason};
  if (st.opts.bans) {
    if (auto err = st.opts.bans->save(p, ban, now); !err.empty()) {
      if (st.stats)
        st.stats->ban_store_failures.Increment();
      spdlog::error("universe: ban of {} not persisted ({}); refused", p, err);
      return trader::make_error(errc::state_unavailable, "ban not persisted: " + err);
    }
  }
  st.bans[p] = ban;
  json j{{"event", "ban"}, {"product", p}, {"reason", ban.reason}, {"hours", b.hours}, {"until", ban.until},
         {"by", b.by}, {"persisted", st.opts.bans != nullptr}};
  audit(self, "universe_ban", j);
  spdlog::warn("universe: {} banned for {} h by {}: {}", p, b.hours, b.by.empty() ? "?" : b.by, ban.reason);
  if (st.stats)
    st.stats->bans.Set(static_cast<double>(st.bans.size()));
  return j.dump();
}

caf::result<std::string> on_unban(self_ptr self, const unban_product& u) {
  auto& st = self->state;
  const auto& p = u.product.value;
  if (!st.bans.count(p))
    return trader::make_error(errc::invalid_argument, "unban: " + p + " is not banned");
  if (st.opts.bans) {
    if (auto err = st.opts.bans->erase(p); !err.empty()) {
      if (st.stats)
        st.stats->ban_store_failures.Increment();
      return trader::make_error(errc::state_unavailable, "unban not persisted: " + err);
    }
  }
  st.bans.erase(p);
  json j{{"event", "unban"}, {"product", p}, {"by", u.by}};
  audit(self, "universe_ban", j);
  spdlog::warn("universe: ban of {} lifted by {}", p, u.by.empty() ? "?" : u.by);
  if (st.stats)
    st.stats->bans.Set(static_cast<double>(st.bans.size()));
  return j.dump();
}

void lift_expired_bans(self_ptr self, ts_ns now) {
  auto& st = self->state;
  for (const auto& p : signals::lift_expired(st.bans, now)) {
    spdlog::info("universe: the ban of {} expired", p);
    if (st.opts.bans)
      if (auto err = st.opts.bans->erase(p); !err.empty()) {
        if (st.stats)
          st.stats->ban_store_failures.Increment();
        spdlog::warn("universe: expired ban of {} not erased from the store ({}); lifted anyway", p, err);
      }
    audit(self, "universe_ban", json{{"event", "expired"}, {"product", p}});
  }
  if (st.stats)
    st.stats->bans.Set(static_cast<double>(st.bans.size()));
}

/// Every red flag of the cycle at `now` becomes a ban through the operator's path: written to
/// the store first, then in force. A store that refuses it does not stop it (a ban only stops
/// new entries; refusing it would trade the product the rule just flagged): it is held in
/// memory, counted and audited with persisted=false.
void raise_red_flags(self_ptr self, ts_ns now) {
  auto& st = self->state;
  std::vector<std::string> products = st.opts.rules.core;
  products.insert(products.end(), st.opts.rules.rotational.begin(), st.opts.rules.rotational.end());
  for (const auto& f : st.flags.evaluate(products, st.facts, st.opts.rules.max_spread_bps, st.opts.rules.red_flags,
                                         st.bans, now)) {
    auto ban = f.to_ban(now);
    bool persisted = false;
    if (st.opts.bans) {
      if (auto err = st.opts.bans->save(f.product, ban, now); !err.empty()) {
        if (st.stats)
          st.stats->ban_store_failures.Increment();
        spdlog::error("universe: red-flag ban of {} not persisted ({}); in force until a restart", f.product, err);
      } else {
        persisted = true;
      }
    }
    st.bans[f.product] = ban;
    if (st.stats)
      st.stats->red_flag_bans[f.rule].Increment();
    audit(self, "universe_ban",
          json{{"event", "red_flag"}, {"product", f.product}, {"rule", f.rule}, {"figures", f.figures},
               {"reason", ban.reason}, {"hours", f.hours}, {"until", ban.until}, {"by", "red_flag"},
               {"persisted", persisted}});
    spdlog::warn("universe: {} banned for {} h by red flag {}: {}", f.product, f.hours, f.rule, f.figures);
  }
  if (st.stats)
    st.stats->bans.Set(static_cast<double>(st.bans.size()));
}

void on_config_changed(self_ptr self, const config_changed& c) {
  auto& st = self->state;
  if (!st.opts.reload)
    return;
  auto next = st.opts.reload();
  if (!next.error.empty()) {
    if (st.stats)
      st.stats->reloads_refused.Increment();
    spdlog::error("universe: reload {} refused, the running rules stay: {}", c.hash, next.error);
    audit(self, "config", json{{"event", "reload_refused"}, {"hash", c.hash}, {"error", next.error}});
    return;
  }
  st.opts.rules = std::move(next.rules);
  st.opts.refresh = next.refresh;
  st.opts.red_flags = next.red_flags;
  st.flags.set_params(next.red_flags);
  if (!(next.quote_guard == st.opts.quote_guard)) {
    st.opts.quote_guard = next.quote_guard;
    st.quote_guards.clear();
  }
  spdlog::info("universe: rules reloaded (config {})", c.hash);
  refresh(self, false);  // new tiers need their listing, volumes and dates (the timer chain runs on)
}

caf::behavior universe_impl(self_ptr self, core::registry* reg, options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.reg = reg;
  st.flags.set_params(st.opts.red_flags);
  if (st.opts.metrics)
    st.stats = std::make_unique<universe_stats>(metrics::actor_metrics(*st.opts.metrics, names::universe));
  load_bans(self);
  refresh(self);
  subscribe(self);
  return {
    [=](const decision_tick& t) {
      auto& st = self->state;
      const auto t0 = std::chrono::steady_clock::now();
      lift_expired_bans(self, t.ts);
      raise_red_flags(self, t.ts);
      universe_snapshot s{t.cycle, t.ts, t.ts, signals::build_universe(st.opts.rules, st.facts, st.bans, t.ts)};
      st.reg->send(self, names::triggers, s);
      report(self, s);
      st.last = std::move(s);
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      st.reg->send(self, names::latency, latency_sample{"cycle.universe", ns.count(), true, t.ts});
    },
    [=](const quote& q) { on_quote(self, q); },
    [=](const product_status& s) {
      self->state.facts[s.product.value].state = s.state;
      self->state.flags.on_status(s.product.value, s.state);
    },
    [=](const feed_health&) {
      // nop: staleness blocks products through their candle series (triggers) and the gate.
    },
    [=](refresh_atom) { refresh(self); },
    [=](subscribe_atom) { subscribe(self); },
    [=](const get_universe&) {
      auto j = to_json(self->state.last);
      j["bans"] = bans_json(self->state.bans);
      j["bans_persisted"] = self->state.opts.bans != nullptr;
      // What the catalogue lists so far (read at start and every refresh): a product missing
      // here is excluded not_listed at the next cycle.
      auto listed = nlohmann::json::array();
      for (const auto& [id, f] : self->state.facts)
        if (f.listed)
          listed.push_back(id);
      j["listed"] = listed;
      return j.dump();
    },
    [=](const ban_product& b) { return on_ban(self, b); },
    [=](const unban_product& u) { return on_unban(self, u); },
    [=](const config_changed& c) { on_config_changed(self, c); },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_universe(caf::actor_system& sys, core::registry& reg, options opts) {
  return sys.spawn(universe_impl, &reg, std::move(opts));
}

} // namespace trader::universe

// The universe actor's operator bans, automatic red-flag bans and configuration reloads
// (issue 14), and the triggers' and strategies' reloads, on CAF's deterministic scheduler
// with fakes for products, market_data, audit and alerting, a manual wall clock and an
// in-memory ban store.

#include "actors/trading/strategies/strategies_actor.hpp"
#include "actors/trading/triggers/triggers_actor.hpp"
#include "actors/trading/universe/universe_actor.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

using namespace trader;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// 2026-12-02 12:00:00 UTC.
constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
constexpr ts_ns hour = 3600 * ns_per_s;
constexpr ts_ns day = 24 * hour;

struct world {
  ts_ns now = t0;
  std::vector<audit_entry> audits;
  std::map<std::string, ts_ns> listed_at{{"BTC-USD", t0 - 900 * day}, {"ETH-USD", t0 - 900 * day},
                                         {"SOL-USD", t0 - 10 * day}};
  std::map<std::string, int> history_days;  ///< Daily candles the exchange has (no entry: plenty).
  std::vector<std::string> events(const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& a : audits)
      if (a.kind == kind)
        out.push_back(json::parse(a.payload_json).value("event", ""));
    return out;
  }
};

caf::behavior fake_products(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {
    [=](const get_products&) -> product_list {
      product_list l;
      for (const auto& [p, at] : w->listed_at) {
        product_info i;
        i.product = product_id{p};
        i.quote_currency = "USD";
        i.listed_at = at;
        l.products.push_back(i);
      }
      return l;
    },
    [=](const get_candles& q) -> candle_list {
      candle_list l;  // 24 hourly candles of 1e6 base at 100 USD: 2.4e9 USD of 24 h volume
      int n = q.count;  // daily candles: as many as the product's history has
      if (q.granularity_s == 86400 && w->history_days.count(q.product.value))
        n = std::min(n, w->history_days[q.product.value]);
      for (int i = q.count - n; i < q.count; ++i)
        l.candles.push_back(candle{q.product, q.granularity_s, w->now - (q.count - i) * q.granularity_s * ns_per_s,
                                   price::from_double(100), price::from_double(100), price::from_double(100),
                                   price::from_double(100), size::from_double(1e6), w->now});
      return l;
    },
  };
}

caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world> w) {
  return {
    [=](const audit_entry& e) { w->audits.push_back(e); },
    [=](const alert&) {},
    [=](const subscribe_feed&) -> subscribed { return subscribed{}; },
    [=](const universe_snapshot&) {},
    [=](const latency_sample&) {},
  };
}

class UniverseActorTest : public test::actor_fixture {
protected:
  void SetUp() override {
    reg_.put(names::products, keep(sys().spawn(fake_products, w)));
    auto sink = keep(sys().spawn(fake_sink, w));
    for (const char* n : {names::audit, names::alerting, names::market_data, names::triggers, names::latency})
      reg_.put(n, sink);
  }

  caf::actor start_universe() {
    universe::options o;
    o.rules = rules;
    o.bans = store;
    o.now = [x = w] { return x->now; };
    o.reload = [this] { return next; };
    o.red_flags = flags;
    o.metrics = &metrics;
    auto u = keep(universe::spawn_universe(sys(), reg_, o));
    reg_.put(names::universe, u);
    run();
    return u;
  }

  json universe_at(const caf::actor& u, ts_ns t, std::int64_t cycle = 1) {
    caf::anon_send(u, decision_tick{cycle, 20'000, t});
    run();
    auto r = request<std::string>(u, 5s, get_universe{});
    return json::parse(r->value.value_or("{}"));
  }

  static std::string reason_of(const json& u, const std::string& p) {
    for (const auto& e : u["excluded"])
      if (e["product"] == p)
        return e["reason"];
    return "";
  }

  std::shared_ptr<world> w = std::make_shared<world>();
  std::shared_ptr<universe::memory_ban_store> store = std::make_shared<universe::memory_ban_store>();
  signals::universe_rules rules = [] {
    signals::universe_rules r;
    r.core = {"BTC-USD", "ETH-USD"};
    r.rotational = {"SOL-USD"};
    r.min_24h_volume_usd = 0;
    return r;
  }();
  universe::reloaded next;
  universe::red_flag_params flags;
  prometheus::Registry metrics;
};

/// trader_universe_red_flag_bans_total{rule}.
double red_flag_bans(prometheus::Registry& m, const std::string& rule) {
  double n = 0;
  for (auto& f : m.Collect())
    if (f.name == "trader_universe_red_flag_bans_total")
      for (auto& s : f.metric)
        for (auto& l : s.label)
          if (l.name == "rule" && l.value == rule)
            n += s.counter.value;
  return n;
}

/// The payloads of the universe_ban audit entries with event `event`.
std::vector<json> ban_audits(const world& w, const std::string& event) {
  std::vector<json> out;
  for (const auto& a : w.audits)
    if (a.kind == "universe_ban" && json::parse(a.payload_json).value("event", "") == event)
      out.push_back(json::parse(a.payload_json));
  return out;
}


TEST_F(UniverseActorTest, ABanIsPersistedShownAndSurvivesARestart) {
  auto u = start_universe();
  auto r = request<std::string>(u, 5s, ban_product{product_id{"ETH-USD"}, 2.0, "exploit rumour", "test"});
  ASSERT_TRUE(r->value) << describe(r->err);
  ASSERT_EQ(store->bans.count("ETH-USD"), 1u);
  EXPECT_EQ(store->bans["ETH-USD"].until, t0 + 2 * hour);
  auto snap = universe_at(u, t0 + hour);
  EXPECT_EQ(reason_of(snap, "ETH-USD").rfind("banned: exploit rumour", 0), 0u) << snap.dump();
  ASSERT_EQ(snap["bans"].size(), 1u);
  EXPECT_TRUE(snap["bans_persisted"].get<bool>());
  EXPECT_EQ(w->events("universe_ban"), std::vector<std::string>{"ban"});

  caf::anon_send_exit(u, caf::exit_reason::kill);  // a restart reads the bans back
  run();
  auto again = start_universe();
  EXPECT_NE(reason_of(universe_at(again, t0 + hour), "ETH-USD").find("exploit rumour"), std::string::npos);
}

TEST_F(UniverseActorTest, ABanIsLiftedAndErasedAtExpiry) {
  auto u = start_universe();
  request<std::string>(u, 5s, ban_product{product_id{"ETH-USD"}, 1.0, "halted", "test"});
  auto later = universe_at(u, t0 + hour + ns_per_s);
  EXPECT_EQ(reason_of(later, "ETH-USD"), "");
  EXPECT_TRUE(later["bans"].empty());
  EXPECT_TRUE(store->bans.empty());
  EXPECT_EQ(w->events("universe_ban"), (std::vector<std::string>{"ban", "expired"}));
}

TEST_F(UniverseActorTest, UnbanLiftsAtOnceAndAnUnknownUnbanIsRefused) {
  auto u = start_universe();
  request<std::string>(u, 5s, ban_product{product_id{"ETH-USD"}, 5.0, "halted", "test"});
  auto r = request<std::string>(u, 5s, unban_product{product_id{"ETH-USD"}, "test"});
  EXPECT_TRUE(r->value);
  EXPECT_TRUE(store->bans.empty());
  EXPECT_EQ(reason_of(universe_at(u, t0 + hour), "ETH-USD"), "");
  auto again = request<std::string>(u, 5s, unban_product{product_id{"ETH-USD"}, "test"});
  EXPECT_FALSE(again->value);
  EXPECT_TRUE(is(again->err, errc::invalid_argument));
}

TEST_F(UniverseActorTest, ABanTheStoreDoesNotTakeIsRefusedAndNotApplied) {
  store->fail = true;
  auto u = start_universe();
  auto r = request<std::string>(u, 5s, ban_product{product_id{"ETH-USD"}, 2.0, "x", "test"});
  EXPECT_FALSE(r->value);
  EXPECT_TRUE(is(r->err, errc::state_unavailable));
  EXPECT_EQ(reason_of(universe_at(u, t0 + hour), "ETH-USD"), "");
  auto bad = request<std::string>(u, 5s, ban_product{product_id{"ETH-USD"}, 0.0, "x", "test"});
  EXPECT_TRUE(is(bad->err, errc::invalid_argument));
}

TEST_F(UniverseActorTest, ARotationalProductYoungerThanTheListingAgeIsExcluded) {
  rules.min_listing_age_days = 30;
  auto u = start_universe();
  auto snap = universe_at(u, t0);
  EXPECT_EQ(reason_of(snap, "SOL-USD").rfind("listing_age: listed 10.0 d ago", 0), 0u) << snap.dump();
  EXPECT_EQ(reason_of(snap, "BTC-USD"), "");
}

TEST_F(UniverseActorTest, WithoutNewAtTheFirstDailyCandleDatesTheListing) {
  rules.min_listing_age_days = 30;
  rules.rotational = {"SOL-USD", "AVAX-USD"};
  w->listed_at = {{"BTC-USD", 0}, {"ETH-USD", 0}, {"SOL-USD", 0}, {"AVAX-USD", 0}};  // no new_at
  w->history_days["SOL-USD"] = 12;  // listed 12 days ago: 12 daily candles
  auto u = start_universe();
  auto snap = universe_at(u, t0);
  EXPECT_EQ(reason_of(snap, "SOL-USD").rfind("listing_age: listed 12.0 d ago < 30 d", 0), 0u) << snap.dump();
  EXPECT_EQ(reason_of(snap, "AVAX-USD"), "") << snap.dump();  // a full page: at least 31 days
}

TEST_F(UniverseActorTest, AWildQuoteIsHeldByTheBadTickGuardAndDoesNotSetTheSpread) {
  rules.max_spread_bps = 50;
  auto u = start_universe();
  auto q = [&](double bid, double ask) {
    quote x{};
    x.product = product_id{"BTC-USD"};
    x.bid = price::from_double(bid);
    x.ask = price::from_double(ask);
    caf::anon_send(u, x);
    run();
  };
  q(100.0, 100.1);  // 10 bps
  EXPECT_EQ(reason_of(universe_at(u, t0), "BTC-USD"), "");
  q(150.0, 160.0);  // mid +55 %, 645 bps: a bad tick, held
  EXPECT_EQ(reason_of(universe_at(u, t0, 2), "BTC-USD"), "");
  std::size_t held = 0;
  for (const auto& a : w->audits)
    held += a.kind == "bad_tick" && json::parse(a.payload_json).value("stream", "") == "quote";
  EXPECT_EQ(held, 1u);
  q(100.0, 101.0);  // a real quote again, 100 bps: the spread filter sees it
  EXPECT_EQ(reason_of(universe_at(u, t0, 3), "BTC-USD").rfind("wide_spread", 0), 0u);
}

// A rotational product's 24 h quote volume is the sum of volume × close of its 24 hourly
// candles (24 × 1e6 × 100 USD here): below min_24h_volume_usd it is excluded with the figure.
TEST_F(UniverseActorTest, TheDailyVolumeComesFromHourlyCandlesAndGatesARotationalProduct) {
  rules.min_24h_volume_usd = 2.5e9;
  auto u = start_universe();
  auto snap = universe_at(u, t0);
  EXPECT_EQ(reason_of(snap, "SOL-USD").rfind("low_volume: volume_24h_usd=2400000000.0 < 2500000000.0", 0), 0u)
    << snap.dump();
  next.rules = rules;
  next.rules.min_24h_volume_usd = 2.3e9;
  caf::anon_send(u, config_changed{"hash-2", {"eligibility"}});
  run();
  EXPECT_EQ(reason_of(universe_at(u, t0, 2), "SOL-USD"), "");
}

TEST_F(UniverseActorTest, AReloadAppliesNewRulesAndAnInvalidOneIsRefusedKeepingTheOld) {
  auto u = start_universe();
  EXPECT_EQ(reason_of(universe_at(u, t0), "ETH-USD"), "");
  next.rules = rules;
  next.rules.red_flags = {"ETH-USD"};
  caf::anon_send(u, config_changed{"hash-2", {"red_flags"}});
  run();
  EXPECT_EQ(reason_of(universe_at(u, t0, 2), "ETH-USD").rfind("red_flag", 0), 0u);

  next.rules = rules;  // would lift the red flag, but the reload is unusable
  next.error = "event calendar unusable: cal.txt:3: bad time";
  caf::anon_send(u, config_changed{"hash-3", {"universe"}});
  run();
  EXPECT_EQ(reason_of(universe_at(u, t0, 3), "ETH-USD").rfind("red_flag", 0), 0u);
  EXPECT_EQ(w->events("config"), std::vector<std::string>{"reload_refused"});
}

TEST_F(UniverseActorTest, TriggersRefuseAReloadTheEngineCannotApply) {
  triggers::options o;
  o.engine.triggers.granularity = "ONE_MINUTE";
  o.products = {product_id{"BTC-USD"}};
  o.now = [x = w] { return x->now; };
  triggers::reloaded next_engine;
  next_engine.engine.triggers.granularity = "SEVEN_MINUTE";
  o.reload = [&] { return next_engine; };
  auto t = keep(triggers::spawn_triggers(sys(), reg_, o));
  run();
  caf::anon_send(t, config_changed{"hash-2", {"triggers"}});
  run();
  EXPECT_EQ(w->events("config"), std::vector<std::string>{"reload_refused"});
  EXPECT_TRUE(alive(t));
  next_engine.engine.triggers.granularity = "FIVE_MINUTE";
  caf::anon_send(t, config_changed{"hash-3", {"triggers"}});
  run();
  EXPECT_EQ(w->events("config").size(), 1u);  // applied: nothing more refused
  caf::anon_send(t, universe_snapshot{1, t0, t0, {{product_id{"BTC-USD"}, "core", true, ""}}});
  run();
  auto sig = json::parse(request<std::string>(t, 5s, get_signals{})->value.value_or("{}"));
  EXPECT_EQ(sig["granularity_s"], 300);  // the reloaded base timeframe
}

TEST_F(UniverseActorTest, TriggersCountBadInputByReason) {
  prometheus::Registry metrics;
  triggers::options o;
  o.engine.triggers.granularity = "ONE_MINUTE";
  o.products = {product_id{"BTC-USD"}};
  o.now = [x = w] { return x->now; };
  o.metrics = &metrics;
  auto t = keep(triggers::spawn_triggers(sys(), reg_, o));
  run();
  const trade_id id{"1"};
  for (double px : {-5.0, 0.0})  // two non-positive prices, then one negative size
    caf::anon_send(t, market_trade{product_id{"BTC-USD"}, id, price::from_double(px), size::from_double(1), side::buy,
                                   w->now + ns_per_s, w->now + ns_per_s});
  caf::anon_send(t, market_trade{product_id{"BTC-USD"}, id, price::from_double(100), size::from_double(-1), side::buy,
                                 w->now + ns_per_s, w->now + ns_per_s});
  caf::anon_send(t, caf::atom("tr_poll"));
  run();
  auto dropped = [&](const std::string& reason) {
    double n = 0;
    for (auto& f : metrics.Collect())
      if (f.name == "trader_triggers_dropped_inputs_total")
        for (auto& m : f.metric)
          for (auto& l : m.label)
            if (l.name == "reason" && l.value == reason)
              n += m.counter.value;
    return n;
  };
  EXPECT_EQ(dropped("non_positive_price"), 2);
  EXPECT_EQ(dropped("negative_volume"), 1);
}

TEST_F(UniverseActorTest, StrategiesRefuseAReloadWithAnUnknownKind) {
  EXPECT_EQ(strategies::check_strategies({}), "");
  signals::strategy_params bad;
  bad.name = "x";
  bad.enabled = true;
  bad.kind = "martingale";
  EXPECT_NE(strategies::check_strategies({bad}).find("unknown kind"), std::string::npos);
  bad.kind = "rules";
  bad.trigger = "astrology";
  EXPECT_NE(strategies::check_strategies({bad}).find("unknown trigger"), std::string::npos);
  bad.enabled = false;  // a disabled strategy is not checked
  EXPECT_EQ(strategies::check_strategies({bad}), "");

  strategies::options o;
  o.now = [x = w] { return x->now; };
  strategies::reloaded next_s;
  bad.enabled = true;
  next_s.strategies = {bad};
  o.reload = [&] { return next_s; };
  auto s = keep(strategies::spawn_strategies(sys(), reg_, o));
  run();
  caf::anon_send(s, config_changed{"hash-2", {"strategies"}});
  run();
  EXPECT_EQ(w->events("config"), std::vector<std::string>{"reload_refused"});
}

// A spread above K x max_spread_bps for M cycles: a ban written to the store with its expiry,
// in force at once, audited with the rule and figures, counted, shown; lifted at expiry.
TEST_F(UniverseActorTest, AWideSpreadRedFlagIsPersistedWithExpiryAndLiftedAtIt) {
  rules.max_spread_bps = 50;
  flags.wide_spread_multiple = 3;
  flags.wide_spread_cycles = 2;
  flags.wide_spread_ban_hours = 6;
  auto u = start_universe();
  quote q{};
  q.product = product_id{"ETH-USD"};
  q.bid = price::from_double(100);
  q.ask = price::from_double(102);  // 198 bps > 150
  caf::anon_send(u, q);
  run();
  EXPECT_EQ(reason_of(universe_at(u, t0, 1), "ETH-USD").rfind("wide_spread", 0), 0u);
  EXPECT_TRUE(store->bans.empty());  // one cycle: not yet
  auto snap = universe_at(u, t0 + 60 * ns_per_s, 2);
  ASSERT_EQ(store->bans.count("ETH-USD"), 1u);
  EXPECT_EQ(store->bans["ETH-USD"].until, t0 + 60 * ns_per_s + 6 * hour);
  EXPECT_EQ(reason_of(snap, "ETH-USD").rfind("banned: red_flag wide_spread: spread_bps=198.0 > 150.0", 0), 0u)
    << snap.dump();
  ASSERT_EQ(snap["bans"].size(), 1u);
  EXPECT_EQ(snap["bans"][0]["until"], t0 + 60 * ns_per_s + 6 * hour);
  auto a = ban_audits(*w, "red_flag");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["rule"], "wide_spread");
  EXPECT_EQ(a[0]["persisted"], true);
  EXPECT_EQ(a[0]["hours"], 6.0);
  EXPECT_NE(a[0]["figures"].get<std::string>().find("for 2 cycles"), std::string::npos);
  EXPECT_EQ(red_flag_bans(metrics, "wide_spread"), 1.0);
  EXPECT_EQ(red_flag_bans(metrics, "bad_ticks"), 0.0);

  caf::anon_send_exit(u, caf::exit_reason::kill);  // a restart reads the red-flag ban back
  run();
  auto again = start_universe();
  EXPECT_EQ(reason_of(universe_at(again, t0 + hour, 3), "ETH-USD").rfind("banned: red_flag", 0), 0u);
  q.ask = price::from_double(100.1);  // the spread is normal again: nothing new is raised
  caf::anon_send(again, q);
  run();
  auto later = universe_at(again, t0 + 60 * ns_per_s + 6 * hour, 4);
  EXPECT_EQ(reason_of(later, "ETH-USD"), "") << later.dump();
  EXPECT_TRUE(store->bans.empty());
  EXPECT_EQ(ban_audits(*w, "expired").size(), 1u);
}

// A status change to offline bans the product; an operator unban lifts it, and the status
// that stays offline does not raise it again (the status check still excludes the product).
TEST_F(UniverseActorTest, AStatusRedFlagBansAndAnOperatorUnbanLiftsIt) {
  flags.status_ban_hours = 12;
  auto u = start_universe();
  EXPECT_EQ(reason_of(universe_at(u, t0, 1), "BTC-USD"), "");
  caf::anon_send(u, product_status{product_id{"BTC-USD"}, product_state::offline, t0, t0});
  run();
  auto snap = universe_at(u, t0 + 60 * ns_per_s, 2);
  EXPECT_EQ(reason_of(snap, "BTC-USD"), "banned: red_flag status: state=offline (until " +
                                            std::to_string((t0 + 60 * ns_per_s + 12 * hour) / ns_per_s) + ")")
    << snap.dump();
  EXPECT_EQ(store->bans.count("BTC-USD"), 1u);
  EXPECT_EQ(red_flag_bans(metrics, "status"), 1.0);
  auto r = request<std::string>(u, 5s, unban_product{product_id{"BTC-USD"}, "test"});
  ASSERT_TRUE(r->value) << describe(r->err);
  EXPECT_TRUE(store->bans.empty());
  EXPECT_EQ(reason_of(universe_at(u, t0 + 120 * ns_per_s, 3), "BTC-USD"), "status: offline");
  EXPECT_TRUE(store->bans.empty());
  EXPECT_EQ(red_flag_bans(metrics, "status"), 1.0);
}

// Quotes the bad-tick guard holds count towards bad_ticks; a store that refuses the ban does
// not stop it (in force, audited persisted=false, counted as a store failure).
TEST_F(UniverseActorTest, HeldQuotesRaiseABadTicksBanEvenWhenTheStoreRefusesIt) {
  flags.bad_ticks_count = 3;
  flags.bad_ticks_ban_hours = 2;
  store->fail = true;
  auto u = start_universe();
  auto q = [&](double mid) {
    quote x{};
    x.product = product_id{"SOL-USD"};
    x.ts_event = x.ts_recv = w->now;  // held quotes count at the feed's time
    x.bid = price::from_double(mid - 0.05);
    x.ask = price::from_double(mid + 0.05);
    caf::anon_send(u, x);
    run();
  };
  q(100);
  for (int i = 0; i < 2; ++i) {
    q(150);  // held
    q(100);  // the reference again
  }
  EXPECT_EQ(reason_of(universe_at(u, t0, 1), "SOL-USD"), "");  // 2 held < 3
  q(150);
  auto snap = universe_at(u, t0 + ns_per_s, 2);
  EXPECT_EQ(reason_of(snap, "SOL-USD").rfind("banned: red_flag bad_ticks: held=3 within 3600 s (limit 3)", 0), 0u)
    << snap.dump();
  EXPECT_TRUE(store->bans.empty());
  auto a = ban_audits(*w, "red_flag");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["persisted"], false);
  EXPECT_EQ(red_flag_bans(metrics, "bad_ticks"), 1.0);
}

// Subtrees start concurrently: universe may ask for the product list before products runs
// (or while it restarts). That is asked again a second later, not after the 30 s back-off.
TEST_F(UniverseActorTest, AProductListAskedBeforeProductsRunsIsAskedAgainASecondLater) {
  auto products = reg_.get(names::products);
  reg_.erase_if(names::products, products.address());
  auto u = start_universe();
  auto listed = [&] {
    auto r = request<std::string>(u, 5s, get_universe{});
    return json::parse(r->value.value_or("{}")).value("listed", json::array()).size();
  };
  EXPECT_EQ(listed(), 0u);
  reg_.put(names::products, products);
  advance(1s);
  EXPECT_EQ(listed(), 3u);
}

} // namespace

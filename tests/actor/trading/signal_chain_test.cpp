// The decision chain on CAF's deterministic scheduler (issue 14): decision_tick → universe →
// triggers (REST backfill, closed bars) → strategies → trade_proposal requested from risk,
// with fakes for products, market_data, order_lifecycle, risk, audit and alerting and a
// manual wall clock.

#include "actors/trading/strategies/strategies_actor.hpp"
#include "actors/trading/triggers/triggers_actor.hpp"
#include "actors/trading/universe/universe_actor.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <set>

using namespace trader;
using namespace std::chrono_literals;

namespace {

/// 2026-12-02 12:00:00 UTC.
constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
constexpr ts_ns minute = 60 * ns_per_s;
price px(double v) { return price::from_double(v); }

struct world_box {
  ts_ns now = t0 + 30 * minute + 5 * ns_per_s;  ///< The bar of minute 29 has closed; minute 30 forms.
  std::map<std::string, double> last_close{{"BTC-USD", 105}, {"ETH-USD", 100}};
  std::vector<std::string> listed{"BTC-USD", "ETH-USD"};
  std::vector<trade_proposal> proposals;
  bool risk_answers = true;
  bool portfolio_answers = true;
  std::vector<audit_entry> audits;
  std::vector<alert> alerts;
  std::vector<gate_conditions> gates;
  int candle_requests = 0;
  std::vector<get_candles> pages;
  std::vector<std::string> latency;  ///< Stage names of the latency samples, in order.

  std::vector<std::string> audit_kinds() const {
    std::vector<std::string> out;
    for (const auto& a : audits)
      out.push_back(a.kind);
    return out;
  }
  const audit_entry* last_audit(const std::string& kind) const {
    for (auto it = audits.rbegin(); it != audits.rend(); ++it)
      if (it->kind == kind)
        return &*it;
    return nullptr;
  }
};

/// Products: the listing, and one-minute candles flat at 100 up to minute 28, the product's
/// last close at minute 29 and a forming bar at minute 30 (which must never be stored).
caf::behavior fake_products(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const get_products&) -> product_list {
      product_list l;
      for (const auto& p : box->listed) {
        product_info i;
        i.product = product_id{p};
        i.quote_currency = "USD";
        l.products.push_back(i);
      }
      return l;
    },
    [=](const get_candles& q) -> candle_list {
      ++box->candle_requests;
      candle_list l;
      const ts_ns g = q.granularity_s * ns_per_s;
      box->pages.push_back(q);
      // Coinbase's window: buckets starting in [end − count × g, end]; end 0 = now.
      const ts_ns forming = (box->now / g) * g;
      const ts_ns last = q.end_s == 0 ? forming : std::min(forming, q.end_s * ns_per_s);
      for (ts_ns s = last - q.count * g; s <= last; s += g) {
        double c = s < t0 + 29 * minute ? 100 : (s == forming ? 150 : box->last_close[q.product.value]);
        l.candles.push_back(candle{q.product, q.granularity_s, s, px(100), px(std::max(100.0, c)), px(std::min(100.0, c)), px(c),
                                   size::from_double(1), box->now});
      }
      return l;
    },
  };
}

caf::behavior fake_market_data(caf::event_based_actor*) {
  return {[=](const subscribe_feed&) -> subscribed { return subscribed{}; }};
}

caf::behavior fake_lifecycle(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](get_portfolio) -> caf::result<portfolio_update> {
    if (!box->portfolio_answers)
      return caf::make_error(caf::sec::request_timeout);
    return portfolio_update{};
  }};
}

caf::behavior fake_risk(caf::event_based_actor* self, std::shared_ptr<world_box> box) {
  return {
    [=](const trade_proposal& p) -> caf::result<risk_verdict> {
      box->proposals.push_back(p);
      if (!box->risk_answers)
        return caf::make_error(caf::sec::request_timeout);
      return risk_verdict{p.proposal_id, true, {}, {}, p.ts};
    },
    [=](const gate_conditions& g) { box->gates.push_back(g); },
  };
}

caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const audit_entry& e) { box->audits.push_back(e); },
    [=](const alert& a) { box->alerts.push_back(a); },
    [=](const latency_sample& l) { box->latency.push_back(l.endpoint); },
  };
}

class SignalChainTest : public test::actor_fixture {
protected:
  void start(signals::universe_rules rules = {}) {
    reg_.put(names::products, keep(sys().spawn(fake_products, box)));
    if (with_market_data)
      reg_.put(names::market_data, keep(sys().spawn(fake_market_data)));
    reg_.put(names::order_lifecycle, keep(sys().spawn(fake_lifecycle, box)));
    reg_.put(names::risk, keep(sys().spawn(fake_risk, box)));
    auto sink = keep(sys().spawn(fake_sink, box));
    reg_.put(names::audit, sink);
    reg_.put(names::alerting, sink);
    reg_.put(names::latency, sink);
    auto clock = [b = box] { return b->now; };

    if (rules.core.empty())
      rules.core = {"BTC-USD", "ETH-USD"};
    rules.max_spread_bps = 0;
    universe::options uo;
    uo.rules = rules;
    reg_.put(names::universe, universe = keep(universe::spawn_universe(sys(), reg_, uo)));

    triggers::options to;
    to.engine.triggers.granularity = "ONE_MINUTE";
    to.engine.triggers.breakout.enabled = false;
    to.engine.triggers.momentum = {true, 5, 1.0};
    to.products = {product_id{"BTC-USD"}, product_id{"ETH-USD"}};
    to.backfill_bars = 60;
    to.backfill_spacing = spacing;  // 0: every page at once (the tests below count them)
    to.now = clock;
    to.metrics = &metrics;
    reg_.put(names::triggers, triggers = keep(triggers::spawn_triggers(sys(), reg_, to)));

    strategies::options so;
    signals::strategy_params m;
    m.name = "momentum";
    m.enabled = true;
    m.trigger = "momentum";
    m.notional_usd = 200;
    so.strategies = {m};
    so.now = clock;
    so.id_prefix = "test";
    reg_.put(names::strategies, strategies = keep(strategies::spawn_strategies(sys(), reg_, so)));
    run();
  }

  void tick(std::int64_t cycle) {
    caf::anon_send(universe, decision_tick{cycle, 20'000, box->now});
    run();
  }

  nlohmann::json ask(const caf::actor& a, auto request) {
    auto r = this->request<std::string>(a, 5s, request);
    EXPECT_TRUE(r->value.has_value());
    return nlohmann::json::parse(r->value.value_or("{}"));
  }

  /// A counter of the triggers actor's metrics (trader_triggers_NAME), summed over labels.
  double triggers_metric(const std::string& name) {
    double n = 0;
    for (auto& f : metrics.Collect())
      if (f.name == "trader_triggers_" + name)
        for (auto& m : f.metric)
          n += m.counter.value;
    return n;
  }
  void poll_triggers() {
    caf::anon_send(triggers, caf::atom("tr_poll"));
    run();
  }
  const nlohmann::json* signal_of(const nlohmann::json& sig, const std::string& product) {
    for (const auto& p : sig["products"])
      if (p["product"] == product)
        return &p;
    return nullptr;
  }

  prometheus::Registry metrics;
  std::shared_ptr<world_box> box = std::make_shared<world_box>();
  caf::actor universe, triggers, strategies;
  std::chrono::milliseconds spacing{0};
  bool with_market_data = true;  ///< Registered before triggers starts.
};

TEST_F(SignalChainTest, ATickBecomesAProposalFromClosedBarsAnsweredByRisk) {
  start();
  EXPECT_GE(box->candle_requests, 2);  // one backfill per product at start
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  const auto& p = box->proposals[0];
  EXPECT_EQ(p.product.value, "BTC-USD");  // +5 % over 5 closed bars; ETH is flat
  EXPECT_EQ(p.strategy, "momentum");
  EXPECT_EQ(p.dir, side::buy);
  EXPECT_EQ(p.kind, proposal_kind::open);
  EXPECT_EQ(p.proposal_id, "test-1-1");
  EXPECT_EQ(p.cycle, 1);
  EXPECT_EQ(p.target, notional::from_double(100));  // 200 × chop's 0.5
  EXPECT_GT(p.confidence, 0.5);
  EXPECT_NE(p.rationale.find("strategy=momentum momentum: roc5_pct=5.00"), std::string::npos) << p.rationale;  // not the forming 150

  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["products"].size(), 2u);
  EXPECT_EQ(sig["products"][0]["bar_start"].get<ts_ns>(), t0 + 29 * minute);
  auto st = ask(strategies, get_strategies{});
  EXPECT_EQ(st["proposals"].size(), 1u);
  EXPECT_TRUE(st["verdicts"]["test-1-1"]["approved"].get<bool>());
  auto kinds = box->audit_kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "universe"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "proposal"), kinds.end());
  const auto audited = nlohmann::json::parse(box->last_audit("proposal")->payload_json);
  EXPECT_EQ(audited["trigger_ids"], nlohmann::json::array({"momentum"}));  // the triggers behind it
  EXPECT_EQ(audited["confidence"].get<double>(), p.confidence);
  EXPECT_EQ(st["proposals"][0]["trigger_ids"], nlohmann::json::array({"momentum"}));
}

// Each stage of the cycle reports its duration to the latency actor under its name.
// market_data registered after triggers started (subtrees start concurrently): triggers
// looks again every second until subscribed — no live bar is built before — and says so.
TEST_F(SignalChainTest, TriggersSubscribesWithinASecondOfMarketDataAppearing) {
  with_market_data = false;
  start();
  EXPECT_FALSE(ask(triggers, get_signals{})["subscribed"].get<bool>());
  reg_.put(names::market_data, keep(sys().spawn(fake_market_data)));
  advance(1s);
  EXPECT_TRUE(ask(triggers, get_signals{})["subscribed"].get<bool>());
}

TEST_F(SignalChainTest, EveryStageOfACycleSendsItsLatency) {
  start();
  box->latency.clear();
  tick(1);
  EXPECT_EQ(box->latency, (std::vector<std::string>{"cycle.universe", "cycle.triggers", "cycle.strategies"}));
}

// A +30 % closed bar on ordinary volume: the guard holds it — audited, counted in the
// metric — and the product's triggers do not read a window holding it (ETH's +30 % would
// fire momentum), while the clean product still proposes.
TEST_F(SignalChainTest, ABadTickIsHeldAuditedCountedAndProposesNothing) {
  box->last_close["ETH-USD"] = 130;
  start();
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  EXPECT_EQ(box->proposals[0].product.value, "BTC-USD");
  const auto* held = box->last_audit("bad_tick");
  ASSERT_NE(held, nullptr);
  auto j = nlohmann::json::parse(held->payload_json);
  EXPECT_EQ(j["product"], "ETH-USD");
  EXPECT_EQ(j["reason"].get<std::string>().rfind("BAD_TICK: px=130", 0), 0u) << j.dump();
  EXPECT_EQ(triggers_metric("bad_ticks_held_total"), 1);
  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["bad_ticks_held"], 1);
  const auto* eth = signal_of(sig, "ETH-USD");
  ASSERT_NE(eth, nullptr);
  EXPECT_TRUE((*eth)["blocked"].get<bool>());
  EXPECT_NE((*eth)["reason"].get<std::string>().find("bad_tick"), std::string::npos) << eth->dump();
}

// The candles channel's bar is compared with the one we built or backfilled for its bucket;
// a close more than 1 % apart is counted (trader_triggers_candle_mismatch_total).
TEST_F(SignalChainTest, AnExchangeCandleThatDiffersFromOurBarIsCounted) {
  start();  // minute 20 of BTC stored at 100
  auto exchange_bar = [&](double close) {
    caf::anon_send(triggers, candle{product_id{"BTC-USD"}, 60, t0 + 20 * minute, px(100), px(std::max(100.0, close)),
                                    px(std::min(100.0, close)), px(close), size::from_double(1), box->now});
    run();
  };
  exchange_bar(100.5);  // 0.5 %: agrees
  EXPECT_EQ(triggers_metric("candle_mismatch_total"), 0);
  exchange_bar(103);
  EXPECT_EQ(triggers_metric("candle_mismatch_total"), 1);
}

// A feed outage: while market_data reports the product unhealthy the builders invent no
// "quiet" flat bars for minutes they could not see; those minutes come from the exchange over
// REST, and after the recovery the series holds the exchange's prices.
TEST_F(SignalChainTest, TheMinutesOfAFeedOutageAreBackfilledNotFilledFlat) {
  start();  // backfilled to minute 29; listening since 30:05
  const product_id btc{"BTC-USD"};
  box->now = t0 + 31 * minute + 10 * ns_per_s;
  caf::anon_send(triggers, market_trade{btc, trade_id{"1"}, px(105), size::from_double(1), side::buy, box->now, box->now});
  box->now = t0 + 32 * minute + 5 * ns_per_s;
  poll_triggers();  // minute 31 closed from the trade
  caf::anon_send(triggers, feed_health{btc, false, false, 30'000, box->now});
  run();
  box->last_close["BTC-USD"] = 112;  // the market moves while we cannot see it
  box->pages.clear();
  for (int m = 33; m <= 40; ++m) {
    box->now = t0 + m * minute + 5 * ns_per_s;
    poll_triggers();
  }
  std::size_t btc_pages = 0;
  for (const auto& q : box->pages)
    btc_pages += q.product == btc;
  EXPECT_GT(btc_pages, 0u);  // the outage's minutes were asked for
  caf::anon_send(triggers, feed_health{btc, true, false, 0, box->now});
  run();
  poll_triggers();
  tick(1);
  auto sig = ask(triggers, get_signals{});
  const auto* b = signal_of(sig, "BTC-USD");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["close"].get<double>(), 112.0) << b->dump();  // not the last seen 105 carried flat
}

TEST_F(SignalChainTest, ACycleWithoutSignalsRecordsItsNoTradeReason) {
  box->last_close["BTC-USD"] = 100;
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "no_signal");
}

TEST_F(SignalChainTest, AnEmptyUniverseAlertsAndSaysWhyNothingTraded) {
  box->listed.clear();
  start();
  tick(1);
  ASSERT_FALSE(box->alerts.empty());
  EXPECT_EQ(box->alerts.back().type, "empty_universe");
  EXPECT_FALSE(box->alerts.back().resolved);
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "empty_universe");
  auto u = ask(universe, get_universe{});
  ASSERT_EQ(u["excluded"].size(), 2u);
  EXPECT_EQ(u["excluded"][0]["reason"], "not_listed: the exchange does not list it");
}

TEST_F(SignalChainTest, AStaleSeriesBlocksItsProductUntilBackfilled) {
  start();
  box->now += 10 * minute;  // no trades came in: the backfilled series is 10 bars behind
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  auto sig = ask(triggers, get_signals{});
  EXPECT_TRUE(sig["products"][0]["blocked"].get<bool>());
  EXPECT_NE(sig["products"][0]["reason"].get<std::string>().find("stale"), std::string::npos);
}

TEST_F(SignalChainTest, ARiskThatFailsToAnswerDoesNotKillStrategies) {
  box->risk_answers = false;
  start();
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  EXPECT_TRUE(alive(strategies));
  auto st = ask(strategies, get_strategies{});
  EXPECT_FALSE(st["verdicts"]["test-1-1"]["approved"].get<bool>());
}

TEST_F(SignalChainTest, ACycleOlderThanItsBudgetIsAbandoned) {
  start();
  caf::anon_send(universe, decision_tick{1, 20'000, box->now - 60 * ns_per_s});
  run();
  EXPECT_TRUE(box->proposals.empty());
  ASSERT_FALSE(box->alerts.empty());
  EXPECT_EQ(box->alerts.back().type, "cycle_overrun");
}

TEST_F(SignalChainTest, ACrashOfTheReferenceProductClosesTheGateAndStopsEntries) {
  box->last_close["BTC-USD"] = 85;  // −15 % in one closed bar: crash at once
  box->last_close["ETH-USD"] = 105;
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  ASSERT_FALSE(box->gates.empty());
  const auto& g = box->gates.back();
  EXPECT_EQ(g.source, names::triggers);
  ASSERT_EQ(g.active.size(), 1u);
  EXPECT_EQ(g.active[0].reason, gate_reason::crash_regime);
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "crash_regime");
}

TEST_F(SignalChainTest, WithoutThePortfolioNothingIsProposedAndTheCycleSaysWhy) {
  box->portfolio_answers = false;  // order_lifecycle does not answer: positions unknown
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());  // BTC's +5 % would propose (first test)
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "portfolio_unavailable");
  EXPECT_EQ(ask(strategies, get_strategies{})["no_trade_reason"], "portfolio_unavailable");
  box->portfolio_answers = true;
  box->now += 5 * ns_per_s;
  tick(2);
  EXPECT_EQ(box->proposals.size(), 1u);
}

TEST_F(SignalChainTest, AnEmptySeriesIsBackfilledInPagesUnderTheBucketLimitCoveringItsCapacity) {
  start();
  std::set<ts_ns> btc;
  for (const auto& q : box->pages) {
    EXPECT_LE(q.count, 60);  // backfill_bars
    EXPECT_GT(q.end_s, 0);
    if (q.product.value == "BTC-USD")
      for (std::int64_t k = 0; k < q.count; ++k)
        btc.insert(q.end_s * ns_per_s - k * minute);
  }
  // 500 one-minute buckets (the capacity) up to minute 29, the newest that has ended.
  EXPECT_EQ(btc.size(), 500u);
  EXPECT_EQ(*btc.rbegin(), t0 + 29 * minute);
  EXPECT_EQ(*btc.begin(), t0 + 29 * minute - 499 * minute);
}

TEST_F(SignalChainTest, AStaleSeriesIsBackfilledFromItsNewestBarToTheLastEndedBucket) {
  start();
  box->pages.clear();
  box->now += 4 * minute + 40 * ns_per_s;  // minute 33 has ended; no trades came since minute 29
  caf::anon_send(triggers, caf::atom("tr_poll"));
  run();
  std::vector<get_candles> btc;
  for (const auto& q : box->pages)
    if (q.product.value == "BTC-USD")
      btc.push_back(q);
  ASSERT_EQ(btc.size(), 1u);
  EXPECT_EQ(btc[0].end_s * ns_per_s, t0 + 33 * minute);
  EXPECT_EQ(btc[0].count, 4);  // minutes 30..33
  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["products"].size(), 0u);  // nothing evaluated yet: no tick
}

// Backfill is paced: one page in flight, the next backfill_spacing after its answer, so a
// start with many products leaves the public REST budget to smoke, quotes and reconcile.
TEST_F(SignalChainTest, BackfillAsksOnePageAtATimeSpacedBySpacing) {
  spacing = 250ms;
  start();
  ASSERT_EQ(box->pages.size(), 1u);  // answered at once; the next waits for the pause
  advance(249ms);
  EXPECT_EQ(box->pages.size(), 1u);
  advance(1ms);
  EXPECT_EQ(box->pages.size(), 2u);
  for (int i = 0; i < 40; ++i)
    advance(250ms);
  // Both products' 500 buckets, 60 a page: 9 pages each, and nothing asked twice.
  EXPECT_EQ(box->pages.size(), 18u);
  std::set<std::pair<std::string, std::int64_t>> distinct;
  for (const auto& q : box->pages)
    distinct.insert({q.product.value, q.end_s});
  EXPECT_EQ(distinct.size(), box->pages.size());
}

} // namespace

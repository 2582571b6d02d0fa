#pragma once
// The decision chain on CAF's deterministic scheduler (issue 14): decision_tick → universe →
// triggers (REST backfill, closed bars) → strategies → trade_proposal requested from risk,
// with fakes for products, market_data, order_lifecycle, risk, audit and alerting and a
// manual wall clock. Shared by signal_chain_test.cpp and signal_chain_backfill_test.cpp.

#include "actors/trading/strategies/strategies_actor.hpp"
#include "actors/trading/triggers/triggers_actor.hpp"
#include "actors/trading/universe/universe_actor.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <set>

namespace trader::signal_chain_test {

using namespace std::chrono_literals;


/// 2026-12-02 12:00:00 UTC.
constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
constexpr ts_ns minute = 60 * ns_per_s;
inline price px(double v) { return price::from_double(v); }

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
inline caf::behavior fake_products(caf::event_based_actor*, std::shared_ptr<world_box> box) {
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

inline caf::behavior fake_market_data(caf::event_based_actor*) {
  return {[=](const subscribe_feed&) -> subscribed { return subscribed{}; }};
}

inline caf::behavior fake_lifecycle(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {[=](get_portfolio) -> caf::result<portfolio_update> {
    if (!box->portfolio_answers)
      return caf::make_error(caf::sec::request_timeout);
    return portfolio_update{};
  }};
}

inline caf::behavior fake_risk(caf::event_based_actor* self, std::shared_ptr<world_box> box) {
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

inline caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const audit_entry& e) { box->audits.push_back(e); },
    [=](const alert& a) { box->alerts.push_back(a); },
    [=](const latency_sample& l) { box->latency.push_back(l.endpoint); },
  };
}

class SignalChainTest : public test::actor_fixture {
protected:
  void start(signals::universe_rules rules = {}) {
    products = keep(sys().spawn(fake_products, box));
    if (with_products)
      reg_.put(names::products, products);
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
  caf::actor universe, triggers, strategies, products;
  std::chrono::milliseconds spacing{0};
  bool with_market_data = true;  ///< Registered before triggers starts.
  bool with_products = true;     ///< Registered before triggers starts (else: reg_.put(names::products, products)).
};

} // namespace trader::signal_chain_test

#pragma once
// The fixture of the risk actor's pipeline tests (risk_pipeline_*_test.cpp): a risk actor on
// the deterministic scheduler with a manual clock; fakes for order_lifecycle, products,
// audit, alerting and state. In a named namespace: gtest refuses one suite whose fixture
// comes from two anonymous namespaces.

#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "messages/names.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/metric_value.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

namespace risk_pipeline {

using namespace trader;
using namespace std::chrono_literals;

/// Wednesday 2026-12-02 12:00:00 UTC.
inline constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
inline price px(double v) { return price::from_double(v); }
inline size qty(double v) { return size::from_double(v); }
inline notional usd(double v) { return notional::from_double(v); }

/// What the fakes saw and how they answer.
struct world_box {
  portfolio_update portfolio;
  std::vector<order_intent> intents;
  bool refuse_intents = false;
  std::vector<audit_entry> audits;
  std::vector<alert> alerts;
  int portfolio_asks = 0;
};

inline caf::behavior fake_lifecycle(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const order_intent& in) -> caf::result<std::string> {
      box->intents.push_back(in);
      if (box->refuse_intents)
        return make_error(errc::rejected, "GATE_CLOSED: reason=kill_switch effect=open_or_add");
      return nlohmann::json{{"client_order_id", "c-" + std::to_string(box->intents.size())}, {"sent", false}}.dump();
    },
    [=](get_portfolio) -> portfolio_update {
      ++box->portfolio_asks;
      return box->portfolio;
    },
  };
}

inline caf::behavior fake_products(caf::event_based_actor*) {
  return {
    [=](const get_products&) -> product_list {
      product_info p;
      p.product = product_id{"BTC-USD"};
      p.base_currency = "BTC";
      p.quote_currency = "USD";
      p.price_increment = px(0.01);
      p.base_increment = qty(0.00000001);
      p.base_min_size = qty(0.00001);
      p.base_max_size = qty(10'000);
      p.quote_min_size = usd(1);
      return product_list{{p}, 1, 0};
    },
    [=](const subscribe_feed&) -> subscribed { return subscribed{}; },
  };
}

inline caf::behavior fake_sink(caf::event_based_actor*, std::shared_ptr<world_box> box) {
  return {
    [=](const audit_entry& e) { box->audits.push_back(e); },
    [=](const alert& a) { box->alerts.push_back(a); },
    [=](const persist_gate&) -> caf::ok_atom { return caf::ok_atom::value; },
    [=](const gate_changed&) {},
  };
}

inline position_state btc(double q, double entry) {
  position_state p;
  p.product = product_id{"BTC-USD"};
  p.strategy = "breakout";
  p.qty = qty(q);
  p.avg_entry = px(entry);
  p.fills = 1;
  p.opened_at = t0 - 3600 * ns_per_s;
  p.updated_at = t0 - 3600 * ns_per_s;
  return p;
}

inline quote btc_quote(double bid, double ask, ts_ns t) {
  return quote{product_id{"BTC-USD"}, px(bid), px(ask), qty(1), qty(1), px(bid), 1, t, t};
}

inline trade_proposal buy(const std::string& id, const std::string& strategy = "breakout") {
  trade_proposal p;
  p.proposal_id = id;
  p.strategy = strategy;
  p.product = product_id{"BTC-USD"};
  p.target = usd(400);
  p.ts = t0;
  return p;
}

class RiskPipelineTest : public test::actor_fixture {
protected:
  void SetUp() override {
    box->portfolio.version = 1;
    box->portfolio.cash = usd(20'000);
    box->portfolio.ts = t0;
    lifecycle = keep(sys().spawn(fake_lifecycle, box));
    products = keep(sys().spawn(fake_products));
    sink = keep(sys().spawn(fake_sink, box));
    reg_.put(names::order_lifecycle, lifecycle);
    reg_.put(names::products, products);
    reg_.put(names::audit, sink);
    reg_.put(names::alerting, sink);
    reg_.put(names::state, sink);
  }

  /// A risk with an open gate (or `gate`), the shared store and the manual clock.
  caf::actor start(risk::trading_gate gate = {}, std::optional<risk::risk_policy> policy = std::nullopt) {
    risk::risk_options o;
    if (policy)
      o.policy = *policy;
    o.store = store;
    o.metrics = &metrics;
    o.now = [this] { return now; };
    auto r = keep(risk::spawn_risk(sys(), reg_, std::move(gate), {}, {}, std::move(o)));
    reg_.put(names::risk, r);
    run();
    return r;
  }
  std::optional<risk_verdict> propose(const caf::actor& risk, trade_proposal p) {
    return request<risk_verdict>(risk, 30s, std::move(p))->value;
  }
  gate_changed gate_of(const caf::actor& risk) { return request<gate_changed>(risk, 30s, get_gate{})->value.value_or(gate_changed{}); }
  static bool holds(const gate_changed& g, gate_reason r) {
    return std::any_of(g.reasons.begin(), g.reasons.end(), [r](const auto& e) { return e.reason == r; });
  }
  std::vector<nlohmann::json> audits(const std::string& kind) const {
    std::vector<nlohmann::json> out;
    for (const auto& a : box->audits)
      if (a.kind == kind)
        out.push_back(nlohmann::json::parse(a.payload_json));
    return out;
  }
  double metric(const std::string& name, const std::map<std::string, std::string>& labels) {
    return test::metric_value(metrics, name, labels).value_or(0);
  }
  /// A new ledger pushed by order_lifecycle.
  void push(const caf::actor& risk, portfolio_update u) {
    u.version = ++version;
    u.ts = now;
    box->portfolio = u;
    caf::anon_send(risk, u);
    run();
  }
  /// BTC-USD quoted bid/ask with 1 BTC a side, and the same as a level-2 book snapshot.
  void market(const caf::actor& risk, double bid, double ask) {
    caf::anon_send(risk, btc_quote(bid, ask, now));
    book_update b;
    b.product = product_id{"BTC-USD"};
    b.is_snapshot = true;
    b.bids = {{px(bid), qty(1)}};
    b.asks = {{px(ask), qty(1)}};
    b.sequence = ++book_seq;
    b.ts_recv = now;
    caf::anon_send(risk, b);
    run();
  }
  void stop(const caf::actor& risk) {
    caf::anon_send_exit(risk, caf::exit_reason::kill);
    run();
  }

  std::shared_ptr<world_box> box = std::make_shared<world_box>();
  std::shared_ptr<risk::memory_risk_store> store = std::make_shared<risk::memory_risk_store>();
  prometheus::Registry metrics;
  ts_ns now = t0;
  std::uint64_t version = 1;
  std::int64_t book_seq = 0;
  caf::actor lifecycle, products, sink;
};

} // namespace risk_pipeline

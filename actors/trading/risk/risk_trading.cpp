// The risk actor's pipeline side: proposals → verdicts → order intents, the ledger and quotes
// in (marks, protective exits), the feeds it subscribes to, and the trading timer
// (docs/risk.md "The risk actor"). Persistence and loss limits: risk_ledger.cpp.
#include "actors/trading/risk/risk_actor_internal.hpp"
#include "actors/trading/risk/risk_step.hpp"
#include "runtime/core/errc.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <spdlog/spdlog.h>

namespace trader::risk {

using json = nlohmann::json;

// -- intents ----------------------------------------------------------------------------------

/// Sends an intent to order_lifecycle (request) and audits its answer. `exit` names the
/// product of a protective exit, which fires again on the next crossing if refused.
void send_intent(self_ptr self, core::registry& reg, const order_intent& in, std::optional<exit_kind> exit) {
  auto failed = [self, &reg, in, exit](const std::string& why) {
    spdlog::warn("risk: intent {} not placed: {}", in.proposal_id, why);
    audit(self, reg, "risk_intent", json{{"intent", intent_json(in)}, {"placed", false}, {"error", why}});
    if (exit) {
      tape_scope rec{self->state, recorder::tape_exit_failed{in.product}};
      self->state.desk->exit_failed(in.product);
      save(self, {risk_record::exits});
      if (self->state.metrics)
        self->state.metrics->exits.Add({{"kind", std::string{name(*exit)}}, {"outcome", "failed"}}).Increment();
    }
  };
  auto ol = reg.get(names::order_lifecycle);
  if (!ol)
    return failed("order_lifecycle is not running");
  auto* r = &reg;
  self->request(ol, std::chrono::seconds(120), in)
    .then(
      [self, r, in](const std::string& answer) {
        auto j = json::parse(answer, nullptr, false);
        audit(self, *r, "risk_intent",
              json{{"intent", intent_json(in)}, {"placed", true}, {"answer", j.is_discarded() ? json(answer) : j}});
      },
      [failed](caf::error& e) { failed(describe(e)); });
}

namespace {

/// How long a protective exit the gate blocks stays quiet in the audit log.
constexpr std::int64_t blocked_exit_audit_ns = 60 * ns_per_s;

/// An exit risk_step found crossed: sent when the gate let it through (the step marked it
/// sent), else blocked (the step re-armed it; audited at most once a minute).
void fire_exit(self_ptr self, core::registry& reg, const exit_signal& sig, const gate_decision& d) {
  auto& st = self->state;
  auto now = st.now();
  const auto product = sig.intent.product;
  const std::string kind{name(sig.kind)};
  if (!d.allowed) {
    if (st.metrics)
      st.metrics->exits.Add({{"kind", kind}, {"outcome", "blocked"}}).Increment();
    auto& last = st.exit_blocked[product];
    if (now - last >= blocked_exit_audit_ns) {
      last = now;
      auto why = d.blocking ? std::string{to_string(*d.blocking)} : std::string{"unknown"};
      spdlog::error("risk: {} of {} blocked by the gate ({})", kind, product.value, why);
      audit(self, reg, "risk_exit", json{{"kind", kind}, {"detail", sig.detail}, {"sent", false}, {"blocked_by", why}});
    }
    return;
  }
  st.exit_blocked.erase(product);
  save(self, {risk_record::exits, risk_record::pacing});  // one write before the intent goes
  spdlog::warn("risk: {}", sig.detail);
  audit(self, reg, "risk_exit", json{{"kind", kind}, {"detail", sig.detail}, {"sent", true}, {"intent", intent_json(sig.intent)}});
  if (st.metrics)
    st.metrics->exits.Add({{"kind", kind}, {"outcome", "sent"}}).Increment();
  send_intent(self, reg, sig.intent, sig.kind);
}

// -- feeds ------------------------------------------------------------------------------------

void subscribe(self_ptr self, core::registry& reg, const char* name, caf::actor risk_state::*held,
               std::vector<std::string> channels) {
  auto a = reg.get(name);
  if (!a || a == self->state.*held || self->state.subscribing.count(name))
    return;  // absent, subscribed already, or a request is out (products blocks on HTTP)
  self->state.subscribing.insert(name);
  // cppcheck-suppress accessMoved ; false positive: channels is moved once, here, and not read after
  self->request(a, std::chrono::seconds(30), subscribe_feed{std::move(channels)})
    .then(
      [self, a, held, name](const subscribed& s) {
        self->state.subscribing.erase(name);
        self->state.*held = a;
        if (held == &risk_state::market_data) {
          self->state.md_products = s.products;
          self->state.book_asked.clear();  // a new subscription: read every book once
        }
      },
      [self, name](caf::error& e) {
        self->state.subscribing.erase(name);
        spdlog::debug("risk: subscribing to {} failed: {}", name, describe(e));
      });
}

/// How often a product without a usable book asks market_data for it.
constexpr std::int64_t book_ask_ns = 5 * ns_per_s;

/// Level-2 updates reach risk only after it subscribed; the snapshot market_data took before
/// that is read once with get_book (a book dropped by an unhealthy feed comes back with the
/// snapshot market_data's resubscribe brings, or by the next ask). Updates older than the
/// snapshot's sequence are ignored; one that raced the answer is repaired by the level's
/// next update (quantities are absolute).
void ask_books(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto md = reg.get(names::market_data);
  if (!md || md != st.market_data)
    return;
  auto now = st.now();
  for (const auto& p : st.md_products) {
    if (st.desk->books().usable(p))
      continue;
    auto& at = st.book_asked[p];
    if (at != 0 && now - at < book_ask_ns)
      continue;
    at = now;
    self->request(md, std::chrono::seconds(10), get_book{p, static_cast<std::int32_t>(risk_desk::book_depth)})
      .then(
        [self](const book_snapshot& b) {
          if (b.stale || b.bids.empty() || b.asks.empty())
            return;  // market_data waits for a snapshot itself: ask again later
          const book_update u{b.product, true, b.bids, b.asks, b.sequence, b.ts_event, b.ts_recv};
          tape_scope rec{self->state, u};
          self->state.desk->on_book(u);
        },
        [p](caf::error& e) { spdlog::debug("risk: get_book {} failed: {}", p.value, describe(e)); });
  }
}

void ask_portfolio(self_ptr self, core::registry& reg) {
  auto ol = reg.get(names::order_lifecycle);
  if (!ol)
    return;
  auto* r = &reg;
  self->request(ol, std::chrono::seconds(10), get_portfolio{})
    .then([self, r](const portfolio_update& u) { on_portfolio(self, *r, u); },
          [](caf::error& e) { spdlog::debug("risk: get_portfolio failed: {}", describe(e)); });
}

void ask_products(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto p = reg.get(names::products);
  if (!p || st.asking_products)
    return;
  st.asking_products = true;
  self->request(p, std::chrono::seconds(60), get_products{false})
    .then(
      [self](const product_list& l) {
        self->state.asking_products = false;
        tape_scope rec{self->state, recorder::tape_products{l.products}};
        self->state.products_at = self->state.now();
        self->state.desk->on_products(l.products);
      },
      [self](caf::error& e) {
        self->state.asking_products = false;
        spdlog::warn("risk: product catalogue not read ({}); asking again", describe(e));
      });
}

/// The account's fee tier from accounts (its REST call may fail without credentials: the
/// policy's fallback rates stay).
void ask_fees(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto a = reg.get(names::accounts);
  if (!a || st.asking_fees)
    return;
  st.asking_fees = true;
  st.fees_asked = true;
  self->request(a, std::chrono::seconds(60), get_fee_tier{})
    .then(
      [self](const fee_tier& t) {
        self->state.asking_fees = false;
        tape_scope rec{self->state, t};
        self->state.desk->on_fee_tier(t);
        spdlog::info("risk: fee tier {} maker {} taker {}", t.tier, t.maker_rate, t.taker_rate);
      },
      [self](caf::error& e) {
        self->state.asking_fees = false;
        if (core::registry::absent(e))
          self->state.fees_asked = false;  // accounts died before answering: the next tick asks
        spdlog::debug("risk: fee tier not read ({}); the policy's rates apply", describe(e));
      });
}

/// Positions whose newest quote is too old: one alert each until a quote comes.
void check_stale_positions(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto now = st.now();
  auto limit = std::chrono::duration_cast<std::chrono::nanoseconds>(st.opts.stale_position_after).count();
  std::set<product_id> stale;
  for (auto& p : st.desk->exits().stale(now, limit))
    stale.insert(p);
  for (const auto& p : stale)
    if (!st.stale_alerted.count(p))
      reg.send(self, names::alerting,
               alert{"stale_position_data", severity::warning, "stale_position_data:" + p.value,
                     "no fresh price for an open position", "product=" + p.value + ": its protective exits cannot fire",
                     names::risk, false, now});
  for (const auto& p : st.stale_alerted)
    if (!stale.count(p))
      reg.send(self, names::alerting,
               alert{"stale_position_data", severity::warning, "stale_position_data:" + p.value, "prices are back",
                     "product=" + p.value, names::risk, true, now});
  st.stale_alerted = std::move(stale);
}

} // namespace
// -- handlers ---------------------------------------------------------------------------------

void start_trading(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  st.desk = std::make_unique<risk_desk>(st.opts.policy);
  if (st.opts.metrics)
    st.metrics = std::make_unique<risk_metrics>(*st.opts.metrics);
  gate_gauges(st);
  restore(self, reg);
  // Trips restored from the store hold the gate at once, before the first portfolio; a
  // daily or weekly trip of a period that has ended is not brought back.
  auto active = risk_step{*st.desk, st.gate}.restored_loss(st.now());
  st.loss_active.clear();
  for (const auto& b : active)
    st.loss_active.insert(b.reason);  // restored, not new: no second alert
  if (!active.empty())
    apply_loss(self, reg, active);
  if (!st.opts.trading)
    return;
  subscribe(self, reg, names::market_data, &risk_state::market_data, {"ticker", "status", "level2"});
  subscribe(self, reg, names::products, &risk_state::products, {});
  subscribe(self, reg, names::clock, &risk_state::clock, {});
  ask_portfolio(self, reg);
  ask_products(self, reg);
  ask_fees(self, reg);
  self->delayed_send(self, st.opts.tick, rk_tick_atom::value);
}

risk_verdict on_proposal(self_ptr self, core::registry& reg, const trade_proposal& p) {
  auto& st = self->state;
  auto ev = risk_step{*st.desk, st.gate}.proposal(p, st.now());  // an approved one is recorded as sent
  const auto& v = ev.verdict;
  auto j = verdict_json(p, ev, st.gate.is_open(), st.desk->engine().policy());
  audit(self, reg, "risk_verdict", j);
  st.verdicts.push_back(j.dump());
  while (st.verdicts.size() > st.opts.keep_verdicts)
    st.verdicts.pop_front();
  if (st.metrics) {
    st.metrics->verdicts.Add({{"outcome", v.approved ? "approved" : "rejected"}}).Increment();
    for (const auto& r : v.rejections)
      st.metrics->rejections.Add({{"check", r.check}}).Increment();
    if (!v.approved && !v.rejections.empty())
      st.metrics->no_trade.Add({{"reason", v.rejections.front().check}}).Increment();
  }
  if (v.approved) {
    spdlog::info("risk: {} approved: {} {} {}", p.proposal_id, to_string(p.dir), p.product.value,
                 to_string(v.intent.base_size));
    save(self, {risk_record::pacing, risk_record::pyramid, risk_record::plans});  // one write before the intent goes
    send_intent(self, reg, v.intent, std::nullopt);
  } else {
    spdlog::info("risk: {} rejected: {}", p.proposal_id,
                 v.rejections.empty() ? std::string{"-"} : v.rejections.front().check + " " + v.rejections.front().detail);
  }
  return v;
}

void on_portfolio(self_ptr self, core::registry& reg, const portfolio_update& u) {
  auto& st = self->state;
  tape_scope rec{st, u};  // the push and get_portfolio's answer
  // The first reconciled ledger since this risk started: local state agrees with the
  // exchange, so `startup` clears by itself (the gate keeps it until they agree). Every
  // other reason stays with its source; reconcile_pending is order_lifecycle's.
  auto step = risk_step{*st.desk, st.gate}.portfolio(u, st.opts.clear_startup_on_reconcile, st.now());
  if (step.startup_cleared)
    gate_changed_by(self, reg, "order_lifecycle's first reconcile agrees with the exchange: startup cleared");
  const auto& fx = step.fx;
  for (const auto& p : fx.armed)
    if (const auto* pp = st.desk->exits().find(p))
      audit(self, reg, "risk_protect",
            json{{"product", p.value}, {"qty", to_string(pp->qty)}, {"entry", to_string(pp->entry)},
                 {"stop", to_string(pp->stop)}, {"take", to_string(pp->take)}});
  for (const auto& p : fx.retry)
    spdlog::warn("risk: the exit of {} left no working order; it fires again on the next crossing", p.value);
  // save() writes only what changed since the last write: exits and plans (an armed entry's
  // plan is used up), pacing, pyramiding — one write.
  if (fx.exits_changed || fx.pacing_changed || fx.pyramid_changed)
    save(self, {risk_record::exits, risk_record::plans, risk_record::pacing, risk_record::pyramid});
  if (fx.cash_flow) {
    const auto& cf = *fx.cash_flow;
    spdlog::warn("risk: the ledger's cash moved by {} without fills (a {}); kept out of PnL and drawdown",
                 to_string(cf.amount), cf.amount.units > 0 ? "deposit" : "withdrawal");
    audit(self, reg, "cash_flow",
          json{{"amount", to_string(cf.amount)}, {"kind", cf.amount.units > 0 ? "deposit" : "withdrawal"},
               {"nav", to_string(cf.nav)}, {"ledger_version", cf.version}});
    save(self, {risk_record::loss});
  }
  refresh_loss(self, reg);
}

void on_quote(self_ptr self, core::registry& reg, const quote& q) {
  auto& st = self->state;
  auto out = risk_step{*st.desk, st.gate}.on_quote(q, st.now());
  if (!out.held)
    return;  // not held: no exit, no mark change in NAV
  if (out.exit)
    fire_exit(self, reg, *out.exit, out.gate);
  refresh_loss(self, reg);
}

void on_trading_tick(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  ++st.ticks;
  auto tick_ms = std::max<std::int64_t>(1, st.opts.tick.count());
  auto every = [&](std::chrono::milliseconds period) {
    return st.ticks % std::max<std::int64_t>(1, period.count() / tick_ms) == 0;
  };
  subscribe(self, reg, names::market_data, &risk_state::market_data, {"ticker", "status", "level2"});
  subscribe(self, reg, names::products, &risk_state::products, {});
  subscribe(self, reg, names::clock, &risk_state::clock, {});
  if (!st.desk->has_portfolio() || every(st.opts.portfolio_refresh))
    ask_portfolio(self, reg);  // every tick until the first ledger arrives
  if (st.products_at == 0 || every(st.opts.products_refresh))
    ask_products(self, reg);
  // Every tick until a request reaches a running accounts (at start it may not be registered
  // yet: sizing waited 5 minutes on the policy's fallback rates); then hourly once the
  // exchange's tier is known, every 10 s until it is.
  if (!st.fees_asked
      || every(st.desk->fees_from_exchange() ? std::chrono::milliseconds{3'600'000} : std::chrono::milliseconds{10'000}))
    ask_fees(self, reg);
  ask_books(self, reg);
  on_ledger_tick(self, reg);
  check_stale_positions(self, reg);
  self->delayed_send(self, st.opts.tick, rk_tick_atom::value);
}

std::string risk_view(self_ptr self) {
  auto& st = self->state;
  auto j = json::parse(st.desk->status_json(st.now()));
  j["gate"] = json::parse(gate_json(st.gate.snapshot(st.now())));
  auto v = json::array();
  for (auto it = st.verdicts.rbegin(); it != st.verdicts.rend(); ++it)
    v.push_back(json::parse(*it));
  j["verdicts"] = v;
  return j.dump();
}

} // namespace trader::risk

// The risk actor's ledger side: persistence of pacing, exits and loss limits (risk_store),
// loss limits held as gate conditions of source "loss_limits" with their alerts and audit,
// the exposure/PnL gauges, auto-trim, an operator's drawdown resume, a policy reload
// (docs/risk.md "The risk actor").
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

namespace {

/// Loss limits are saved at most this often (ticks) while only the high-water mark moves.
constexpr std::int64_t loss_save_ticks = 10;
/// Auto-trim is planned every this many ticks.
constexpr std::int64_t trim_ticks = 10;

/// One record risk persists: its name, the pure class's JSON now, and what was saved last.
struct record_view {
  const char* name;
  std::string text;
  std::string* saved;
};

record_view view_of(risk_state& st, risk_record which) {
  switch (which) {
  case risk_record::pacing: return {risk_keys::pacing, st.desk->pacing().to_json(), &st.pacing_saved};
  case risk_record::exits: return {risk_keys::exits, st.desk->exits().to_json(), &st.exits_saved};
  case risk_record::plans: return {risk_keys::plans, st.desk->plans_json(), &st.plans_saved};
  case risk_record::pyramid: return {risk_keys::pyramid, st.desk->pyramid().to_json(), &st.pyramid_saved};
  case risk_record::loss: return {risk_keys::loss_limits, st.desk->loss().to_json(), &st.loss_saved};
  }
  return {"", {}, nullptr};
}

} // namespace

void audit(self_ptr self, core::registry& reg, const char* kind, const json& j) {
  if (self->state.opts.tape)
    self->state.opts.tape->decision(kind, j, self->state.now());  // verdicts and sent exits only
  reg.send(self, names::audit, audit_entry{kind, names::risk, j.dump()});
}

// -- persistence ------------------------------------------------------------------------------

void save(self_ptr self, std::initializer_list<risk_record> which) {
  auto& st = self->state;
  std::vector<record_view> changed;
  for (auto w : which)
    if (auto v = view_of(st, w); v.saved && v.text != *v.saved)
      changed.push_back(std::move(v));
  if (changed.empty())
    return;
  if (st.opts.store) {
    std::vector<std::pair<std::string, std::string>> records;
    records.reserve(changed.size());
    for (const auto& v : changed)
      records.emplace_back(v.name, v.text);
    if (auto err = st.opts.store->save_all(records, st.now()); !err.empty()) {
      for (const auto& v : changed)  // saved stays as it was: the next tick tries again
        spdlog::error("risk: {} not saved ({}); retrying every tick", v.name, err);
      return;
    }
  }
  for (auto& v : changed)
    *v.saved = std::move(v.text);
}

/// Reads pacing, exits and loss limits back. A record that cannot be read or parsed is
/// logged and alerted; the part starts empty (the gate's own restored reasons still hold).
void restore(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  if (!st.opts.store)
    return;
  auto load = [&](const char* name, auto parse) {
    std::string why;
    auto text = st.opts.store->load(name, &why);
    if (!text) {
      if (!why.empty())
        spdlog::error("risk: {} not restored: {}", name, why);
      return;
    }
    if (!parse(*text)) {
      spdlog::error("risk: {} in the store is malformed; starting without it", name);
      reg.send(self, names::alerting,
               alert{"state_unavailable", severity::critical, "risk_restore_" + std::string{name},
                     fmt::format("risk: {} could not be restored", name), "the stored record is malformed", names::risk,
                     false, st.now()});
    }
  };
  load(risk_keys::pacing, [&](const std::string& t) {
    auto p = pacing_state::from_json(t);
    if (p) {
      st.desk->pacing() = *p;
      st.pacing_saved = t;
    }
    return p.has_value();
  });
  load(risk_keys::exits, [&](const std::string& t) {
    auto x = protective_exits::from_json(t);
    if (x) {
      st.desk->exits() = *x;
      st.exits_saved = t;
    }
    return x.has_value();
  });
  load(risk_keys::plans, [&](const std::string& t) {
    bool ok = st.desk->restore_plans(t);
    if (ok)
      st.plans_saved = t;
    return ok;
  });
  load(risk_keys::pyramid, [&](const std::string& t) {
    auto b = pyramid_book::from_json(t);
    if (b) {
      st.desk->pyramid() = *b;
      st.pyramid_saved = t;
    }
    return b.has_value();
  });
  load(risk_keys::loss_limits, [&](const std::string& t) {
    const auto& pol = st.desk->engine().policy();
    auto l = loss_limits::from_json(t, {pol.daily_stop_pct, pol.weekly_stop_pct, pol.max_drawdown_pct});
    if (l) {
      st.desk->loss() = *l;
      st.loss_saved = t;
    }
    return l.has_value();
  });
}

// -- loss limits as gate conditions -----------------------------------------------------------

/// Holds exactly `active` as risk's own gate conditions; alerts, audits and counts each edge.
void apply_loss(self_ptr self, core::registry& reg, const std::vector<loss_breach>& active) {
  auto& st = self->state;
  auto now = st.now();
  std::set<gate_reason> now_active;
  for (const auto& b : active)
    now_active.insert(b.reason);
  for (const auto& b : active) {
    if (st.loss_active.count(b.reason))
      continue;
    spdlog::critical("risk: {} tripped: {}", to_string(b.reason), b.detail);
    reg.send(self, names::alerting,
             alert{std::string{to_string(b.reason)}, severity::critical, std::string{to_string(b.reason)},
                   fmt::format("{}: the gate is closed to new risk", to_string(b.reason)), b.detail, names::risk, false,
                   now});
    audit(self, reg, "loss_limit",
          json{{"reason", to_string(b.reason)}, {"tripped", true}, {"detail", b.detail}, {"clears_at", b.clears_at}});
    if (st.metrics)
      st.metrics->trips.Add({{"reason", std::string{to_string(b.reason)}}}).Increment();
  }
  for (auto r : st.loss_active) {
    if (now_active.count(r))
      continue;
    spdlog::warn("risk: {} cleared", to_string(r));
    reg.send(self, names::alerting,
             alert{std::string{to_string(r)}, severity::critical, std::string{to_string(r)},
                   fmt::format("{} cleared", to_string(r)), "", names::risk, true, now});
    audit(self, reg, "loss_limit", json{{"reason", to_string(r)}, {"tripped", false}});
  }
  bool edges = now_active != st.loss_active;
  st.loss_active = std::move(now_active);
  if (risk_step{*st.desk, st.gate}.hold_loss(active, now))
    gate_changed_by(self, reg, edges ? "risk loss limits changed" : "risk loss limits re-asserted");
  if (edges)
    save(self, {risk_record::loss});
}

static void update_gauges(self_ptr self) {
  auto& st = self->state;
  if (!st.metrics || !st.desk->has_portfolio())
    return;
  const auto& book = st.desk->snapshot();
  notional held;
  for (const auto& p : book.positions)
    held += p.exposure();
  for (const auto& p : book.pending)
    held += p.amount;
  auto& m = *st.metrics;
  m.exposure_pct.Set(book.nav.units > 0 ? 100.0 * held.to_double() / book.nav.to_double() : 0.0);
  m.open_positions.Set(static_cast<double>(book.positions.size()));
  m.pending_orders.Set(static_cast<double>(book.pending.size()));
  m.nav.Set(book.nav.to_double());
  if (const auto& l = st.desk->last_loss()) {
    m.pnl_daily_usd.Set(l->pnl_day.to_double());
    m.pnl_daily_pct.Set(l->pnl_day_pct);
    m.pnl_weekly_usd.Set(l->pnl_week.to_double());
    m.pnl_weekly_pct.Set(l->pnl_week_pct);
    m.drawdown_pct.Set(l->drawdown_pct);
  }
  const auto marks = st.desk->marks(st.now());
  const notional total = st.desk->portfolio().realized_total + marks.unrealized;
  const notional base = marks.nav - total;
  m.total_pnl_usd.Set(total.to_double());
  m.total_pnl_pct.Set(base.units > 0 ? 100.0 * total.to_double() / base.to_double() : 0.0);
}

/// Folds the newest marks into the loss limits and holds what they say.
void refresh_loss(self_ptr self, core::registry& reg) {
  if (auto s = self->state.desk->update_loss(self->state.now()))
    apply_loss(self, reg, s->active);
  update_gauges(self);
}

void before_resume(self_ptr self, core::registry& reg, gate_reason r, const std::string& by) {
  auto& st = self->state;
  auto now = st.now();
  if (!risk_step{*st.desk, st.gate}.before_resume(r, now))
    return;
  audit(self, reg, "loss_limit",
        json{{"reason", "max_drawdown"}, {"resumed_by", by}, {"high_water", to_string(st.desk->loss().high_water())}});
  save(self, {risk_record::loss});
  apply_loss(self, reg, st.desk->loss().active(now));
}

void on_config_changed(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  if (!st.opts.policy_source)
    return;
  st.desk->set_policy(st.opts.policy_source());
  refresh_loss(self, reg);
}

void on_ledger_tick(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  // Day and week boundaries clear their trips even when nothing trades; the conditions are
  // re-asserted so an operator cannot resume a limit that still holds.
  refresh_loss(self, reg);
  if (st.ticks % loss_save_ticks == 0)  // no-op unless a save failed before or the marks moved
    save(self, {risk_record::pacing, risk_record::exits, risk_record::plans, risk_record::pyramid, risk_record::loss});
  else
    save(self, {risk_record::pacing, risk_record::exits, risk_record::plans, risk_record::pyramid});
  if (st.ticks % trim_ticks != 0 || !st.gate.check(order_effect::reduce_only).allowed)
    return;
  auto now = st.now();
  auto plan = st.desk->trims(now);
  for (auto& in : plan.intents) {
    spdlog::warn("risk: auto-trim {} {} (exposure above its cap)", in.product.value, to_string(in.base_size));
    st.desk->trim_sent(in.product, now);
    audit(self, reg, "risk_trim", json{{"intent", intent_json(in)}, {"notes", plan.notes}});
    send_intent(self, reg, in, std::nullopt);
  }
}

} // namespace trader::risk

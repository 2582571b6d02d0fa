#include "actors/trading/risk/risk_actor.hpp"

#include "actors/trading/risk/risk_actor_internal.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::risk {

std::vector<std::string> default_gate_sources() { return {std::begin(names::gate_sources), std::end(names::gate_sources)}; }

ts_ns risk_state::now() const {
  if (held_now != 0)
    return held_now;
  return opts.now ? opts.now() : system_time_source::instance().wall_now();
}

namespace {

using persist_retry_atom = caf::atom_constant<caf::atom("rk_persist")>;

/// How soon a gate that could not be persisted (state absent or refusing) is tried again.
constexpr std::chrono::seconds persist_retry{1};

std::string reasons_text(const trading_gate& g) {
  std::string out;
  for (auto& r : g.reasons())
    out += (out.empty() ? "" : ",") + std::string{to_string(r.reason)} + (r.product.empty() ? "" : ":" + r.product);
  return out.empty() ? "-" : out;
}

/// Asks state to persist the gate as it is now. `done(error)` runs once the write is durable
/// (empty error) or failed; a failure is retried by the timer.
template <class Done>
void persist(self_ptr self, core::registry& reg, Done done) {
  auto snap = self->state.gate.snapshot(self->state.now());
  auto state = reg.get(names::state);
  if (!state) {
    self->state.persist_pending = true;
    done(make_error(errc::actor_unavailable, "state is not running: the gate is not persisted yet"));
    return;
  }
  // cppcheck-suppress accessMoved ; false positive: snap is moved once, here, and not read after
  self->request(state, std::chrono::seconds(5), persist_gate{std::move(snap)})
    .then([self, done](caf::ok_atom) { done(caf::error{}); },
          [self, done](caf::error& err) {
            self->state.persist_pending = true;
            done(std::move(err));
          });
}

void log_persist_failure(const caf::error& err) {
  if (err)
    spdlog::error("gate: not persisted ({}); retrying every {} s", describe(err), persist_retry.count());
}

/// Persists the gate and answers the current request with it once durable; otherwise with
/// state_unavailable "<not_durable>: <error> (<consequence>)".
caf::result<gate_changed> answer_when_durable(self_ptr self, core::registry& reg, std::string not_durable,
                                              std::string consequence) {
  auto rp = self->make_response_promise<gate_changed>();
  persist(self, reg, [self, rp, not_durable = std::move(not_durable),
                      consequence = std::move(consequence)](const caf::error& err) {
    auto p = rp;
    if (err) {
      log_persist_failure(err);
      p.deliver(make_error(errc::state_unavailable, fmt::format("{}: {} ({})", not_durable, describe(err), consequence)));
      return;
    }
    p.deliver(self->state.gate.snapshot(self->state.now()));
  });
  return rp;
}

/// Logs, tells the observer and audits the gate after a change. Persisting is the caller's.
void publish(self_ptr self, core::registry& reg, const std::string& why) {
  auto snap = self->state.gate.snapshot(self->state.now());
  spdlog::warn("gate {} reasons={} ({})", snap.open ? "OPEN" : "CLOSED", reasons_text(self->state.gate), why);
  if (self->state.observer)
    self->state.observer(snap);
  gate_gauges(self->state);
  audit_entry entry{"gate", names::risk, gate_json(snap)};
  reg.send(self, names::audit, std::move(entry));
}

void changed(self_ptr self, core::registry& reg, const std::string& why) {
  publish(self, reg, why);
  persist(self, reg, log_persist_failure);
}

} // namespace

void gate_changed_by(self_ptr self, core::registry& reg, const std::string& why) { changed(self, reg, why); }

namespace {

std::string conditions_text(const gate_conditions& c) {
  std::string out;
  for (auto& x : c.active)
    out += (out.empty() ? "" : ", ") + std::string{to_string(x.reason)} + (x.product.empty() ? "" : " " + x.product) +
           ": " + x.detail;
  return out.empty() ? "none" : out;
}

caf::behavior risk_impl(self_ptr self, core::registry* reg, trading_gate initial, gate_observer observer,
                        const std::vector<std::string>& sources, risk_options opts) {
  self->state.gate = std::move(initial);
  self->state.observer = std::move(observer);
  self->state.opts = std::move(opts);
  if (self->state.observer)
    self->state.observer(self->state.gate.snapshot(self->state.now()));
  // A (re)started risk rebuilds the gate from what every source holds now; sources that are
  // not running yet report when they start.
  for (auto& name : sources)
    if (auto src = reg->get(name))
      self->send(src, report_gate_conditions{});
  self->delayed_send(self, persist_retry, persist_retry_atom::value);
  const auto initial_reasons = self->state.gate.reasons();
  start_trading(self, *reg);
  if (auto& tape = self->state.opts.tape) {
    // What replay starts from: the gate as spawned and the parts restored from the store.
    auto& d = *self->state.desk;  // loss() has no const overload
    tape->record(self->state.now(),
                 recorder::tape_start{{}, {}, initial_reasons, d.pacing().to_json(), d.exits().to_json(),
                                      d.plans_json(), d.pyramid().to_json(), d.loss().to_json(),
                                      self->state.opts.clear_startup_on_reconcile});
  }
  return {
    core::probe_handler(self),
    [=](gate_conditions c) {
      // Freshness is judged on risk's clock: a report counts as made when it arrived.
      c.ts = self->state.now();
      tape_scope rec{self->state, c};
      if (self->state.gate.apply(c))
        changed(self, *reg, fmt::format("{} reports {}", c.source, conditions_text(c)));
    },
    [=](const gate_signal& s) {
      tape_scope rec{self->state, s};
      if (self->state.gate.apply(s)) {
        changed(self, *reg,
                fmt::format("{} {} by {}: {}", s.active ? "raised" : "cleared", to_string(s.reason), s.source, s.detail));
      } else if (!s.active && trading_gate::is_sticky(s.reason) && self->state.gate.has(s.reason)) {
        spdlog::warn("gate: {} asked to clear {}, which only an operator can resume", s.source, to_string(s.reason));
      }
    },
    [=](const raise_gate& r) -> caf::result<gate_changed> {
      auto& s = r.signal;
      tape_scope rec{self->state, s};
      const bool was_killed = self->state.gate.has(gate_reason::kill_switch);
      if (self->state.gate.apply(s))
        publish(self, *reg, fmt::format("raised {} by {}: {}", to_string(s.reason), s.source, s.detail));
      // The CRITICAL alert of a kill switch engaged by `traderctl kill` or SIGUSR1 (the file
      // watcher raises its own, fingerprint kill_switch_file).
      if (s.reason == gate_reason::kill_switch && s.active && !was_killed && s.source != "kill_switch_file")
        reg->send(self, names::alerting,
                  alert{"kill_switch", severity::critical, "kill_switch", "kill switch engaged: cancels only",
                        fmt::format("by {}: {}; released only by `traderctl resume kill_switch`", s.source, s.detail),
                        names::risk, false, self->state.now()});
      return answer_when_durable(self, *reg,
                                 fmt::format("{} is in force but NOT durable", to_string(s.reason)),
                                 "it will not survive a restart until the store accepts the write");
    },
    [=](const resume_gate& r) -> caf::result<gate_changed> {
      tape_scope rec{self->state, r};
      before_resume(self, *reg, r.reason, r.by);
      auto res = self->state.gate.resume(r.reason, r.force, self->state.now());
      if (!res.refused.empty()) {
        spdlog::warn("gate: operator {} resume {} refused: {}", r.by, to_string(r.reason), res.refused);
        audit_entry entry{"gate_resume_refused", names::risk,
                          nlohmann::json{{"reason", to_string(r.reason)}, {"by", r.by}, {"why", res.refused}}.dump()};
        reg->send(self, names::audit, std::move(entry));
        return make_error(errc::rejected, res.refused);
      }
      if (!res.changed)
        return self->state.gate.snapshot(self->state.now());
      publish(self, *reg,
              fmt::format("operator {} resumed {}{}", r.by, to_string(r.reason), r.force ? " (forced)" : ""));
      if (r.reason == gate_reason::kill_switch)
        reg->send(self, names::alerting,
                  alert{"kill_switch", severity::critical, "kill_switch", "kill switch released", "by " + r.by,
                        names::risk, true, self->state.now()});
      if (!trading_gate::is_sticky(r.reason)) {
        persist(self, *reg, log_persist_failure);
        return self->state.gate.snapshot(self->state.now());
      }
      // A sticky reason resumed must be durable before we say so: otherwise a restart would
      // bring it back — safe, but the operator must know.
      return answer_when_durable(self, *reg,
                                 fmt::format("{} resumed in memory but NOT persisted", to_string(r.reason)),
                                 "a restart brings it back");
    },
    [=](get_gate) -> gate_changed { return self->state.gate.snapshot(self->state.now()); },
    [=](persist_retry_atom) {
      if (self->state.persist_pending) {
        self->state.persist_pending = false;
        persist(self, *reg, log_persist_failure);
      }
      self->delayed_send(self, persist_retry, persist_retry_atom::value);
    },
    // -- the pipeline (risk_trading.cpp) --
    [=](const trade_proposal& p) -> risk_verdict {
      tape_scope rec{self->state, p};
      return on_proposal(self, *reg, p);
    },
    [=](const portfolio_update& u) { on_portfolio(self, *reg, u); },  // recorded there (also get_portfolio's answer)
    [=](const quote& q) {
      tape_scope rec{self->state, q};
      on_quote(self, *reg, q);
    },
    [=](const product_status& s) {
      tape_scope rec{self->state, s};
      self->state.desk->on_status(s);
    },
    [=](const book_update& b) {
      tape_scope rec{self->state, b};
      self->state.desk->on_book(b);
    },
    // market_data raises stale_data / sequence_gap on the gate itself; the book it stands
    // for is not trusted for depth until its next snapshot.
    [=](const feed_health& h) {
      if (!h.healthy || h.sequence_gap) {
        tape_scope rec{self->state, recorder::tape_drop_book{h.product}};
        self->state.desk->drop_book(h.product);
      }
    },
    [=](const clock_sample& c) {
      if (c.within_limit) {
        tape_scope rec{self->state, recorder::tape_clock{c.offset_ns}};
        self->state.desk->on_clock_offset(c.offset_ns);
      }
    },
    [=](const subscribed&) {},
    [=](rk_tick_atom) {
      tape_scope rec{self->state, recorder::tape_tick{}};
      on_trading_tick(self, *reg);
    },
    [=](risk_view_atom) -> std::string { return risk_view(self); },
    [=](const config_changed& c) {
      // The gate has no settings; the checks, exits and loss limits re-read the policy.
      tape_scope rec{self->state, recorder::tape_config{c.hash}};
      on_config_changed(self, *reg);
      spdlog::info("risk: configuration {} applied (sections {})", c.hash, fmt::join(c.sections, ","));
    },
  };
}

} // namespace

caf::actor spawn_risk(caf::actor_system& sys, core::registry& reg, trading_gate initial, gate_observer observer,
                      std::vector<std::string> sources, risk_options opts) {
  return sys.spawn(risk_impl, &reg, std::move(initial), std::move(observer), std::move(sources), std::move(opts));
}

} // namespace trader::risk

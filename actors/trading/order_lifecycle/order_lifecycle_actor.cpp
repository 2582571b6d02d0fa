#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"

#include "actors/trading/order_lifecycle/utc_buckets.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <set>

namespace trader::order_lifecycle {

namespace {

using nlohmann::json;
using persistence::order_record;

/// trader_fills_total, trader_orders{state}, trader_order_rejections_total{reason},
/// trader_order_ack_seconds, trader_order_lifecycle_refused_updates_total{refusal}
/// (docs/metrics.md). Re-declared by a restarted actor: prometheus-cpp returns the families
/// already registered, so counters stay monotonic.
struct lifecycle_metrics {
  explicit lifecycle_metrics(prometheus::Registry& r)
    : fills(prometheus::BuildCounter().Name("trader_fills_total").Help("New fills booked (deduplicated by trade id).").Register(r)),
      orders(prometheus::BuildGauge().Name("trader_orders").Help("Orders order_lifecycle tracks, by state.").Register(r)),
      rejections(prometheus::BuildCounter()
                   .Name("trader_order_rejections_total")
                   .Help("Intents and orders refused: by the gate, validation, a failed write-ahead, or the exchange.")
                   .Register(r)),
      ack(prometheus::BuildHistogram()
            .Name("trader_order_ack_seconds")
            .Help("From sending a create to its answer.")
            .Register(r)
            .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90})),
      refused(prometheus::BuildCounter()
                .Name("trader_order_lifecycle_refused_updates_total")
                .Help("Order updates and fills the order state machine refused, by refusal.")
                .Register(r)) {}
  prometheus::Family<prometheus::Counter>& fills;
  prometheus::Family<prometheus::Gauge>& orders;
  prometheus::Family<prometheus::Counter>& rejections;
  prometheus::Histogram& ack;
  prometheus::Family<prometheus::Counter>& refused;
};

/// Bounded label for free-text reasons: the leading upper-case word ("GATE_CLOSED").
std::string reason_label(const std::string& why) {
  std::string out;
  for (char c : why) {
    if ((c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'))
      out += c;
    else
      break;
  }
  if (out.empty() || out.size() > 40)
    return "OTHER";
  return out;
}

struct ol_state {
  static inline const char* name = names::order_lifecycle;
  std::unique_ptr<lifecycle_book> book;
  actor_options opts;
  core::registry* reg = nullptr;
  std::unique_ptr<lifecycle_metrics> metrics;
  gate_changed gate;           ///< Latest answer of risk (closed until the first one).
  bool have_gate = false;
  caf::actor user_stream;      ///< Subscribed instance (monitored).
  std::int64_t ticks = 0;
  std::set<std::string> resolving;  ///< Client ids with a lookup in flight.
  std::set<std::string> unknown_reported;  ///< Orders not ours already logged (bounded by the account's orders).
  std::int64_t refused_updates = 0;
  std::int64_t duplicate_fills = 0;
  ts_ns started = 0;
};

using self_ptr = caf::stateful_actor<ol_state>*;

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

void audit(self_ptr self, const char* kind, json payload) {
  payload["mode"] = self->state.opts.book.mode;
  self->state.reg->send(self, names::audit, audit_entry{kind, names::order_lifecycle, payload.dump()});
}

void count_rejection(self_ptr self, const std::string& why) {
  if (self->state.metrics)
    self->state.metrics->rejections.Add({{"reason", reason_label(why)}}).Increment();
}

void update_order_gauge(self_ptr self) {
  if (!self->state.metrics)
    return;
  std::map<std::string, double> n;
  for (auto s : {order_state::created, order_state::unknown, order_state::open, order_state::partially_filled})
    n[std::string{to_string(s)}] = 0;
  for (auto& [id, o] : self->state.book->orders())
    n[std::string{to_string(to_state(o.rec.status))}] += 1;
  for (auto& [s, v] : n)
    self->state.metrics->orders.Add({{"state", s}}).Set(v);
}

json order_json(const order_record& r) {
  return json{{"client_order_id", r.id.value},
              {"exchange_order_id", r.exchange_id.value},
              {"product", r.product.value},
              {"side", persistence::to_string(r.side)},
              {"type", persistence::to_string(r.kind)},
              {"limit_px", to_string(r.limit_px)},
              {"qty", to_string(r.qty)},
              {"filled_qty", to_string(r.filled_qty)},
              {"state", persistence::to_string(r.status)},
              {"reduce_only", r.reduce_only},
              {"created_at", r.created_at ? format_rfc3339_ms(r.created_at) : ""},
              {"updated_at", r.updated_at ? format_rfc3339_ms(r.updated_at) : ""},
              {"last_error", r.last_error}};
}

void resolve(self_ptr self, const client_order_id& id);

/// An update for an order the actor does not track (placed by hand, by another client, or
/// finished and forgotten): never dropped silently — logged and audited once per exchange id.
/// Adopting or cancelling such orders is reconcile's policy (not built yet).
void report_unknown(self_ptr self, const order_update& u, const char* source) {
  auto key = u.exchange_id.empty() ? u.id.value : u.exchange_id.value;
  if (key.empty() || !self->state.unknown_reported.insert(key).second)
    return;
  spdlog::warn("order_lifecycle: {} update for an order not tracked: exchange id {} client id '{}' state {}", source,
               u.exchange_id.value, u.id.value, to_string(u.state));
  audit(self, "order_unknown",
        json{{"exchange_order_id", u.exchange_id.value},
             {"client_order_id", u.id.value},
             {"product", u.product.value},
             {"state", std::string{to_string(u.state)}},
             {"source", source}});
}

/// Persists a planned order change, then makes it the tracked state. Refusals are logged,
/// counted and audited; an update for an order we do not track is logged and audited.
void apply_change(self_ptr self, const lifecycle_book::order_change& c, const char* source) {
  auto& st = self->state;
  if (!c.known)
    return;
  if (c.why != refusal::none) {
    ++st.refused_updates;
    if (st.metrics)
      st.metrics->refused.Add({{"refusal", std::string{to_string(c.why)}}}).Increment();
    spdlog::warn("order_lifecycle: {} {} refused: {}", source, c.rec.id.value, c.reason);
    audit(self, "order_refused", json{{"client_order_id", c.rec.id.value}, {"source", source}, {"reason", c.reason}});
    // The exchange is the truth: re-read the order (not again for a re-read's own refusal).
    if (std::string_view{source} != "lookup" && st.opts.book.send_orders)
      resolve(self, c.rec.id);
    return;
  }
  if (!c.changed)
    return;
  auto out = st.opts.store->update_order(c.rec);
  if (!out.ok) {
    spdlog::error("order_lifecycle: persisting {} {} -> {} failed: {} (the state is not changed)", c.rec.id.value,
                  to_string(c.from), to_string(c.to), out.error);
    return;
  }
  st.book->commit(c, now_of(self));
  if (c.to == order_state::rejected)
    count_rejection(self, c.rec.last_error.empty() ? "REJECTED" : c.rec.last_error);
  auto j = order_json(c.rec);
  j["from"] = std::string{to_string(c.from)};
  j["source"] = source;
  audit(self, "order", j);
  spdlog::info("order_lifecycle: {} {} -> {} ({})", c.rec.id.value, to_string(c.from), to_string(c.to), source);
  update_order_gauge(self);
}

void on_fill(self_ptr self, const fill& f, const char* source) {
  auto& st = self->state;
  auto now = now_of(self);
  auto p = st.book->plan_fill(f, now);
  if (p.duplicate) {
    ++st.duplicate_fills;
    return;
  }
  if (!p.invalid.empty()) {
    spdlog::warn("order_lifecycle: fill {} refused: {}", f.trade.value, p.invalid);
    audit(self, "fill_refused", json{{"trade_id", f.trade.value}, {"reason", p.invalid}, {"source", source}});
    return;
  }
  auto out = st.opts.store->record_fill(p.commit);
  if (!out.ok) {
    spdlog::error("order_lifecycle: fill {} not booked, the store refused it: {}", f.trade.value, out.error);
    return;
  }
  if (out.duplicate) {  // stored before but no longer remembered by the ledger: already booked
    ++st.duplicate_fills;
    return;
  }
  auto fr = p.commit.fill;
  auto order_change = p.order;
  auto refused = p.order_refused;
  bool unknown = p.unknown_order;
  auto realized = p.commit.realized;
  st.book->commit_fill(std::move(p), now);
  if (st.metrics)
    st.metrics->fills.Add({}).Increment();
  audit(self, "fill",
        json{{"trade_id", fr.trade.value},
             {"client_order_id", fr.order.value},
             {"exchange_order_id", fr.exchange_order.value},
             {"product", fr.product.value},
             {"side", persistence::to_string(fr.side)},
             {"px", to_string(fr.px)},
             {"qty", to_string(fr.qty)},
             {"size_in_quote", f.size_in_quote},
             {"fee", to_string(fr.fee)},
             {"realized", to_string(realized)},
             {"source", source}});
  if (unknown)
    spdlog::warn("order_lifecycle: fill {} of an order not tracked (exchange id {}): booked", fr.trade.value,
                 fr.exchange_order.value);
  if (!refused.empty()) {
    ++st.refused_updates;
    if (st.metrics && order_change)
      st.metrics->refused.Add({{"refusal", std::string{to_string(order_change->why)}}}).Increment();
    spdlog::warn("order_lifecycle: fill {} booked, but its order refused it: {}", fr.trade.value, refused);
    audit(self, "order_refused", json{{"client_order_id", fr.order.value}, {"source", source}, {"reason", refused}});
    if (st.opts.book.send_orders && st.book->find(fr.order))
      resolve(self, fr.order);
  } else if (order_change && order_change->changed) {
    auto j = order_json(order_change->rec);
    j["from"] = std::string{to_string(order_change->from)};
    j["source"] = std::string{source} + " fill";
    audit(self, "order", j);
    update_order_gauge(self);
  }
}

/// Asks orders for an order by client id (or exchange id) and applies the answer. When the
/// exchange does not know it: a recovering intent is sent again under the same id while
/// young enough and the gate allows; otherwise it is marked failed (never re-sent under a new id).
void send_create(self_ptr self, const create_order& c, std::function<void(json)> done);

void resolve(self_ptr self, const client_order_id& id) {
  auto& st = self->state;
  auto* o = st.book->find(id);
  if (!o || st.resolving.count(id.value))
    return;
  st.resolving.insert(id.value);
  st.reg->request(self, names::orders, std::chrono::seconds(30), get_order{o->rec.exchange_id, id})
    .then(
      [=](const order_update& u) {
        self->state.resolving.erase(id.value);
        auto c = self->state.book->on_update(u, now_of(self));
        apply_change(self, c, "lookup");
      },
      [=](caf::error& e) {
        auto& st = self->state;
        st.resolving.erase(id.value);
        auto* o = st.book->find(id);
        if (!o)
          return;
        auto why = describe(e);
        if (why.find("not_found") == std::string::npos) {
          spdlog::warn("order_lifecycle: lookup of {} failed (will retry): {}", id.value, why);
          return;
        }
        auto now = now_of(self);
        auto age = now - o->rec.created_at;
        bool created = o->rec.status == persistence::order_status::created;
        if (created && o->recovering && st.opts.book.send_orders && age < st.opts.book.resend_window_ns) {
          auto refusal = st.have_gate ? gate_refusal(st.gate, o->rec.reduce_only) : std::string{"GATE_UNKNOWN"};
          if (!refusal.empty())
            return;  // try again next tick, until the window closes
          if (auto c = st.book->resend_of(*o)) {
            spdlog::warn("order_lifecycle: intent {} was written ahead but never reached the exchange: sending it now "
                         "under the same client order id",
                         id.value);
            st.book->find_mut(id)->recovering = false;
            send_create(self, *c, {});
            return;
          }
        }
        if (age < st.opts.book.resend_window_ns && !created)
          return;  // unknown: give the exchange its lookup window
        auto c = st.book->on_event(id, order_event::not_placed, "NOT_PLACED: unknown at the exchange by client order id",
                                   now);
        apply_change(self, c, "lookup");
      });
}

void send_create(self_ptr self, const create_order& c, std::function<void(json)> done) {
  auto& st = self->state;
  if (auto* o = st.book->find_mut(c.id)) {
    o->in_flight = true;
    o->sent_at = system_time_source::instance().mono_now();
  }
  auto id = c.id;
  st.reg->request(self, names::orders, st.opts.create_timeout, c)
    .then(
      [=](const order_ack& a) {
        auto& st = self->state;
        if (auto* o = st.book->find(id); o && st.metrics && o->sent_at)
          st.metrics->ack.Observe(static_cast<double>(system_time_source::instance().mono_now() - o->sent_at) / 1e9);
        auto ch = st.book->on_ack(a, now_of(self));
        apply_change(self, ch, "create");
        if (done)
          done(json{{"client_order_id", id.value},
                    {"sent", true},
                    {"accepted", a.accepted},
                    {"exchange_order_id", a.exchange_id.value},
                    {"failure_reason", a.failure_reason},
                    {"state", std::string{to_string(ch.changed ? ch.to : ch.from)}}});
      },
      [=](caf::error& e) {
        auto& st = self->state;
        // Nothing reached the exchange when orders refused it up front or was not there at
        // all; anything else (timeout, orders died with it) may have placed it: unknown.
        bool nothing_sent = is(e, errc::rejected) || is(e, errc::invalid_argument) || e == caf::sec::invalid_argument;
        auto ev = nothing_sent ? order_event::not_placed : order_event::send_timed_out;
        auto ch = st.book->on_event(id, ev, "CREATE_FAILED: " + describe(e), now_of(self));
        apply_change(self, ch, "create");
        if (nothing_sent)
          count_rejection(self, is(e, errc::rejected) ? "ORDERS_REFUSED" : "ORDERS_UNAVAILABLE");
        if (done)
          done(json{{"client_order_id", id.value},
                    {"sent", !nothing_sent},
                    {"error", describe(e)},
                    {"state", std::string{to_string(ch.changed ? ch.to : ch.from)}}});
      });
}

/// The intent after the gate said yes or no.
void admit(self_ptr self, order_intent in, caf::response_promise rp) {
  auto& st = self->state;
  auto now = now_of(self);
  auto refuse = [&](const std::string& why, errc code) {
    count_rejection(self, why);
    spdlog::warn("order_lifecycle: intent {} refused: {}", in.proposal_id, why);
    audit(self, "order_intent",
          json{{"proposal_id", in.proposal_id}, {"product", in.product.value}, {"refused", why}, {"sent", false}});
    rp.deliver(trader::make_error(code, why));
  };
  if (!st.have_gate)
    return refuse("GATE_UNKNOWN: risk did not answer", errc::rejected);
  if (auto why = gate_refusal(st.gate, in.reduce_only); !why.empty())
    return refuse(why, errc::rejected);
  auto p = st.book->prepare(in, now);
  if (!p.refused.empty())
    return refuse(p.refused, errc::rejected);
  auto intent_json = [&] {
    auto j = order_json(p.rec);
    j["proposal_id"] = in.proposal_id;
    j["quote_size"] = to_string(in.quote_size);
    j["post_only"] = in.post_only;
    j["tif"] = std::string{to_string(in.tif)};
    return j;
  };
  if (!st.opts.book.send_orders) {
    auto j = intent_json();
    j["sent"] = false;
    j["dry_run"] = true;
    audit(self, "order_intent", j);
    spdlog::info("order_lifecycle: {} intent {} audited, nothing sent", st.opts.book.mode, p.rec.id.value);
    rp.deliver(j.dump());
    return;
  }
  // Write-ahead: durable before anything is sent; a failed write sends nothing.
  auto out = st.opts.store->write_ahead(p.rec);
  if (!out.ok)
    return refuse("WRITE_AHEAD_FAILED: " + out.error, errc::state_unavailable);
  st.book->track(p);
  auto j = intent_json();
  j["sent"] = true;
  audit(self, "order_intent", j);
  update_order_gauge(self);
  if (st.opts.abort_after_write_ahead) {
    spdlog::critical("order_lifecycle: TEST HOOK: aborting between the write-ahead of {} and its send", p.rec.id.value);
    std::abort();
  }
  send_create(self, p.create, [rp](json r) mutable { rp.deliver(r.dump()); });
}

void refresh_gate(self_ptr self, std::function<void()> then) {
  self->state.reg->request(self, names::risk, std::chrono::seconds(5), get_gate{})
    .then(
      [=](const gate_changed& g) {
        self->state.gate = g;
        self->state.have_gate = true;
        if (then)
          then();
      },
      [=](caf::error& e) {
        // No answer: treat the gate as closed (fail closed) until risk answers again.
        self->state.gate = gate_changed{false, {gate_reason_entry{gate_reason::startup, "risk: " + describe(e), 0, names::order_lifecycle, {}}}, 0};
        self->state.have_gate = true;
        if (then)
          then();
      });
}

void poll_fills(self_ptr self) {
  auto& st = self->state;
  auto since = st.book->newest_fill();
  since = since ? since - 600 * ns_per_s : st.started - 3600 * ns_per_s;
  st.reg->request(self, names::fills, std::chrono::seconds(30), get_fills{since, {}, {}})
    .then(
      [=](const fill_list& l) {
        for (auto& f : l.fills)
          on_fill(self, f, "fills_poll");
      },
      [=](caf::error& e) { spdlog::debug("order_lifecycle: fills poll failed: {}", describe(e)); });
}

/// Re-reads the exchange's open orders: each one we track is applied as an update; a tracked
/// live order missing from the list is looked up (it filled, was cancelled or expired).
void refresh_open(self_ptr self) {
  self->state.reg->request(self, names::orders, std::chrono::seconds(30), list_open_orders{})
    .then(
      [=](const order_list& l) {
        auto& st = self->state;
        std::set<std::string> seen;
        for (auto& u : l.orders) {
          seen.insert(u.exchange_id.value);
          auto c = st.book->on_update(u, now_of(self));
          if (!c.known)
            report_unknown(self, u, "open_orders");
          apply_change(self, c, "open_orders");
        }
        std::vector<client_order_id> missing;
        for (auto& [id, o] : st.book->orders())
          if (!o.in_flight && !o.rec.exchange_id.empty() && !seen.count(o.rec.exchange_id.value))
            missing.push_back(o.rec.id);
        for (auto& id : missing)
          resolve(self, id);
      },
      [=](caf::error& e) { spdlog::debug("order_lifecycle: open orders re-read failed: {}", describe(e)); });
}

void subscribe_user_stream(self_ptr self) {
  auto us = self->state.reg->get(names::user_stream);
  if (!us || us == self->state.user_stream)
    return;
  self->request(us, std::chrono::seconds(5), subscribe_feed{{}})
    .then(
      [=](const subscribed&) {
        self->state.user_stream = us;
        self->monitor(us);
      },
      [=](caf::error&) {});
}

void cancel_ids(self_ptr self, std::vector<exchange_order_id> ids, std::string reason, std::size_t on_exchange,
                std::string list_error, caf::response_promise rp) {
  auto& st = self->state;
  auto n = ids.size();
  if (ids.empty()) {
    json j{{"open_on_exchange", on_exchange}, {"sent", 0}, {"confirmed", 0}};
    if (!list_error.empty())
      j["list_error"] = list_error;
    rp.deliver(j.dump());
    return;
  }
  for (auto& id : ids)
    if (auto* o = st.book->find_exchange(id))
      st.book->cancel_requested(o->rec.id, now_of(self));
  st.reg->request(self, names::orders, std::chrono::seconds(60), cancel_orders{ids, reason})
    .then(
      [=](const cancel_results& r) mutable {
        std::size_t ok = 0;
        json failed = json::array();
        for (auto& x : r.results) {
          if (x.success) {
            ++ok;
            if (auto* o = self->state.book->find_exchange(x.id))
              apply_change(self, self->state.book->on_event(o->rec.id, order_event::canceled, reason, now_of(self)),
                           "cancel");
          } else {
            failed.push_back(json{{"exchange_order_id", x.id.value}, {"failure_reason", x.failure_reason}});
          }
        }
        json j{{"open_on_exchange", on_exchange}, {"sent", n}, {"confirmed", ok}, {"failed", failed}};
        if (!list_error.empty())
          j["list_error"] = list_error;
        audit(self, "cancel_all", j);
        rp.deliver(j.dump());
      },
      [=](caf::error& e) mutable {
        json j{{"open_on_exchange", on_exchange}, {"sent", n}, {"confirmed", 0}, {"error", describe(e)}};
        audit(self, "cancel_all", j);
        rp.deliver(j.dump());
      });
}

void on_tick(self_ptr self) {
  auto& st = self->state;
  ++st.ticks;
  auto now = now_of(self);
  refresh_gate(self, {});
  subscribe_user_stream(self);
  if (st.opts.book.send_orders) {
    // Stale post-only orders.
    auto plan = st.book->stale(now);
    for (auto& c : plan.cancels) {
      auto* o = st.book->find(c.id);
      if (!o || o->rec.exchange_id.empty())
        continue;
      st.book->cancel_requested(c.id, now);
      spdlog::info("order_lifecycle: cancelling {}: {}", c.id.value, c.reason);
      auto id = c.id;
      auto reason = c.reason;
      st.reg->request(self, names::orders, std::chrono::seconds(30), cancel_orders{{o->rec.exchange_id}, c.reason})
        .then(
          [=](const cancel_results& r) {
            for (auto& x : r.results)
              if (x.success)
                apply_change(self, self->state.book->on_event(id, order_event::canceled, reason, now_of(self)), "ttl");
          },
          [=](caf::error& e) { spdlog::warn("order_lifecycle: stale cancel of {} failed: {}", id.value, describe(e)); });
    }
    // Intents in created/unknown (recovered at start, or a create whose outcome is unknown).
    std::vector<client_order_id> unresolved;
    for (auto& [id, o] : st.book->orders())
      if (!o.in_flight && (o.recovering || o.rec.status == persistence::order_status::unknown))
        unresolved.push_back(o.rec.id);
    for (auto& id : unresolved)
      resolve(self, id);
    bool live = !st.book->orders().empty();
    if (live && st.ticks % st.opts.fills_poll_ticks == 0)
      poll_fills(self);
    else if (!live && st.ticks % (st.opts.fills_poll_ticks * 6) == 0)
      poll_fills(self);
    if (live && st.ticks % st.opts.refresh_ticks == 0)
      refresh_open(self);
  }
  self->delayed_send(self, st.opts.tick, ol_tick_atom::value);
}

json positions_json(self_ptr self) {
  auto arr = json::array();
  for (auto& [product, p] : self->state.book->book().positions()) {
    if (p.flat() && p.realized.is_zero())
      continue;
    arr.push_back(json{{"product", product},
                       {"qty", to_string(p.qty)},
                       {"avg_entry", to_string(p.avg_entry())},
                       {"cost", to_string(p.cost)},
                       {"realized", to_string(p.realized)},
                       {"fees", to_string(p.fees)},
                       {"updated_at", p.updated_at ? format_rfc3339_ms(p.updated_at) : ""}});
  }
  return json{{"positions", arr}, {"mode", self->state.opts.book.mode}};
}

json pnl_json(self_ptr self) {
  auto& l = self->state.book->book();
  auto now = now_of(self);
  auto bucket = [](const pnl_totals& t) {
    return json{{"realized", to_string(t.realized)}, {"fees", to_string(t.fees)}, {"fills", t.fills}};
  };
  return json{{"day", bucket(l.day(now))},
              {"day_key", day_bucket_key(now)},
              {"week", bucket(l.week(now))},
              {"week_key", week_bucket_key(now)},
              {"total", bucket(l.total())},
              {"cash", to_string(l.cash())},
              {"high_water", to_string(l.high_water())},
              {"mode", self->state.opts.book.mode}};
}

caf::behavior ol_impl(self_ptr self, core::registry* reg, actor_options opts) {
  auto& st = self->state;
  st.reg = reg;
  st.opts = std::move(opts);
  st.book = std::make_unique<lifecycle_book>(st.opts.book);
  if (st.opts.metrics)
    st.metrics = std::make_unique<lifecycle_metrics>(*st.opts.metrics);
  st.started = now_of(self);
  std::string why;
  auto orders = st.opts.store->orders(&why);
  auto fills = orders ? st.opts.store->fills(&why) : std::nullopt;
  if (!orders || !fills) {
    spdlog::error("order_lifecycle: cannot read orders and fills from the store ({}): starting empty; the gate "
                  "holds state_unavailable",
                  why);
  } else {
    auto problems = st.book->restore(*orders, *fills);
    if (!problems.empty())
      spdlog::error("order_lifecycle: restoring the ledger: {}", problems);
    std::size_t recovering = 0;
    for (auto& [id, o] : st.book->orders())
      recovering += o.recovering ? 1 : 0;
    spdlog::info("order_lifecycle: {} mode, {} orders in the store, {} live, {} to resolve by client order id, {} fills "
                 "replayed, next sequence {}",
                 st.opts.book.mode, orders->size(), st.book->orders().size(), recovering, fills->size(),
                 st.book->ids().next_sequence());
  }
  update_order_gauge(self);
  self->set_down_handler([=](const caf::down_msg& dm) {
    if (dm.source == self->state.user_stream)
      self->state.user_stream = nullptr;  // resubscribe on the next tick
  });
  refresh_gate(self, {});
  subscribe_user_stream(self);
  self->delayed_send(self, st.opts.tick, ol_tick_atom::value);
  return {
    [=](order_intent in) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      refresh_gate(self, [=]() mutable { admit(self, in, rp); });
      return rp;
    },
    [=](const order_update& u) {
      auto c = self->state.book->on_update(u, now_of(self));
      if (!c.known)
        report_unknown(self, u, "user_stream");
      apply_change(self, c, "user_stream");
    },
    [=](const fill& f) { on_fill(self, f, "user_stream"); },
    [=](const cancel_all& c) -> caf::result<std::string> {
      auto rp = self->make_response_promise<std::string>();
      spdlog::warn("order_lifecycle: cancel_all: {}", c.reason);
      if (!self->state.opts.book.send_orders) {
        json j{{"open_on_exchange", 0}, {"sent", 0}, {"confirmed", 0},
               {"note", self->state.opts.book.mode + ": read-only, nothing is sent"}};
        audit(self, "cancel_all", j);
        rp.deliver(j.dump());
        return rp;
      }
      auto reason = c.reason;
      auto local = [=] {
        std::vector<exchange_order_id> ids;
        for (auto& [id, o] : self->state.book->orders())
          if (!o.rec.exchange_id.empty())
            ids.push_back(o.rec.exchange_id);
        return ids;
      };
      // The exchange is the truth: every open order of the account, plus any we track.
      self->state.reg->request(self, names::orders, std::chrono::seconds(30), list_open_orders{})
        .then(
          [=](const order_list& l) mutable {
            std::set<std::string> seen;
            std::vector<exchange_order_id> ids;
            for (auto& u : l.orders)
              if (seen.insert(u.exchange_id.value).second)
                ids.push_back(u.exchange_id);
            auto on_exchange = ids.size();
            for (auto& id : local())
              if (seen.insert(id.value).second)
                ids.push_back(id);
            cancel_ids(self, ids, reason, on_exchange, l.skipped ? "list incomplete: skipped=" + std::to_string(l.skipped) : "", rp);
          },
          [=](caf::error& e) mutable { cancel_ids(self, local(), reason, 0, describe(e), rp); });
      return rp;
    },
    [=](const cancel_order& c) {
      auto* o = self->state.book->find(c.id);
      if (!o || o->rec.exchange_id.empty() || !self->state.opts.book.send_orders)
        return;
      self->state.book->cancel_requested(c.id, now_of(self));
      auto id = c.id;
      self->state.reg->request(self, names::orders, std::chrono::seconds(30), cancel_orders{{o->rec.exchange_id}, c.reason})
        .then(
          [=](const cancel_results& r) {
            for (auto& x : r.results)
              if (x.success)
                apply_change(self, self->state.book->on_event(id, order_event::canceled, "canceled", now_of(self)),
                             "cancel");
          },
          [=](caf::error& e) { spdlog::warn("order_lifecycle: cancel of {} failed: {}", id.value, describe(e)); });
    },
    [=](ol_orders_atom, bool open_only) -> std::string {
      auto arr = json::array();
      if (open_only) {
        for (auto& [id, o] : self->state.book->orders())
          arr.push_back(order_json(o.rec));
      } else {
        std::string why;
        auto all = self->state.opts.store->orders(&why);
        if (!all)
          return json{{"error", why}}.dump();
        for (auto& r : *all)
          arr.push_back(order_json(r));
      }
      return json{{"orders", arr},
                  {"mode", self->state.opts.book.mode},
                  {"next_sequence", self->state.book->ids().next_sequence()},
                  {"refused_updates", self->state.refused_updates},
                  {"duplicate_fills", self->state.duplicate_fills}}
        .dump();
    },
    [=](ol_positions_atom) -> std::string { return positions_json(self).dump(); },
    [=](ol_pnl_atom) -> std::string { return pnl_json(self).dump(); },
    [=](ol_tick_atom) { on_tick(self); },
    [=](const subscribed&) {},
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_order_lifecycle(caf::actor_system& sys, core::registry& reg, actor_options opts) {
  if (!opts.store)
    opts.store = make_store_backend(nullptr, "no store given");
  if (opts.detached)
    return sys.spawn<caf::detached>(ol_impl, &reg, std::move(opts));
  return sys.spawn(ol_impl, &reg, std::move(opts));
}

} // namespace trader::order_lifecycle

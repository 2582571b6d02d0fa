#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace trader::order_lifecycle::detail {

using persistence::order_record;

namespace {

/// The lookup by client order id found nothing, and neither did the recent-orders list: a
/// written-ahead intent never sent is sent under its id (inside the resend window, gate
/// allowing); an unknown one waits out the window; then the order is failed (not_placed).
void not_found(self_ptr self, const client_order_id& id) {
  auto& st = self->state;
  auto* o = st.book->find(id);
  if (!o)
    return;
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
}

/// The by-client-id lookup said not found. Its behaviour at Coinbase is undocumented, so it
/// decides nothing alone: the recent-orders list (it carries client_order_id) is read first;
/// the order found there is applied, else not_found() decides. A failed read decides nothing
/// (the tick asks again).
void cross_check(self_ptr self, const client_order_id& id) {
  auto* o = self->state.book->find(id);
  if (!o)
    return;
  self->state.resolving.insert(id.value);
  list_recent_orders q{o->rec.created_at - 600 * ns_per_s, o->rec.product};
  self->request(orders_of(self), std::chrono::seconds(30), q)
    .then(
      [=](const order_list& l) {
        auto& st = self->state;
        st.resolving.erase(id.value);
        for (auto& u : l.orders)
          if (u.id == id) {
            spdlog::warn("order_lifecycle: {} not found by client order id but listed in the recent orders ({}): "
                         "the list wins",
                         id.value, to_string(u.state));
            apply_change(self, st.book->on_update(u, now_of(self)), "recent_orders");
            return;
          }
        if (l.skipped) {
          spdlog::warn("order_lifecycle: recent orders incomplete (skipped={}): {} stays unresolved", l.skipped,
                       id.value);
          return;
        }
        not_found(self, id);
      },
      [=](caf::error& e) {
        self->state.resolving.erase(id.value);
        spdlog::warn("order_lifecycle: recent orders unavailable, {} stays unresolved (will retry): {}", id.value,
                     describe(e));
      });
}

} // namespace

void resolve(self_ptr self, const client_order_id& id) {
  auto& st = self->state;
  auto* o = st.book->find(id);
  if (!o || st.resolving.count(id.value))
    return;
  st.resolving.insert(id.value);
  self->request(orders_of(self), std::chrono::seconds(30), get_order{o->rec.exchange_id, id})
    .then(
      [=](const order_update& u) {
        self->state.resolving.erase(id.value);
        auto c = self->state.book->on_update(u, now_of(self));
        apply_change(self, c, "lookup");
      },
      [=](caf::error& e) {
        auto& st = self->state;
        st.resolving.erase(id.value);
        if (!st.book->find(id))
          return;
        auto why = describe(e);
        if (why.find("not_found") == std::string::npos) {
          spdlog::warn("order_lifecycle: lookup of {} failed (will retry): {}", id.value, why);
          return;
        }
        cross_check(self, id);
      });
}

void send_create(self_ptr self, const create_order& c, const std::function<void(json)>& done) {
  auto& st = self->state;
  if (auto* o = st.book->find_mut(c.id)) {
    o->in_flight = true;
    o->sent_at = system_time_source::instance().mono_now();
  }
  auto id = c.id;
  shadow_sent(self, c);
  self->request(orders_of(self), st.opts.create_timeout, c)
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
  if (!p.cut.empty())
    spdlog::warn("order_lifecycle: intent {} {}: {}", in.proposal_id, p.rec.product.value, p.cut);
  p.create.origin_mono = in.origin_mono;  // the frame that caused it: orders records tick_to_order
  p.create.origin_path = in.origin_path;
  auto intent_json = [&] {
    auto j = order_json(p.rec);
    j["proposal_id"] = in.proposal_id;
    j["quote_size"] = to_string(in.quote_size);
    j["post_only"] = in.post_only;
    j["tif"] = std::string{to_string(in.tif)};
    if (!p.cut.empty())
      j["cut"] = p.cut;
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
  publish_portfolio(self);
  auto j = intent_json();
  j["sent"] = true;
  audit(self, "order_intent", j);
  update_order_gauge(self);
  if (st.opts.abort_after_write_ahead) {
    spdlog::critical("order_lifecycle: TEST HOOK: aborting between the write-ahead of {} and its send", p.rec.id.value);
    std::abort();
  }
  send_create(self, p.create, [rp](const json& r) mutable { rp.deliver(r.dump()); });
}

void refresh_gate(self_ptr self, const std::function<void()>& then) {
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

void cancel_ids(self_ptr self, const std::vector<exchange_order_id>& ids, const std::string& reason,
                std::size_t on_exchange, const std::string& list_error, caf::response_promise rp) {
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
  self->request(orders_of(self), std::chrono::seconds(60), cancel_orders{ids, reason})
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
void cancel_all_orders(self_ptr self, const std::string& reason, caf::response_promise rp) {
  spdlog::warn("order_lifecycle: cancel_all: {}", reason);
  if (!self->state.opts.book.send_orders) {
    json j{{"open_on_exchange", 0}, {"sent", 0}, {"confirmed", 0},
           {"note", self->state.opts.book.mode + ": read-only, nothing is sent"}};
    audit(self, "cancel_all", j);
    rp.deliver(j.dump());
    return;
  }
  auto local = [=] {
    std::vector<exchange_order_id> ids;
    for (auto& [id, o] : self->state.book->orders())
      if (!o.rec.exchange_id.empty())
        ids.push_back(o.rec.exchange_id);
    return ids;
  };
  // The exchange is the truth: every open order of the account, plus any we track.
  self->request(orders_of(self), std::chrono::seconds(30), list_open_orders{{}, /*for_cancel=*/true})
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
}

void cancel_one(self_ptr self, const cancel_order& c) {
  auto* o = self->state.book->find(c.id);
  if (!o || o->rec.exchange_id.empty() || !self->state.opts.book.send_orders)
    return;
  self->state.book->cancel_requested(c.id, now_of(self));
  auto id = c.id;
  self->request(orders_of(self), std::chrono::seconds(30), cancel_orders{{o->rec.exchange_id}, c.reason})
    .then(
      [=](const cancel_results& r) {
        for (auto& x : r.results)
          if (x.success)
            apply_change(self, self->state.book->on_event(id, order_event::canceled, "canceled", now_of(self)),
                         "cancel");
      },
      [=](caf::error& e) { spdlog::warn("order_lifecycle: cancel of {} failed: {}", id.value, describe(e)); });
}

} // namespace trader::order_lifecycle::detail

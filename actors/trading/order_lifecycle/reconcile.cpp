#include "actors/trading/order_lifecycle/reconcile.hpp"

#include "messages/names.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace trader::order_lifecycle {

namespace {

/// How far along a reported order is (a later report wins when sources disagree).
std::tuple<int, std::int64_t> progress_key(const exchange_order& o) {
  int stage = 0;
  switch (o.state) {
    case order_state::created:
    case order_state::unknown:
    case order_state::failed:
      stage = 0;
      break;
    case order_state::open:
      stage = 1;
      break;
    case order_state::partially_filled:
      stage = 2;
      break;
    case order_state::filled:
    case order_state::canceled:
    case order_state::expired:
    case order_state::rejected:
      stage = 3;
      break;
  }
  return {stage, o.filled.units};
}

bool waits_for_exchange(order_state s) { return s == order_state::created || s == order_state::unknown; }
bool believed_open(order_state s) { return s == order_state::open || s == order_state::partially_filled; }

std::string describe(const exchange_order& o) {
  return "exchange_id=" + o.id.value + " product=" + o.product.value + " side=" + std::string{to_string(o.dir)} +
         " state=" + std::string{to_string(o.state)} + " filled=" + to_string(o.filled);
}

} // namespace

std::string_view to_string(unknown_order_policy p) {
  switch (p) {
    case unknown_order_policy::adopt: return "adopt";
    case unknown_order_policy::cancel: return "cancel";
    case unknown_order_policy::alert: return "alert_only";
  }
  return "?";
}

std::string_view to_string(mismatch_kind k) {
  switch (k) {
    case mismatch_kind::unknown_exchange_order: return "unknown_exchange_order";
    case mismatch_kind::lost_open_order: return "lost_open_order";
    case mismatch_kind::state_refused: return "state_refused";
    case mismatch_kind::identity_conflict: return "identity_conflict";
    case mismatch_kind::fill_for_unknown_order: return "fill_for_unknown_order";
  }
  return "?";
}

std::vector<client_order_id> lookups_needed(const std::vector<local_order>& local,
                                            const std::vector<exchange_order>& open_orders) {
  std::unordered_set<client_order_id> open_ids;
  open_ids.reserve(open_orders.size());
  for (const auto& o : open_orders)
    open_ids.insert(o.client_id);
  std::vector<client_order_id> out;
  for (const auto& l : local)
    if (waits_for_exchange(l.state) || (believed_open(l.state) && open_ids.count(l.id) == 0))
      out.push_back(l.id);
  return out;
}

reconcile_plan reconcile(const std::vector<local_order>& local, const exchange_view& ex, ts_ns now,
                         const reconcile_policy& policy, const std::function<bool(const trade_id&)>& fill_applied) {
  reconcile_plan plan;

  // The exchange's best word per client order id, whichever source said it.
  std::unordered_map<client_order_id, const exchange_order*> seen;
  std::unordered_set<exchange_order_id> seen_exchange_ids;
  seen.reserve(ex.open_orders.size() + ex.recent_orders.size() + ex.found_by_client_id.size());
  for (const auto* list : {&ex.open_orders, &ex.found_by_client_id, &ex.recent_orders})
    for (const auto& o : *list) {
      if (!o.id.empty())
        seen_exchange_ids.insert(o.id);
      if (o.client_id.empty())
        continue;
      auto [it, fresh] = seen.emplace(o.client_id, &o);
      if (!fresh && progress_key(o) > progress_key(*it->second))
        it->second = &o;
    }

  std::unordered_set<client_order_id> local_ids;
  std::unordered_set<exchange_order_id> local_exchange_ids;
  local_ids.reserve(local.size());
  for (const auto& l : local) {
    local_ids.insert(l.id);
    if (!l.exchange_id.empty())
      local_exchange_ids.insert(l.exchange_id);
  }

  // -- local orders -------------------------------------------------------------------
  for (const auto& l : local) {
    auto it = seen.find(l.id);
    if (it == seen.end()) {
      if (waits_for_exchange(l.state)) {
        if (now - l.updated_at >= policy.not_found_window_ns)
          plan.mark_failed.push_back(l.id);
        else
          plan.lookup_again.push_back(l.id);
      } else if (believed_open(l.state) && policy.venue_forgets_open_orders) {
        plan.resolve.push_back({l.id, l.exchange_id, l.state, order_state::canceled, l.filled,
                                "the PAPER venue restarted without it: canceled"});
      } else if (believed_open(l.state)) {
        plan.mismatches.push_back({mismatch_kind::lost_open_order, l.id.value,
                                   "local=" + std::string{to_string(l.state)} + " filled=" + to_string(l.filled) +
                                     " exchange=<not found>"});
      }
      continue;
    }
    const exchange_order& e = *it->second;
    if (e.product != l.product || (e.dir_known && e.dir != l.dir) ||
        (!l.exchange_id.empty() && !e.id.empty() && e.id != l.exchange_id)) {
      plan.mismatches.push_back({mismatch_kind::identity_conflict, l.id.value,
                                 "local: exchange_id=" + l.exchange_id.value + " product=" + l.product.value +
                                   " side=" + std::string{to_string(l.dir)} + "; exchange: " + describe(e)});
      continue;
    }
    order_update u;
    u.id = l.id;
    u.exchange_id = e.id;
    u.product = e.product;
    u.state = e.state;
    u.filled_size = e.filled;
    const order_progress cur{l.state, l.ordered.is_zero() ? e.ordered : l.ordered, l.filled};
    auto r = apply_update(cur, u);
    if (!r.step.accepted()) {
      plan.mismatches.push_back({mismatch_kind::state_refused, l.id.value, r.step.reason + "; " + describe(e)});
      continue;
    }
    if (r.changed || (l.exchange_id.empty() && !e.id.empty()))
      plan.resolve.push_back({l.id, e.id, l.state, r.next.state, r.next.filled, r.step.note});
  }

  // -- open orders the store does not know --------------------------------------------
  for (const auto& o : ex.open_orders) {
    if ((!o.client_id.empty() && local_ids.count(o.client_id)) || (!o.id.empty() && local_exchange_ids.count(o.id)))
      continue;
    // Adopting needs to know what the order is: its side and base size (a quote-sized or
    // unreported one is left alone and stays in the alert).
    const bool adoptable = o.dir_known && o.ordered.units > 0 && !o.id.empty();
    const bool left_alone = policy.on_unknown == unknown_order_policy::adopt && !adoptable;
    plan.mismatches.push_back({mismatch_kind::unknown_exchange_order, o.id.value,
                               "client_id=" + o.client_id.value + " " + describe(o) +
                                 " policy=" + std::string{to_string(policy.on_unknown)} +
                                 (left_alone ? " (not adopted: side or base size unknown)" : "")});
    switch (policy.on_unknown) {
      case unknown_order_policy::adopt:
        if (adoptable)
          plan.adopt.push_back(o);
        break;
      case unknown_order_policy::cancel:
        plan.cancel.push_back(o);
        break;
      case unknown_order_policy::alert:
        break;
    }
  }

  // -- fills: each new one once, in exchange time order -------------------------------
  std::unordered_set<trade_id> taken;
  for (const auto& f : ex.recent_fills) {
    if (f.trade.empty() || taken.count(f.trade) || (fill_applied && fill_applied(f.trade)))
      continue;
    taken.insert(f.trade);
    plan.apply_fills.push_back(f);
    const bool known = (!f.order.empty() && (local_ids.count(f.order) || seen.count(f.order))) ||
                       (!f.exchange_order.empty() &&
                        (local_exchange_ids.count(f.exchange_order) || seen_exchange_ids.count(f.exchange_order)));
    if (!known)
      plan.mismatches.push_back({mismatch_kind::fill_for_unknown_order, f.trade.value,
                                 "order=" + f.order.value + " exchange_order=" + f.exchange_order.value +
                                   " product=" + f.product.value + " qty=" + to_string(f.qty) + " (booked)"});
  }
  std::sort(plan.apply_fills.begin(), plan.apply_fills.end(), [](const fill& a, const fill& b) {
    return std::tie(a.ts_event, a.trade.value) < std::tie(b.ts_event, b.trade.value);
  });
  return plan;
}

} // namespace trader::order_lifecycle

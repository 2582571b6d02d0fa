// traderctl balances: what the last balance check found (docs/orders.md "Balances vs
// positions") and an operator's re-base after a deposit or withdrawal of a traded currency.
#include "actors/trading/order_lifecycle/lifecycle_actor_internal.hpp"

#include "runtime/core/errc.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

namespace trader::order_lifecycle::detail {

namespace {

json difference_json(const balance_difference& d) {
  return json{{"currency", d.currency},     {"exchange", to_string(d.exchange)},
              {"outside", to_string(d.outside)}, {"ledger", to_string(d.ledger)},
              {"difference", to_string(d.difference)}, {"listed", d.listed},
              {"confirmed", d.confirmed},   {"agrees", d.agrees}, {"products", d.products}};
}

bool currency_name(const std::string& s) {
  if (s.empty() || s.size() > 16)
    return false;
  for (unsigned char c : s)
    if (!std::isupper(c) && !std::isdigit(c))
      return false;
  return true;
}

} // namespace

void note_balances(self_ptr self, const balance_report& report) {
  json compared = json::array();
  for (auto& d : report.compared)
    compared.push_back(difference_json(d));
  auto& last = self->state.last_balances;
  last["at"] = now_of(self);
  last["agreed"] = report.agreed();
  last["compared"] = std::move(compared);
}

json balances_json(self_ptr self) {
  auto& st = self->state;
  json baseline = json::object();
  for (auto& [cur, amount] : st.balances.baseline())
    baseline[cur] = to_string(amount);
  json out{{"baseline_readable", st.baseline_ok},
           {"tolerance", to_string(st.balances.tolerance())},
           {"baseline", std::move(baseline)},
           {"rebase_pending", st.balances.rebases_pending()},
           {"last_check", st.last_balances.is_null() ? json::object() : st.last_balances}};
  return out;
}

caf::result<std::string> request_rebase(self_ptr self, const std::string& currency, const std::string& reason) {
  auto& st = self->state;
  if (!currency_name(currency))
    return trader::make_error(errc::rejected, "balances: \"" + currency +
                                                "\" is not a currency (upper-case letters and digits, e.g. BTC)");
  if (currency == st.opts.quote_currency)
    return trader::make_error(errc::rejected, "balances: " + currency +
                                                " is the quote currency: cash is taken from its balance, never re-based");
  if (!st.opts.book.send_orders)
    return trader::make_error(errc::rejected, "balances: DRY_RUN reads no balances, nothing to re-base");
  st.balances.request_rebase(currency);
  spdlog::warn("order_lifecycle: balance re-base of {} requested: {}", currency, reason);
  audit(self, "balance_rebase", json{{"requested", currency}, {"reason", reason}});
  json out{{"requested", currency},
           {"note", "applied at the next reconcile that sees the same difference twice (a fill in flight is not "
                    "absorbed); dropped if the currency agrees. Check with traderctl balances."}};
  return out.dump();
}

} // namespace trader::order_lifecycle::detail

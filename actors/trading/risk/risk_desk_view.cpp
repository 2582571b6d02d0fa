// risk_desk's persisted exit plans and its view for `traderctl risk` (status_json).
#include "actors/trading/risk/risk_desk.hpp"

#include "actors/trading/risk/fixed_math.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace trader::risk {

std::string risk_desk::plans_json() const {
  auto arr = nlohmann::json::array();
  for (const auto& [p, s] : plans_)
    arr.push_back({{"product", p.value},
                   {"stop_loss_pct", s.stop_loss_pct},
                   {"take_profit_pct", s.take_profit_pct},
                   {"stop_loss_atr", s.stop_loss_atr},
                   {"take_profit_atr", s.take_profit_atr}});
  return nlohmann::json{{"v", 1}, {"plans", arr}}.dump();
}

bool risk_desk::restore_plans(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1)
    return false;
  try {
    std::map<product_id, exit_spec> out;
    for (const auto& e : j.at("plans"))
      out[product_id{e.at("product").get<std::string>()}] =
        exit_spec{e.at("stop_loss_pct").get<double>(), e.at("take_profit_pct").get<double>(),
                  e.at("stop_loss_atr").get<double>(), e.at("take_profit_atr").get<double>()};
    plans_ = std::move(out);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// -- view -----------------------------------------------------------------------------------

std::string risk_desk::status_json(ts_ns now) const {
  using nlohmann::json;
  const auto& pol = engine_.policy();
  const auto& book = snapshot();
  notional positions, pending;
  for (const auto& p : book.positions)
    positions += p.exposure();
  for (const auto& p : book.pending)
    pending += p.amount;
  json j;
  j["limits"] = {{"max_total_at_risk_pct", pol.max_total_at_risk_pct},
                 {"max_open_positions", pol.max_open_positions},
                 {"max_position_pct", pol.max_position_pct},
                 {"per_asset_cap_pct", pol.per_asset_cap_pct},
                 {"daily_stop_pct", pol.daily_stop_pct},
                 {"weekly_stop_pct", pol.weekly_stop_pct},
                 {"max_drawdown_pct", pol.max_drawdown_pct},
                 {"max_trades_per_day", pol.max_trades_per_day},
                 {"max_trades_per_hour", pol.max_trades_per_hour},
                 {"max_new_positions_per_hour", pol.max_new_positions_per_hour},
                 {"min_seconds_between_trades", pol.min_seconds_between_trades},
                 {"per_symbol_cooldown_s", pol.per_symbol_cooldown_s},
                 {"stop_loss_pct", pol.stop_loss_pct},
                 {"take_profit_pct", pol.take_profit_pct}};
  j["exposure"] = {{"portfolio_known", have_portfolio_},
                   {"portfolio_age_s", have_portfolio_ ? double(now - received_at_) / 1e9 : -1.0},
                   {"nav", to_string(book.nav)},
                   {"positions", to_string(positions)},
                   {"pending", to_string(pending)},
                   {"at_risk_pct", pct_value(positions + pending, book.nav)},
                   {"open_positions", book.positions.size()},
                   {"pending_orders", book.pending.size()}};
  json loss = {{"known", last_loss_.has_value()}};
  if (last_loss_) {
    const auto& l = *last_loss_;
    loss["pnl_day"] = to_string(l.pnl_day);
    loss["pnl_day_pct"] = l.pnl_day_pct;
    loss["pnl_week"] = to_string(l.pnl_week);
    loss["pnl_week_pct"] = l.pnl_week_pct;
    loss["drawdown_pct"] = l.drawdown_pct;
    loss["high_water"] = to_string(l.high_water);
    auto active = json::array();
    for (const auto& b : l.active)
      active.push_back({{"reason", std::string{to_string(b.reason)}}, {"detail", b.detail}, {"since", b.since},
                        {"clears_at", b.clears_at}});
    loss["active"] = active;
  }
  j["loss"] = loss;
  j["fees"] = {{"maker_bps", static_cast<double>(engine_.fees().maker) / 100.0},
               {"taker_bps", static_cast<double>(engine_.fees().taker) / 100.0},
               {"source", fees_known_ ? "exchange" : "policy"}};
  j["pacing"] = {{"trades_today", pacing_.trades_today(now)},
                 {"trades_last_hour", pacing_.trades_last_hour(now)},
                 {"new_positions_last_hour", pacing_.new_positions_last_hour(now)},
                 {"last_trade", pacing_.last_trade()}};
  auto exits = json::array();
  for (const auto& [p, pp] : exits_.positions())
    exits.push_back({{"product", p.value},
                     {"qty", to_string(pp.qty)},
                     {"entry", to_string(pp.entry)},
                     {"stop", to_string(pp.stop)},
                     {"take", to_string(pp.take)},
                     {"exiting", pp.exiting}});
  j["exits"] = exits;
  auto adds = json::array();
  for (const auto& [p, r] : pyramid_.records())
    adds.push_back({{"product", p.value},
                    {"initial_qty", to_string(r.initial_qty)},
                    {"adds", r.adds},
                    {"adds_today", r.adds_today},
                    {"last_add_at", r.last_add_at},
                    {"last_entry", to_string(r.last_entry)}});
  j["pyramid"] = adds;
  auto books = json::array();
  for (const auto& [p, e] : market_.entries())
    if (books_.usable(p))
      books.push_back(p.value);
  std::sort(books.begin(), books.end());
  j["books"] = {{"usable", books}, {"require_book", pol.require_book}};
  j["regime_multipliers"] = pol.regime_multipliers;
  return j.dump();
}

} // namespace trader::risk

#include "actors/trading/risk/pacing.hpp"

#include "actors/trading/risk/calendar.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace trader::risk {

namespace {

constexpr std::int64_t hour_ns = 3600 * ns_per_s;

void insert_sorted(std::vector<ts_ns>& v, ts_ns t) { v.insert(std::upper_bound(v.begin(), v.end(), t), t); }

std::int64_t count_after(const std::vector<ts_ns>& v, ts_ns from, ts_ns to) {
  auto lo = std::upper_bound(v.begin(), v.end(), from);
  auto hi = std::upper_bound(v.begin(), v.end(), to);
  return hi > lo ? hi - lo : 0;
}

} // namespace

void pacing_state::record_trade(const product_id& p, bool new_position, ts_ns now) {
  insert_sorted(trades_, now);
  if (new_position)
    insert_sorted(new_positions_, now);
  last_trade_ = std::max(last_trade_, now);
  auto& s = symbols_[p.value];
  s.last_trade = std::max(s.last_trade, now);
}

void pacing_state::record_fill(const product_id& p, ts_ns now) {
  auto& s = symbols_[p.value];
  s.last_fill = std::max(s.last_fill, now);
}

void pacing_state::record_stop_out(const product_id& p, ts_ns now) {
  auto& s = symbols_[p.value];
  s.last_stop_out = std::max(s.last_stop_out, now);
}

void pacing_state::prune(ts_ns now, std::int64_t keep_ns) {
  const ts_ns horizon = now - 25 * hour_ns;
  auto drop_old = [&](std::vector<ts_ns>& v) {
    v.erase(v.begin(), std::upper_bound(v.begin(), v.end(), horizon));
  };
  drop_old(trades_);
  drop_old(new_positions_);
  for (auto it = symbols_.begin(); it != symbols_.end();) {
    const auto& s = it->second;
    if (std::max({s.last_trade, s.last_fill, s.last_stop_out}) < now - keep_ns)
      it = symbols_.erase(it);
    else
      ++it;
  }
}

std::int64_t pacing_state::trades_today(ts_ns now) const { return count_after(trades_, day_start(now) - 1, now); }

std::int64_t pacing_state::trades_last_hour(ts_ns now) const { return count_after(trades_, now - hour_ns, now); }

std::int64_t pacing_state::new_positions_last_hour(ts_ns now) const {
  return count_after(new_positions_, now - hour_ns, now);
}

symbol_pacing pacing_state::symbol(const product_id& p) const {
  auto it = symbols_.find(p.value);
  return it == symbols_.end() ? symbol_pacing{} : it->second;
}

std::string pacing_state::to_json() const {
  nlohmann::json symbols = nlohmann::json::object();
  for (const auto& [id, s] : symbols_)
    symbols[id] = {{"last_trade", s.last_trade}, {"last_fill", s.last_fill}, {"last_stop_out", s.last_stop_out}};
  return nlohmann::json{{"v", 1},
                        {"trades", trades_},
                        {"new_positions", new_positions_},
                        {"last_trade", last_trade_},
                        {"symbols", symbols}}
    .dump();
}

std::optional<pacing_state> pacing_state::from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1)
    return std::nullopt;
  try {
    pacing_state s;
    s.trades_ = j.at("trades").get<std::vector<ts_ns>>();
    s.new_positions_ = j.at("new_positions").get<std::vector<ts_ns>>();
    s.last_trade_ = j.at("last_trade").get<ts_ns>();
    std::sort(s.trades_.begin(), s.trades_.end());
    std::sort(s.new_positions_.begin(), s.new_positions_.end());
    for (const auto& [id, v] : j.at("symbols").items())
      s.symbols_[id] = symbol_pacing{v.at("last_trade").get<ts_ns>(), v.at("last_fill").get<ts_ns>(),
                                     v.at("last_stop_out").get<ts_ns>()};
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

} // namespace trader::risk

#include "actors/trading/universe/red_flags.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace trader::universe {

namespace {

/// f's conversions take exactly the doubles given (no trailing unused argument).
template <class... D>
std::string fmt(const char* f, D... xs) {
  static_assert((std::is_same_v<D, double> && ...), "red_flags fmt formats doubles only");
  char buf[160];
  std::snprintf(buf, sizeof buf, f, xs...);
  return buf;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

signals::ban red_flag::to_ban(ts_ns now) const {
  return signals::ban{now + static_cast<ts_ns>(hours * 3600.0 * 1e9), "red_flag " + rule + ": " + figures};
}

bool flagged_state(product_state s) {
  switch (s) {
  case product_state::cancel_only:
  case product_state::offline:
  case product_state::delisted:
    return true;
  case product_state::online:
  case product_state::post_only:
  case product_state::limit_only:
    return false;
  }
  return false;
}

void red_flag_monitor::set_params(const red_flag_params& p) {
  p_ = p;
  for (auto& [_, s] : s_) {
    if (p_.bad_ticks_ban_hours <= 0)
      s.held.clear();
    if (p_.wide_spread_ban_hours <= 0)
      s.wide = 0;
    if (p_.status_ban_hours <= 0)
      s.status_went_bad = false;
  }
}

void red_flag_monitor::on_held_quote(const std::string& product, ts_ns now) {
  if (p_.bad_ticks_ban_hours <= 0)
    return;
  auto& held = s_[product].held;
  held.push_back(now);
  const ts_ns from = now - p_.bad_ticks_window_s * ns_per_s;
  while (!held.empty() && (held.front() < from || held.size() > static_cast<std::size_t>(p_.bad_ticks_count)))
    held.pop_front();  // only the newest bad_ticks_count inside the window can matter
}

void red_flag_monitor::on_status(const std::string& product, product_state st) {
  auto& s = s_[product];
  const bool was_bad = s.status_known && flagged_state(s.status);
  if (flagged_state(st) && !was_bad && p_.status_ban_hours > 0) {
    s.status_went_bad = true;
    s.bad_status = st;
  }
  s.status_known = true;
  s.status = st;
}

std::size_t red_flag_monitor::held_in_window(const std::string& product, ts_ns now) const {
  auto it = s_.find(product);
  if (it == s_.end())
    return 0;
  const ts_ns from = now - p_.bad_ticks_window_s * ns_per_s;
  return static_cast<std::size_t>(
    std::count_if(it->second.held.begin(), it->second.held.end(), [&](ts_ns t) { return t >= from && t <= now; }));
}

std::int64_t red_flag_monitor::wide_cycles(const std::string& product) const {
  auto it = s_.find(product);
  return it == s_.end() ? 0 : it->second.wide;
}

std::vector<red_flag> red_flag_monitor::evaluate(const std::vector<std::string>& products,
                                                 const std::map<std::string, signals::market_facts>& facts,
                                                 double max_spread_bps, const std::vector<std::string>& excluded,
                                                 const std::map<std::string, signals::ban>& bans, ts_ns now) {
  std::vector<red_flag> out;
  std::vector<std::string> seen;
  for (const auto& p : products) {
    if (contains(seen, p))
      continue;
    seen.push_back(p);
    auto& s = s_[p];
    auto ban = bans.find(p);
    if (contains(excluded, p) || (ban != bans.end() && ban->second.until > now)) {
      s.held.clear();  // banned or never traded: nothing to flag; start afresh afterwards
      s.wide = 0;
      s.status_went_bad = false;
      continue;
    }
    std::vector<red_flag> fired;
    // bad_ticks
    if (p_.bad_ticks_ban_hours > 0) {
      const auto n = held_in_window(p, now);
      if (n >= static_cast<std::size_t>(p_.bad_ticks_count))
        fired.push_back({p, "bad_ticks", p_.bad_ticks_ban_hours,
                         fmt("held=%.0f within %.0f s (limit %.0f)", static_cast<double>(n),
                             static_cast<double>(p_.bad_ticks_window_s), static_cast<double>(p_.bad_ticks_count))});
    }
    // wide_spread
    if (p_.wide_spread_ban_hours > 0 && max_spread_bps > 0) {
      const double limit = p_.wide_spread_multiple * max_spread_bps;
      auto f = facts.find(p);
      const bool wide = f != facts.end() && f->second.spread_bps && *f->second.spread_bps > limit;
      s.wide = wide ? s.wide + 1 : 0;
      if (s.wide >= p_.wide_spread_cycles)
        fired.push_back({p, "wide_spread", p_.wide_spread_ban_hours,
                         fmt("spread_bps=%.1f > %.1f (%.1f x max_spread_bps) for %.0f cycles", *f->second.spread_bps,
                             limit, p_.wide_spread_multiple, static_cast<double>(s.wide))});
    } else {
      s.wide = 0;
    }
    // status
    if (s.status_went_bad && p_.status_ban_hours > 0)
      fired.push_back({p, "status", p_.status_ban_hours, "state=" + std::string(to_string(s.bad_status))});
    s.status_went_bad = false;
    if (!fired.empty()) {
      s.held.clear();
      s.wide = 0;
      out.push_back(std::move(fired.front()));
    }
  }
  return out;
}

} // namespace trader::universe

#include "actors/trading/signals/universe_rules.hpp"

#include "messages/names.hpp"

#include <algorithm>
#include <cstdio>

namespace trader::signals {

namespace {

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// Why p (of `tier`) is excluded, or "" when it passes.
std::string check(const universe_rules& r, const std::string& p, bool rotational,
                  const std::map<std::string, market_facts>& facts, const std::map<std::string, ban>& bans,
                  ts_ns now) {
  if (contains(r.red_flags, p))
    return "red_flag: listed in red_flags.excluded_symbols";
  if (auto b = bans.find(p); b != bans.end() && b->second.until > now)
    return "banned: " + b->second.reason + " (until " + std::to_string(b->second.until / ns_per_s) + ")";
  if (!in_liquidity_hours(r, now))
    return "outside_liquidity_hours: window " + std::to_string(r.liquidity_start_hour) + ":00-" +
           std::to_string(r.liquidity_end_hour) + ":00 UTC";
  for (const auto& w : r.embargoes)
    if (w.from <= now && now < w.to)
      return "event_embargo: " + w.reason + " (until " + std::to_string(w.to / ns_per_s) + ")";
  auto f = facts.find(p);
  if (f == facts.end() || !f->second.listed)
    return "not_listed: the exchange does not list it";
  const auto& m = f->second;
  if (r.require_status_online && m.state != product_state::online)
    return "status: " + std::string(to_string(m.state));
  if (!m.quote_currency.empty() && m.quote_currency != r.quote_currency)
    return "quote_currency: " + m.quote_currency + " is not " + r.quote_currency;
  if (rotational && r.min_listing_age_days > 0) {
    if (!m.listed_at)
      return "listing_unknown: no listing date (new_at) or first daily candle yet";
    const double days = static_cast<double>(now - *m.listed_at) / (86'400.0 * ns_per_s);
    if (days < static_cast<double>(r.min_listing_age_days))
      return "listing_age: listed " + num(days) + " d ago < " + std::to_string(r.min_listing_age_days) + " d";
  }
  if (rotational) {
    if (!m.volume_24h_usd)
      return "volume_unknown: no 24 h volume yet";
    if (*m.volume_24h_usd < r.min_24h_volume_usd)
      return "low_volume: volume_24h_usd=" + num(*m.volume_24h_usd) + " < " + num(r.min_24h_volume_usd);
  }
  if (r.max_spread_bps > 0) {
    if (!m.spread_bps)
      return "no_quote: no quote yet to check the spread";
    if (*m.spread_bps > r.max_spread_bps)
      return "wide_spread: spread_bps=" + num(*m.spread_bps) + " > " + num(r.max_spread_bps);
  }
  return {};
}

} // namespace

std::string_view exclusion_id(const std::string& reason) {
  auto colon = reason.find(':');
  return std::string_view(reason).substr(0, colon == std::string::npos ? reason.size() : colon);
}

bool in_liquidity_hours(const universe_rules& r, ts_ns now) {
  if (r.liquidity_start_hour == r.liquidity_end_hour || (r.liquidity_start_hour == 0 && r.liquidity_end_hour == 24))
    return true;
  const ts_ns day = 86'400 * ns_per_s;
  ts_ns into = now % day;
  if (into < 0)
    into += day;
  const auto hour = into / (3'600 * ns_per_s);
  if (r.liquidity_start_hour < r.liquidity_end_hour)
    return hour >= r.liquidity_start_hour && hour < r.liquidity_end_hour;
  return hour >= r.liquidity_start_hour || hour < r.liquidity_end_hour;  // wraps midnight
}

std::vector<universe_entry> build_universe(const universe_rules& r, const std::map<std::string, market_facts>& facts,
                                           const std::map<std::string, ban>& bans, ts_ns now) {
  std::vector<universe_entry> out;
  std::vector<std::string> seen;
  auto add = [&](const std::string& p, bool rotational) {
    if (contains(seen, p))
      return;
    seen.push_back(p);
    universe_entry e{product_id{p}, rotational ? "rotational" : "core", false, check(r, p, rotational, facts, bans, now)};
    e.eligible = e.reason.empty();
    out.push_back(std::move(e));
  };
  for (const auto& p : r.core)
    add(p, false);
  const auto n_core = out.size();
  for (const auto& p : r.rotational)
    add(p, true);
  // Rotational by rank: eligible ones by 24 h volume, highest first (ties by id); the
  // excluded keep config order after them.
  auto volume = [&](const universe_entry& e) {
    auto f = facts.find(e.product.value);
    return f != facts.end() && f->second.volume_24h_usd ? *f->second.volume_24h_usd : 0.0;
  };
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(n_core), out.end(),
                   [&](const universe_entry& a, const universe_entry& b) {
                     if (a.eligible != b.eligible)
                       return a.eligible;
                     if (!a.eligible)
                       return false;
                     if (volume(a) != volume(b))
                       return volume(a) > volume(b);
                     return a.product < b.product;
                   });
  std::int64_t taken = 0;
  for (auto& e : out) {
    if (!e.eligible)
      continue;
    if (++taken > r.max_symbols) {
      e.eligible = false;
      e.reason = "rank: beyond max_symbols " + std::to_string(r.max_symbols);
    }
  }
  return out;
}

std::vector<std::string> lift_expired(std::map<std::string, ban>& bans, ts_ns now) {
  std::vector<std::string> lifted;
  for (auto it = bans.begin(); it != bans.end();) {
    if (it->second.until <= now) {
      lifted.push_back(it->first);
      it = bans.erase(it);
    } else {
      ++it;
    }
  }
  return lifted;
}

} // namespace trader::signals

#pragma once
// The universe of a cycle: which products may be evaluated, and why each other one is not.
// Tiers (core always considered, rotational ranked by 24 h volume and capped), eligibility
// (listed, status online, quote currency, listing age, 24 h quote volume, spread), red flags and temporary
// bans (lifted at expiry), the liquidity-hours window. Pure: time and market facts are
// arguments. No CAF.

#include "messages/market.hpp"
#include "messages/signals.hpp"
#include "messages/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::signals {

/// An event-calendar window [from, to) without new entries.
struct embargo_window {
  ts_ns from = 0;
  ts_ns to = 0;
  std::string reason;
};

/// universe.toml as the rules read it. Defaults: see docs/signals.md.
struct universe_rules {
  std::string quote_currency = "USD";       ///< [universe] quote_currency.
  std::int64_t max_symbols = 20;            ///< [universe] max_symbols: largest eligible set.
  std::vector<std::string> core;            ///< [tiers] core: always candidates.
  std::vector<std::string> rotational;      ///< [tiers] rotational: must pass eligibility.
  double min_24h_volume_usd = 5'000'000.0;  ///< [eligibility] rotational only.
  bool require_status_online = true;        ///< [eligibility] status must be online.
  double max_spread_bps = 0;                ///< [eligibility] 0 = no spread check; else exclude wider.
  std::vector<std::string> red_flags;       ///< [red_flags] excluded_symbols: never traded.
  std::int64_t liquidity_start_hour = 0;    ///< [universe] UTC hour the window opens, 0..23.
  std::int64_t liquidity_end_hour = 24;     ///< [universe] UTC hour it closes, 1..24 (start = end: always).
  std::vector<embargo_window> embargoes;    ///< [universe] event_calendar_file, parsed.
  std::int64_t min_listing_age_days = 0;    ///< [eligibility] rotational only; 0 = no check.
};

/// What the universe knows about one product when it builds (unknown = nullopt/false).
struct market_facts {
  bool listed = false;                  ///< The products endpoint lists it.
  product_state state = product_state::online;  ///< Latest status (products list or status channel).
  std::string quote_currency;           ///< As listed.
  std::optional<double> spread_bps;     ///< From the latest quote.
  std::optional<double> volume_24h_usd; ///< Quote volume over the last 24 h.
  std::optional<ts_ns> listed_at;       ///< Listing date: the product's new_at, else its first daily candle.
};

/// A temporary ban (red-flag event): excluded until `until`, then lifted automatically.
struct ban {
  ts_ns until = 0;
  std::string reason;
};

/// Stable exclusion reason ids (the prefix of universe_entry::reason, metric label).
/// red_flag, banned, not_listed, status, quote_currency, listing_unknown, listing_age,
/// low_volume, volume_unknown, wide_spread, no_quote, outside_liquidity_hours, event_embargo, rank.
std::string_view exclusion_id(const std::string& reason);

/// Builds the universe: core symbols first (config order), then rotational ones that pass,
/// ranked by 24 h volume (highest first); beyond max_symbols the rest are excluded (rank).
/// Every product of the tiers appears once, eligible or with a reason.
std::vector<universe_entry> build_universe(const universe_rules& r, const std::map<std::string, market_facts>& facts,
                                           const std::map<std::string, ban>& bans, ts_ns now);

/// Drops bans that have expired at `now`; returns the lifted products.
std::vector<std::string> lift_expired(std::map<std::string, ban>& bans, ts_ns now);

/// True when `now` lies in the UTC liquidity-hours window [start, end) (start = end: always).
bool in_liquidity_hours(const universe_rules& r, ts_ns now);

} // namespace trader::signals

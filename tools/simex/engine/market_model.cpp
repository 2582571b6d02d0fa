#include "tools/simex/engine/market_model.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>
#include <vector>

namespace trader::simex {

std::string_view to_wire(regime r) {
  switch (r) {
    case regime::calm: return "calm";
    case regime::trending: return "trending";
    case regime::crash: return "crash";
  }
  return "calm";
}

namespace {

/// House levels of one side, ascending price units → house ref. A sorted vector: ~20 levels,
/// rebuilt every step, so no per-level allocation (a std::map allocated a node per level).
using ladder = std::vector<std::pair<std::int64_t, std::uint64_t>>;

/// Index of the first level at or above px.
std::size_t lower_level(const ladder& l, std::int64_t px) {
  auto it = std::lower_bound(l.begin(), l.end(), px, [](const auto& kv, std::int64_t v) { return kv.first < v; });
  return static_cast<std::size_t>(it - l.begin());
}

} // namespace

struct synthetic_market::state {
  synthetic_product cfg;
  double mid = 0;      ///< In whole quote units.
  double tick = 0.01;  ///< quote_increment as a double.
  regime reg = regime::calm;
  double trend = 1;    ///< +1 up, -1 down while trending.
  ladder bids, asks;  ///< Price units → house ref.
  std::uint64_t used_up_seen = ~std::uint64_t{0};  ///< exchange::house_used_up at the last look.
  ts_ns path_origin = 0;
  std::size_t path_next = 0;  ///< path_mid's last answer: the first bar that started after its time.
  std::size_t market = exchange::no_market;  ///< The exchange's index of the listing.
  // Scratch of refresh_ladder, kept so a refresh does not allocate.
  std::vector<std::int64_t> want_bid, want_ask;               ///< Price units, best first.
  std::vector<std::pair<std::size_t, std::int64_t>> waiting;  ///< (depth, price) of one side.
};

namespace {

constexpr double units_per_whole = 100'000'000.0;
constexpr int seeded_prints = 30;  ///< Prints on the tape before start().

product make_product(const char* id, const char* base, const char* base_name, const char* base_inc,
                     const char* quote_inc, const char* min_size, const char* max_size) {
  product p;
  p.id = id;
  p.base_currency = base;
  p.quote_currency = "USD";
  p.base_name = base_name;
  p.quote_name = "US Dollar";
  p.base_increment = *parse_fixed<size_tag>(base_inc);
  p.quote_increment = *parse_fixed<price_tag>(quote_inc);
  p.base_min_size = *parse_fixed<size_tag>(min_size);
  p.base_max_size = *parse_fixed<size_tag>(max_size);
  return p;
}

size to_size(double whole, size inc) {
  auto units = static_cast<std::int64_t>(whole * units_per_whole);
  units = units / inc.units * inc.units;
  return size::from_units(std::max(units, inc.units));
}

} // namespace

model_config model_config::standard(std::uint64_t seed) {
  model_config c;
  c.seed = seed;
  c.products.push_back({make_product("BTC-USD", "BTC", "Bitcoin", "0.00000001", "0.01", "0.00000001", "3400"),
                        *parse_fixed<price_tag>("65000.00"), 1.5, *parse_fixed<size_tag>("0.25"), 20, 0.4, {}});
  c.products.push_back({make_product("ETH-USD", "ETH", "Ethereum", "0.00000001", "0.01", "0.00000001", "42000"),
                        *parse_fixed<price_tag>("1900.00"), 2.0, *parse_fixed<size_tag>("3"), 20, 0.6, {}});
  c.products.push_back({make_product("SOL-USD", "SOL", "Solana", "0.00000001", "0.01", "0.00000001", "250000"),
                        *parse_fixed<price_tag>("150.00"), 3.0, *parse_fixed<size_tag>("40"), 20, 1.0, {}});
  // The rest of config/universe.toml's default tiers, so PAPER against simex streams the
  // whole default universe.
  c.products.push_back({make_product("AVAX-USD", "AVAX", "Avalanche", "0.00000001", "0.01", "0.00000001", "500000"),
                        *parse_fixed<price_tag>("35.00"), 3.5, *parse_fixed<size_tag>("150"), 20, 1.0, {}});
  c.products.push_back({make_product("LINK-USD", "LINK", "Chainlink", "0.01", "0.001", "0.01", "2000000"),
                        *parse_fixed<price_tag>("15.000"), 3.5, *parse_fixed<size_tag>("400"), 20, 1.0, {}});
  c.products.push_back({make_product("DOGE-USD", "DOGE", "Dogecoin", "0.1", "0.00001", "1", "50000000"),
                        *parse_fixed<price_tag>("0.15000"), 4.0, *parse_fixed<size_tag>("40000"), 20, 1.2, {}});
  return c;
}

model_config synthetic_model(const synthetic_options& o) {
  auto std_cfg = model_config::standard(o.seed);
  model_config c;
  c.seed = o.seed;
  c.step = o.step;
  c.history_minutes = 6 * 60;
  for (auto& p : std_cfg.products) {
    if (!o.products.empty() && std::find(o.products.begin(), o.products.end(), p.listing.id) == o.products.end())
      continue;
    p.vol_bps *= std::sqrt(o.vol_scale);
    if (o.levels > 0)
      p.levels = o.levels;
    c.products.push_back(std::move(p));
  }
  return c;
}

std::vector<std::string> unknown_synthetic_products(const std::vector<std::string>& products) {
  const auto std_cfg = model_config::standard(1);
  std::vector<std::string> out;
  for (const auto& id : products)
    if (std::none_of(std_cfg.products.begin(), std_cfg.products.end(), [&](const auto& p) { return p.listing.id == id; }))
      out.push_back(id);
  return out;
}

synthetic_market::synthetic_market(exchange& ex, model_config cfg) : ex_(ex), cfg_(std::move(cfg)), rng_(cfg_.seed) {
  for (const auto& p : cfg_.products) {
    state s;
    s.cfg = p;
    s.mid = p.start_price.to_double();
    s.tick = p.listing.quote_increment.to_double();
    states_.push_back(std::move(s));
  }
}

synthetic_market::~synthetic_market() = default;

void synthetic_market::start(ts_ns now) {
  const std::int64_t now_min = now / ns_per_s / 60 * 60;
  for (auto& s : states_) {
    ex_.add_product(s.cfg.listing);
    s.market = ex_.market_index(s.cfg.listing.id);
    s.path_origin = now;
    market_stats* st = ex_.stats(s.cfg.listing.id);
    if (!s.cfg.path.empty()) {
      s.mid = path_mid(s, now);
      continue;
    }
    // History: a walk over history_minutes ending now; the last close becomes the mid.
    const double minute_vol = s.cfg.vol_bps * 1e-4 * 15.5;
    double p = s.mid;
    for (int m = cfg_.history_minutes; m > 0; --m) {
      double pts[4];
      for (auto& x : pts) {
        p *= 1.0 + rng_.normal() * minute_vol / 2.0;
        x = p;
      }
      auto q = [&](double v) { return price::from_units(std::llround(v / s.tick) * s.cfg.listing.quote_increment.units); };
      candle c;
      c.start = now_min - static_cast<std::int64_t>(m) * 60;
      c.open = q(pts[0]);
      c.close = q(pts[3]);
      c.high = q(*std::max_element(pts, pts + 4));
      c.low = q(*std::min_element(pts, pts + 4));
      c.volume = to_size(s.cfg.level_size.to_double() * (2.0 + 10.0 * rng_.uniform()), s.cfg.listing.base_increment);
      st->put_minute(c);
    }
    s.mid = p;
  }
  // A short tape before start (one print every 2 s for the last minute around the mid), so
  // market_trades and the REST ticker are not empty in the first second.
  for (auto& s : states_) {
    const auto& p = s.cfg.listing;
    for (int i = seeded_prints; i > 0; --i) {
      const double px = s.mid * (1.0 + rng_.normal() * s.cfg.vol_bps * 1e-4);
      const auto units = std::max<std::int64_t>(1, std::llround(px / s.tick)) * p.quote_increment.units;
      const size q = to_size(s.cfg.level_size.to_double() * (0.02 + 0.4 * rng_.uniform()), p.base_increment);
      ex_.print_trade(p.id, price::from_units(units), q, rng_.uniform() < 0.5 ? side::buy : side::sell,
                      now - static_cast<ts_ns>(i) * 2 * ns_per_s);
    }
  }
  for (auto& s : states_)
    refresh_ladder(s, now);
  last_ = now;
  started_ = true;
}

void synthetic_market::advance(ts_ns now) {
  if (!started_)
    start(now);
  while (last_ + cfg_.step <= now) {
    last_ += cfg_.step;
    for (auto& s : states_)
      step_product(s, last_);
  }
}

double synthetic_market::path_mid(state& s, ts_ns t) {
  const auto& bars = s.cfg.path;
  const double at = static_cast<double>(bars.front().start) + static_cast<double>(t - s.path_origin) / 1e9;
  // The first bar that starts after at. Steps only move forward, a bar at a time: walk on from
  // the last answer (a search over a year of bars each step missed the cache at every probe),
  // and search only when time went back.
  auto starts_after = [at](const candle& c) { return at < static_cast<double>(c.start); };
  auto it = bars.begin() + static_cast<std::ptrdiff_t>(std::min(s.path_next, bars.size()));
  if (it != bars.begin() && starts_after(*(it - 1)))
    it = std::upper_bound(bars.begin(), bars.end(), at, [](double v, const candle& c) { return v < static_cast<double>(c.start); });
  while (it != bars.end() && !starts_after(*it))
    ++it;
  s.path_next = static_cast<std::size_t>(it - bars.begin());
  if (it == bars.begin())
    return bars.front().open.to_double();
  const candle& c = *(it - 1);
  const double len = it != bars.end() ? static_cast<double>(it->start - c.start) : 60.0;
  double f = std::clamp((at - static_cast<double>(c.start)) / len, 0.0, 1.0);
  const bool up = c.close >= c.open;
  const double pts[4] = {c.open.to_double(), (up ? c.low : c.high).to_double(), (up ? c.high : c.low).to_double(),
                         c.close.to_double()};
  const double seg = f * 3.0;
  const int k = std::min(2, static_cast<int>(seg));
  return pts[k] + (pts[k + 1] - pts[k]) * (seg - k);
}

void synthetic_market::step_product(state& s, ts_ns t) {
  const double u = rng_.uniform();
  switch (s.reg) {
    case regime::calm:
      if (u < 0.0005) {
        s.reg = regime::crash;
      } else if (u < 0.003) {
        s.reg = regime::trending;
        s.trend = rng_.uniform() < 0.5 ? -1.0 : 1.0;
      }
      break;
    case regime::trending:
      if (u < 0.004)
        s.reg = regime::calm;
      break;
    case regime::crash:
      if (u < 0.01)
        s.reg = regime::calm;
      break;
  }
  const double vol = s.cfg.vol_bps * 1e-4 * (s.reg == regime::calm ? 1.0 : s.reg == regime::trending ? 1.5 : 4.0);
  const double drift = s.reg == regime::trending ? 0.3 * vol * s.trend : s.reg == regime::crash ? -1.2 * vol : 0.0;
  const double shock = rng_.normal();
  if (s.cfg.path.empty())
    s.mid *= 1.0 + drift + vol * shock;
  else
    s.mid = path_mid(s, t);
  if (s.mid < s.tick * 10)
    s.mid = s.tick * 10;
  refresh_ladder(s, t);
  if (rng_.uniform() < cfg_.taker_prob) {
    const double p_buy = s.reg == regime::crash ? 0.3 : s.reg == regime::trending ? 0.5 + 0.2 * s.trend : 0.5;
    const side sd = rng_.uniform() < p_buy ? side::buy : side::sell;
    const size q = to_size(s.cfg.level_size.to_double() * (0.02 + 0.4 * rng_.uniform()), s.cfg.listing.base_increment);
    ex_.house_take_at(s.market, sd, q, t);
  }
}

// Every single book change the ladder refresh makes leaves a valid book (both sides
// non-empty, best bid < best ask), as Coinbase's feed does after every update: new levels
// are added before stale ones leave, and a new level that would meet the house's other side
// waits until that side has stepped back. A user's resting order in the way is filled.
void synthetic_market::refresh_ladder(state& s, ts_ns t) {
  const auto& p = s.cfg.listing;
  const std::int64_t inc = p.quote_increment.units;
  const std::int64_t mid_ticks = std::llround(s.mid / s.tick);
  const std::int64_t spread = s.reg == regime::calm ? 1 : s.reg == regime::trending ? 3 : 12;
  const double widen = s.reg == regime::calm ? 1.0 : s.reg == regime::trending ? 1.5 : 4.0;
  const double step_ticks = std::max(1.0, s.mid * s.cfg.level_spacing_bps * 1e-4 * widen / s.tick);
  const std::int64_t bid0 = mid_ticks - (spread + 1) / 2;
  const std::int64_t ask0 = bid0 + spread;
  auto& want_bid = s.want_bid;
  auto& want_ask = s.want_ask;
  want_bid.clear();
  want_ask.clear();
  for (int i = 0; i < s.cfg.levels; ++i) {
    const auto off = static_cast<std::int64_t>(i * step_ticks);
    if (bid0 - off > 0 && (want_bid.empty() || want_bid.back() != (bid0 - off) * inc))
      want_bid.push_back((bid0 - off) * inc);
    if (want_ask.empty() || want_ask.back() != (ask0 + off) * inc)
      want_ask.push_back((ask0 + off) * inc);
  }
  // One random level per side gets fresh size (queue churn), like real books.
  const auto churn = static_cast<std::size_t>(rng_.below(static_cast<std::uint64_t>(s.cfg.levels)));
  const double crash_thin = s.reg == regime::crash ? 0.35 : 1.0;
  // Levels takers used up are gone from the book; none are unless the exchange's count moved.
  if (const auto used_up = ex_.house_used_up(s.market); used_up != s.used_up_seen) {
    s.used_up_seen = used_up;
    for (ladder* have : {&s.bids, &s.asks})
      std::erase_if(*have, [&](const auto& kv) { return ex_.house_qty(kv.second).is_zero(); });
  }
  // Rests a house level; when the exchange took it, it goes into have at pos (which keeps
  // have ascending: every caller knows where px belongs).
  auto place = [&](ladder& have, std::size_t pos, side sd, std::size_t depth, std::int64_t px) {
    const double sz = s.cfg.level_size.to_double() * (1.0 + 0.35 * static_cast<double>(depth + 1))
                      * (0.6 + 0.8 * rng_.uniform()) * crash_thin;
    if (auto ref = ex_.house_add_at(s.market, sd, price::from_units(px), to_size(sz, p.base_increment), t))
      have.insert(have.begin() + static_cast<std::ptrdiff_t>(pos), {px, ref});
  };
  // have ascends; want_ask ascends and want_bid descends (each strictly), so a side's levels
  // and its wanted prices are walked together, lowest first.
  auto step_back = [&](ladder& have, const std::vector<std::int64_t>& want) {
    // The wanted prices lowest first: want_bid from its back, want_ask from its front.
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(want.size());
    const std::ptrdiff_t dir = &want == &want_bid ? -1 : 1;
    const std::int64_t* w = want.data() + (dir < 0 ? n - 1 : 0);
    std::ptrdiff_t left = n;  // wanted prices not yet passed
    std::size_t kept = 0;
    for (std::size_t i = 0; i < have.size(); ++i) {
      const std::int64_t px = have[i].first;
      while (left > 0 && *w < px) {
        w += dir;
        --left;
      }
      if (left > 0 && *w == px)
        have[kept++] = have[i];
      else
        ex_.house_remove(have[i].second, t);
    }
    have.resize(kept);
  };
  // 1. New levels that cannot meet the house's other side.
  auto& waiting = s.waiting;
  waiting.clear();
  side waiting_side = side::buy;
  std::size_t at = 0;  // the first ask level at or above px (a new one is inserted there)
  for (std::size_t d = 0; d < want_ask.size(); ++d) {
    const std::int64_t px = want_ask[d];
    while (at < s.asks.size() && s.asks[at].first < px)
      ++at;
    if (at < s.asks.size() && s.asks[at].first == px)
      continue;
    if (!s.bids.empty() && px <= s.bids.rbegin()->first) {
      waiting.emplace_back(d, px);
      waiting_side = side::sell;
    } else {
      place(s.asks, at, side::sell, d, px);
    }
  }
  at = s.bids.size();  // past the last bid level at or below px
  for (std::size_t d = 0; d < want_bid.size(); ++d) {
    const std::int64_t px = want_bid[d];
    while (at > 0 && s.bids[at - 1].first > px)
      --at;
    if (at > 0 && s.bids[at - 1].first == px)
      continue;
    if (!s.asks.empty() && px >= s.asks.begin()->first)
      waiting.emplace_back(d, px);  // never both sides: the ladder moved one way
    else
      place(s.bids, at, side::buy, d, px);
  }
  // 2. The side in the way steps back, 3. the waiting levels join, 4. the other side's
  // stale levels leave; each side keeps its wanted levels throughout.
  const bool asks_wait = !waiting.empty() && waiting_side == side::sell;
  step_back(asks_wait ? s.bids : s.asks, asks_wait ? want_bid : want_ask);
  for (const auto& [d, px] : waiting) {
    ladder& have = asks_wait ? s.asks : s.bids;
    place(have, lower_level(have, px), asks_wait ? side::sell : side::buy, d, px);
  }
  step_back(asks_wait ? s.asks : s.bids, asks_wait ? want_ask : want_bid);
  // 5. Churn: the fresh order joins the level before the old one leaves.
  for (auto [have, want, sd] : {std::tuple{&s.bids, &want_bid, side::buy}, std::tuple{&s.asks, &want_ask, side::sell}}) {
    if (churn >= want->size())
      continue;
    const std::int64_t px = (*want)[churn];
    const std::size_t pos = lower_level(*have, px);
    if (pos == have->size() || (*have)[pos].first != px)
      continue;
    const std::uint64_t old = (*have)[pos].second;
    have->erase(have->begin() + static_cast<std::ptrdiff_t>(pos));
    place(*have, pos, sd, churn, px);
    ex_.house_remove(old, t);
  }
}

price synthetic_market::mid(std::string_view product_id) const {
  for (const auto& s : states_)
    if (s.cfg.listing.id == product_id)
      return price::from_double(s.mid);
  return price{};
}

regime synthetic_market::regime_of(std::string_view product_id) const {
  for (const auto& s : states_)
    if (s.cfg.listing.id == product_id)
      return s.reg;
  return regime::calm;
}

void synthetic_market::set_regime(std::string_view product_id, regime r) {
  for (auto& s : states_)
    if (s.cfg.listing.id == product_id)
      s.reg = r;
}

} // namespace trader::simex

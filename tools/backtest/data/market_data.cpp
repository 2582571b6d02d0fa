#include "tools/backtest/data/market_data.hpp"

#include "runtime/config/config_hash.hpp"
#include "tools/simex/engine/replay.hpp"
#include "tools/simex/engine/time_format.hpp"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace trader::backtest {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<std::string> file_bytes(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> gunzip_file(const std::string& path, std::string& error) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    error = path + ": cannot open";
    return std::nullopt;
  }
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  int err = 0;
  const char* msg = gzerror(f, &err);
  gzclose(f);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) {
    error = path + ": gzip: " + (msg ? msg : "read error");
    return std::nullopt;
  }
  return out;
}

template <class T>
void keep_range(std::vector<T>& v, std::int64_t from_ns, std::int64_t to_ns, auto time_of) {
  std::erase_if(v, [&](const T& x) {
    const auto t = time_of(x);
    return (from_ns != 0 && t < from_ns) || (to_ns != 0 && t >= to_ns);
  });
}

} // namespace

std::pair<std::int64_t, std::int64_t> market_data::span() const {
  std::int64_t lo = 0, hi = 0;
  bool any = false;
  for (const auto& p : products) {
    if (p.candles.empty())
      continue;
    if (!any || p.candles.front().start < lo)
      lo = p.candles.front().start;
    if (!any || p.candles.back().start > hi)
      hi = p.candles.back().start;
    any = true;
  }
  return {lo, hi};
}

std::string product_from_name(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::regex re{"(^|[_.-])([a-z0-9]{2,10})[-_]?(usdt|usdc|usd|perp)([_.-]|$)"};
  std::smatch m;
  if (!std::regex_search(name, m, re))
    return "";
  std::string base = m[2];
  std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) { return std::toupper(c); });
  return base + "-USD";  // USDT/USDC pairs and USD perps replay as the USD spot product
}

std::int64_t candle_spacing_s(const std::vector<simex::candle>& c) {
  if (c.size() < 2)
    return 0;
  std::vector<std::int64_t> d;
  d.reserve(c.size() - 1);
  for (std::size_t i = 1; i < c.size(); ++i)
    d.push_back(c[i].start - c[i - 1].start);
  std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
  return d[d.size() / 2];
}

std::vector<simex::candle> minute_candles(const std::vector<tick>& ticks) {
  std::vector<simex::candle> out;
  for (const auto& t : ticks) {
    const std::int64_t m = t.t / ns_per_s / 60 * 60;
    if (out.empty() || out.back().start != m) {
      out.push_back(simex::candle{m, t.px, t.px, t.px, t.px, t.qty});
      continue;
    }
    auto& c = out.back();
    c.high = std::max(c.high, t.px);
    c.low = std::min(c.low, t.px);
    c.close = t.px;
    c.volume += t.qty;
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<tick>>> coinbase_ticks(const std::string& path, std::string& error) {
  std::vector<std::pair<std::string, std::vector<tick>>> out;
  auto rec = simex::load_ws_recording(path, error);
  if (!rec)
    return out;
  std::map<std::string, std::map<std::pair<ts_ns, std::string>, tick>> by_product;
  std::set<std::pair<std::string, std::string>> seen;  // (product, trade id)
  for (const auto& f : rec->frames) {
    auto j = nlohmann::json::parse(f.data, nullptr, false);
    if (j.is_discarded() || j.value("channel", "") != "market_trades" || !j.contains("events"))
      continue;
    for (const auto& ev : j["events"]) {
      if (!ev.contains("trades"))
        continue;
      for (const auto& tr : ev["trades"]) {
        const std::string id = tr.value("trade_id", "");
        const std::string product = tr.value("product_id", "");
        auto px = parse_fixed<price_tag>(tr.value("price", ""));
        auto qty = parse_fixed<size_tag>(tr.value("size", ""));
        auto t = simex::parse_rfc3339(tr.value("time", ""));
        if (id.empty() || product.empty() || !px || !qty || !t || !seen.emplace(product, id).second)
          continue;
        // Coinbase's public `side` is the maker's: the taker is the other side.
        const side taker = tr.value("side", "") == "SELL" ? side::buy : side::sell;
        by_product[product].emplace(std::pair{*t, id}, tick{*t, *px, *qty, taker});
      }
    }
  }
  for (auto& [product, ticks] : by_product) {
    std::vector<tick> v;
    v.reserve(ticks.size());
    for (auto& [k, t] : ticks)
      v.push_back(t);
    out.emplace_back(product, std::move(v));
  }
  if (out.empty() && error.empty())
    error = path + ": no market_trades in the recording";
  return out;
}

std::optional<std::vector<tick>> binance_ticks(const std::string& path, std::string& product, std::string& error) {
  auto text = ends_with(path, ".gz") ? gunzip_file(path, error) : file_bytes(path);
  if (!text) {
    if (error.empty())
      error = path + ": cannot read";
    return std::nullopt;
  }
  std::vector<tick> out;
  std::istringstream in{*text};
  std::string line;
  while (std::getline(in, line)) {
    auto sp = line.find(' ');
    if (sp == std::string::npos || line.find("@trade\"", sp) == std::string::npos)
      continue;
    auto j = nlohmann::json::parse(std::string_view{line}.substr(sp + 1), nullptr, false);
    if (j.is_discarded() || !j.contains("data"))
      continue;
    const auto& d = j["data"];
    auto px = parse_fixed<price_tag>(d.value("p", ""));
    auto qty = parse_fixed<size_tag>(d.value("q", ""));
    if (!px || !qty || !d.contains("T"))
      continue;
    if (product.empty())
      product = product_from_name(d.value("s", ""));
    // m: the buyer is the maker, so the taker sold.
    out.push_back(tick{d["T"].get<std::int64_t>() * ns_per_ms, *px, *qty, d.value("m", false) ? side::sell : side::buy});
  }
  std::stable_sort(out.begin(), out.end(), [](const tick& a, const tick& b) { return a.t < b.t; });
  if (out.empty()) {
    error = path + ": no @trade messages";
    return std::nullopt;
  }
  return out;
}

std::optional<market_data> load_market_data(const std::vector<std::string>& paths, const load_options& o,
                                            std::string& error) {
  market_data md;
  md.synthetic = paths.empty();
  std::map<std::string, product_data> merged;
  for (const auto& path : paths) {
    auto bytes = file_bytes(path);
    if (!bytes) {
      error = path + ": cannot read";
      return std::nullopt;
    }
    data_file df{path, config::sha256_hex(*bytes), "", 0};
    if (ends_with(path, ".csv")) {
      df.format = "candles_csv";
      auto c = simex::load_candles_csv(path, error);
      if (!c)
        return std::nullopt;
      if (auto g = candle_spacing_s(*c); g != 60) {
        error = path + ": bars are " + std::to_string(g) + " s apart; backtest replays 1-minute candles";
        return std::nullopt;
      }
      std::string p = o.product.empty() ? product_from_name(path) : o.product;
      if (p.empty()) {
        error = path + ": the file name names no product; pass --product";
        return std::nullopt;
      }
      df.records = c->size();
      auto& pd = merged[p];
      pd.product = p;
      pd.candles.insert(pd.candles.end(), c->begin(), c->end());
    } else if (ends_with(path, ".jsonl") || ends_with(path, ".jsonl.zst")) {
      df.format = "coinbase_ws";
      auto per = coinbase_ticks(path, error);
      if (per.empty())
        return std::nullopt;
      for (auto& [p, ticks] : per) {
        df.records += ticks.size();
        auto& pd = merged[p];
        pd.product = p;
        pd.ticks.insert(pd.ticks.end(), ticks.begin(), ticks.end());
      }
    } else if (ends_with(path, ".gz")) {
      df.format = "binance_ws";
      std::string p = o.product;
      auto ticks = binance_ticks(path, p, error);
      if (!ticks)
        return std::nullopt;
      df.records = ticks->size();
      auto& pd = merged[p];
      pd.product = p;
      pd.ticks.insert(pd.ticks.end(), ticks->begin(), ticks->end());
    } else {
      error = path + ": unknown format (want .csv, .jsonl[.zst] or .gz)";
      return std::nullopt;
    }
    md.files.push_back(std::move(df));
  }
  const std::int64_t from_ns = o.from_s * ns_per_s, to_ns = o.to_s * ns_per_s;
  for (auto& [p, pd] : merged) {
    std::stable_sort(pd.ticks.begin(), pd.ticks.end(), [](const tick& a, const tick& b) { return a.t < b.t; });
    keep_range(pd.ticks, from_ns, to_ns, [](const tick& t) { return t.t; });
    std::stable_sort(pd.candles.begin(), pd.candles.end(),
                     [](const simex::candle& a, const simex::candle& b) { return a.start < b.start; });
    pd.candles.erase(std::unique(pd.candles.begin(), pd.candles.end(),
                                 [](const auto& a, const auto& b) { return a.start == b.start; }),
                     pd.candles.end());
    keep_range(pd.candles, from_ns, to_ns, [](const simex::candle& c) { return c.start * ns_per_s; });
    if (!pd.ticks.empty()) {  // ticks win: bars are built from them, the path follows them
      pd.from_ticks = true;
      pd.candles = minute_candles(pd.ticks);
    }
    if (pd.candles.empty())
      continue;
    md.products.push_back(std::move(pd));
  }
  if (!md.synthetic && md.products.empty()) {
    error = "no data in the selected range";
    return std::nullopt;
  }
  return md;
}

} // namespace trader::backtest

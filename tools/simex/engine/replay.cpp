#include "tools/simex/engine/replay.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#if SIMEX_HAVE_ZSTD
#include <zstd.h>
#endif

namespace trader::simex {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<std::string> decompress(const std::string& in, std::string& error) {
#if SIMEX_HAVE_ZSTD
  ZSTD_DCtx* ctx = ZSTD_createDCtx();
  std::string out;
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  while (src.pos < src.size) {
    ZSTD_outBuffer dst{chunk.data(), chunk.size(), 0};
    size_t r = ZSTD_decompressStream(ctx, &dst, &src);
    if (ZSTD_isError(r)) {
      error = std::string{"zstd: "} + ZSTD_getErrorName(r);
      ZSTD_freeDCtx(ctx);
      return std::nullopt;
    }
    out.append(chunk.data(), dst.pos);
  }
  ZSTD_freeDCtx(ctx);
  return out;
#else
  error = "simex was built without libzstd; decompress the file with `zstd -d` first";
  return std::nullopt;
#endif
}

std::vector<std::string_view> split_csv(std::string_view line) {
  std::vector<std::string_view> cells;
  while (true) {
    auto c = line.find(',');
    cells.push_back(line.substr(0, c));
    if (c == std::string_view::npos)
      break;
    line.remove_prefix(c + 1);
  }
  return cells;
}

/// "2019-10-17 09-AM", "2022-01-01 00:00:00.000000", "2022-01-01T00:00:00Z" or UNIX seconds.
std::optional<std::int64_t> parse_csv_time(std::string_view s) {
  if (!s.empty() && s.find('-') == std::string_view::npos) {
    std::int64_t v = 0;
    for (char c : s) {
      if (c == '.')
        break;
      if (c < '0' || c > '9')
        return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v > 100'000'000'000 ? v / 1000 : v;  // milliseconds → seconds
  }
  if (s.size() >= 16 && (s.ends_with("AM") || s.ends_with("PM")) && s[13] == '-') {
    std::string iso{s.substr(0, 10)};
    int hour = (s[11] - '0') * 10 + (s[12] - '0');
    hour %= 12;
    if (s.ends_with("PM"))
      hour += 12;
    iso += "T" + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00Z";
    if (auto t = parse_rfc3339(iso))
      return *t / ns_per_s;
    return std::nullopt;
  }
  if (s.size() >= 19) {
    std::string iso{s.substr(0, 19)};
    iso[10] = 'T';
    iso += "Z";
    if (auto t = parse_rfc3339(iso))
      return *t / ns_per_s;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> read_data_file(const std::string& path, std::string& error) {
  std::ifstream f{path, std::ios::binary};
  if (!f) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  std::string raw = ss.str();
  if (ends_with(path, ".zst"))
    return decompress(raw, error);
  return raw;
}

std::optional<std::vector<candle>> load_candles_csv(const std::string& path, std::string& error) {
  auto text = read_data_file(path, error);
  if (!text)
    return std::nullopt;
  std::vector<candle> out;
  std::istringstream in{*text};
  std::string line;
  int col_time = -1, col_open = -1, col_high = -1, col_low = -1, col_close = -1, col_volume = -1;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    auto cells = split_csv(line);
    if (col_time < 0) {  // looking for the header
      for (int i = 0; i < static_cast<int>(cells.size()); ++i) {
        std::string h{cells[static_cast<std::size_t>(i)]};
        std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
        if (h == "date" || h == "timestamp" || h == "time" || h == "unix")
          col_time = col_time < 0 ? i : col_time;
        else if (h == "open")
          col_open = i;
        else if (h == "high")
          col_high = i;
        else if (h == "low")
          col_low = i;
        else if (h == "close")
          col_close = i;
        else if (h == "volume_btc" || (h == "volume" && col_volume < 0))
          col_volume = i;
      }
      if (col_time >= 0 && (col_open < 0 || col_high < 0 || col_low < 0 || col_close < 0))
        col_time = -1;
      continue;
    }
    const int need = std::max({col_time, col_open, col_high, col_low, col_close, col_volume});
    if (static_cast<int>(cells.size()) <= need)
      continue;
    auto cell = [&](int i) { return cells[static_cast<std::size_t>(i)]; };
    candle c;
    auto t = parse_csv_time(cell(col_time));
    auto o = parse_fixed<price_tag>(cell(col_open));
    auto h = parse_fixed<price_tag>(cell(col_high));
    auto l = parse_fixed<price_tag>(cell(col_low));
    auto cl = parse_fixed<price_tag>(cell(col_close));
    if (!t || !o || !h || !l || !cl)
      continue;
    c.start = *t;
    c.open = *o;
    c.high = *h;
    c.low = *l;
    c.close = *cl;
    if (col_volume >= 0)
      c.volume = parse_fixed<size_tag>(cell(col_volume)).value_or(size{});
    out.push_back(c);
  }
  if (col_time < 0) {
    error = path + ": no header with date/timestamp, open, high, low, close";
    return std::nullopt;
  }
  std::stable_sort(out.begin(), out.end(), [](const candle& a, const candle& b) { return a.start < b.start; });
  out.erase(std::unique(out.begin(), out.end(), [](const candle& a, const candle& b) { return a.start == b.start; }),
            out.end());
  return out;
}

std::optional<ws_recording> load_ws_recording(const std::string& path, std::string& error) {
  auto text = read_data_file(path, error);
  if (!text)
    return std::nullopt;
  ws_recording rec;
  simdjson::ondemand::parser parser;
  std::istringstream in{*text};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    simdjson::padded_string padded{line};
    auto doc = parser.iterate(padded);
    std::string_view t;
    if (doc["t"].get_string().get(t) != simdjson::SUCCESS)
      continue;
    if (t == "recv") {
      double ts = 0;
      std::string_view data;
      if (doc["ts"].get_double().get(ts) != simdjson::SUCCESS || doc["data"].get_string().get(data) != simdjson::SUCCESS)
        continue;
      rec.frames.push_back({static_cast<ts_ns>(ts * 1e9), std::string{data}});
    } else if (t == "http") {
      std::string_view data;
      if (doc["data"].get_string().get(data) == simdjson::SUCCESS)
        rec.products_json = std::string{data};
    }
  }
  if (rec.frames.empty()) {
    error = path + ": no recv frames";
    return std::nullopt;
  }
  return rec;
}

recording_replay::recording_replay(exchange& ex, ws_recording rec) : ex_(ex), rec_(std::move(rec)) {
  // nop
}

void recording_replay::start(ts_ns now) {
  offset_ = now - rec_.frames.front().received;
  simdjson::ondemand::parser parser;
  if (!rec_.products_json.empty()) {
    simdjson::padded_string padded{rec_.products_json};
    auto doc = parser.iterate(padded);
    simdjson::ondemand::array products;
    if (doc["products"].get_array().get(products) == simdjson::SUCCESS) {
      for (auto item : products) {
        simdjson::ondemand::object o;
        if (item.get_object().get(o) != simdjson::SUCCESS)
          continue;
        product p;
        std::string_view v;
        auto str = [&](const char* k) {
          return o[k].get_string().get(v) == simdjson::SUCCESS ? std::string{v} : std::string{};
        };
        p.id = str("product_id");
        p.base_increment = parse_fixed<size_tag>(str("base_increment")).value_or(p.base_increment);
        p.quote_increment = parse_fixed<price_tag>(str("quote_increment")).value_or(p.quote_increment);
        p.quote_min_size = parse_fixed<notional_tag>(str("quote_min_size")).value_or(p.quote_min_size);
        p.quote_max_size = parse_fixed<notional_tag>(str("quote_max_size")).value_or(p.quote_max_size);
        p.base_min_size = parse_fixed<size_tag>(str("base_min_size")).value_or(p.base_min_size);
        p.base_max_size = parse_fixed<size_tag>(str("base_max_size")).value_or(p.base_max_size);
        p.base_name = str("base_name");
        p.quote_name = str("quote_name");
        p.base_currency = str("base_currency_id");
        p.quote_currency = str("quote_currency_id");
        if (p.id.empty() || (p.id != "BTC-USD" && p.id != "ETH-USD"))
          continue;  // only products the recording streams
        ex_.add_product(p);
      }
    }
  }
  for (const char* id : {"BTC-USD", "ETH-USD"}) {
    if (ex_.find_product(id) != nullptr)
      continue;
    product p;
    p.id = id;
    p.base_currency = std::string{id}.substr(0, 3);
    p.quote_currency = "USD";
    ex_.add_product(p);
  }
}

void recording_replay::advance(ts_ns now) {
  while (next_ < rec_.frames.size() && rec_.frames[next_].received + offset_ <= now) {
    apply(rec_.frames[next_].data, rec_.frames[next_].received + offset_);
    ++next_;
  }
}

void recording_replay::set_level(const std::string& product_id, side s, price px, size qty, ts_ns now) {
  auto& book = levels_[product_id];
  const auto key = std::make_pair(s == side::buy ? 0 : 1, px.units);
  if (auto it = book.find(key); it != book.end()) {
    ex_.house_remove(it->second, now);
    book.erase(it);
  }
  if (qty.units > 0)
    if (auto ref = ex_.house_add(product_id, s, px, qty, now))
      book[key] = ref;
}

void recording_replay::apply(const std::string& data, ts_ns now) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{data};
  auto doc = parser.iterate(padded);
  std::string_view channel;
  if (doc["channel"].get_string().get(channel) != simdjson::SUCCESS)
    return;
  const std::string ch{channel};
  simdjson::ondemand::array events;
  if (doc["events"].get_array().get(events) != simdjson::SUCCESS)
    return;
  for (auto ev : events) {
    simdjson::ondemand::object e;
    if (ev.get_object().get(e) != simdjson::SUCCESS)
      continue;
    std::string_view sv;
    if (ch == "l2_data") {
      std::string product;
      if (e["product_id"].get_string().get(sv) == simdjson::SUCCESS)
        product = std::string{sv};
      if (ex_.find_product(product) == nullptr)
        continue;
      simdjson::ondemand::array updates;
      if (e["updates"].get_array().get(updates) != simdjson::SUCCESS)
        continue;
      struct lvl { side s; price px; size q; };
      std::vector<lvl> adds;
      for (auto u : updates) {
        std::string_view side_s, px_s, q_s;
        simdjson::ondemand::object uo;
        if (u.get_object().get(uo) != simdjson::SUCCESS || uo["side"].get_string().get(side_s) != simdjson::SUCCESS
            || uo["price_level"].get_string().get(px_s) != simdjson::SUCCESS
            || uo["new_quantity"].get_string().get(q_s) != simdjson::SUCCESS)
          continue;
        auto px = parse_fixed<price_tag>(px_s);
        auto q = parse_fixed<size_tag>(q_s);
        if (!px || !q)
          continue;
        const side s = side_s == "bid" ? side::buy : side::sell;
        if (q->is_zero())
          set_level(product, s, *px, size{}, now);  // removals first: no transient crosses
        else
          adds.push_back({s, *px, *q});
      }
      for (const auto& a : adds)
        set_level(product, a.s, a.px, a.q, now);
    } else if (ch == "market_trades") {
      std::string_view type;
      if (e["type"].get_string().get(type) != simdjson::SUCCESS || type != "update")
        continue;
      simdjson::ondemand::array trades;
      if (e["trades"].get_array().get(trades) != simdjson::SUCCESS)
        continue;
      for (auto t : trades) {
        simdjson::ondemand::object to;
        std::string_view product, px_s, q_s, side_s;
        if (t.get_object().get(to) != simdjson::SUCCESS || to["product_id"].get_string().get(product) != simdjson::SUCCESS
            || to["price"].get_string().get(px_s) != simdjson::SUCCESS
            || to["size"].get_string().get(q_s) != simdjson::SUCCESS || to["side"].get_string().get(side_s) != simdjson::SUCCESS)
          continue;
        auto px = parse_fixed<price_tag>(px_s);
        auto q = parse_fixed<size_tag>(q_s);
        if (px && q && ex_.find_product(product) != nullptr)
          ex_.print_trade(product, *px, *q, side_s == "BUY" ? side::buy : side::sell, now);
      }
    }
  }
}

} // namespace trader::simex

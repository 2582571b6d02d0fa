#include "actors/exchange/feed/ws_parser.hpp"

#include "actors/exchange/coinbase/symbols.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>

#include <cctype>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <vector>

namespace trader::feed {

namespace od = simdjson::ondemand;

const char* to_string(ws_channel c) {
  switch (c) {
    case ws_channel::unknown: return "unknown";
    case ws_channel::heartbeats: return "heartbeats";
    case ws_channel::ticker: return "ticker";
    case ws_channel::ticker_batch: return "ticker_batch";
    case ws_channel::level2: return "level2";
    case ws_channel::market_trades: return "market_trades";
    case ws_channel::candles: return "candles";
    case ws_channel::status: return "status";
    case ws_channel::user: return "user";
    case ws_channel::subscriptions: return "subscriptions";
    case ws_channel::error: return "error";
  }
  return "unknown";
}

void ws_frame::clear() {
  channel = ws_channel::unknown;
  sequence = -1;
  ts_event = 0;
  ts_recv = 0;
  snapshot = false;
  quotes.clear();
  books.clear();
  trades.clear();
  candles.clear();
  statuses.clear();
  orders.clear();
  heartbeat_counter = -1;
  error.clear();
}

std::optional<product_id> feed_product(std::string_view text) {
  auto r = exchange::canonical_product(text);
  if (!r)
    return std::nullopt;
  return *r;
}

product_state parse_product_state(std::string_view t) {
  if (t == "online")
    return product_state::online;
  if (t == "post_only")
    return product_state::post_only;
  if (t == "limit_only")
    return product_state::limit_only;
  if (t == "cancel_only")
    return product_state::cancel_only;
  if (t == "delisted")
    return product_state::delisted;
  return product_state::offline;  // offline, internal, PRE_LAUNCH, anything new
}

order_state parse_order_state(std::string_view t, bool partially_filled) {
  if (t == "OPEN" || t == "PENDING" || t == "QUEUED" || t == "CANCEL_QUEUED" || t == "EDIT_QUEUED")
    return partially_filled ? order_state::partially_filled : order_state::open;
  if (t == "FILLED")
    return order_state::filled;
  if (t == "CANCELLED")
    return order_state::canceled;
  if (t == "EXPIRED")
    return order_state::expired;
  if (t == "FAILED")
    return order_state::rejected;
  return order_state::unknown;
}

namespace {

/// Thrown for a field we understand but whose value is wrong; becomes parse_error.
struct bad_field {
  std::string what;
};

/// `computed`: an amount Coinbase computes at full precision (avg_price, total_fees); digits
/// past 1e-8 round instead of refusing the update.
template <class Tag>
fixed<Tag> decimal(std::string_view text, const char* field, bool computed = false) {
  if (text.empty())
    return fixed<Tag>{};  // Coinbase sends "" for absent amounts (e.g. limit_price of a market order)
  auto v = computed ? parse_fixed_rounded<Tag>(text) : parse_fixed<Tag>(text);
  if (!v)
    throw bad_field{std::string(field) + ": not a decimal ('" + std::string(text.substr(0, 40)) + "')"};
  return *v;
}

ts_ns timestamp(std::string_view text, const char* field) {
  ts_ns t = 0;
  if (!parse_rfc3339(text, t))
    throw bad_field{std::string(field) + ": not an RFC 3339 time ('" + std::string(text.substr(0, 40)) + "')"};
  return t;
}

/// Canonical ids by the exchange's spelling: a feed names a handful of products, so the
/// hot path pays one hash lookup instead of canonical_product's string work.
class product_cache {
public:
  product_id get(std::string_view text, const char* field) {
    if (auto it = map_.find(text); it != map_.end())
      return it->second;
    auto p = feed_product(text);
    if (!p)
      throw bad_field{std::string(field) + ": not a product id ('" + std::string(text.substr(0, 40)) + "')"};
    if (map_.size() < 4096)
      map_.emplace(std::string(text), *p);
    return std::move(*p);
  }

private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, product_id, hash, std::equal_to<>> map_;
};

std::string_view str(od::value v) { return v.get_string(); }

/// An integer that may arrive as a JSON number or a string (heartbeat_counter, start).
std::int64_t lenient_int(od::value v, const char* field) {
  if (v.type() == od::json_type::number)
    return v.get_int64();
  auto s = str(v);
  std::int64_t out = 0;
  if (s.empty())
    throw bad_field{std::string(field) + ": empty"};
  for (char c : s) {
    if (c < '0' || c > '9')
      throw bad_field{std::string(field) + ": not an integer ('" + std::string(s.substr(0, 40)) + "')"};
    if (out > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10)
      throw bad_field{std::string(field) + ": out of range ('" + std::string(s.substr(0, 40)) + "')"};
    out = out * 10 + (c - '0');
  }
  return out;
}

/// UNIX seconds as ts_ns; a time ts_ns cannot hold (before 1678 or after 2261) is malformed.
ts_ns lenient_seconds(od::value v, const char* field) {
  const std::int64_t s = lenient_int(v, field);
  if (s < std::numeric_limits<ts_ns>::min() / ns_per_s || s > std::numeric_limits<ts_ns>::max() / ns_per_s)
    throw bad_field{std::string(field) + ": out of range (" + std::to_string(s) + " s)"};
  return s * ns_per_s;
}

ws_channel channel_of(std::string_view c) {
  if (c == "l2_data")
    return ws_channel::level2;
  if (c == "ticker")
    return ws_channel::ticker;
  if (c == "market_trades")
    return ws_channel::market_trades;
  if (c == "heartbeats")
    return ws_channel::heartbeats;
  if (c == "ticker_batch")
    return ws_channel::ticker_batch;
  if (c == "candles")
    return ws_channel::candles;
  if (c == "status")
    return ws_channel::status;
  if (c == "user")
    return ws_channel::user;
  if (c == "subscriptions")
    return ws_channel::subscriptions;
  return ws_channel::unknown;
}

} // namespace

struct ws_parser::impl {
  od::parser parser;
  product_cache cache;
  product_id product(std::string_view text, const char* field) { return cache.get(text, field); }
  std::vector<char> buf;  ///< the message plus SIMDJSON_PADDING; grows, never shrinks
  ws_frame* out = nullptr;

  // -- events ----------------------------------------------------------------

  void level2(od::array updates, book_update& b) {
    for (auto u : updates) {
      od::object o = u.get_object();
      book_level lvl;
      bool bid = false, have_side = false;
      for (auto f : o) {
        auto k = f.unescaped_key().value();
        if (k == "side") {
          auto s = str(f.value());
          bid = s == "bid";
          have_side = bid || s == "offer";
          if (!have_side)
            throw bad_field{"updates[].side: neither bid nor offer ('" + std::string(s) + "')"};
        } else if (k == "price_level") {
          lvl.px = decimal<price_tag>(str(f.value()), "updates[].price_level");
        } else if (k == "new_quantity") {
          lvl.qty = decimal<size_tag>(str(f.value()), "updates[].new_quantity");
        }
      }
      if (!have_side)
        throw bad_field{"updates[].side: missing"};
      (bid ? b.bids : b.asks).push_back(lvl);
    }
  }

  void tickers(od::array arr) {
    for (auto t : arr) {
      quote q;
      q.sequence = out->sequence;
      q.ts_event = out->ts_event;
      q.ts_recv = out->ts_recv;
      for (auto f : t.get_object()) {
        auto k = f.unescaped_key().value();
        if (k == "product_id")
          q.product = product(str(f.value()), "tickers[].product_id");
        else if (k == "price")
          q.last = decimal<price_tag>(str(f.value()), "tickers[].price");
        else if (k == "best_bid")
          q.bid = decimal<price_tag>(str(f.value()), "tickers[].best_bid");
        else if (k == "best_ask")
          q.ask = decimal<price_tag>(str(f.value()), "tickers[].best_ask");
        else if (k == "best_bid_quantity")
          q.bid_size = decimal<size_tag>(str(f.value()), "tickers[].best_bid_quantity");
        else if (k == "best_ask_quantity")
          q.ask_size = decimal<size_tag>(str(f.value()), "tickers[].best_ask_quantity");
      }
      if (q.product.empty())  // empty placeholder tickers have been seen (ccxt); skip them
        continue;
      out->quotes.push_back(std::move(q));
    }
  }

  void trades(od::array arr) {
    for (auto t : arr) {
      market_trade m;
      m.ts_recv = out->ts_recv;
      m.ts_event = out->ts_event;
      for (auto f : t.get_object()) {
        auto k = f.unescaped_key().value();
        if (k == "product_id")
          m.product = product(str(f.value()), "trades[].product_id");
        else if (k == "trade_id")
          m.trade.value = std::string(str(f.value()));
        else if (k == "price")
          m.px = decimal<price_tag>(str(f.value()), "trades[].price");
        else if (k == "size")
          m.qty = decimal<size_tag>(str(f.value()), "trades[].size");
        else if (k == "time")
          m.ts_event = timestamp(str(f.value()), "trades[].time");
        else if (k == "side") {
          // `side` is the MAKER's side (shared/data/market/README.md): the taker is opposite.
          auto s = str(f.value());
          m.taker_side = s == "BUY" ? side::sell : side::buy;
        }
      }
      out->trades.push_back(std::move(m));
    }
  }

  void candles(od::array arr) {
    for (auto c : arr) {
      candle x;
      x.ts_recv = out->ts_recv;
      for (auto f : c.get_object()) {
        auto k = f.unescaped_key().value();
        if (k == "product_id")
          x.product = product(str(f.value()), "candles[].product_id");
        else if (k == "start")
          x.start = lenient_seconds(f.value(), "candles[].start");
        else if (k == "open")
          x.open = decimal<price_tag>(str(f.value()), "candles[].open");
        else if (k == "high")
          x.high = decimal<price_tag>(str(f.value()), "candles[].high");
        else if (k == "low")
          x.low = decimal<price_tag>(str(f.value()), "candles[].low");
        else if (k == "close")
          x.close = decimal<price_tag>(str(f.value()), "candles[].close");
        else if (k == "volume")
          x.volume = decimal<size_tag>(str(f.value()), "candles[].volume");
      }
      out->candles.push_back(std::move(x));
    }
  }

  void products(od::array arr) {
    for (auto p : arr) {
      product_status s;
      s.ts_event = out->ts_event;
      s.ts_recv = out->ts_recv;
      bool have_status = false;
      for (auto f : p.get_object()) {
        auto k = f.unescaped_key().value();
        if (k == "id") {
          s.product = product(str(f.value()), "products[].id");
        } else if (k == "status") {
          s.state = parse_product_state(str(f.value()));
          have_status = true;
        }
      }
      if (!have_status)
        throw bad_field{"products[].status: missing"};
      out->statuses.push_back(std::move(s));
    }
  }

  void orders(od::array arr) {
    for (auto o : arr) {
      order_update u;
      u.sequence = out->sequence;
      u.ts_event = out->ts_event;
      u.ts_recv = out->ts_recv;
      std::string_view status, cancel_reason;
      for (auto f : o.get_object()) {
        auto k = f.unescaped_key().value();
        if (k == "order_id")
          u.exchange_id.value = std::string(str(f.value()));
        else if (k == "client_order_id")
          u.id.value = std::string(str(f.value()));
        else if (k == "product_id")
          u.product = product(str(f.value()), "orders[].product_id");
        else if (k == "cumulative_quantity")
          u.filled_size = decimal<size_tag>(str(f.value()), "orders[].cumulative_quantity");
        else if (k == "avg_price")
          u.avg_fill_px = decimal<price_tag>(str(f.value()), "orders[].avg_price", true);
        else if (k == "total_fees")
          u.total_fees = decimal<notional_tag>(str(f.value()), "orders[].total_fees", true);
        else if (k == "status")
          status = str(f.value());
        else if (k == "order_side") {
          auto sd = str(f.value());
          if (sd == "BUY" || sd == "SELL") {
            u.dir = sd == "BUY" ? side::buy : side::sell;
            u.dir_known = true;
          }
        } else if (k == "limit_price") {
          auto lp = str(f.value());
          if (!lp.empty())
            u.limit_px = decimal<price_tag>(lp, "orders[].limit_price");
        }
        else if (k == "reject_reason") {
          auto r = str(f.value());
          if (!r.empty() && r != "REJECT_REASON_UNSPECIFIED")
            u.reject_reason = std::string(r);
        } else if (k == "cancel_reason")
          cancel_reason = str(f.value());
      }
      if (status.empty())
        throw bad_field{"orders[].status: missing"};
      u.state = parse_order_state(status, !u.filled_size.is_zero());
      if (u.reject_reason.empty() && !cancel_reason.empty())
        u.reject_reason = std::string(cancel_reason);
      out->orders.push_back(std::move(u));
    }
  }

  void event(od::object ev) {
    // l2 fields arrive at event level: product_id, then updates.
    book_update* l2 = nullptr;
    bool snap = false;
    for (auto f : ev) {
      auto k = f.unescaped_key().value();
      if (k == "type") {
        snap = str(f.value()) == "snapshot";
        out->snapshot |= snap;
        if (l2)
          l2->is_snapshot = snap;
      } else if (k == "updates" || k == "product_id") {
        if (!l2) {
          l2 = &out->books.emplace_back();
          l2->is_snapshot = snap;
          l2->sequence = out->sequence;
          l2->ts_event = out->ts_event;
          l2->ts_recv = out->ts_recv;
        }
        if (k == "updates")
          level2(f.value().get_array(), *l2);
        else
          l2->product = product(str(f.value()), "product_id");
      } else if (k == "tickers") {
        tickers(f.value().get_array());
      } else if (k == "trades") {
        trades(f.value().get_array());
      } else if (k == "candles") {
        candles(f.value().get_array());
      } else if (k == "products") {
        products(f.value().get_array());
      } else if (k == "orders") {
        orders(f.value().get_array());
      } else if (k == "heartbeat_counter") {
        out->heartbeat_counter = lenient_int(f.value(), "heartbeat_counter");
      }
    }
    if (l2 && l2->product.empty())
      throw bad_field{"product_id: missing"};
  }

};

ws_parser::ws_parser() : impl_(std::make_unique<impl>()) {}
ws_parser::~ws_parser() = default;
ws_parser::ws_parser(ws_parser&&) noexcept = default;
ws_parser& ws_parser::operator=(ws_parser&&) noexcept = default;

std::optional<parse_error> ws_parser::parse(std::string_view text, ts_ns recv, ws_frame& out) {
  out.clear();
  out.ts_recv = recv;
  auto& im = *impl_;
  im.out = &out;
  if (im.buf.size() < text.size() + simdjson::SIMDJSON_PADDING)
    im.buf.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(im.buf.data(), text.data(), text.size());
  const char* where = "envelope";
  try {
    od::document doc = im.parser.iterate(im.buf.data(), text.size(), im.buf.size());
    od::object root = doc.get_object();
    for (auto f : root) {
      auto k = f.unescaped_key().value();
      if (k == "channel") {
        out.channel = channel_of(str(f.value()));
      } else if (k == "sequence_num") {
        where = "sequence_num";
        out.sequence = f.value().get_int64();
      } else if (k == "timestamp") {
        out.ts_event = timestamp(str(f.value()), "timestamp");
      } else if (k == "events") {
        // Coinbase sends channel, client_id, timestamp, sequence_num, then events; events
        // dispatch on their own keys, so only the envelope fields before them matter here.
        where = to_string(out.channel);
        for (auto ev : f.value().get_array())
          im.event(ev.get_object());
      } else if (k == "type") {
        if (str(f.value()) == "error")
          out.channel = ws_channel::error;
      } else if (k == "message") {
        out.error = std::string(str(f.value()));
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    return parse_error{std::string(where) + ": " + simdjson::error_message(e.error())};
  } catch (const bad_field& e) {
    return parse_error{std::string(where) + ": " + e.what};
  }
  if (out.channel != ws_channel::error && out.channel != ws_channel::unknown && out.sequence < 0)
    return parse_error{std::string(to_string(out.channel)) + ": sequence_num missing"};
  return std::nullopt;
}

} // namespace trader::feed

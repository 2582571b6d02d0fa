// WebSocket message builders: direct formatting into one reused buffer.

#include "tools/simex/api/json_out.hpp"
#include "tools/simex/api/ws_api.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace trader::simex {

std::string_view to_wire(ws_channel c) {
  switch (c) {
    case ws_channel::heartbeats: return "heartbeats";
    case ws_channel::ticker: return "ticker";
    case ws_channel::ticker_batch: return "ticker_batch";
    case ws_channel::level2: return "level2";
    case ws_channel::market_trades: return "market_trades";
    case ws_channel::candles: return "candles";
    case ws_channel::status: return "status";
    case ws_channel::user: return "user";
  }
  return "";
}

std::string_view ws_message_channel(ws_channel c) {
  return c == ws_channel::level2 ? "l2_data" : to_wire(c);
}

namespace {
std::optional<ws_request> parse_ws_request_unchecked(std::string_view text, std::string& error) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "failure to parse message";
    return std::nullopt;
  }
  ws_request r;
  auto type = doc.value("type", std::string{});
  if (type != "subscribe" && type != "unsubscribe") {
    error = "unknown message type: " + type;
    return std::nullopt;
  }
  r.subscribe = type == "subscribe";
  auto channel = doc.value("channel", std::string{});
  if (channel == "level2_batch" || channel == "l2_data")
    channel = "level2";
  bool found = false;
  for (auto c : {ws_channel::heartbeats, ws_channel::ticker, ws_channel::ticker_batch, ws_channel::level2,
                 ws_channel::market_trades, ws_channel::candles, ws_channel::status, ws_channel::user}) {
    if (to_wire(c) == channel) {
      r.channel = c;
      found = true;
    }
  }
  if (!found) {
    error = "failure to subscribe: unknown channel " + channel;
    return std::nullopt;
  }
  if (auto it = doc.find("product_ids"); it != doc.end() && it->is_array()) {
    for (const auto& id : *it) {
      if (!id.is_string()) {
        error = "product_ids must be strings";
        return std::nullopt;
      }
      r.product_ids.push_back(id.get<std::string>());
    }
  }
  if (auto it = doc.find("jwt"); it != doc.end() && it->is_string())
    r.jwt = it->get<std::string>();
  return r;
}
} // namespace

std::optional<ws_request> parse_ws_request(std::string_view text, std::string& error) {
  try {
    return parse_ws_request_unchecked(text, error);
  } catch (const std::exception&) {  // a field of the wrong JSON type
    error = "failure to parse message: type and channel must be strings";
    return std::nullopt;
  }
}

void ws_writer::open(std::string_view channel, ts_ns now, std::uint64_t seq) {
  buf_.clear();
  buf_.append("{\"channel\":\"");
  buf_.append(channel);
  buf_.append("\",\"client_id\":\"\",\"timestamp\":\"");
  append_rfc3339(buf_, now, 9);
  buf_.append("\",\"sequence_num\":");
  char tmp[24];
  auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, seq);
  buf_.append(tmp, p);
  buf_.append(",\"events\":");
}

std::string_view ws_writer::heartbeat(ts_ns now, std::uint64_t seq, std::int64_t counter) {
  open("heartbeats", now, seq);
  // Go's time.String(): "2023-06-23 20:31:56.123456789 +0000 UTC m=+41691.260485341"
  buf_.append("[{\"current_time\":\"");
  const std::size_t at = buf_.size();
  append_rfc3339(buf_, now, 9);
  buf_[at + 10] = ' ';
  buf_.pop_back();
  buf_.append(" +0000 UTC m=+");
  char tmp[24];
  auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, counter);
  buf_.append(tmp, p);
  buf_.append(".000000001\",\"heartbeat_counter\":");
  buf_.append(tmp, p);
  buf_.append("}]}");
  return buf_;
}

std::string_view ws_writer::ticker(const ticker_change& t, bool snapshot, ts_ns now, std::uint64_t seq,
                                   ws_channel channel) {
  open(ws_message_channel(channel), now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", snapshot ? "snapshot" : "update").key("tickers").begin_array();
  j.begin_object().kv("type", "ticker").kv("product_id", t.product_id).kd("price", t.last);
  j.kd("volume_24_h", t.volume_24h).kd("low_24_h", t.low_24h).kd("high_24_h", t.high_24h);
  j.kd("low_52_w", t.low_24h).kd("high_52_w", t.high_24h);
  std::int64_t pct = t.open_24h.is_zero() ? 0 : detail::div_units((t.last - t.open_24h).units * 100, t.open_24h.units).value_or(0);
  j.key("price_percent_chg_24_h").dec(pct);
  if (channel != ws_channel::ticker_batch) {
    j.kd("best_bid", t.best_bid).kd("best_ask", t.best_ask);
    j.kd("best_bid_quantity", t.best_bid_qty).kd("best_ask_quantity", t.best_ask_qty);
  }
  j.end_object().end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::l2_snapshot(std::string_view product_id, std::span<const l2_level> levels, ts_ns now,
                                        std::uint64_t seq) {
  open("l2_data", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", "snapshot").kv("product_id", product_id).key("updates").begin_array();
  for (const auto& l : levels) {
    j.begin_object().kv("side", l.book_side == side::buy ? "bid" : "offer").key("event_time").time(now, 6);
    j.kd("price_level", l.px).kd("new_quantity", l.qty).end_object();
  }
  j.end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::l2_update(std::string_view product_id, std::span<const book_change> changes, ts_ns now,
                                      std::uint64_t seq) {
  std::vector<const book_change*> ptrs;
  ptrs.reserve(changes.size());
  for (const auto& c : changes)
    ptrs.push_back(&c);
  return l2_update(product_id, ptrs, now, seq);
}

std::string_view ws_writer::l2_update(std::string_view product_id, std::span<const book_change* const> changes,
                                      ts_ns now, std::uint64_t seq) {
  open("l2_data", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", "update").kv("product_id", product_id).key("updates").begin_array();
  for (const auto* c : changes) {
    j.begin_object().kv("side", c->book_side == side::buy ? "bid" : "offer").key("event_time").time(c->time, 6);
    j.kd("price_level", c->level).kd("new_quantity", c->new_quantity).end_object();
  }
  j.end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::market_trades(std::span<const trade_print* const> trades, bool snapshot, ts_ns now,
                                          std::uint64_t seq) {
  open("market_trades", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", snapshot ? "snapshot" : "update").key("trades").begin_array();
  for (const auto* t : trades) {
    j.begin_object().kv("product_id", t->product_id).kv("trade_id", t->trade_id).kd("price", t->px);
    j.kd("size", t->qty).key("time").time(t->time, 6).kv("side", to_wire(t->maker_side)).end_object();
  }
  j.end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::candles(std::string_view product_id, std::span<const candle> bars, bool snapshot,
                                    ts_ns now, std::uint64_t seq) {
  open("candles", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", snapshot ? "snapshot" : "update").key("candles").begin_array();
  for (const auto& c : bars) {
    j.begin_object().key("start").num_str(c.start).kd("high", c.high).kd("low", c.low).kd("open", c.open);
    j.kd("close", c.close).kd("volume", c.volume).kv("product_id", product_id).end_object();
  }
  j.end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::status(std::span<const product* const> products, bool snapshot, ts_ns now,
                                   std::uint64_t seq) {
  open("status", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", snapshot ? "snapshot" : "update").key("products").begin_array();
  for (const auto* p : products) {
    j.begin_object().kv("product_type", "SPOT").kv("id", p->id).kv("base_currency", p->base_currency);
    j.kv("quote_currency", p->quote_currency).kd("base_increment", p->base_increment);
    j.kd("quote_increment", p->quote_increment).kv("display_name", p->id).kv("status", to_wire(p->status));
    j.kv("status_message", p->status_message).kd("min_market_funds", p->min_market_funds).end_object();
  }
  j.end_array().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::user(std::span<const order_record* const> orders, bool snapshot, ts_ns now,
                                 std::uint64_t seq) {
  open("user", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().kv("type", snapshot ? "snapshot" : "update").key("orders").begin_array();
  for (const auto* o : orders) {
    const bool done = is_terminal(o->status);
    j.begin_object().kv("order_id", o->order_id).kv("client_order_id", o->req.client_order_id);
    j.kd("cumulative_quantity", o->filled_size).kd("leaves_quantity", done ? size{} : o->leaves());
    j.kd("avg_price", o->average_filled_price()).kd("total_fees", o->total_fees).kv("status", to_wire(o->status));
    j.kv("product_id", o->req.product_id).kv("product_type", "SPOT").key("creation_time").time(o->created, 6);
    j.kv("order_side", to_wire(o->req.order_side)).kv("order_type", order_type_ws(o->req.kind));
    j.kv("cancel_reason", o->cancel_message).kv("reject_reason", "");
    j.kv("time_in_force", time_in_force_wire(o->req.kind)).kv("trigger_status", "INVALID_ORDER_TYPE");
    if (o->req.kind == order_kind::market_ioc)
      j.kv("limit_price", "");
    else
      j.kd("limit_price", o->req.limit_price);
    j.kv("stop_price", "").kb("post_only", o->req.post_only).kx("filled_value", o->filled_value);
    j.key("number_of_fills").num_str(o->number_of_fills).kv("completion_percentage", o->completion_percentage());
    j.kd("outstanding_hold_amount", o->hold);
    j.kx("total_value_after_fees", o->total_value_after_fees());
    j.kv("contract_expiry_type", "UNKNOWN_CONTRACT_EXPIRY_TYPE").kv("risk_managed_by", "UNKNOWN_RISK_MANAGEMENT_TYPE");
    j.kv("retail_portfolio_id", "").key("start_time").time(o->created, 6).key("end_time");
    if (o->req.kind == order_kind::limit_gtd)
      j.time(o->req.end_time, 6);
    else
      j.str("0001-01-01T00:00:00Z");
    j.end_object();
  }
  j.end_array().key("positions").begin_object().key("perpetual_futures_positions").begin_array().end_array();
  j.key("expiring_futures_positions").begin_array().end_array().end_object();
  j.end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::subscriptions(const std::map<std::string, std::vector<std::string>>& subs, ts_ns now,
                                          std::uint64_t seq) {
  open("subscriptions", now, seq);
  json_out j{buf_};
  j.begin_array().begin_object().key("subscriptions").begin_object();
  for (const auto& [name, ids] : subs) {
    j.key(name).begin_array();
    for (const auto& id : ids)
      j.str(id);
    j.end_array();
  }
  j.end_object().end_object().end_array();
  buf_.push_back('}');
  return buf_;
}

std::string_view ws_writer::error(std::string_view message) {
  buf_.clear();
  json_out j{buf_};
  j.begin_object().kv("type", "error").kv("message", message).end_object();
  return buf_;
}

std::string_view ws_writer::flood(std::uint64_t seq, std::size_t size) {
  static constexpr std::string_view head =
    R"({"channel":"l2_data","client_id":"","timestamp":"2026-11-21T18:00:00.000000Z","sequence_num":)";
  if (flood_tail_.empty() || size != flood_size_) {
    flood_size_ = size;
    flood_tail_ = R"(,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid",)"
                  R"("event_time":"2026-11-21T18:00:00.000000Z","price_level":"68900.01","new_quantity":"0.50000000"}]}]})";
    const std::size_t base = 120 + flood_tail_.size();
    if (size > base)
      flood_tail_.insert(flood_tail_.size() - 1, ",\"pad\":\"" + std::string(size - base, 'x') + "\"");
  }
  buf_.assign(head);
  char num[24];
  auto [p, ec] = std::to_chars(num, num + sizeof num, seq);
  buf_.append(num, p);
  buf_.append(flood_tail_);
  return buf_;
}

} // namespace trader::simex

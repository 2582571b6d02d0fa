// Per-connection WebSocket protocol state: subscriptions, snapshots, sequence numbers.

#include "tools/simex/api/ws_api.hpp"

#include "tools/simex/engine/exchange.hpp"

#include <algorithm>

namespace trader::simex {

namespace {
constexpr std::size_t user_batch = 50;      ///< Open orders per user snapshot message.
constexpr std::size_t trades_snapshot = 100; ///< Trades in a market_trades snapshot.
constexpr std::int64_t candle_s = 300;       ///< The WS candles channel's only granularity.
} // namespace

ws_session::ws_session(const exchange& ex, jwt_check check) : ex_(ex), check_(std::move(check)) {
  // nop
}

void ws_session::push(std::string_view frame, std::string_view channel, std::string_view product_id,
                      std::vector<std::string>& out) {
  if (closed_)
    return;
  const ws_decision d = filter_ ? filter_(channel, product_id) : ws_decision::deliver;
  switch (d) {
    case ws_decision::suppress:  // never sent: the next frame reuses this sequence_num
      return;
    case ws_decision::skip_sequence:  // never sent, number burnt: the client sees a gap
      ++seq_;
      return;
    case ws_decision::close:
      closed_ = true;
      return;
    case ws_decision::defer:  // sent after the next delivered frame of the channel
      deferred_.emplace_back(std::string{channel}, std::string{frame});
      ++seq_;
      return;
    case ws_decision::duplicate:
      out.emplace_back(frame);
      [[fallthrough]];
    case ws_decision::deliver:
      out.emplace_back(frame);
      ++seq_;
      break;
  }
  for (auto it = deferred_.begin(); it != deferred_.end();) {
    if (it->first == channel) {
      out.push_back(std::move(it->second));
      it = deferred_.erase(it);
    } else {
      ++it;
    }
  }
}

bool ws_session::wants(ws_channel c, std::string_view product_id) const {
  auto it = subs_.find(c);
  if (it == subs_.end())
    return false;
  if (it->second.count("") != 0)  // subscribed without product ids: all
    return true;
  return it->second.find(product_id) != it->second.end();
}

void ws_session::on_message(std::string_view text, ts_ns now, std::vector<std::string>& out) {
  std::string error;
  auto req = parse_ws_request(text, error);
  if (!req) {
    out.emplace_back(w_.error(error));
    return;
  }
  if (req->channel == ws_channel::user) {
    auto who = check_ ? check_(req->jwt) : std::nullopt;
    if (!who) {
      out.emplace_back(w_.error("authentication failure"));
      return;
    }
    user_ = *who;
  }
  const bool all_products = req->channel == ws_channel::heartbeats || req->channel == ws_channel::user;
  if (!all_products) {
    for (const auto& id : req->product_ids) {
      if (ex_.find_product(id) == nullptr) {
        out.emplace_back(w_.error("failure to subscribe: unknown product " + id));
        return;
      }
    }
  }
  auto& set = subs_[req->channel];
  if (req->subscribe) {
    std::vector<std::string> fresh;
    if (req->product_ids.empty()) {
      if (set.insert("").second)
        fresh = all_products ? std::vector<std::string>{} : ex_.product_ids();
    } else {
      for (const auto& id : req->product_ids)
        if (set.insert(id).second)
          fresh.push_back(id);
    }
    has_subscribed_ = true;
    snapshot(req->channel, fresh, now, out);
  } else {
    if (req->product_ids.empty())
      set.clear();
    for (const auto& id : req->product_ids)
      set.erase(id);
    if (set.empty())
      subs_.erase(req->channel);
  }
  std::map<std::string, std::vector<std::string>> listing;
  for (const auto& [c, ids] : subs_) {
    auto& v = listing[std::string{to_wire(c)}];
    if (c == ws_channel::heartbeats)
      v.emplace_back("heartbeats");
    else
      for (const auto& id : ids)
        if (!id.empty())
          v.push_back(id);
  }
  push(w_.subscriptions(listing, now, seq_), "subscriptions", {}, out);
}

void ws_session::snapshot(ws_channel c, const std::vector<std::string>& ids, ts_ns now,
                          std::vector<std::string>& out) {
  switch (c) {
    case ws_channel::heartbeats:
      return;
    case ws_channel::user: {
      auto open = ex_.open_orders(user_);
      std::size_t i = 0;
      do {
        std::size_t n = std::min(user_batch, open.size() - i);
        push(w_.user(std::span{open}.subspan(i, n), true, now, seq_), "user", {}, out);
        i += n;
      } while (i < open.size());
      return;
    }
    case ws_channel::status: {
      std::vector<const product*> ps;
      ps.reserve(ids.size());
      for (const auto& id : ids)
        ps.push_back(ex_.find_product(id));
      if (!ps.empty())
        push(w_.status(ps, true, now, seq_), "status", {}, out);
      return;
    }
    case ws_channel::level2:
    case ws_channel::ticker:
    case ws_channel::ticker_batch:
    case ws_channel::market_trades:
    case ws_channel::candles:
      break;
  }
  for (const auto& id : ids) {
    const order_book* b = ex_.book(id);
    const market_stats* st = ex_.stats(id);
    if (c == ws_channel::level2) {
      std::vector<l2_level> levels;
      b->for_each_level(side::buy, 0, [&](price px, size q) { levels.push_back({side::buy, px, q}); });
      b->for_each_level(side::sell, 0, [&](price px, size q) { levels.push_back({side::sell, px, q}); });
      push(w_.l2_snapshot(id, levels, now, seq_), "l2_data", id, out);
    } else if (c == ws_channel::ticker || c == ws_channel::ticker_batch) {
      ticker_change t;
      t.product_id = id;
      auto day = st->day(now);
      t.last = st->last();
      t.volume_24h = day.volume;
      t.low_24h = day.low;
      t.high_24h = day.high;
      t.open_24h = day.open;
      if (auto bid = b->best(side::buy)) {
        t.best_bid = *bid;
        t.best_bid_qty = b->qty_at(side::buy, *bid);
      }
      if (auto ask = b->best(side::sell)) {
        t.best_ask = *ask;
        t.best_ask_qty = b->qty_at(side::sell, *ask);
      }
      push(w_.ticker(t, true, now, seq_, c), ws_message_channel(c), id, out);
    } else if (c == ws_channel::market_trades) {
      auto trades = st->trades(0, 0, trades_snapshot);
      push(w_.market_trades(trades, true, now, seq_), "market_trades", id, out);
    } else if (c == ws_channel::candles) {
      std::int64_t end_s = now / ns_per_s + 1;
      auto bars = st->candles(end_s - 100 * candle_s, end_s, candle_s, 100);
      std::reverse(bars.begin(), bars.end());  // the recording lists oldest first
      push(w_.candles(id, bars, true, now, seq_), "candles", id, out);
    }
  }
}

void ws_session::on_events(std::span<const event> events, ts_ns now, std::vector<std::string>& out) {
  std::size_t i = 0;
  while (i < events.size()) {
    const event& e = events[i];
    if (const auto* bc = std::get_if<book_change>(&e)) {
      std::size_t j = i;  // batch consecutive changes of one product
      while (j < events.size() && std::holds_alternative<book_change>(events[j])
             && std::get<book_change>(events[j]).product_id == bc->product_id)
        ++j;
      if (wants(ws_channel::level2, bc->product_id)) {
        l2_batch_.clear();
        for (std::size_t k = i; k < j; ++k)
          l2_batch_.push_back(&std::get<book_change>(events[k]));
        push(w_.l2_update(bc->product_id, l2_batch_, now, seq_), "l2_data", bc->product_id, out);
      }
      i = j;
      continue;
    }
    if (const auto* tp = std::get_if<trade_print>(&e)) {
      std::size_t j = i;
      trade_batch_.clear();
      while (j < events.size() && std::holds_alternative<trade_print>(events[j])
             && std::get<trade_print>(events[j]).product_id == tp->product_id)
        trade_batch_.push_back(&std::get<trade_print>(events[j++]));
      if (wants(ws_channel::market_trades, tp->product_id)) {
        std::reverse(trade_batch_.begin(), trade_batch_.end());  // newest first
        push(w_.market_trades(trade_batch_, false, now, seq_), "market_trades", tp->product_id, out);
      }
      i = j;
      continue;
    }
    if (const auto* tc = std::get_if<ticker_change>(&e)) {
      if (wants(ws_channel::ticker, tc->product_id))
        push(w_.ticker(*tc, false, now, seq_), "ticker", tc->product_id, out);
      if (wants(ws_channel::ticker_batch, tc->product_id))
        push(w_.ticker(*tc, false, now, seq_, ws_channel::ticker_batch), "ticker_batch", tc->product_id, out);
    } else if (const auto* oc = std::get_if<order_changed>(&e)) {
      if (!user_.empty() && oc->order.req.user == user_ && wants(ws_channel::user, oc->order.req.product_id)) {
        const order_record* one = &oc->order;
        push(w_.user(std::span{&one, 1}, false, now, seq_), "user", oc->order.req.product_id, out);
      }
    } else if (const auto* sc = std::get_if<status_changed>(&e)) {
      if (wants(ws_channel::status, sc->product_id)) {
        const product* p = ex_.find_product(sc->product_id);
        push(w_.status(std::span{&p, 1}, false, now, seq_), "status", sc->product_id, out);
      }
    }
    ++i;
  }
}

void ws_session::on_tick(ts_ns now, std::vector<std::string>& out) {
  if (subs_.count(ws_channel::heartbeats) != 0)
    push(w_.heartbeat(now, seq_, heartbeat_counter_++), "heartbeats", {}, out);
  auto it = subs_.find(ws_channel::candles);
  if (it == subs_.end())
    return;
  std::vector<std::string> ids;
  if (it->second.count("") != 0)
    ids = ex_.product_ids();
  else
    ids.assign(it->second.begin(), it->second.end());
  const std::int64_t now_s = now / ns_per_s;
  for (const auto& id : ids) {
    auto bars = ex_.stats(id)->candles(now_s / candle_s * candle_s, now_s + 1, candle_s, 1);
    if (!bars.empty())
      push(w_.candles(id, bars, false, now, seq_), "candles", id, out);
  }
}

} // namespace trader::simex

#include "tools/simex/engine/fault_plan.hpp"

#include "tools/simex/engine/exchange.hpp"

#include <algorithm>
#include <cmath>

namespace trader::simex {

namespace {

constexpr fault_kind all_kinds[] = {
  fault_kind::rate_limit,   fault_kind::server_error, fault_kind::latency,     fault_kind::connection_reset,
  fault_kind::no_answer,    fault_kind::reply_lost,   fault_kind::ws_drop,     fault_kind::sequence_gap,
  fault_kind::stale_quotes, fault_kind::bad_tick,     fault_kind::status_flip, fault_kind::duplicate_update,
  fault_kind::out_of_order_update, fault_kind::messy_fills};

bool is_rest(fault_kind k) {
  return k == fault_kind::rate_limit || k == fault_kind::server_error || k == fault_kind::latency
         || k == fault_kind::connection_reset || k == fault_kind::no_answer || k == fault_kind::reply_lost
         || k == fault_kind::messy_fills;
}

bool is_market_data(std::string_view channel) {
  return channel == "l2_data" || channel == "ticker" || channel == "ticker_batch" || channel == "market_trades"
         || channel == "candles";
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 502: return "Bad Gateway";
    case 503: return "Service Temporarily Unavailable";
    case 504: return "Gateway Time-out";
    default: return "Internal Server Error";
  }
}

} // namespace

std::string_view to_wire(fault_kind k) {
  switch (k) {
    case fault_kind::rate_limit: return "rate_limit";
    case fault_kind::server_error: return "server_error";
    case fault_kind::latency: return "latency";
    case fault_kind::connection_reset: return "connection_reset";
    case fault_kind::no_answer: return "no_answer";
    case fault_kind::reply_lost: return "reply_lost";
    case fault_kind::ws_drop: return "ws_drop";
    case fault_kind::sequence_gap: return "sequence_gap";
    case fault_kind::stale_quotes: return "stale_quotes";
    case fault_kind::bad_tick: return "bad_tick";
    case fault_kind::status_flip: return "status_flip";
    case fault_kind::duplicate_update: return "duplicate_update";
    case fault_kind::out_of_order_update: return "out_of_order_update";
    case fault_kind::messy_fills: return "messy_fills";
  }
  return "";
}

bool parse_fault_kind(std::string_view text, fault_kind& out) {
  for (auto k : all_kinds) {
    if (to_wire(k) == text) {
      out = k;
      return true;
    }
  }
  return false;
}

std::string_view name_of(const fault_rule& r) {
  return r.label.empty() ? to_wire(r.kind) : std::string_view{r.label};
}

rest_decision too_many_requests(std::int64_t limit, std::int64_t retry_after_s, ts_ns now) {
  rest_decision d;
  d.act = rest_decision::action::respond;
  d.status = 429;
  d.body = R"({"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]})";
  d.headers = {{"Content-Type", "application/json"},
               {"x-ratelimit-limit", std::to_string(limit)},
               {"x-ratelimit-remaining", "0"},
               {"x-ratelimit-reset", std::to_string(now / ns_per_s + retry_after_s)},
               {"Retry-After", std::to_string(retry_after_s)}};
  return d;
}

void fault_plan::set_origin(ts_ns t) {
  for (auto& r : rules_)
    if (r.id != 0)
      r.start -= t - origin_;  // installed rules keep their engine times
  origin_ = t;
}

std::int64_t fault_plan::install(fault_rule r, ts_ns now) {
  r.start += now - origin_;
  r.id = next_id_++;
  r.seen = r.fired = 0;
  r.reverted = false;
  auto first_scenario = std::find_if(rules_.begin(), rules_.end(), [](const fault_rule& x) { return x.id == 0; });
  rules_.insert(first_scenario, std::move(r));
  return next_id_ - 1;
}

void fault_plan::load_scenario(fault_plan scenario, ts_ns now) {
  clear_scenario();
  set_origin(now);
  for (auto& r : scenario.rules_) {
    r.id = 0;
    rules_.push_back(std::move(r));
  }
}

void fault_plan::clear_installed() {
  std::erase_if(rules_, [](const fault_rule& r) { return r.id != 0; });
}

void fault_plan::clear_scenario() {
  std::erase_if(rules_, [](const fault_rule& r) { return r.id == 0; });
}

bool fault_plan::live(const fault_rule& r, ts_ns now) const {
  const ts_ns end = window_end(r);
  if (end != 0 && now >= end)
    return false;
  if (r.kind == fault_kind::stale_quotes)
    return true;  // a window, not a count
  if (r.kind == fault_kind::status_flip)
    return r.fired == 0 || (!r.reverted && r.duration > 0);
  const std::int64_t limit = r.kind == fault_kind::bad_tick && r.count < 0 ? 1 : r.count;
  return limit < 0 || r.fired < limit;
}

ts_ns fault_plan::window_end(const fault_rule& r) const {
  return r.duration == 0 ? 0 : origin_ + r.start + r.duration;
}

bool fault_plan::feed_stalled(ts_ns now) const {
  for (const auto& r : rules_) {
    const ts_ns from = origin_ + r.start;
    if (r.kind == fault_kind::stale_quotes && r.channel == "*" && now >= from
        && (r.duration == 0 || now < from + r.duration))
      return true;
  }
  return false;
}

bool fault_plan::active(const fault_rule& r, ts_ns now) const {
  const ts_ns from = origin_ + r.start;
  return now >= from && (r.duration == 0 || now < from + r.duration) && (r.count < 0 || r.fired < r.count);
}

bool fault_plan::fire(fault_rule& r) {
  ++r.seen;
  if (r.every > 1 && r.seen % r.every != 0)
    return false;
  ++r.fired;
  return true;
}

rest_decision fault_plan::on_rest_request(std::string_view method, std::string_view path, ts_ns now) {
  rest_decision d;
  for (auto& r : rules_) {
    if (!is_rest(r.kind) || !active(r, now))
      continue;
    if ((!r.method.empty() && r.method != method) || (!r.path.empty() && path.substr(0, r.path.size()) != r.path))
      continue;
    constexpr std::string_view fills_path = "/orders/historical/fills";
    if (r.kind == fault_kind::messy_fills
        && (method != "GET" || path.size() < fills_path.size()
            || path.substr(path.size() - fills_path.size()) != fills_path))
      continue;  // only the fills list
    if (!fire(r))
      continue;
    using act = rest_decision::action;
    switch (r.kind) {
      case fault_kind::rate_limit:
        d = too_many_requests(r.rate_limit, r.retry_after_s, now);
        d.status = r.status != 0 ? r.status : 429;
        d.fault = name_of(r);
        return d;
      case fault_kind::server_error: {
        d.act = act::respond;
        d.fault = name_of(r);
        d.status = r.status != 0 ? r.status : 503;
        if (d.status == 500) {
          d.body = R"({"error":"INTERNAL","error_details":"internal error","message":"internal error"})";
          d.headers = {{"Content-Type", "application/json"}};
        } else {
          std::string title = std::to_string(d.status) + " " + std::string{reason_phrase(d.status)};
          d.body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                   + "</h1></center>\r\n</body>\r\n</html>\r\n";
          d.headers = {{"Content-Type", "text/html"}};
        }
        return d;
      }
      case fault_kind::latency:
        d.act = act::delay;
        d.delay = r.latency;
        d.fault = name_of(r);
        return d;
      case fault_kind::connection_reset: d.act = act::reset; d.fault = name_of(r); return d;
      case fault_kind::no_answer: d.act = act::no_answer; d.fault = name_of(r); return d;
      case fault_kind::reply_lost: d.act = act::drop_reply; d.fault = name_of(r); return d;
      case fault_kind::messy_fills: d.act = act::messy_fills; d.fault = name_of(r); return d;
      default: break;
    }
  }
  return d;
}

ws_decision fault_plan::on_ws_message(std::string_view channel, std::string_view product_id, ts_ns now) {
  for (auto& r : rules_) {
    if (is_rest(r.kind) || r.kind == fault_kind::bad_tick || r.kind == fault_kind::status_flip)
      continue;
    if (!r.product_id.empty() && !product_id.empty() && r.product_id != product_id)
      continue;
    if (r.kind == fault_kind::stale_quotes) {
      if (r.channel == "*")
        continue;  // the whole feed: carried out by the transport (feed_stalled)
      // A window, not a count: every market-data message inside it is withheld.
      const ts_ns from = origin_ + r.start;
      if (is_market_data(channel) && (r.channel.empty() || r.channel == channel) && now >= from
          && (r.duration == 0 || now < from + r.duration))
        return ws_decision::suppress;
      continue;
    }
    const bool user_kind = r.kind == fault_kind::duplicate_update || r.kind == fault_kind::out_of_order_update;
    std::string_view want = !r.channel.empty() ? std::string_view{r.channel} : user_kind ? "user" : "";
    if (!want.empty() && want != channel)
      continue;
    if (channel == "subscriptions" || !active(r, now) || !fire(r))
      continue;
    switch (r.kind) {
      case fault_kind::ws_drop: return ws_decision::close;
      case fault_kind::sequence_gap: return ws_decision::skip_sequence;
      case fault_kind::duplicate_update: return ws_decision::duplicate;
      case fault_kind::out_of_order_update: return ws_decision::defer;
      default: break;
    }
  }
  return ws_decision::deliver;
}

std::vector<market_fault> fault_plan::on_tick(ts_ns now) {
  std::vector<market_fault> out;
  for (auto& r : rules_) {
    const ts_ns from = origin_ + r.start;
    if (r.kind == fault_kind::bad_tick) {
      const std::int64_t limit = r.count < 0 ? 1 : r.count;
      if (now >= from && (r.duration == 0 || now < from + r.duration) && r.fired < limit) {
        ++r.fired;
        out.push_back({r.kind, r.product_id, r.pct, product_status::online});
      }
    } else if (r.kind == fault_kind::status_flip) {
      if (r.fired == 0 && now >= from) {
        ++r.fired;
        out.push_back({r.kind, r.product_id, 0, r.to_status});
      } else if (r.fired > 0 && !r.reverted && r.duration > 0 && now >= from + r.duration) {
        r.reverted = true;
        out.push_back({r.kind, r.product_id, 0, product_status::online});
      }
    }
  }
  return out;
}

void fault_plan::apply(const market_fault& f, exchange& ex, ts_ns now) {
  std::vector<std::string> ids;
  if (f.product_id.empty())
    ids = ex.product_ids();
  else
    ids.push_back(f.product_id);
  for (const auto& id : ids) {
    const product* p = ex.find_product(id);
    if (p == nullptr)
      continue;
    if (f.kind == fault_kind::status_flip) {
      ex.set_status(id, f.status, now);
    } else if (f.kind == fault_kind::bad_tick) {
      const price last = ex.stats(id)->last();
      const auto inc = p->quote_increment.units;
      const double target = last.to_double() * (1.0 + f.pct / 100.0);
      const auto units = static_cast<std::int64_t>(std::llround(target * 1e8 / static_cast<double>(inc))) * inc;
      ex.print_trade(id, price::from_units(units), size{}, side::buy, now);
    }
  }
}

} // namespace trader::simex

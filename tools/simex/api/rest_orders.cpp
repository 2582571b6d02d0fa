// Private order endpoints: create, preview, batch cancel, get, list, fills.

#include "tools/simex/api/order_body.hpp"
#include "tools/simex/api/rest_internal.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace trader::simex::rest {

namespace {

int qd_of(const product* p) { return p != nullptr ? p->quote_decimals() : -1; }
int bd_of(const product* p) { return p != nullptr ? p->base_decimals() : -1; }

void write_create_failure(json_out& j, std::string_view reason, std::string_view preview, std::string_view message,
                          std::string_view config_json) {
  // order_id and failure_reason at the top level are deprecated but still sent by Coinbase
  // (failure_reason says UNKNOWN_FAILURE_REASON either way; the reason is in error_response).
  j.begin_object().kb("success", false).kv("failure_reason", "UNKNOWN_FAILURE_REASON").kv("order_id", "");
  j.key("error_response").begin_object();
  j.kv("error", reason).kv("message", message).kv("error_details", message);
  j.kv("preview_failure_reason", preview).kv("new_order_failure_reason", reason).end_object();
  j.key("order_configuration").raw(config_json).end_object();
}

bool parse_status(std::string_view s, order_status& out) {
  for (auto st : {order_status::pending, order_status::open, order_status::filled, order_status::cancelled,
                  order_status::expired, order_status::failed}) {
    if (to_wire(st) == s) {
      out = st;
      return true;
    }
  }
  return false;
}

} // namespace

void write_order_configuration(json_out& j, const order_request& r, const product* p) {
  if (!r.configuration_json.empty()) {  // what the client sent, verbatim ("10" stays "10")
    j.raw(r.configuration_json);
    return;
  }
  j.begin_object().key(config_key(r.kind)).begin_object();
  if (r.base_size)
    j.kd("base_size", *r.base_size, bd_of(p));
  if (r.quote_size)
    j.kd("quote_size", *r.quote_size, qd_of(p));
  if (r.kind != order_kind::market_ioc)
    j.kd("limit_price", r.limit_price, qd_of(p));
  if (r.kind == order_kind::limit_gtd)
    j.key("end_time").time(r.end_time, 0);
  if (r.kind == order_kind::limit_gtc || r.kind == order_kind::limit_gtd)
    j.kb("post_only", r.post_only);
  j.end_object().end_object();
}

void write_order(json_out& j, const exchange& ex, const order_record& o) {
  const product* p = ex.find_product(o.req.product_id);
  const int bd = bd_of(p);
  const bool buy = o.req.order_side == side::buy;
  j.begin_object();
  j.kv("order_id", o.order_id).kv("product_id", o.req.product_id).kv("user_id", o.req.key_name.empty() ? o.req.user : o.req.key_name);
  j.key("order_configuration");
  write_order_configuration(j, o.req, p);
  j.kv("side", to_wire(o.req.order_side)).kv("client_order_id", o.req.client_order_id);
  j.kv("status", to_wire(o.status)).kv("time_in_force", time_in_force_wire(o.req.kind));
  j.key("created_time").time(o.created).kv("completion_percentage", o.completion_percentage());
  j.kd("filled_size", o.filled_size, bd).kd("average_filled_price", o.average_filled_price());
  j.kv("fee", "").key("number_of_fills").num_str(o.number_of_fills).kx("filled_value", o.filled_value);
  j.kb("pending_cancel", false).kb("size_in_quote", o.req.quote_size.has_value());
  j.kd("total_fees", o.total_fees).kb("size_inclusive_of_fees", o.req.quote_size.has_value() && buy);
  j.kx("total_value_after_fees", o.total_value_after_fees());
  j.kv("trigger_status", "INVALID_ORDER_TYPE").kv("order_type", order_type_wire(o.req.kind));
  j.kv("reject_reason", "REJECT_REASON_UNSPECIFIED").kb("settled", is_terminal(o.status));
  j.kv("product_type", "SPOT").kv("reject_message", "").kv("cancel_message", o.cancel_message);
  j.kv("order_placement_source", "RETAIL_ADVANCED").kd("outstanding_hold_amount", o.hold);
  j.kb("is_liquidation", false).key("last_fill_time");
  if (o.last_fill_time != 0)
    j.time(o.last_fill_time);
  else
    j.null();
  j.key("edit_history").begin_array().end_array().kv("leverage", "").kv("margin_type", "UNKNOWN_MARGIN_TYPE");
  j.kv("retail_portfolio_id", "").kv("originating_order_id", "").kv("attached_order_id", "");
  j.end_object();
}

void write_fill(json_out& j, const exchange& ex, const fill_record& f) {
  const product* p = ex.find_product(f.product_id);
  // Coinbase reports the fills of an order sized in quote (a market buy by quote size) with
  // their size in the quote currency and size_in_quote: true (issue 16 item 3).
  const order_record* o = ex.find_order(f.user, f.order_id);
  const bool in_quote = o && o->req.quote_size.has_value();
  j.begin_object().kv("entry_id", f.entry_id).kv("trade_id", f.trade_id).kv("order_id", f.order_id);
  j.key("trade_time").time(f.time).kv("trade_type", "FILL").kd("price", f.px, qd_of(p));
  if (in_quote)
    j.kd("size", f.px * f.qty);  // price × base size, every decimal
  else
    j.kd("size", f.qty, bd_of(p));
  j.kd("commission", f.commission).kv("product_id", f.product_id);
  j.key("sequence_timestamp").time(f.time).kv("liquidity_indicator", to_wire(f.liq));
  j.kb("size_in_quote", in_quote).kv("user_id", f.key_name.empty() ? f.user : f.key_name).kv("side", to_wire(f.order_side));
  j.kv("retail_portfolio_id", "").end_object();
}

void create_order(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out) {
  order_body body = parse_order_body(req.body, user, true);
  if (body.status == body_status::malformed)
    return bad_request(out, body.message);
  body.request.key_name = std::string{req.key_name};
  json_out j{out.body};
  if (body.status == body_status::rejected)
    return write_create_failure(j, body.reason, body.preview_reason, body.message, body.config_json);
  place_result r = ex.place(body.request, now);
  if (r.order == nullptr)
    return write_create_failure(j, r.why.reason, r.why.preview_reason, r.why.message, body.config_json);
  const order_record& o = *r.order;
  const product* p = ex.find_product(o.req.product_id);
  j.begin_object().kb("success", true).kv("failure_reason", "UNKNOWN_FAILURE_REASON").kv("order_id", o.order_id);
  j.key("success_response").begin_object();
  j.kv("order_id", o.order_id).kv("product_id", o.req.product_id).kv("side", to_wire(o.req.order_side));
  j.kv("client_order_id", o.req.client_order_id).kv("attached_order_id", "").end_object();
  j.key("order_configuration");
  write_order_configuration(j, o.req, p);
  j.end_object();
}

void preview_order(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out) {
  order_body body = parse_order_body(req.body, user, false);
  if (body.status == body_status::malformed)
    return bad_request(out, body.message);
  preview_result pr;
  if (body.status == body_status::rejected)
    pr.why = reject{body.reason, body.preview_reason, body.message};
  else
    pr = ex.preview(body.request, now);
  const product* p = ex.find_product(body.request.product_id);
  const int qd = qd_of(p), bd = bd_of(p);
  json_out j{out.body};
  j.begin_object().kd("order_total", pr.order_total, qd).kd("commission_total", pr.commission_total);
  j.key("errs").begin_array();
  if (pr.why)
    j.str(pr.why.preview_reason);
  j.end_array().key("warning").begin_array().end_array();
  j.kd("quote_size", pr.quote_size, qd).kd("base_size", pr.base_size, bd);
  j.kd("best_bid", pr.best_bid, qd).kd("best_ask", pr.best_ask, qd).kb("is_max", false);
  j.kv("order_margin_total", "0").kv("leverage", "").kv("long_leverage", "").kv("short_leverage", "");
  std::string slippage = "0";
  if (!pr.average_price.is_zero()) {
    price ref = body.request.order_side == side::buy ? pr.best_ask : pr.best_bid;
    if (!ref.is_zero()) {
      auto diff = pr.average_price - ref;
      slippage = to_string(price::from_units(detail::div_units(diff.units < 0 ? -diff.units : diff.units, ref.units)
                                               .value_or(0)));
    }
  }
  j.kv("slippage", slippage);
  std::string key{req.body};
  key.append(std::to_string(now));
  j.kv("preview_id", pr.why ? std::string{} : uuid_from_hash(key));
  j.kv("current_liquidation_buffer", "").kv("projected_liquidation_buffer", "").kv("max_leverage", "");
  j.key("pnl_configuration").null().end_object();
}

void batch_cancel(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out) {
  auto doc = nlohmann::json::parse(req.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("order_ids") || !doc["order_ids"].is_array())
    return bad_request(out, "order_ids is required");
  json_out j{out.body};
  j.begin_object().key("results").begin_array();
  for (const auto& id : doc["order_ids"]) {
    std::string oid = id.is_string() ? id.get<std::string>() : std::string{};
    cancel_result c = ex.cancel(user, oid, now);
    j.begin_object().kb("success", c.ok());
    j.kv("failure_reason", c.ok() ? std::string_view{"UNKNOWN_CANCEL_FAILURE_REASON"} : c.failure_reason);
    j.kv("order_id", oid).end_object();
  }
  j.end_array().end_object();
}

void get_order(exchange& ex, std::string_view user, std::string_view order_id, const rest_request& req,
               http_reply& out) {
  const order_record* o = ex.find_order(user, order_id);
  if (o == nullptr)  // the deprecated lookup by client_order_id
    if (auto coid = param(req.query, "client_order_id"); coid && !coid->empty())
      o = ex.find_by_client_id(user, *coid);
  if (o == nullptr)
    return error(out, 404, "unknown", "order with this orderID was not found");
  json_out j{out.body};
  j.begin_object().key("order");
  write_order(j, ex, *o);
  j.end_object();
}

void list_orders(exchange& ex, std::string_view user, const rest_request& req, http_reply& out) {
  order_filter f;
  f.user = std::string{user};
  f.product_ids = params(req.query, "product_ids", "product_id");
  f.order_ids = params(req.query, "order_ids");
  for (const auto& s : params(req.query, "order_status")) {
    order_status st;
    if (s == "ALL" || s == "UNKNOWN_ORDER_STATUS")
      continue;
    f.statuses_given = true;
    if (s == "QUEUED")  // Coinbase's queue ahead of the book; simex has none: matches nothing
      continue;
    if (!parse_status(s, st))
      return bad_request(out, "invalid order_status " + s);
    f.statuses.push_back(st);
  }
  for (const auto& t : params(req.query, "order_types", "order_type")) {
    f.kinds_given = true;
    if (t == "MARKET")
      f.kinds.push_back(order_kind::market_ioc);
    else if (t == "LIMIT")
      f.kinds.insert(f.kinds.end(),
                     {order_kind::limit_gtc, order_kind::limit_gtd, order_kind::limit_ioc, order_kind::limit_fok});
    // any other type (STOP, BRACKET, ...) simex never has: adds nothing, so matches nothing
  }
  for (const auto& t : params(req.query, "time_in_forces")) {
    if (t == "GOOD_UNTIL_CANCELLED")
      f.kinds.push_back(order_kind::limit_gtc);
    else if (t == "GOOD_UNTIL_DATE_TIME")
      f.kinds.push_back(order_kind::limit_gtd);
    else if (t == "IMMEDIATE_OR_CANCEL")
      f.kinds.insert(f.kinds.end(), {order_kind::market_ioc, order_kind::limit_ioc});
    else if (t == "FILL_OR_KILL")
      f.kinds.push_back(order_kind::limit_fok);
  }
  if (auto s = param(req.query, "order_side"); s && !s->empty()) {
    if (*s != "BUY" && *s != "SELL")
      return bad_request(out, "invalid order_side");
    f.order_side = *s == "BUY" ? side::buy : side::sell;
  }
  for (auto [name, dst] : {std::pair{"start_date", &f.start}, std::pair{"end_date", &f.end}}) {
    if (auto v = param(req.query, name); v && !v->empty()) {
      auto t = parse_rfc3339(*v);
      if (!t)
        return bad_request(out, std::string{name} + " must be RFC 3339");
      *dst = *t;
    }
  }
  auto limit = int_param(req.query, "limit", 100);
  if (!limit)
    return bad_request(out, "limit must be a non-negative integer");
  auto pg = ex.list_orders(f, param(req.query, "cursor").value_or(""),
                           static_cast<std::size_t>(std::clamp<std::int64_t>(*limit == 0 ? 100 : *limit, 1, 1000)));
  json_out j{out.body};
  j.begin_object().key("orders").begin_array();
  for (const auto* o : pg.items)
    write_order(j, ex, *o);
  j.end_array().kv("sequence", "0").kb("has_next", pg.has_next).kv("cursor", pg.cursor).end_object();
}

void list_fills(exchange& ex, std::string_view user, const rest_request& req, http_reply& out) {
  fill_filter f;
  f.user = std::string{user};
  f.product_ids = params(req.query, "product_ids", "product_id");
  f.order_ids = params(req.query, "order_ids", "order_id");
  f.trade_ids = params(req.query, "trade_ids");
  for (auto [name, dst] :
       {std::pair{"start_sequence_timestamp", &f.start}, std::pair{"end_sequence_timestamp", &f.end}}) {
    if (auto v = param(req.query, name); v && !v->empty()) {
      auto t = parse_rfc3339(*v);
      if (!t)
        return bad_request(out, std::string{name} + " must be RFC 3339");
      *dst = *t;
    }
  }
  auto limit = int_param(req.query, "limit", 100);
  if (!limit)
    return bad_request(out, "limit must be a non-negative integer");
  auto pg = ex.list_fills(f, param(req.query, "cursor").value_or(""),
                          static_cast<std::size_t>(std::clamp<std::int64_t>(*limit == 0 ? 100 : *limit, 1, 1000)));
  json_out j{out.body};
  j.begin_object().key("fills").begin_array();
  for (const auto* x : pg.items)
    write_fill(j, ex, *x);
  j.end_array().kv("cursor", pg.cursor).end_object();
}

} // namespace trader::simex::rest

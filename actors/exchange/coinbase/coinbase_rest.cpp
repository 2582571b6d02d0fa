#include "actors/exchange/coinbase/coinbase_rest.hpp"

#include "actors/exchange/coinbase/order_body.hpp"
#include "runtime/clock.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/jwt.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cctype>

#include <thread>
#include <unordered_set>

namespace trader::exchange {

namespace {

constexpr int max_pages = 10'000;  // a runaway cursor must end somewhere

/// Percent-encodes a query or path component (ids, cursors, timestamps).
std::string encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

/// Transport failures that happen before a byte of the request left: nothing was placed.
bool never_sent(net::transport_errc c) {
  switch (c) {
    case net::transport_errc::invalid_url:
    case net::transport_errc::plaintext_refused:
    case net::transport_errc::resolve_failed:
    case net::transport_errc::connect_failed:
    case net::transport_errc::tls_failed:
      return true;
    case net::transport_errc::timeout:
    case net::transport_errc::reset:
    case net::transport_errc::closed:
    case net::transport_errc::protocol_error:
      return false;
  }
  return false;
}

} // namespace

void call_hooks::sleep(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

struct coinbase_rest::call_spec {
  std::string method = "GET";
  std::string target;  ///< after the prefix, query included
  std::string_view label;
  endpoint_group group = endpoint_group::private_rest;
  call_priority priority = call_priority::data;
  bool auth = true;
  bool retry = true;  ///< idempotent: retried on retryable errors
  std::string body;
  std::optional<net::transport_errc>* last_transport = nullptr;  ///< out: the last attempt's
  std::function<void()> on_written;  ///< net::http_request::on_written of every attempt
};

struct coinbase_rest::impl {
  explicit impl(const rest_options& o)
    : client(o.base_url, net::client_options{.tls = {o.ca_file},
                                             .connect_timeout = o.connect_timeout,
                                             .request_timeout = o.request_timeout}) {}
  net::https_client client;
};

coinbase_rest::coinbase_rest(rest_options opts, call_hooks* hooks)
  : opts_(std::move(opts)), hooks_(hooks ? hooks : &default_hooks_), backoff_(opts_.retry, opts_.uniform),
    impl_(std::make_unique<impl>(opts_)) {}

coinbase_rest::~coinbase_rest() = default;

ts_ns coinbase_rest::now() const {
  return opts_.wall_clock ? opts_.wall_clock() : system_time_source::instance().wall_now();
}

rest_result<std::string> coinbase_rest::attempt(const call_spec& spec, call_record& rec) {
  call_info info{spec.group, spec.priority, spec.label};
  if (auto refused = hooks_->acquire(info))
    return std::move(*refused);
  net::http_request req{spec.method, opts_.prefix + spec.target, {}, spec.body, spec.on_written};
  if (spec.method == "POST")
    req.headers.emplace_back("Content-Type", "application/json");
  if (spec.auth) {
    // One token per request, for exactly this method, host and path (query dropped).
    auto jwt = net::sign_rest_jwt(*opts_.credentials, spec.method, impl_->client.host_header(), req.target, now());
    req.headers.emplace_back("Authorization", "Bearer " + jwt);
  }
  auto& clock = system_time_source::instance();
  auto t0 = clock.mono_now();
  auto r = impl_->client.request(req);
  rec.latency_ns = clock.mono_now() - t0;
  rec.ts = now();
  if (!r.ok()) {
    rec.http_status = 0;
    if (spec.last_transport)
      *spec.last_transport = r.error().code;
    hooks_->record(info, rec);
    return from_transport(spec.label, r.error());
  }
  if (spec.last_transport)
    spec.last_transport->reset();
  rec.http_status = r->status;
  rec.retry_after_ms = retry_after_ms_of(r.value());
  rec.ok = r->status >= 200 && r->status < 300;
  hooks_->record(info, rec);
  if (!rec.ok)
    return from_http(spec.label, r.value());
  return std::move(r->body);
}

rest_result<std::string> coinbase_rest::call(const call_spec& spec) {
  if (spec.auth && !opts_.credentials) {
    exchange_error e;
    e.kind = error_kind::auth;
    e.endpoint = std::string(spec.label);
    e.detail = "no API key configured (coinbase_api_key_name / coinbase_api_private_key)";
    return e;
  }
  for (int n = 1;; ++n) {
    call_record rec;
    auto r = attempt(spec, rec);
    if (r.ok())
      return r;
    auto& e = r.error();
    bool permit_refused = rec.ts == 0;  // acquire() said no: the limiter already waited
    if (permit_refused || !spec.retry || !e.retryable() || backoff_.exhausted(n))
      return r;
    auto d = backoff_.delay(n - 1, e.retry_after_ms);
    spdlog::warn("exchange: {} attempt {} failed ({}); retrying in {} ms", spec.label, n, e.describe(), d.count());
    hooks_->sleep(d);
  }
}

void coinbase_rest::report_skipped(const call_spec& spec, const std::vector<skipped_element>& skipped) {
  call_info info{spec.group, spec.priority, spec.label};
  for (const auto& s : skipped) {
    spdlog::warn("exchange: {} skipped an element the daemon cannot represent: field={}: {}", spec.label, s.field,
                 s.why);
    hooks_->skipped(info, s);
  }
  last_skipped_ += skipped.size();
}

// -- public calls -------------------------------------------------------------

rest_result<time_probe_result> coinbase_rest::server_time() {
  call_spec spec{.target = "/time", .label = ep::time, .group = endpoint_group::public_rest, .auth = false,
                 .retry = false};
  time_probe_result out;
  out.local_send = now();
  auto r = call(spec);
  out.local_recv = now();
  return r.and_then([](const std::string& body) { return parse_time(body); }).transform([&](ts_ns server) {
    out.server = server;
    return out;
  });
}

rest_result<std::vector<product_info>> coinbase_rest::products() {
  bool auth = opts_.credentials != nullptr;
  call_spec spec{.target = auth ? "/products?product_type=SPOT" : "/market/products?product_type=SPOT",
                 .label = ep::products,
                 .group = auth ? endpoint_group::private_rest : endpoint_group::public_rest,
                 .auth = auth};
  last_skipped_ = 0;
  return call(spec)
    .and_then([&](const std::string& body) { return parse_products(body, now()); })
    .transform([&](products_page&& page) {
      report_skipped(spec, page.skipped);
      return std::move(page.products);
    });
}

rest_result<product_info> coinbase_rest::product(const product_id& id) {
  bool auth = opts_.credentials != nullptr;
  call_spec spec{.target = (auth ? "/products/" : "/market/products/") + encode(id.value),
                 .label = ep::product,
                 .group = auth ? endpoint_group::private_rest : endpoint_group::public_rest,
                 .auth = auth};
  return call(spec).and_then([&](const std::string& body) { return parse_product(body, now()); });
}

rest_result<std::vector<candle>> coinbase_rest::candles(const product_id& id, std::int32_t granularity_s,
                                                        std::int32_t count, std::int64_t end_s) {
  static const std::pair<std::int32_t, const char*> names[] = {
    {60, "ONE_MINUTE"},  {300, "FIVE_MINUTE"}, {900, "FIFTEEN_MINUTE"}, {1800, "THIRTY_MINUTE"},
    {3600, "ONE_HOUR"}, {7200, "TWO_HOUR"},   {21600, "SIX_HOUR"},     {86400, "ONE_DAY"}};
  const char* gran = nullptr;
  for (auto& [s, n] : names)
    if (s == granularity_s)
      gran = n;
  if (!gran || count < 1 || count > 300 || end_s < 0) {
    exchange_error e;
    e.kind = error_kind::bad_request;
    e.endpoint = std::string(ep::candles);
    e.detail = "granularity " + std::to_string(granularity_s) + " s / count " + std::to_string(count) +
               " / end " + std::to_string(end_s) +
               " not supported (granularity 60..86400 as listed, count 1..300, end ≥ 0)";
    return e;
  }
  bool auth = opts_.credentials != nullptr;
  if (end_s == 0)
    end_s = now() / 1'000'000'000;
  auto start_s = end_s - static_cast<std::int64_t>(granularity_s) * count;
  call_spec spec{.target = (auth ? "/products/" : "/market/products/") + encode(id.value) + "/candles?start=" +
                           std::to_string(start_s) + "&end=" + std::to_string(end_s) + "&granularity=" + gran,
                 .label = ep::candles,
                 .group = auth ? endpoint_group::private_rest : endpoint_group::public_rest,
                 .auth = auth};
  return call(spec).and_then(
    [&](const std::string& body) { return parse_candles(body, id, granularity_s, now()); });
}

rest_result<std::vector<balance>> coinbase_rest::balances() {
  std::vector<balance> out;
  std::string cursor;
  for (int page = 0; page < max_pages; ++page) {
    call_spec spec{.target = "/accounts?limit=250" + (cursor.empty() ? "" : "&cursor=" + encode(cursor)),
                   .label = ep::accounts};
    auto r = call(spec);
    if (!r)
      return r.error();
    auto p = parse_accounts(*r);
    if (!p)
      return p.error();
    for (auto& b : p->balances)
      out.push_back(std::move(b));
    if (!p->has_next || p->cursor.empty())
      return out;
    if (p->cursor == cursor)
      return bad_reply(ep::accounts, "cursor", "repeats the previous page's cursor");
    cursor = p->cursor;
  }
  return bad_reply(ep::accounts, "cursor", "more than 10000 pages");
}

rest_result<fee_tier> coinbase_rest::fee_tier_now() {
  call_spec spec{.target = "/transaction_summary", .label = ep::transaction_summary};
  return call(spec).and_then([&](const std::string& body) { return parse_transaction_summary(body, now()); });
}

rest_result<order_ack> coinbase_rest::create(const create_order& o, std::function<void()> on_written) {
  auto body = order_body(o, true, ep::create_order);
  if (!body)
    return std::move(body).error();  // not expressible: never sent
  std::optional<net::transport_errc> transport;
  call_spec spec{.method = "POST", .target = "/orders", .label = ep::create_order, .priority = call_priority::order,
                 .retry = false, .body = std::move(*body), .last_transport = &transport,
                 .on_written = std::move(on_written)};
  auto r = call(spec);
  if (r.ok()) {
    auto ack = parse_create_order(*r, o.id);
    if (ack)
      return ack;
    return resolve_lost_create(o, ack.error());  // 2xx with a body we cannot read: the order may well exist
  }
  auto& e = r.error();
  bool ambiguous = (e.kind == error_kind::timeout || e.kind == error_kind::transport) && transport
                     ? !never_sent(*transport)
                     : e.kind == error_kind::server;
  if (!ambiguous)
    return std::move(r).error();  // answered (4xx/429), refused a permit, or never sent
  return resolve_lost_create(o, e);
}

rest_result<order_ack> coinbase_rest::resolve_lost_create(const create_order& o, const exchange_error& lost) {
  // The reply is lost: ask the exchange for the client order id. A create is never re-sent.
  spdlog::warn("exchange: create {} reply lost ({}); looking the client order id up", o.id.value, lost.describe());
  int not_found = 0;
  std::optional<exchange_error> last;
  for (int i = 0; i < opts_.create_lookups; ++i) {
    if (i > 0)
      hooks_->sleep(backoff_.delay(i - 1));
    auto found = order_by_client_id(o.id, call_priority::order);
    if (found) {
      order_ack ack;
      ack.id = o.id;
      ack.exchange_id = found->exchange_id;
      ack.accepted = found->state != order_state::rejected && found->state != order_state::failed;
      ack.failure_reason = ack.accepted ? "" : found->reject_reason;
      ack.resolved_by_lookup = true;
      return ack;
    }
    if (found.error().kind == error_kind::not_found)
      ++not_found;
    last = found.error();
  }
  if (not_found == opts_.create_lookups) {
    // Every lookup got an answer and none knows the id: the exchange did not place it.
    order_ack ack;
    ack.id = o.id;
    ack.resolved_by_lookup = true;
    ack.not_placed = true;
    return ack;
  }
  exchange_error e;
  e.kind = error_kind::unresolved;
  e.endpoint = std::string(ep::create_order);
  e.detail = fmt::format("order {} may exist: reply lost ({}) and the client order id lookup did not complete ({})",
                         o.id.value, lost.describe(), last ? last->describe() : "no lookup");
  return e;
}

rest_result<order_preview> coinbase_rest::preview(const create_order& o) {
  return order_body(o, false, ep::preview_order).and_then([&](std::string&& body) {
    call_spec spec{.method = "POST", .target = "/orders/preview", .label = ep::preview_order, .body = std::move(body)};
    return call(spec).and_then([](const std::string& reply) { return parse_preview(reply); });
  });
}

rest_result<cancel_results> coinbase_rest::cancel(const std::vector<exchange_order_id>& ids) {
  nlohmann::json body;
  body["order_ids"] = nlohmann::json::array();
  for (auto& id : ids)
    body["order_ids"].push_back(id.value);
  // A cancel is idempotent (cancelling twice is harmless), so it is retried like a read.
  call_spec spec{.method = "POST", .target = "/orders/batch_cancel", .label = ep::batch_cancel,
                 .priority = call_priority::cancel, .body = body.dump()};
  return call(spec).and_then([](const std::string& reply) { return parse_batch_cancel(reply); });
}

rest_result<order_update> coinbase_rest::order_by_exchange_id(const exchange_order_id& id) {
  call_spec spec{.target = "/orders/historical/" + encode(id.value), .label = ep::get_order};
  return call(spec).and_then([&](const std::string& body) { return parse_order(body, now()); });
}

rest_result<order_update> coinbase_rest::order_by_client_id(const client_order_id& id, call_priority prio) {
  auto cid = encode(id.value);
  call_spec spec{.target = "/orders/historical/" + cid + "?client_order_id=" + cid, .label = ep::get_order,
                 .priority = prio};
  return call(spec)
    .and_then([&](const std::string& body) { return parse_order(body, now()); })
    .and_then([&](order_update&& o) -> rest_result<order_update> {
      if (o.id != id)  // the deprecated lookup answered with another order: treat as unknown
        return bad_reply(ep::get_order, "order.client_order_id", "answer is for '" + o.id.value + "'");
      return std::move(o);
    });
}

rest_result<std::vector<order_update>> coinbase_rest::open_orders(const product_id& product, call_priority prio) {
  return order_pages("order_status=OPEN&order_status=PENDING&order_status=QUEUED", product, prio);
}

rest_result<std::vector<order_update>> coinbase_rest::recent_orders(ts_ns since, const product_id& product) {
  return order_pages("start_date=" + encode(format_rfc3339(since)), product);
}

rest_result<std::vector<order_update>> coinbase_rest::order_pages(const std::string& filter,
                                                                  const product_id& product, call_priority prio) {
  std::vector<order_update> out;
  std::string cursor;
  last_skipped_ = 0;
  for (int page = 0; page < max_pages; ++page) {
    auto target = "/orders/historical/batch?" + filter + "&limit=1000";
    if (!product.empty())
      target += "&product_ids=" + encode(product.value);
    if (!cursor.empty())
      target += "&cursor=" + encode(cursor);
    call_spec spec{.target = target, .label = ep::list_orders, .priority = prio};
    auto p = call(spec).and_then([&](const std::string& body) { return parse_orders(body, now()); });
    if (!p)
      return p.error();
    report_skipped(spec, p->skipped);
    for (auto& o : p->orders)
      out.push_back(std::move(o));
    if (!p->has_next || p->cursor.empty())
      return out;
    if (p->cursor == cursor)
      return bad_reply(ep::list_orders, "cursor", "repeats the previous page's cursor");
    cursor = p->cursor;
  }
  return bad_reply(ep::list_orders, "cursor", "more than 10000 pages");
}

rest_result<std::vector<fill>> coinbase_rest::fills(ts_ns since, const exchange_order_id& order,
                                                     const product_id& product) {
  std::vector<fill> out;
  std::unordered_set<std::string> seen;  // trade ids: pages may overlap while fills arrive
  std::string cursor;
  last_skipped_ = 0;
  for (int page = 0; page < max_pages; ++page) {
    auto target = std::string("/orders/historical/fills?limit=250");
    if (!order.empty())
      target += "&order_ids=" + encode(order.value);
    if (!product.empty())
      target += "&product_ids=" + encode(product.value);
    if (since > 0)
      target += "&start_sequence_timestamp=" + encode(format_rfc3339(since));
    if (!cursor.empty())
      target += "&cursor=" + encode(cursor);
    call_spec spec{.target = target, .label = ep::fills};
    auto p = call(spec).and_then([&](const std::string& body) { return parse_fills(body, now()); });
    if (!p)
      return p.error();
    report_skipped(spec, p->skipped);
    for (auto& f : p->fills)
      if (seen.insert(f.trade.value).second)
        out.push_back(std::move(f));
    if (p->cursor.empty())
      return out;
    if (p->cursor == cursor)
      return bad_reply(ep::fills, "cursor", "repeats the previous page's cursor");
    cursor = p->cursor;
  }
  return bad_reply(ep::fills, "cursor", "more than 10000 pages");
}

} // namespace trader::exchange

#include "tools/simex/api/rest_api.hpp"

#include "tools/simex/api/rest_internal.hpp"

#include <algorithm>
#include <charconv>

namespace trader::simex {

namespace {

constexpr std::string_view prefix = "/api/v3/brokerage";

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

/// Splits "a/b/c" at '/' into up to 6 segments.
int split(std::string_view path, std::string_view (&seg)[6]) {
  int n = 0;
  while (!path.empty() && n < 6) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    seg[n++] = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return path.empty() ? n : 7;  // 7: too many segments
}

} // namespace

void parse_query(std::string_view raw, query_params& params) {
  while (!raw.empty()) {
    auto amp = raw.find('&');
    auto part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (part.empty())
      continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      params.emplace_back(url_decode(part), std::string{});
    else
      params.emplace_back(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
  }
}

rest_api::rest_api(exchange& ex) : ex_(ex) {
  // nop
}

void rest_api::bind_key(std::string key_name, std::string user) {
  key_users_.insert_or_assign(std::move(key_name), std::move(user));
}

std::string_view rest_api::user_of(std::string_view key) const {
  auto it = key_users_.find(key);
  return it == key_users_.end() ? key : std::string_view{it->second};
}

bool rest_api::requires_auth(std::string_view path) {
  if (path.substr(0, prefix.size()) != prefix)
    return true;
  path.remove_prefix(prefix.size());
  return !(path == "/time" || path.substr(0, 8) == "/market/");
}

http_reply rest_api::handle(const rest_request& req, ts_ns now) {
  http_reply out;
  handle(req, now, out);
  return out;
}

void rest_api::handle(const rest_request& req, ts_ns now, http_reply& out) {
  try {
    route(req, now, out);
  } catch (const std::exception& e) {  // a body field of an unexpected JSON type
    out.body.clear();
    out.headers.clear();
    rest::bad_request(out, e.what());
  }
}

void rest_api::route(const rest_request& req, ts_ns now, http_reply& out) {
  out.status = 200;
  out.body.clear();
  out.headers.clear();
  ex_.advance(now);
  std::string_view path = req.path;
  if (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  if (path.substr(0, prefix.size()) != prefix) {
    rest::error(out, 404, "NOT_FOUND", "Not Found");
    return;
  }
  path.remove_prefix(prefix.size());
  std::string_view seg[6];
  const int n = split(path, seg);
  const bool get = req.method == "GET";
  const bool post = req.method == "POST";
  const bool is_public = n >= 1 && (seg[0] == "time" || seg[0] == "market");
  if (!is_public && req.key_name.empty()) {
    out.status = 401;
    out.body = "Unauthorized\n";
    out.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    return;
  }
  const std::string_view user = user_of(req.key_name);
  // /market/... mirrors the private product routes without auth.
  int k = n >= 1 && seg[0] == "market" ? 1 : 0;
  const int m = n - k;
  auto s = [&](int i) { return seg[k + i]; };

  if (get && n == 1 && seg[0] == "time")
    return rest::get_time(req, now, out);
  if (get && m == 1 && s(0) == "products")
    return rest::list_products(ex_, req, now, out);
  if (get && m == 2 && s(0) == "products")
    return rest::get_product(ex_, s(1), now, out);
  if (get && m == 3 && s(0) == "products" && s(2) == "candles")
    return rest::candles(ex_, s(1), req, now, out);
  if (get && m == 3 && s(0) == "products" && s(2) == "ticker")
    return rest::market_trades(ex_, s(1), req, now, out);
  if (get && m == 1 && s(0) == "product_book")
    return rest::product_book(ex_, req, now, out);
  if (k == 0) {
    if (get && n == 1 && seg[0] == "best_bid_ask")
      return rest::best_bid_ask(ex_, req, now, out);
    if (get && n == 1 && seg[0] == "accounts")
      return rest::list_accounts(ex_, user, req, out);
    if (get && n == 2 && seg[0] == "accounts")
      return rest::get_account(ex_, user, seg[1], out);
    if (get && n == 1 && seg[0] == "key_permissions")
      return rest::key_permissions(user, out);
    if (get && n == 1 && seg[0] == "transaction_summary")
      return rest::transaction_summary(ex_, user, now, out);
    if (post && n == 1 && seg[0] == "orders")
      return rest::create_order(ex_, user, req, now, out);
    if (post && n == 2 && seg[0] == "orders" && seg[1] == "preview")
      return rest::preview_order(ex_, user, req, now, out);
    if (post && n == 2 && seg[0] == "orders" && seg[1] == "batch_cancel")
      return rest::batch_cancel(ex_, user, req, now, out);
    if (get && n == 3 && seg[0] == "orders" && seg[1] == "historical" && seg[2] == "batch")
      return rest::list_orders(ex_, user, req, out);
    if (get && n == 3 && seg[0] == "orders" && seg[1] == "historical" && seg[2] == "fills")
      return rest::list_fills(ex_, user, req, out);
    if (get && n == 3 && seg[0] == "orders" && seg[1] == "historical")
      return rest::get_order(ex_, user, seg[2], req, out);
  }
  rest::error(out, 404, "NOT_FOUND", "Not Found");
}

namespace rest {

std::optional<std::string_view> param(const query_params& q, std::string_view name) {
  for (const auto& [k, v] : q)
    if (k == name)
      return std::string_view{v};
  return std::nullopt;
}

std::vector<std::string> params(const query_params& q, std::string_view name, std::string_view name2) {
  std::vector<std::string> out;
  for (const auto& [k, v] : q) {
    if (k == name || (!name2.empty() && k == name2) || (k.size() == name.size() + 2 && k.starts_with(name)
                                                        && k.ends_with("[]"))) {
      // also accept comma-separated lists
      std::string_view rest = v;
      while (!rest.empty()) {
        auto c = rest.find(',');
        if (auto item = rest.substr(0, c); !item.empty())
          out.emplace_back(item);
        rest = c == std::string_view::npos ? std::string_view{} : rest.substr(c + 1);
      }
    }
  }
  return out;
}

std::optional<std::int64_t> int_param(const query_params& q, std::string_view name, std::int64_t fallback) {
  auto v = param(q, name);
  if (!v || v->empty())
    return fallback;
  std::int64_t x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc{} || p != v->data() + v->size() || x < 0)
    return std::nullopt;
  return x;
}

void error(http_reply& out, int status, std::string_view code, std::string_view message) {
  out.status = status;
  out.body.clear();
  json_out j{out.body};
  j.begin_object().kv("error", code).kv("error_details", message).kv("message", message).end_object();
}

void product_not_found(http_reply& out, std::string_view product_id) {
  std::string msg = "ProductID ";
  msg.append(product_id);
  msg.append(" could not be found");
  error(out, 404, "NOT_FOUND", msg);
}

} // namespace rest

} // namespace trader::simex

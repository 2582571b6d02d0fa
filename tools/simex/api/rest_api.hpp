#pragma once
// Coinbase Advanced Trade REST endpoints as pure functions over the simulated exchange:
// a parsed HTTP request in, status + JSON body + headers out. No sockets, no clock (the
// caller passes engine time), no auth (the transport verifies the JWT and passes the key).

#include "messages/time.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trader::simex {

class exchange;

/// Decoded query parameters in request order; repeated keys repeat (product_ids=A&product_ids=B).
using query_params = std::vector<std::pair<std::string, std::string>>;

/// Splits and percent-decodes "a=1&b=x%20y" (without the leading '?') into params.
void parse_query(std::string_view raw, query_params& params);

/// One HTTP request as the transport received it.
struct rest_request {
  std::string_view method;    ///< "GET", "POST", ...
  std::string_view path;      ///< Without query: "/api/v3/brokerage/orders".
  query_params query;         ///< Decoded query parameters.
  std::string_view body;      ///< Raw body (may be "{}" on a GET, or empty).
  std::string_view key_name;  ///< The authenticated API key (JWT kid/sub), "" when none.
};

/// The answer: status, body, extra headers. Content-Type is application/json unless a
/// header says otherwise (the 401 is text/plain, like Coinbase's).
struct http_reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The REST surface of simex. Not thread-safe: serialise calls together with the
/// exchange's other users (market model, WS).
class rest_api {
public:
  explicit rest_api(exchange& ex);

  /// Maps an API key to the user (portfolio) whose accounts and orders it sees. A key that
  /// is not bound is its own user.
  void bind_key(std::string key_name, std::string user);

  /// Handles one request at engine time now.
  http_reply handle(const rest_request& req, ts_ns now);
  /// handle() into a reused reply (its body's capacity is kept).
  void handle(const rest_request& req, ts_ns now, http_reply& out);

  /// True when the path needs an authenticated key (everything but /time and /market/...).
  static bool requires_auth(std::string_view path);

private:
  std::string_view user_of(std::string_view key) const;
  void route(const rest_request& req, ts_ns now, http_reply& out);

  exchange& ex_;
  std::map<std::string, std::string, std::less<>> key_users_;
};

} // namespace trader::simex

#pragma once
// Helpers shared by the REST handler files (not part of the api's public surface).

#include "tools/simex/api/json_out.hpp"
#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/engine/exchange.hpp"

#include <optional>

namespace trader::simex::rest {

/// The first value of a query parameter, or nullopt.
std::optional<std::string_view> param(const query_params& q, std::string_view name);
/// Every value of a (repeated) parameter; name2 is an accepted alias (singular form).
std::vector<std::string> params(const query_params& q, std::string_view name, std::string_view name2 = {});
/// Parses a non-negative integer parameter; fallback when absent, nullopt when malformed.
std::optional<std::int64_t> int_param(const query_params& q, std::string_view name, std::int64_t fallback);

/// Sets out to an error reply {"error","error_details","message"}.
void error(http_reply& out, int status, std::string_view code, std::string_view message);
/// 400 INVALID_ARGUMENT.
inline void bad_request(http_reply& out, std::string_view message) { error(out, 400, "INVALID_ARGUMENT", message); }
/// 404 NOT_FOUND for an unknown product.
void product_not_found(http_reply& out, std::string_view product_id);

/// Writes the REST product object.
void write_product(json_out& j, const exchange& ex, const product& p, ts_ns now);
/// Writes the REST order object.
void write_order(json_out& j, const exchange& ex, const order_record& o);
/// Writes {"<config key>":{…}} of an order request.
void write_order_configuration(json_out& j, const order_request& r, const product* p);
/// Writes the REST fill object.
void write_fill(json_out& j, const exchange& ex, const fill_record& f);

// -- handlers (one per endpoint); user is "" on public routes --------------------------
void get_time(const rest_request& req, ts_ns now, http_reply& out);
void list_products(exchange& ex, const rest_request& req, ts_ns now, http_reply& out);
void get_product(exchange& ex, std::string_view id, ts_ns now, http_reply& out);
void product_book(exchange& ex, const rest_request& req, ts_ns now, http_reply& out);
void best_bid_ask(exchange& ex, const rest_request& req, ts_ns now, http_reply& out);
void candles(exchange& ex, std::string_view id, const rest_request& req, ts_ns now, http_reply& out);
void market_trades(exchange& ex, std::string_view id, const rest_request& req, ts_ns now, http_reply& out);
void list_accounts(exchange& ex, std::string_view user, const rest_request& req, http_reply& out);
void get_account(exchange& ex, std::string_view user, std::string_view uuid, http_reply& out);
void key_permissions(std::string_view user, http_reply& out);
void transaction_summary(exchange& ex, std::string_view user, ts_ns now, http_reply& out);
void create_order(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out);
void preview_order(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out);
void batch_cancel(exchange& ex, std::string_view user, const rest_request& req, ts_ns now, http_reply& out);
void get_order(exchange& ex, std::string_view user, std::string_view order_id, const rest_request& req,
               http_reply& out);
void list_orders(exchange& ex, std::string_view user, const rest_request& req, http_reply& out);
void list_fills(exchange& ex, std::string_view user, const rest_request& req, http_reply& out);

} // namespace trader::simex::rest

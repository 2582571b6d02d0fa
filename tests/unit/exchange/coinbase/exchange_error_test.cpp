// HTTP answers and transport failures become typed errors that keep the exchange's reason.
#include "actors/exchange/coinbase/exchange_error.hpp"

#include <gtest/gtest.h>

using namespace trader::exchange;
using trader::net::http_response;
using trader::net::transport_errc;
using trader::net::transport_error;

namespace {

http_response answer(int status, std::string body, trader::net::header_list h = {}) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(h);
  return r;
}

} // namespace

TEST(ExchangeError, MapsEachStatusToItsKindAndKeepsTheReason) {
  struct row {
    int status;
    const char* body;
    error_kind kind;
    const char* reason;
    bool retryable;
  };
  const row rows[] = {
    {401, "Unauthorized", error_kind::auth, "", false},
    {403, R"({"error":"PERMISSION_DENIED","error_details":"Missing required scopes"})", error_kind::auth,
     "PERMISSION_DENIED", false},
    {429, R"({"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]})", error_kind::rate_limited,
     "rate_limit_exceeded", true},
    {400, R"({"error":"INVALID_ARGUMENT","error_details":"bad size","message":"bad size"})",
     error_kind::bad_request, "INVALID_ARGUMENT", false},
    {404, R"({"error":"unknown","error_details":"order with this orderID was not found"})", error_kind::not_found,
     "unknown", false},
    {400, R"({"error_response":{"error":"INSUFFICIENT_FUND","preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND"}})",
     error_kind::rejected, "INSUFFICIENT_FUND", false},
    {400, R"({"failure_reason":"UNKNOWN_CANCEL_ORDER"})", error_kind::bad_request, "UNKNOWN_CANCEL_ORDER", false},
    {400, R"({"preview_failure_reason":"PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"})", error_kind::bad_request,
     "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL", false},
    {500, R"({"error":"INTERNAL","message":"boom"})", error_kind::server, "INTERNAL", true},
    {503, "<html><body>503 Service Unavailable</body></html>", error_kind::server, "", true},
    {302, "", error_kind::bad_reply, "", false},
  };
  for (const auto& r : rows) {
    auto e = from_http("GET /accounts", answer(r.status, r.body));
    EXPECT_EQ(e.kind, r.kind) << r.status << " " << r.body;
    EXPECT_EQ(e.failure_reason, r.reason) << r.body;
    EXPECT_EQ(e.http_status, r.status);
    EXPECT_EQ(e.endpoint, "GET /accounts");
    EXPECT_EQ(e.retryable(), r.retryable) << r.status;
  }
}

TEST(ExchangeError, KeepsDetailsAndRetryAfter) {
  auto e = from_http("POST /orders", answer(429, "{}", {{"Retry-After", "2"}}));
  EXPECT_EQ(e.retry_after_ms, 2000);
  auto d = from_http("GET /x", answer(400, R"({"error":"INVALID_ARGUMENT","error_details":"too many candles"})"));
  EXPECT_EQ(d.detail, "too many candles");
  auto html = from_http("GET /x", answer(502, "<html>\n<h1>Bad Gateway</h1></html>"));
  EXPECT_NE(html.detail.find("Bad Gateway"), std::string::npos);
  EXPECT_EQ(html.detail.find('\n'), std::string::npos);
}

TEST(ExchangeError, ContextIsEndpointStatusKindReason) {
  auto e = from_http("POST /orders", answer(503, R"({"error":"UNAVAILABLE"})"));
  EXPECT_EQ(e.context(), "POST /orders 503 server UNAVAILABLE");
  auto t = from_transport("GET /time", transport_error{transport_errc::reset, "connection reset by peer"});
  EXPECT_EQ(t.context(), "GET /time 0 transport -");
}

TEST(ExchangeError, TransportFailuresRetryOnlyWhenTheNetworkMightRecover) {
  EXPECT_EQ(from_transport("e", {transport_errc::timeout, ""}).kind, error_kind::timeout);
  EXPECT_TRUE(from_transport("e", {transport_errc::timeout, ""}).retryable());
  EXPECT_TRUE(from_transport("e", {transport_errc::reset, ""}).retryable());
  EXPECT_TRUE(from_transport("e", {transport_errc::closed, ""}).retryable());
  EXPECT_TRUE(from_transport("e", {transport_errc::connect_failed, ""}).retryable());
  EXPECT_FALSE(from_transport("e", {transport_errc::tls_failed, "certificate has expired"}).retryable());
  EXPECT_FALSE(from_transport("e", {transport_errc::plaintext_refused, ""}).retryable());
  EXPECT_FALSE(from_transport("e", {transport_errc::invalid_url, ""}).retryable());
  EXPECT_EQ(from_transport("e", {transport_errc::tls_failed, "certificate has expired"}).detail,
            "tls_failed: certificate has expired");
}

TEST(ExchangeError, BadReplyNamesEndpointAndField) {
  auto e = bad_reply("GET /accounts", "accounts[1].hold.value", "not a decimal");
  EXPECT_EQ(e.kind, error_kind::bad_reply);
  EXPECT_FALSE(e.retryable());
  EXPECT_EQ(e.detail, "endpoint=GET /accounts field=accounts[1].hold.value: not a decimal");
}

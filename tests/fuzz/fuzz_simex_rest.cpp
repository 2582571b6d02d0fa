// Fuzz target: simex's REST request handling behind the HTTP transport (Beast reads the
// HTTP framing): the query-string decoder, the order-body parser and the router with its
// handlers, on a fresh exchange per input (BTC-USD, two funded users).
// Input: "METHOD /path?query\n<body>"; a path without "/api/v3/brokerage" gets it prefixed.
#include "tools/simex/api/order_body.hpp"
#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/engine/exchange.hpp"
#include "tests/unit/tools/simex/fixtures.hpp"

#include <cstdint>
#include <string>
#include <string_view>

using namespace trader;
using namespace trader::simex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  auto nl = all.find('\n');
  std::string_view head = all.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
  auto sp = head.find(' ');
  std::string_view method = head.substr(0, sp);
  std::string_view target = sp == std::string_view::npos ? std::string_view{} : head.substr(sp + 1);
  auto q = target.find('?');
  std::string path(target.substr(0, q));
  if (!path.starts_with("/api/v3/brokerage"))
    path = "/api/v3/brokerage" + path;

  (void)parse_order_body(body, "alice", true);
  (void)parse_order_body(body, "bob", false);

  exchange ex;
  test::setup(ex);
  rest_api api{ex};
  api.bind_key("organizations/o/apiKeys/alice", "alice");
  rest_request r;
  r.method = method;
  r.path = path;
  if (q != std::string_view::npos)
    parse_query(target.substr(q + 1), r.query);
  r.body = body;
  r.key_name = (method.size() % 2 == 0) ? "organizations/o/apiKeys/alice" : "";
  http_reply out = api.handle(r, test::t0);
  if (out.status < 100 || out.status > 599)
    __builtin_trap();
  // A second request on the same exchange: state left by the first must stay consistent.
  r.method = "GET";
  r.path = "/api/v3/brokerage/orders/historical/batch";
  r.query.clear();
  r.body = "";
  r.key_name = "organizations/o/apiKeys/alice";
  api.handle(r, test::t0 + 1'000'000, out);
  return 0;
}

// Fuzz target: the Coinbase REST response parsers (actors/exchange/coinbase/rest_parse.hpp).
// The first byte picks the parser, the rest is the body. A parser may refuse any body (a
// bad_reply); it must never crash, read out of bounds or throw.
#include "actors/exchange/coinbase/rest_parse.hpp"

#include <cstdint>
#include <string_view>

using namespace trader;
using namespace trader::exchange;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const ts_ns now = 1'786'309'548LL * ns_per_s;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const client_order_id coid{"7f6c1b2e-0000-4000-8000-000000000001"};
  const product_id btc{"BTC-USD"};
  switch (data[0] % 13) {
  case 0: (void)parse_time(body); break;
  case 1: (void)parse_products(body, now); break;
  case 2: (void)parse_product(body, now); break;
  case 3: (void)parse_candles(body, btc, 60, now); break;
  case 4: (void)parse_accounts(body); break;
  case 5: (void)parse_transaction_summary(body, now); break;
  case 6: (void)parse_preview(body); break;
  case 7: (void)parse_create_order(body, coid); break;
  case 8: (void)parse_batch_cancel(body); break;
  case 9: (void)parse_order(body, now); break;
  case 10: (void)parse_orders(body, now); break;
  case 11: (void)parse_fills(body, now); break;
  default: {
    // The small status mappers, fed from the body's bytes.
    auto half = body.size() / 2;
    (void)order_state_of(body.substr(0, half), (data[0] & 0x80) != 0);
    (void)product_state_of(body.substr(half), data[0] & 1, data[0] & 2, data[0] & 4, data[0] & 8);
  }
  }
  return 0;
}

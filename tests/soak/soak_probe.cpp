// The soak's reader (tests/soak/soak.py): prints one JSON object on stdout.
//   soak_probe exchange BASE_URL   simex's view over its REST API with the daemon's key
//                                  (COINBASE_API_KEY_NAME / COINBASE_API_PRIVATE_KEY from the
//                                  environment): every order since the epoch with its client
//                                  order id, every fill, every balance.
//   soak_probe store STATE_DIR     traderd's store, opened read-only beside the running
//                                  daemon (LMDB readers never block its writer): orders,
//                                  fills, positions.
// Exit 0 with the JSON; 1 with {"error": "..."} when the source could not be read.
#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "messages/names.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/persistence/records.hpp"
#include "runtime/persistence/state_store.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace trader;
using nlohmann::json;

namespace {

int fail_with(const std::string& why) {
  std::cout << json{{"error", why}}.dump() << "\n";
  return 1;
}

int exchange_view(const std::string& base_url) {
  const char* name = std::getenv("COINBASE_API_KEY_NAME");
  const char* pem = std::getenv("COINBASE_API_PRIVATE_KEY");
  if (!name || !pem)
    return fail_with("COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY must be set");
  auto key = net::api_key::from_pem(name, pem);
  if (!key)
    return fail_with("bad key");
  exchange::rest_options o;
  o.base_url = base_url;
  o.credentials = std::make_shared<const net::api_key>(*key);
  o.request_timeout = std::chrono::milliseconds(5000);
  exchange::coinbase_rest rest(o);
  json out{{"orders", json::array()}, {"fills", json::array()}, {"balances", json::array()}};
  auto orders = rest.recent_orders(1);
  if (!orders.ok())
    return fail_with("orders: " + orders.error().describe());
  for (const auto& u : *orders)
    out["orders"].push_back({{"client_order_id", u.id.value},
                             {"exchange_order_id", u.exchange_id.value},
                             {"product", u.product.value},
                             {"state", std::string{to_string(u.state)}},
                             {"filled", to_string(u.filled_size)}});
  auto fills = rest.fills(1);
  if (!fills.ok())
    return fail_with("fills: " + fills.error().describe());
  for (const auto& f : *fills)
    out["fills"].push_back({{"trade_id", f.trade.value},
                            {"client_order_id", f.order.value},
                            {"product", f.product.value},
                            {"side", std::string{to_string(f.dir)}},
                            {"qty", to_string(f.qty)},
                            {"size_in_quote", f.size_in_quote}});
  auto balances = rest.balances();
  if (!balances.ok())
    return fail_with("balances: " + balances.error().describe());
  for (const auto& b : *balances)
    out["balances"].push_back({{"currency", b.currency}, {"available", to_string(b.available)}, {"hold", to_string(b.hold)}});
  std::cout << out.dump() << "\n";
  return 0;
}

int store_view(const std::string& dir) {
  persistence::store_options opts;
  opts.read_only = true;
  opts.create_if_missing = false;
  opts.verify_first = false;
  auto store = persistence::open_store(dir, opts);
  if (!store)
    return fail_with("open: " + store.error().describe());
  json out{{"orders", json::array()}, {"fills", json::array()}, {"positions", json::array()}};
  auto orders = (*store)->list<persistence::order_record>();
  auto fills = (*store)->list<persistence::fill_record>();
  auto positions = (*store)->list<persistence::position_record>();
  if (!orders || !fills || !positions)
    return fail_with("read failed");
  for (const auto& o : *orders)
    out["orders"].push_back({{"client_order_id", o.id.value},
                             {"exchange_order_id", o.exchange_id.value},
                             {"product", o.product.value},
                             {"side", o.side == persistence::order_side::buy ? "BUY" : "SELL"},
                             {"status", static_cast<int>(o.status)},
                             {"reduce_only", o.reduce_only},
                             {"qty", to_string(o.qty)},
                             {"filled", to_string(o.filled_qty)}});
  for (const auto& f : *fills)
    out["fills"].push_back({{"trade_id", f.trade.value},
                            {"client_order_id", f.order.value},
                            {"product", f.product.value},
                            {"side", f.side == persistence::order_side::buy ? "BUY" : "SELL"},
                            {"qty", to_string(f.qty)}});
  for (const auto& p : *positions)
    out["positions"].push_back({{"product", p.product.value}, {"qty", to_string(p.qty)}});
  std::cout << out.dump() << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::off);  // stdout carries only the JSON
  if (argc != 3)
    return fail_with("usage: soak_probe exchange BASE_URL | store STATE_DIR");
  std::string what = argv[1];
  if (what == "exchange")
    return exchange_view(argv[2]);
  if (what == "store")
    return store_view(argv[2]);
  return fail_with("unknown view " + what);
}

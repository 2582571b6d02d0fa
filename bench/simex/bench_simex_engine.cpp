// In-process throughput of simex's heart, without sockets:
//  - simex_api_orders_per_s: order round trips through the REST api layer (POST /orders JSON
//    in → JSON out, then POST /orders/batch_cancel JSON in → JSON out), with the synthetic
//    market listed and its events drained as the transport would;
//  - simex_ws_format_msgs_per_s: WS messages formatted into the reused buffer (a mix of
//    l2_data updates, ticker, market_trades and heartbeats).
//  - simex_ws_session_msgs_per_s: frames a ws_session derives from synthetic-market events.
// Rates are per CPU-second of the benchmark thread (the machine is shared); the wall-clock
// rates are printed on the line above. Prints one flat JSON object on its last line. ~6 s.

#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/api/ws_api.hpp"
#include "tools/simex/engine/exchange.hpp"
#include "tools/simex/engine/market_model.hpp"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>

using namespace trader;
using namespace trader::simex;

namespace {

using clock_type = std::chrono::steady_clock;
constexpr ts_ns t0 = 1'786'309'548LL * ns_per_s;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// CPU time of this thread: rates per CPU-second do not depend on how many other
/// processes share the cores (the build machine is shared).
double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// Rates of one run: per wall second and per CPU second.
struct throughput {
  double wall = 0;
  double cpu = 0;
};

throughput bench_orders(double budget_s) {
  exchange ex;
  synthetic_market market{ex, model_config::standard(1)};
  market.start(t0);
  ex.deposit("bench", "USD", amount::from_int(1'000'000'000));
  rest_api api{ex};
  std::vector<event> drained;
  rest_request create;
  create.method = "POST";
  create.path = "/api/v3/brokerage/orders";
  create.key_name = "bench";
  rest_request cancel = create;
  cancel.path = "/api/v3/brokerage/orders/batch_cancel";
  std::string body, cancel_body;
  http_reply reply;
  std::uint64_t n = 0;
  const auto start = clock_type::now();
  const double cpu0 = thread_cpu_s();
  while (true) {
    const ts_ns now = t0 + static_cast<ts_ns>(n) * ns_per_ms;
    body.clear();
    body += R"({"client_order_id":"bench-)";
    body += std::to_string(n);
    body += R"(","product_id":"BTC-USD","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"0.001","limit_price":"30000.00","post_only":true}}})";
    create.body = body;
    api.handle(create, now, reply);
    auto pos = reply.body.find("\"order_id\":\"");
    if (reply.status != 200 || pos == std::string::npos) {
      std::fprintf(stderr, "create failed: %s\n", reply.body.c_str());
      return {};
    }
    cancel_body.assign(R"({"order_ids":[")");
    cancel_body.append(reply.body, pos + 12, 36);
    cancel_body.append("\"]}");
    cancel.body = cancel_body;
    api.handle(cancel, now, reply);
    ++n;
    if ((n & 255) == 0) {
      drained.clear();
      ex.drain_events(drained);
      if (seconds_since(start) > budget_s)
        break;
    }
  }
  return {static_cast<double>(n) / seconds_since(start), static_cast<double>(n) / (thread_cpu_s() - cpu0)};
}

throughput bench_ws_format(double budget_s) {
  ws_writer w;
  std::vector<book_change> changes;
  for (int i = 0; i < 3; ++i)
    changes.push_back({"BTC-USD", i == 0 ? side::buy : side::sell, price::from_units(6'508'366'000'000 + i * 1'000'000),
                       size::from_units(20'371'215), t0, static_cast<std::uint64_t>(i)});
  ticker_change tick{"BTC-USD", price::from_units(6'508'618'000'000), price::from_units(6'508'366'000'000),
                     price::from_units(6'508'367'000'000), size::from_units(20'371'215), size::from_units(24'290'402),
                     size::from_units(286'754'532'609), price::from_units(6'467'522'000'000),
                     price::from_units(6'525'299'000'000), price::from_units(6'500'000'000'000), t0};
  trade_print tp{"BTC-USD", "1068572091", price::from_units(6'508'367'000'000), size::from_units(1'034'361), side::sell, t0};
  const trade_print* tps[] = {&tp};
  std::uint64_t n = 0;
  std::size_t bytes = 0;
  const auto start = clock_type::now();
  const double cpu0 = thread_cpu_s();
  while (true) {
    for (int k = 0; k < 256; ++k) {
      const ts_ns now = t0 + static_cast<ts_ns>(n) * 1000;
      std::string_view msg;
      switch (n & 3) {
        case 0: msg = w.l2_update("BTC-USD", changes, now, n); break;
        case 1: msg = w.ticker(tick, false, now, n); break;
        case 2: msg = w.market_trades(tps, false, now, n); break;
        default: msg = w.heartbeat(now, n, static_cast<std::int64_t>(n)); break;
      }
      bytes += msg.size();
      ++n;
    }
    if (seconds_since(start) > budget_s)
      break;
  }
  if (bytes == 0)
    std::fprintf(stderr, "nothing formatted\n");
  return {static_cast<double>(n) / seconds_since(start), static_cast<double>(n) / (thread_cpu_s() - cpu0)};
}

/// Frames per second a ws_session produces from a synthetic market's events (level2, ticker
/// and market_trades of three products), frames copied into the session's output vector.
throughput bench_ws_session(double budget_s) {
  exchange ex;
  synthetic_market market{ex, model_config::standard(2)};
  market.start(t0);
  std::vector<event> events;
  for (int i = 1; i <= 400; ++i)
    market.advance(t0 + i * 250 * ns_per_ms);
  ex.drain_events(events);
  ws_session session{ex, nullptr};
  std::vector<std::string> out;
  for (auto ch : {"level2", "ticker", "market_trades"})
    session.on_message(std::string{R"({"type":"subscribe","channel":")"} + ch
                         + R"(","product_ids":["BTC-USD","ETH-USD","SOL-USD"]})",
                       t0, out);
  std::uint64_t n = 0;
  const auto start = clock_type::now();
  const double cpu0 = thread_cpu_s();
  while (seconds_since(start) < budget_s) {
    out.clear();
    session.on_events(events, t0 + 100 * ns_per_s, out);
    n += out.size();
  }
  return {static_cast<double>(n) / seconds_since(start), static_cast<double>(n) / (thread_cpu_s() - cpu0)};
}

} // namespace

int main() {
  const throughput orders = bench_orders(3.0);
  const throughput ws = bench_ws_format(2.0);
  const throughput session = bench_ws_session(1.0);
  std::printf("simex api: %.0f order round trips/s per CPU-second (%.0f per wall second) (create + cancel)\n",
              orders.cpu, orders.wall);
  std::printf("simex ws format: %.0f msgs/s per CPU-second (%.0f per wall second)\n", ws.cpu, ws.wall);
  std::printf("simex ws session: %.0f frames/s per CPU-second (%.0f per wall second)\n", session.cpu, session.wall);
  std::printf("{\"simex_api_orders_per_s\": %.0f, \"simex_ws_format_msgs_per_s\": %.0f, "
              "\"simex_ws_session_msgs_per_s\": %.0f}\n",
              orders.cpu, ws.cpu, session.cpu);
  return orders.cpu > 0 && ws.cpu > 0 ? 0 : 1;
}

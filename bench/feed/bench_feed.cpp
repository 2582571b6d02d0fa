// Market-data hot path: Coinbase-shaped level2 + ticker frames through market_data's reader
// path (simdjson parse, sequence check, book update, staleness touch, fan-out) to one
// subscriber actor. Frames are handed over by a feed::frame_injector, i.e. right after
// the point where the socket read returns (the socket and TLS are measured by bench_net).
//   ws_msgs_per_s: frames pushed back to back until the subscriber has every message.
//   ws_frame_to_subscriber_p50/p99_us: paced at 10k frames/s, ts_recv stamped at hand-off
//   → the subscriber's handler.
// Last stdout line: one flat JSON object.
#include "actors/exchange/market_data/market_data_actor.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/feed/ws_parser.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace trader;
using namespace std::chrono_literals;

ts_ns wall() { return system_time_source::instance().wall_now(); }

/// A deterministic Coinbase-shaped session: one snapshot per product, then level2 updates
/// of ~5 levels (as in the recorded BTC session) and tickers, 4:1, contiguous sequence_num.
std::vector<std::string> make_frames(std::size_t n) {
  std::vector<std::string> out;
  std::mt19937_64 rng(7);
  const char* products[] = {"BTC-USD", "ETH-USD"};
  const std::int64_t mids[] = {6508366, 191944};  // cents
  std::int64_t seq = 0;
  auto env = [&](const char* ch) {
    return std::string(R"({"channel":")") + ch + R"(","client_id":"","timestamp":"2026-08-09T21:05:48.483587501Z","sequence_num":)"
           + std::to_string(seq++) + R"(,"events":[)";
  };
  auto px = [](std::int64_t cents) { return std::to_string(cents / 100) + "." + std::to_string(100 + cents % 100).substr(1); };
  for (int p = 0; p < 2; ++p) {
    std::string f = env("l2_data") + R"({"type":"snapshot","product_id":")" + products[p] + R"(","updates":[)";
    for (int i = 1; i <= 1000; ++i) {
      f += R"({"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":")" + px(mids[p] - i)
           + R"(","new_quantity":"0.5"},)";
      f += R"({"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":")" + px(mids[p] + i)
           + R"(","new_quantity":"0.5"})" + (i < 1000 ? "," : "");
    }
    f += "]}]}";
    out.push_back(std::move(f));
  }
  while (out.size() < n) {
    int p = static_cast<int>(rng() % 2);
    if (rng() % 5 == 0) {
      out.push_back(env("ticker") + R"({"type":"update","tickers":[{"type":"ticker","product_id":")" + products[p]
                    + R"(","price":")" + px(mids[p]) + R"(","volume_24_h":"2867.54532609","low_24_h":"64675.22",)"
                    + R"("high_24_h":"65252.99","low_52_w":"57717.55","high_52_w":"126296","price_percent_chg_24_h":"0.096",)"
                    + R"("best_bid":")" + px(mids[p] - 1) + R"(","best_ask":")" + px(mids[p] + 1)
                    + R"(","best_bid_quantity":"0.20371215","best_ask_quantity":"0.24290402"}]}]})");
      continue;
    }
    std::string f = env("l2_data") + R"({"type":"update","product_id":")" + products[p] + R"(","updates":[)";
    for (int k = 0; k < 5; ++k) {
      bool bid = rng() % 2;
      auto off = static_cast<std::int64_t>(1 + rng() % 200);
      auto qty = rng() % 4 == 0 ? std::string("0") : "0." + std::to_string(10000000 + rng() % 89999999);
      f += std::string(k ? "," : "") + R"({"side":")" + (bid ? "bid" : "offer")
           + R"(","event_time":"2026-08-09T21:05:48.170326Z","price_level":")"
           + px(bid ? mids[p] - off : mids[p] + off) + R"(","new_quantity":")" + qty + R"("})";
    }
    f += "]}]}";
    out.push_back(std::move(f));
  }
  return out;
}

struct sink_state {
  std::atomic<std::uint64_t> received{0};
  std::vector<std::int64_t> lat_ns;  ///< written by the subscriber only
  std::atomic<bool> record{false};
};

caf::behavior subscriber(caf::event_based_actor* self, caf::actor md, sink_state* s) {
  self->request(md, 10s, subscribe_feed{{"ticker", "level2"}}).then([](const subscribed&) {}, [](caf::error&) {});
  auto seen = [s](ts_ns recv) {
    if (s->record)
      s->lat_ns.push_back(wall() - recv);
    s->received.fetch_add(1, std::memory_order_release);
  };
  return {
    [=](const quote& q) { seen(q.ts_recv); },
    [=](const book_update& b) { seen(b.ts_recv); },
    [=](const feed_health&) {},
  };
}

bool wait_for(const std::atomic<std::uint64_t>& v, std::uint64_t target, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (v.load(std::memory_order_acquire) < target) {
    if (std::chrono::steady_clock::now() > end)
      return false;
    std::this_thread::yield();
  }
  return true;
}

double pct(std::vector<std::int64_t> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))]) / 1000.0;
}

} // namespace

int main() {
  core::system_config cfg{core::runtime_options{}};
  // FEED_BENCH_MODERATE_SLEEP_US: experiment with the work-stealing idle back-off.
  if (auto* e = std::getenv("FEED_BENCH_MODERATE_SLEEP_US"))
    cfg.set("work-stealing.moderate-sleep-duration", caf::timespan{std::atoll(e) * 1000});
  if (std::getenv("FEED_BENCH_SHARING"))
    cfg.set("scheduler.policy", caf::atom("sharing"));
  core::registry reg;
  caf::actor_system sys{cfg};
  auto inj = std::make_shared<feed::frame_injector>();
  feed::market_data_options o;
  o.ws_url.clear();
  o.injector = inj;
  o.products = {product_id{"BTC-USD"}, product_id{"ETH-USD"}};
  o.max_age = 3600s;
  auto md = market_data::spawn_market_data(sys, reg, o);
  sink_state s;
  auto sub = sys.spawn(subscriber, md, &s);
  {  // wait until subscribed: a get_book round trip after the subscribe was queued
    caf::scoped_actor self{sys};
    self->request(md, 10s, get_book{product_id{"BTC-USD"}, 1}).receive([](const book_snapshot&) {}, [](caf::error&) {});
  }

  const std::size_t n = 400'000;
  auto frames = make_frames(n);
  double parse_per_s = 0;
  {  // the parser alone, for scale
    feed::ws_parser parser;
    feed::ws_frame f;
    auto p0 = std::chrono::steady_clock::now();
    for (std::size_t i = 2; i < frames.size(); ++i)
      parser.parse(frames[i], 0, f);
    parse_per_s = static_cast<double>(frames.size() - 2)
                  / std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
    std::fprintf(stderr, "parser alone: %.0f msgs/s\n", parse_per_s);
  }
  std::uint64_t expected = 0;
  // Throughput: everything back to back; done when the subscriber has the last message.
  auto t0 = std::chrono::steady_clock::now();
  for (auto& f : frames)
    inj->push(f, wall());
  auto pushed = std::chrono::steady_clock::now();
  expected = frames.size();
  bool ok = wait_for(s.received, expected, 60s);
  auto t1 = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(t1 - t0).count();
  double push_secs = std::chrono::duration<double>(pushed - t0).count();
  double msgs_per_s = static_cast<double>(frames.size()) / secs;
  std::fprintf(stderr, "throughput: %zu frames in %.3f s (pushed in %.3f s), subscriber %s\n", frames.size(), secs,
               push_secs, ok ? "caught up" : "FELL BEHIND");

  // Latency: paced at 10k frames/s (sequence continues from the throughput run).
  auto paced = make_frames(n + 50'000);  // same first n, then 50k more with later sequence numbers
  s.lat_ns.reserve(50'000);
  s.record = true;
  const auto period = std::chrono::nanoseconds(100'000);
  auto next = std::chrono::steady_clock::now();
  for (std::size_t i = n; i < paced.size(); ++i) {
    while (std::chrono::steady_clock::now() < next) {
    }
    next += period;
    inj->push(paced[i], wall());
  }
  expected += paced.size() - n;
  ok = wait_for(s.received, expected, 60s) && ok;
  std::this_thread::sleep_for(50ms);  // the subscriber's last push_back happens before its increment
  caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(md, caf::exit_reason::user_shutdown);
  auto p50 = pct(s.lat_ns, 0.50), p99 = pct(s.lat_ns, 0.99);
  std::fprintf(stderr, "latency at 10k/s: p50 %.1f us p99 %.1f us over %zu messages\n", p50, p99, s.lat_ns.size());
  std::printf("{\"ws_msgs_per_s\": %.0f, \"ws_frame_to_subscriber_p50_us\": %.1f, \"ws_frame_to_subscriber_p99_us\": %.1f, "
              "\"ws_parse_msgs_per_s\": %.0f, \"ws_subscriber_kept_up\": %s}\n",
              msgs_per_s, p50, p99, parse_per_s, ok ? "true" : "false");
  return ok ? 0 : 1;
}

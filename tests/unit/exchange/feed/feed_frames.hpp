#pragma once
// Coinbase-shaped WebSocket frames for the feed tests (market_feed, the market_data and
// user_stream actor tests): level2 snapshot/update, ticker, status, user order update.

#include <cstdint>
#include <string>

namespace trader::test {

/// l2_data: one event for product with one bid and one ask level (sizes 1 and 2).
inline std::string l2(std::int64_t seq, const char* product, bool snapshot, const char* bid, const char* ask) {
  return std::string(R"({"channel":"l2_data","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":")" + (snapshot ? "snapshot" : "update") + R"(","product_id":")" + product
         + R"(","updates":[{"side":"bid","price_level":")" + bid + R"(","new_quantity":"1"},)"
         + R"({"side":"offer","price_level":")" + ask + R"(","new_quantity":"2"}]}]})";
}

/// ticker: one quote of product.
inline std::string ticker(std::int64_t seq, const char* product, const char* bid, const char* ask) {
  return std::string(R"({"channel":"ticker","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":")" + product + R"(","price":")"
         + bid + R"(","best_bid":")" + bid + R"(","best_ask":")" + ask + R"("}]}]})";
}

/// status: product is now st ("online", "cancel_only", …).
inline std::string status(std::int64_t seq, const char* product, const char* st) {
  return std::string(R"({"channel":"status","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":"update","products":[{"id":")" + product + R"(","status":")" + st + R"("}]}]})";
}

/// heartbeats: keeps the sequence going without data.
inline std::string heartbeat(std::int64_t seq) {
  return std::string(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":)")
         + std::to_string(seq) + R"(,"events":[{"current_time":"2026-08-09 21:05:48 +0000 UTC","heartbeat_counter":)"
         + std::to_string(seq) + "}]}";
}

} // namespace trader::test

#pragma once
// What a stepped-clock system test drives (docs/backtest.md "Parity"): the file traderd's
// wall clock reads under the test hook (TRADER_TEST_HOOKS=1, TRADER_TEST_WALL_CLOCK=FILE) and
// simex's admin clock (POST /clock/advance).

#include "messages/time.hpp"
#include "runtime/net/https_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>

namespace trader::test {

/// The file traderd's wall clock reads under the hook: one int64 of nanoseconds, mapped
/// here and stored atomically at each step.
class clock_file {
public:
  clock_file(const std::string& path, ts_ns t) : path_(path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0) << path;
    EXPECT_EQ(::ftruncate(fd, sizeof(std::int64_t)), 0);
    void* m = ::mmap(nullptr, sizeof(std::int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    EXPECT_NE(m, MAP_FAILED);
    at_ = static_cast<std::int64_t*>(m);
    store(t);
  }
  ~clock_file() { ::munmap(at_, sizeof(std::int64_t)); }
  clock_file(const clock_file&) = delete;
  clock_file& operator=(const clock_file&) = delete;
  void store(ts_ns t) { __atomic_store_n(at_, t, __ATOMIC_RELEASE); }
  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::int64_t* at_ = nullptr;
};

/// `minutes` 1-minute BTC-USD candles from start_s (CSV): a slow wave around 50 000.
inline void write_wave_candles(const std::string& path, std::int64_t start_s, int minutes = 180) {
  std::ofstream out(path);
  out << "timestamp,open,high,low,close,volume\n";
  double prev = 50'000;
  for (int m = 0; m < minutes; ++m) {
    const double close = 50'000 + 400 * std::sin(m / 9.0);
    out << start_s + 60 * m << "," << prev << "," << std::max(prev, close) + 5 << "," << std::min(prev, close) - 5
        << "," << close << ",12\n";
    prev = close;
  }
}

/// Moves the stepped simex at admin_url by ms; its new time, 0 (and a test failure) when the
/// admin call failed.
inline ts_ns advance_simex(const std::string& admin_url, std::int64_t ms) {
  net::https_client c(admin_url);
  auto r = c.request(net::http_request{"POST", "/clock/advance", {}, nlohmann::json{{"ms", ms}}.dump()});
  if (!r.ok() || r->status != 200) {
    ADD_FAILURE() << "POST /clock/advance: " << (r.ok() ? std::to_string(r->status) + " " + r->body : r.error().detail);
    return 0;
  }
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  return j.is_object() ? j.value("now_ns", ts_ns{0}) : 0;
}

} // namespace trader::test

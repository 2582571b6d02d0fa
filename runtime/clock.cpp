#include "runtime/clock.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <limits>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace trader {

namespace {

std::int64_t timespec_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * ns_per_s + ts.tv_nsec;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Howard Hinnant's civil-from-days / days-from-civil algorithms.
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string format_with(ts_ns t, int frac_digits) {
  auto day = floor_div(t, 86400 * ns_per_s);
  auto rem = t - day * 86400 * ns_per_s;
  int y;
  unsigned mo, d;
  civil_from_days(day, y, mo, d);
  auto secs = rem / ns_per_s;
  auto nanos = rem % ns_per_s;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", y, mo, d,
                        static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                        static_cast<long long>(secs % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac_digits > 0) {
    char f[16];
    std::snprintf(f, sizeof f, "%09lld", static_cast<long long>(nanos));
    out.push_back('.');
    out.append(f, static_cast<std::size_t>(frac_digits));
  }
  out.push_back('Z');
  return out;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

/// Test hook: with TRADER_TEST_HOOKS=1 and TRADER_TEST_WALL_CLOCK=FILE, the wall clock is
/// the int64 of nanoseconds (native byte order) at the start of FILE, which a harness maps
/// and stores atomically — traderd then follows a stepped simex (docs/backtest.md "Parity").
/// Read once; null when unset, unreadable or shorter than 8 bytes (the real clock then).
const std::int64_t* test_wall_clock() {
  static const std::int64_t* const at = []() -> const std::int64_t* {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at first use; we never setenv.
    const char* hooks = std::getenv("TRADER_TEST_HOOKS");
    const char* file = std::getenv("TRADER_TEST_WALL_CLOCK");  // NOLINT(concurrency-mt-unsafe): as above
    if (hooks == nullptr || std::string_view{hooks} != "1" || file == nullptr || *file == '\0')
      return nullptr;
    const int fd = ::open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return nullptr;
    void* m = ::lseek(fd, 0, SEEK_END) >= static_cast<off_t>(sizeof(std::int64_t))
                ? ::mmap(nullptr, sizeof(std::int64_t), PROT_READ, MAP_SHARED, fd, 0)
                : MAP_FAILED;
    ::close(fd);
    return m == MAP_FAILED ? nullptr : static_cast<const std::int64_t*>(m);
  }();
  return at;
}

} // namespace

ts_ns system_time_source::wall_now() const {
  if (const auto* t = test_wall_clock())
    return __atomic_load_n(t, __ATOMIC_ACQUIRE);
  return timespec_ns(CLOCK_REALTIME);
}
mono_ns system_time_source::mono_now() const { return timespec_ns(CLOCK_MONOTONIC); }

bool wall_clock_hooked() { return test_wall_clock() != nullptr; }

const system_time_source& system_time_source::instance() {
  static const system_time_source src;
  return src;
}

std::string format_rfc3339(ts_ns t) { return format_with(t, 9); }
std::string format_rfc3339_ms(ts_ns t) { return format_with(t, 3); }

bool parse_rfc3339(std::string_view s, ts_ns& out) {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-'
      || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h)
      || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return false;
  std::size_t pos = 19;
  std::int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0)
      return false;
    for (; n < 9; ++n)
      nanos *= 10;
  }
  std::int64_t offset_s = 0;
  if (pos >= s.size())
    return false;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
      return false;
    offset_s = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != s.size())
    return false;
  auto days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  std::int64_t secs = (days * 86400 + std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + se) - offset_s;
  // ts_ns spans about 1677-09-21 to 2262-04-11: a time outside it is not representable (the
  // multiplication below would overflow; found by tests/fuzz).
  constexpr std::int64_t max_secs = std::numeric_limits<std::int64_t>::max() / ns_per_s - 1;
  if (secs > max_secs || secs < -max_secs)
    return false;
  out = secs * ns_per_s + nanos;
  return true;
}

std::int64_t utc_day(ts_ns t) { return floor_div(t, 86400 * ns_per_s); }

std::string utc_date(ts_ns t) { return format_with(t, 0).substr(0, 10); }

} // namespace trader

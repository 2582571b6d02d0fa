#include "actors/trading/order_lifecycle/utc_buckets.hpp"

#include <chrono>
#include <cstdio>

namespace trader::order_lifecycle {

namespace {

constexpr std::int64_t ns_per_day = 86'400 * ns_per_s;

std::chrono::year_month_day civil(std::int64_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
}

} // namespace

std::int64_t utc_day_number(ts_ns t) { return t >= 0 ? t / ns_per_day : -((-t + ns_per_day - 1) / ns_per_day); }

std::string day_bucket_key(ts_ns t) {
  const auto ymd = civil(utc_day_number(t));
  char out[32];
  std::snprintf(out, sizeof out, "day/%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

std::string week_bucket_key(ts_ns t) {
  using namespace std::chrono;
  const auto day = utc_day_number(t);
  const auto iso_weekday = static_cast<std::int64_t>(weekday{sys_days{days{day}}}.iso_encoding());  // Monday = 1
  const auto thursday = day - iso_weekday + 4;  // the Thursday of this ISO week decides its year
  const auto year = civil(thursday).year();
  const auto jan1 = sys_days{year / January / 1}.time_since_epoch().count();
  const auto week = (thursday - jan1) / 7 + 1;
  char out[32];
  std::snprintf(out, sizeof out, "week/%04d-W%02lld", static_cast<int>(year), static_cast<long long>(week));
  return out;
}

} // namespace trader::order_lifecycle

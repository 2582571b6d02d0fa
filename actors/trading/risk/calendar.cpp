#include "actors/trading/risk/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace trader::risk {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday (3).
std::int64_t weekday(std::int64_t day) { return ((day + 3) % 7 + 7) % 7; }

std::chrono::year_month_day civil(std::int64_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
}

} // namespace

std::int64_t utc_day(ts_ns t) { return floor_div(t, ns_per_day); }
ts_ns day_start(ts_ns t) { return utc_day(t) * ns_per_day; }
ts_ns next_day_start(ts_ns t) { return (utc_day(t) + 1) * ns_per_day; }
ts_ns week_start(ts_ns t) {
  auto d = utc_day(t);
  return (d - weekday(d)) * ns_per_day;
}
ts_ns next_week_start(ts_ns t) { return week_start(t) + 7 * ns_per_day; }

std::string day_label(ts_ns t) {
  auto ymd = civil(utc_day(t));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string iso_week_label(ts_ns t) {
  // The ISO week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
  const auto d = utc_day(t);
  const auto thursday = d - weekday(d) + 3;
  const auto year = civil(thursday).year();
  const auto jan1 = std::chrono::sys_days{year / std::chrono::January / 1}.time_since_epoch().count();
  const auto week = (thursday - jan1) / 7 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(year), static_cast<int>(week));
  return buf;
}

} // namespace trader::risk

#include "runtime/config/event_calendar.hpp"

#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>

namespace trader::config {

namespace {

/// "YYYY-MM-DDTHH:MM:SSZ" → ns since the epoch.
std::optional<std::int64_t> parse_utc(const std::string& s) {
  std::tm tm{};
  char z = 0;
  int consumed = 0;
  if (s.size() != 20 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &consumed) != 7 ||
      z != 'Z' || consumed != 20)
    return std::nullopt;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 59)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::int64_t t = ::timegm(&tm);
  return t * 1'000'000'000LL;
}

} // namespace

std::variant<std::vector<event_window>, std::string> parse_event_calendar(const std::string& text,
                                                                         const std::string& file) {
  std::vector<event_window> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream ls(line);
    std::string a, b, reason;
    if (!(ls >> a))
      continue;  // blank or comment
    auto where = file + ":" + std::to_string(n) + ": ";
    if (!(ls >> b))
      return where + "expected START END REASON, got only \"" + a + "\"";
    std::getline(ls >> std::ws, reason);
    reason.erase(reason.find_last_not_of(" \t\r") + 1);
    auto from = parse_utc(a), to = parse_utc(b);
    if (!from)
      return where + "START \"" + a + "\" is not a UTC time like 2026-12-10T18:45:00Z";
    if (!to)
      return where + "END \"" + b + "\" is not a UTC time like 2026-12-10T20:00:00Z";
    if (*to <= *from)
      return where + "END " + b + " is not after START " + a;
    if (reason.empty())
      return where + "a window needs a reason (the exclusion shows it)";
    out.push_back({*from, *to, reason});
  }
  return out;
}

std::variant<std::vector<event_window>, std::string> load_event_calendar(const std::string& path) {
  std::ifstream f(path);
  if (!f)
    return path + ": cannot be read";
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_event_calendar(ss.str(), path);
}

} // namespace trader::config

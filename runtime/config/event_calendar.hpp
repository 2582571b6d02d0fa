#pragma once
// The event calendar of universe.toml's [universe] event_calendar_file: UTC windows in which
// no new entry opens (an embargo around scheduled events). One window per line,
//   START END REASON…      e.g. 2026-12-10T18:45:00Z 2026-12-10T20:00:00Z FOMC statement
// '#' starts a comment; blank lines are skipped. A malformed line is an error naming
// file:line (a configuration error at startup, a refused reload) — never a silent empty
// calendar. No CAF.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace trader::config {

/// One embargo window [from, to), nanoseconds since the epoch, UTC.
struct event_window {
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
  std::string reason;
};

/// Parses calendar text; `file` names it in errors ("events.txt:3: …").
std::variant<std::vector<event_window>, std::string> parse_event_calendar(const std::string& text,
                                                                         const std::string& file);
/// Reads and parses a calendar file; an unreadable file is an error too.
std::variant<std::vector<event_window>, std::string> load_event_calendar(const std::string& path);

} // namespace trader::config

#pragma once
// The kill-switch file's pure logic (review row #5): which path control.kill_switch_file
// names, and what an observation "the file exists / does not exist" means. No CAF, no I/O.
//
// The file engages the kill switch when it is seen present (at start included); seeing it
// gone is reported but releases nothing: only `traderctl resume kill_switch` does, and risk
// refuses that while this source still asserts the file (docs/operations.md#kill-switch).

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::kill_switch {

/// The gate source name the watcher reports under (core::gate_reporter).
inline constexpr char gate_source[] = "kill_switch_file";

/// control.kill_switch_file resolved like control.socket: a relative path is under
/// app.runtime_dir. Empty file: empty (no watcher).
std::string resolve_path(std::string_view runtime_dir, std::string_view file);

/// What one observation means.
enum class file_event : std::uint8_t {
  none,     ///< Nothing changed.
  engage,   ///< Absent (or never observed) → present: engage the kill switch.
  removed,  ///< Present → absent: the file is gone; the kill switch stays engaged.
};

std::string_view to_string(file_event e);

/// Tracks whether the file is present, from observations.
class file_presence {
public:
  /// One observation; the first one that sees the file present engages.
  file_event observe(bool exists);
  /// The file was present at the last observation.
  bool present() const { return present_; }
  /// At least one observation was made.
  bool observed() const { return observed_; }
  /// How often absent → present was seen (present at the first observation counts).
  std::uint64_t engagements() const { return engagements_; }

private:
  bool present_ = false;
  bool observed_ = false;
  std::uint64_t engagements_ = 0;
};

/// The detail of the gate condition while the file exists: "kill switch file PATH exists".
std::string condition_detail(std::string_view path);

} // namespace trader::kill_switch

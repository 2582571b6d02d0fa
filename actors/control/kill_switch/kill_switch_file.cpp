#include "actors/control/kill_switch/kill_switch_file.hpp"

#include <filesystem>

namespace trader::kill_switch {

std::string resolve_path(std::string_view runtime_dir, std::string_view file) {
  if (file.empty())
    return {};
  std::filesystem::path p{std::string{file}};
  if (p.is_absolute() || runtime_dir.empty())
    return p.string();
  return (std::filesystem::path{std::string{runtime_dir}} / p).string();
}

std::string_view to_string(file_event e) {
  switch (e) {
    case file_event::none: return "none";
    case file_event::engage: return "engage";
    case file_event::removed: return "removed";
  }
  return "?";
}

file_event file_presence::observe(bool exists) {
  bool was = present_;
  observed_ = true;
  present_ = exists;
  if (exists && !was) {
    ++engagements_;
    return file_event::engage;
  }
  if (!exists && was)
    return file_event::removed;
  return file_event::none;
}

std::string condition_detail(std::string_view path) { return "kill switch file " + std::string{path} + " exists"; }

} // namespace trader::kill_switch

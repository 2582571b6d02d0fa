#include "runtime/control/command_registry.hpp"

#include <algorithm>

namespace trader::control {

namespace {

constexpr const char* help_description = "List the available commands.";

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 64)
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

} // namespace

bool command_registry::add(std::string name, std::string description, command_handler handler,
                           std::chrono::milliseconds timeout) {
  if (!valid_name(name) || name == "help" || !handler)
    return false;
  std::lock_guard<std::mutex> lock(mtx_);
  commands_[std::move(name)] = command_entry{std::move(description), std::move(handler), timeout};
  return true;
}

void command_registry::remove(const std::string& name) {
  std::lock_guard<std::mutex> lock(mtx_);
  commands_.erase(name);
}

std::optional<command_entry> command_registry::find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mtx_);
  auto it = commands_.find(name);
  if (it == commands_.end())
    return std::nullopt;
  return it->second;
}

std::vector<command_info> command_registry::list() const {
  std::vector<command_info> out;
  {
    std::lock_guard<std::mutex> lock(mtx_);
    for (const auto& [name, e] : commands_)
      out.push_back(command_info{name, e.description});
  }
  out.push_back(command_info{"help", help_description});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

nlohmann::json command_registry::help() const {
  auto list = nlohmann::json::array();
  for (const auto& c : this->list())
    list.push_back({{"name", c.name}, {"description", c.description}});
  return nlohmann::json{{"commands", std::move(list)}};
}

} // namespace trader::control

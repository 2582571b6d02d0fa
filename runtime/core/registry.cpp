#include "runtime/core/registry.hpp"

namespace trader::core {

void registry::put(const std::string& name, caf::actor a) {
  std::lock_guard guard{mtx_};
  entries_[name] = std::move(a);
}

void registry::erase_if(const std::string& name, const caf::actor_addr& addr) {
  std::lock_guard guard{mtx_};
  auto i = entries_.find(name);
  if (i != entries_.end() && i->second.address() == addr)
    entries_.erase(i);
}

caf::actor registry::get(const std::string& name) const {
  std::lock_guard guard{mtx_};
  auto i = entries_.find(name);
  return i == entries_.end() ? caf::actor{} : i->second;
}

std::vector<std::string> registry::names() const {
  std::lock_guard guard{mtx_};
  std::vector<std::string> out;
  for (auto& [k, v] : entries_)
    out.push_back(k);
  return out;
}

} // namespace trader::core

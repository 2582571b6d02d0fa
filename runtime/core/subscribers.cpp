#include "runtime/core/subscribers.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace trader::core {

caf::actor subscribers::add_sender(caf::scheduled_actor* self, std::uint32_t mask) {
  auto who = caf::actor_cast<caf::actor>(self->current_sender());
  if (!who)
    return who;
  auto next = *snapshot();
  auto it = std::find_if(next.begin(), next.end(), [&](const subscriber& s) { return s.handle == who; });
  if (it != next.end()) {
    it->mask = mask;
  } else {
    self->monitor(who);
    next.push_back(subscriber{who, mask});
  }
  replace(std::move(next));
  return who;
}

bool subscribers::remove(const caf::down_msg& dm) {
  auto next = *snapshot();
  auto gone = std::remove_if(next.begin(), next.end(), [&](const subscriber& s) { return s.handle.address() == dm.source; });
  if (gone == next.end())
    return false;
  next.erase(gone, next.end());
  replace(std::move(next));
  return true;
}

void subscribers::remove_on_down(caf::scheduled_actor* self, std::function<void()> changed) {
  self->set_down_handler([this, changed = std::move(changed)](caf::down_msg& dm) {
    if (remove(dm) && changed)
      changed();
  });
}

void subscribers::replace(list next) {
  auto fresh = std::make_shared<const list>(std::move(next));
  std::lock_guard<std::mutex> g(mtx_);
  list_ = std::move(fresh);
}

} // namespace trader::core

#include "runtime/core/supervisor_plan.hpp"

namespace trader::core {

std::string_view to_string(restart_type x) {
  switch (x) {
    case restart_type::permanent: return "permanent";
    case restart_type::transient: return "transient";
    case restart_type::temporary: return "temporary";
  }
  return "?";
}

std::string_view to_string(restart_strategy x) {
  switch (x) {
    case restart_strategy::one_for_one: return "one_for_one";
    case restart_strategy::rest_for_one: return "rest_for_one";
    case restart_strategy::one_for_all: return "one_for_all";
  }
  return "?";
}

restart_scope plan_restart(restart_strategy s, const std::vector<child_view>& kids, std::size_t i) {
  restart_scope out;
  if (i >= kids.size())
    return out;
  std::size_t first = i;
  std::size_t last = i + 1;  // Affected range [first, last).
  switch (s) {
    case restart_strategy::one_for_one: break;
    case restart_strategy::rest_for_one: last = kids.size(); break;
    case restart_strategy::one_for_all:
      first = 0;
      last = kids.size();
      break;
  }
  for (std::size_t j = last; j-- > first;)  // Stop in reverse start order.
    if (kids[j].alive)
      out.terminate.push_back(j);
  for (std::size_t j = first; j < last; ++j) {  // Start in start order.
    if (j != i && kids[j].restart == restart_type::temporary)
      out.dropped.push_back(j);  // OTP: temporary siblings are not restarted.
    else if (j == i || kids[j].active)  // the crashed child, and its active siblings
      out.start.push_back(j);
  }
  return out;
}

bool restart_window::add(time_point now) {
  while (!stamps_.empty() && stamps_.front() < now - in_.period)
    stamps_.pop_front();
  stamps_.push_back(now);
  return static_cast<int>(stamps_.size()) <= in_.max_restarts;
}

} // namespace trader::core

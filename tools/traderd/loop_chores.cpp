#include "tools/traderd/loop_chores.hpp"

#include "messages/names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trader::daemon {

std::int64_t runtime_meter::take(steady_time now) {
  if (now - last_ < std::chrono::minutes(1))
    return 0;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - last_);
  last_ += secs;
  return secs.count();
}

bool wedge_report::changed(const std::vector<std::string>& wedged) {
  if (wedged == before_)
    return false;
  before_ = wedged;
  return true;
}

std::string gate_text(const gate_changed& g) {
  if (g.open)
    return "OPEN";
  std::string text = "CLOSED(";
  for (std::size_t i = 0; i < g.reasons.size(); ++i)
    text += (i ? "," : "") + std::string{to_string(g.reasons[i].reason)};
  return text + ")";
}

void gate_status::on_gate(const gate_changed& g) {
  auto text = gate_text(g);
  std::lock_guard guard{mtx_};
  text_ = std::move(text);
}

std::string gate_status::text() const {
  std::lock_guard guard{mtx_};
  return text_;
}

bool watchdog_healthy(bool all_running, bool none_wedged, bool scheduler_answers, bool safe_halted) {
  if (!scheduler_answers)
    return false;
  return safe_halted || (all_running && none_wedged);
}

std::string status_text(std::string_view mode, std::string_view gate, const std::vector<health_report>& rows,
                        bool store_ok, std::string_view config_hash) {
  auto running = std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.state == actor_run_state::running; });
  return fmt::format("{} gate={} actors={}/{} store={} config={}", mode, gate, running, rows.size(),
                     store_ok ? "ok" : "UNAVAILABLE", config_hash);
}

} // namespace trader::daemon

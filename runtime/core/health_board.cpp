#include "runtime/core/health_board.hpp"

#include "messages/names.hpp"

#include <algorithm>
#include <functional>

namespace trader::core {

health_board::row* health_board::find(const std::string& name) {
  auto i = std::find_if(rows_.begin(), rows_.end(), [&](const row& r) { return r.report.name == name; });
  return i == rows_.end() ? nullptr : &*i;
}

void health_board::declare(const std::string& name, const std::string& parent, bool is_supervisor) {
  std::lock_guard guard{mtx_};
  if (find(name))
    return;
  row r;
  r.report.name = name;
  r.report.parent = parent;
  r.is_supervisor = is_supervisor;
  rows_.push_back(std::move(r));
}

void health_board::set_state(const std::string& name, actor_run_state st, ts_ns now) {
  std::lock_guard guard{mtx_};
  if (auto r = find(name)) {
    r->report.state = st;
    if (st == actor_run_state::running)
      r->report.started_ts = now;
  }
}

void health_board::record_failure(const std::string& name, const std::string& reason, ts_ns now) {
  std::lock_guard guard{mtx_};
  if (auto r = find(name)) {
    r->report.last_failure = reason;
    r->report.last_failure_ts = now;
  }
}

void health_board::record_restart(const std::string& name) {
  std::lock_guard guard{mtx_};
  if (auto r = find(name))
    ++r->report.restarts;
}

void health_board::set_liveness(const std::string& name, std::int64_t mailbox_depth, std::int64_t unanswered_ms) {
  std::lock_guard guard{mtx_};
  if (auto r = find(name)) {
    r->report.mailbox_depth = mailbox_depth;
    r->report.unanswered_ms = unanswered_ms;
  }
}

void health_board::set_unanswered(const std::string& name, std::int64_t unanswered_ms) {
  std::lock_guard guard{mtx_};
  if (auto r = find(name))
    r->report.unanswered_ms = unanswered_ms;
}

std::vector<std::string> health_board::wedged(std::int64_t limit_ms) const {
  std::lock_guard guard{mtx_};
  std::vector<std::string> out;
  for (auto& r : rows_)
    if (r.report.state == actor_run_state::running && r.report.unanswered_ms > limit_ms)
      out.push_back(r.report.name);
  return out;
}

std::vector<health_report> health_board::snapshot() const {
  std::lock_guard guard{mtx_};
  std::vector<health_report> out;
  out.reserve(rows_.size());
  for (auto& r : rows_)
    out.push_back(r.report);
  return out;
}

bool health_board::all_running() const {
  std::lock_guard guard{mtx_};
  return std::all_of(rows_.begin(), rows_.end(),
                     [](const row& r) { return r.report.state == actor_run_state::running; });
}

std::string health_board::render_tree() const {
  std::lock_guard guard{mtx_};
  std::string out;
  std::function<void(const std::string&, int)> walk = [&](const std::string& parent, int depth) {
    for (auto& r : rows_) {
      if (r.report.parent != parent)
        continue;
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
      out += r.report.name;
      out += r.is_supervisor ? " [supervisor] " : " ";
      out += to_string(r.report.state);
      if (r.report.restarts > 0)
        out += " restarts=" + std::to_string(r.report.restarts);
      if (!r.report.last_failure.empty())
        out += " last_failure=\"" + r.report.last_failure + "\"";
      out += '\n';
      walk(r.report.name, depth + 1);
    }
  };
  walk("", 0);
  return out;
}

} // namespace trader::core

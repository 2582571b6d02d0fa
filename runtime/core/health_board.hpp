#pragma once
// What every supervisor knows about its children, readable from any thread (control socket,
// traderd --print-tree, metrics). No CAF.

#include "messages/ops.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace trader::core {

/// Thread-safe table of health_report rows in tree (start) order.
class health_board {
public:
  /// Adds a row the first time a name is seen; keeps its position afterwards.
  void declare(const std::string& name, const std::string& parent, bool is_supervisor);
  void set_state(const std::string& name, actor_run_state st, ts_ns now);
  /// Records an abnormal exit and whether it led to a restart.
  void record_failure(const std::string& name, const std::string& reason, ts_ns now);
  void record_restart(const std::string& name);
  /// Liveness monitor: mailbox depth of the last answer, and how long the current probe
  /// has gone unanswered (0 = answering).
  void set_liveness(const std::string& name, std::int64_t mailbox_depth, std::int64_t unanswered_ms);
  void set_unanswered(const std::string& name, std::int64_t unanswered_ms);
  /// Names of running actors whose probe has gone unanswered longer than limit_ms.
  std::vector<std::string> wedged(std::int64_t limit_ms) const;
  std::vector<health_report> snapshot() const;
  /// True when every declared child is running (the watchdog's health condition).
  bool all_running() const;
  /// Indented tree text: "root (supervisor, running)\n  infra ...".
  std::string render_tree() const;

private:
  struct row {
    health_report report;
    bool is_supervisor = false;
  };
  row* find(const std::string& name);
  mutable std::mutex mtx_;
  std::vector<row> rows_;
};

} // namespace trader::core

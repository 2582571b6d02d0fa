#include "actors/control/kill_switch/kill_switch_stats.hpp"

namespace trader::kill_switch {

kill_switch_stats::kill_switch_stats(const metrics::actor_metrics& m)
  : engaged(m.counter("file_engaged_total", "Times the kill-switch file was seen appearing (present at start included).")),
    present(m.gauge("file_present", "1 while the kill-switch file exists.")),
    watching(m.gauge("file_watched", "1 while inotify watches the kill-switch file's directory (0: stat every second only).")) {}

} // namespace trader::kill_switch

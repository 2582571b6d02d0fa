#include "actors/exchange/clock/clock_stats.hpp"

namespace trader::clock {

clock_stats::clock_stats(const metrics::actor_metrics& m)
  : skew(m.gauge("skew_seconds", "Exchange time minus local time, RTT/2-corrected.")),
    probe_rtt(m.gauge("probe_rtt_seconds", "Round trip of the time probe used.")) {}

void clock_stats::update(const skew_verdict& v) {
  if (!v.estimate)
    return;
  skew.Set(static_cast<double>(v.estimate->offset_ns) / 1e9);
  probe_rtt.Set(static_cast<double>(v.estimate->rtt_ns) / 1e9);
}

} // namespace trader::clock

#include "actors/infra/latency/latency_actor.hpp"

#include "actors/infra/latency/latency_baseline.hpp"
#include "actors/infra/latency/latency_stats.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace trader::latency {

namespace {

using tick_atom = caf::atom_constant<caf::atom("lat_tick")>;

struct latency_state {
  std::shared_ptr<latency_tracker> tracker;  ///< Shared with the save-at-stop functor.
  std::unique_ptr<latency_stats> stats;
  std::map<std::string, std::uint64_t> violations;  ///< Failed checks per key (bounded like the keys).
  static inline const char* name = names::latency;
};

using self_ptr = caf::stateful_actor<latency_state>*;

std::int64_t mono(self_ptr self) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(self->clock().now().time_since_epoch()).count();
}

alert budget_alert(const std::string& key, std::string detail, bool resolved) {
  alert a;
  a.type = "latency_budget_violation";
  a.level = severity::warning;
  a.fingerprint = "latency_budget_violation:" + key;
  a.title = resolved ? "Latency back under budget: " + key : "Latency over budget: " + key;
  a.detail = std::move(detail);
  a.source = names::latency;
  a.resolved = resolved;
  a.ts = system_time_source::instance().wall_now();
  return a;
}

void check(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto r = st.tracker->check(mono(self));
  for (const auto& v : r.violations) {
    ++st.violations[v.key];
    spdlog::warn("latency: {}", v.reason);
    reg.send(self, names::alerting, budget_alert(v.key, v.reason, false));
  }
  for (const auto& key : r.recovered) {
    spdlog::info("latency: {} back under budget", key);
    reg.send(self, names::alerting, budget_alert(key, "LATENCY_OK: key=" + key, true));
  }
  if (st.stats)
    st.stats->checked(r);
}

using save_atom = caf::atom_constant<caf::atom("lat_save")>;

/// Restores every well-formed baseline line of path; a malformed line is skipped (and
/// named), never fatal: baselines are advisory.
void load_baselines(latency_tracker& t, const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return;  // first run
  std::string line, why;
  int n = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty())
      continue;
    if (auto b = decode_baseline(line, why)) {
      t.restore_baseline(b->key, b->histogram);
      ++n;
    } else {
      spdlog::warn("latency: {}:{}: baseline skipped: {}", path, line_no, why);
    }
  }
  spdlog::info("latency: restored {} baseline(s) from {}", n, path);
}

/// Writes every key's lifetime histogram to path atomically (temp file + rename).
void save_baselines(const latency_tracker& t, const std::string& path, std::int64_t now) {
  auto tmp = path + ".tmp";
  {
    std::ofstream out{tmp, std::ios::trunc};
    for (const auto& s : t.summaries(now))
      if (auto h = t.lifetime(s.key))
        out << encode_baseline(s.key, *h) << '\n';
    if (!out) {
      spdlog::error("latency: cannot write baselines to {}", tmp);
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    spdlog::error("latency: cannot replace {}: {}", path, ec.message());
}

caf::behavior latency_impl(self_ptr self, core::registry* reg, const options& opts, prometheus::Registry* metrics) {
  auto& st = self->state;
  st.tracker = std::make_shared<latency_tracker>(opts.tracker);
  st.stats = std::make_unique<latency_stats>(metrics::actor_metrics(*metrics, names::latency), opts.tracker.max_keys);
  for (const auto& [key, b] : budgets_of(opts)) {
    st.tracker->set_budget(key, b);
    if (st.stats)
      st.stats->set_budget(key, b);
  }
  auto period = std::chrono::milliseconds(std::max<std::int64_t>(1, opts.check_interval_ms));
  self->delayed_send(self, period, tick_atom::value);
  auto baseline_path = opts.baseline_path;
  auto save_period = std::chrono::seconds(std::max<std::int64_t>(1, opts.baseline_save_s));
  if (!baseline_path.empty()) {
    load_baselines(*st.tracker, baseline_path);
    self->delayed_send(self, save_period, save_atom::value);
    // Also at stop (restart, shutdown). Attached functors run after the state is gone, so
    // the functor holds its own reference to the tracker (and never touches self).
    self->attach_functor([tracker = st.tracker, baseline_path](const caf::error&) {
      save_baselines(*tracker, baseline_path, system_time_source::instance().mono_now());
    });
  }
  return {
    [=](const latency_sample& s) {
      auto& st = self->state;
      st.tracker->record(s.endpoint, s.duration_ns, mono(self));
      if (st.stats)
        st.stats->observe(s.endpoint, s.duration_ns);
    },
    [=](latency_report_request) -> std::string {
      auto& st = self->state;
      return report_json(st.tracker->summaries(mono(self)), st.violations);
    },
    [=](tick_atom) {
      check(self, *reg);
      self->delayed_send(self, period, tick_atom::value);
    },
    [=](save_atom) {
      save_baselines(*self->state.tracker, baseline_path, mono(self));
      self->delayed_send(self, save_period, save_atom::value);
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_latency(caf::actor_system& sys, core::registry& reg, options opts,
                         prometheus::Registry& metrics) {
  return sys.spawn(latency_impl, &reg, std::move(opts), &metrics);
}

} // namespace trader::latency

#include "tools/traderd/daemon_metrics.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/names.hpp"
#include "runtime/metrics/actor_metrics.hpp"
#include "runtime/metrics/exporter.hpp"
#include "runtime/metrics/info_metrics.hpp"
#include "runtime/persistence/state_store.hpp"

#include <filesystem>
#include <mutex>

namespace trader::daemon {

namespace {

std::vector<std::string> all_gate_reasons() {
  std::vector<std::string> out;
  for (int i = 0; i <= static_cast<int>(last_gate_reason); ++i)
    out.emplace_back(to_string(static_cast<gate_reason>(i)));
  return out;
}

} // namespace

struct daemon_metrics::impl {
  metrics::exporter exp;
  metrics::config_info config{*exp.registry()};
  metrics::supervision_metrics sup{*exp.registry()};
  prometheus::Gauge& gate_open = metrics::actor_metrics(*exp.registry(), names::risk)
                                   .gauge("gate_open", "1 = new risk allowed, 0 = the trading gate is closed.");
  metrics::labelled<prometheus::Gauge> gate_reasons =
    metrics::actor_metrics(*exp.registry(), names::risk)
      .gauges("gate_closed_reasons", "1 for each reason currently holding the gate closed.",
              {{"reason", all_gate_reasons()}}, 32);
  prometheus::Gauge& store_healthy = metrics::actor_metrics(*exp.registry(), names::state)
                                       .gauge("store_healthy", "1 when LMDB opens, reads, writes and verifies.");
  prometheus::Gauge& store_size = metrics::actor_metrics(*exp.registry(), names::state)
                                    .gauge("store_size_bytes", "Size of the LMDB data file.");
  metrics::labelled<prometheus::Gauge> probe_unanswered =
    metrics::actor_metrics(*exp.registry(), "actor")
      .gauges("probe_unanswered_seconds",
              "How long the actor has left its liveness probe unanswered; 0 = answering (wedge detection).",
              {{"actor", {}}}, 64);
  metrics::labelled<prometheus::Counter> registry_dropped =
    metrics::actor_metrics(*exp.registry(), "registry")
      .counters("dropped_total", "Sends dropped because no actor was registered under the name.", {{"name", {}}}, 64);
  std::mutex mtx;
  std::map<std::string, std::int64_t> restarts_seen;
  std::map<std::string, std::uint64_t> drops_seen;
};

daemon_metrics::daemon_metrics(const std::string& config_hash, const std::string& mode) : impl_(new impl) {
  metrics::declare_build_info(*impl_->exp.registry(),
                              metrics::build_info{"0.1.0", TRADER_GIT_COMMIT, TRADER_BUILD_TYPE, "gcc-" __VERSION__},
                              static_cast<double>(system_time_source::instance().wall_now()) / 1e9);
  impl_->config.set(config_hash, mode);
  impl_->gate_open.Set(0);
}

daemon_metrics::~daemon_metrics() = default;

prometheus::Registry& daemon_metrics::registry() { return *impl_->exp.registry(); }

bool daemon_metrics::start(const std::string& listen, std::string& why) {
  auto started = metrics::parse_listen(listen).and_then([&](const metrics::exporter_options& opts) {
    return impl_->exp.start(opts);
  });
  if (!started)
    why = started.error();
  return started.ok();
}

void daemon_metrics::stop() { impl_->exp.stop(); }

std::uint16_t daemon_metrics::port() const { return impl_->exp.port(); }

void daemon_metrics::set_config(const std::string& config_hash, const std::string& mode) {
  impl_->config.set(config_hash, mode);
}

void daemon_metrics::on_gate(const gate_changed& g) {
  std::lock_guard guard{impl_->mtx};
  impl_->gate_open.Set(g.open ? 1 : 0);
  for (auto& name : all_gate_reasons())
    impl_->gate_reasons[name].Set(0);
  for (auto& r : g.reasons)
    impl_->gate_reasons[to_string(r.reason)].Set(1);
}

void daemon_metrics::refresh(const std::vector<health_report>& rows, const persistence::state_store* store,
                             const std::string& state_dir, const std::map<std::string, std::uint64_t>& drops) {
  std::lock_guard guard{impl_->mtx};
  for (auto& [name, count] : drops) {
    auto& seen = impl_->drops_seen[name];
    if (count > seen) {
      impl_->registry_dropped[name].Increment(static_cast<double>(count - seen));
      seen = count;
    }
  }
  for (auto& r : rows) {
    impl_->sup.up[r.name].Set(r.state == actor_run_state::running ? 1 : 0);
    auto& seen = impl_->restarts_seen[r.name];
    if (r.restarts > seen) {
      impl_->sup.restarts[r.name].Increment(static_cast<double>(r.restarts - seen));
      seen = r.restarts;
    }
    if (r.mailbox_depth >= 0)
      impl_->sup.mailbox_depth[r.name].Set(static_cast<double>(r.mailbox_depth));
    impl_->probe_unanswered[r.name].Set(static_cast<double>(r.unanswered_ms) / 1e3);
    if (r.last_failure_ts)
      impl_->sup.last_failure[r.name].Set(static_cast<double>(r.last_failure_ts) / 1e9);
  }
  impl_->store_healthy.Set(store && !store->failure() ? 1 : 0);
  std::error_code ec;
  auto size = std::filesystem::file_size(std::filesystem::path{state_dir} / "data.mdb", ec);
  impl_->store_size.Set(ec ? 0 : static_cast<double>(size));
}

} // namespace trader::daemon

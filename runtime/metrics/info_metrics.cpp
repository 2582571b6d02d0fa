#include "runtime/metrics/info_metrics.hpp"

namespace trader::metrics {

namespace {

/// The supervision family is keyed by actor; the tree has ~25 actors.
constexpr std::size_t max_actors = 64;

} // namespace

void declare_build_info(prometheus::Registry& registry, const build_info& info, double start_time_seconds) {
  prometheus::BuildGauge()
    .Name("trader_build_info")
    .Help("Build of the running binary; the value is always 1.")
    .Register(registry)
    .Add({{"version", info.version},
          {"git_commit", info.git_commit},
          {"build_type", info.build_type},
          {"compiler", info.compiler}})
    .Set(1);
  prometheus::BuildGauge()
    .Name("trader_process_start_time_seconds")
    .Help("Wall-clock start time of the process, seconds since the UNIX epoch.")
    .Register(registry)
    .Add({})
    .Set(start_time_seconds);
}

config_info::config_info(prometheus::Registry& registry)
  : family_(&prometheus::BuildGauge()
               .Name("trader_config_info")
               .Help("Hash and mode of the loaded configuration; the value is always 1.")
               .Register(registry)) {}

void config_info::set(const std::string& config_hash, const std::string& mode) {
  std::lock_guard<std::mutex> lock(mtx_);
  auto& next = family_->Add({{"config_hash", config_hash}, {"mode", mode}});
  if (current_ != nullptr && current_ != &next)
    family_->Remove(current_);
  next.Set(1);
  current_ = &next;
}

supervision_metrics::supervision_metrics(prometheus::Registry& registry)
  : up(actor_metrics(registry, "actor").gauges("up", "1 while the actor runs, 0 while it is down.", {{"actor", {}}}, max_actors)),
    restarts(actor_metrics(registry, "actor")
               .counters("restarts_total", "Restarts of the actor by its supervisor.", {{"actor", {}}}, max_actors)),
    mailbox_depth(actor_metrics(registry, "actor")
                    .gauges("mailbox_depth", "Messages waiting in the actor's mailbox.", {{"actor", {}}}, max_actors)),
    last_failure(actor_metrics(registry, "actor")
                   .gauges("last_failure_timestamp_seconds", "Wall time of the actor's last abnormal exit.",
                           {{"actor", {}}}, max_actors)) {}

} // namespace trader::metrics

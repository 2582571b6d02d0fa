#include "actors/infra/state/store_reverifier.hpp"

#include <cstdlib>

namespace trader::state {

namespace {
constexpr std::chrono::milliseconds poll_period{1000};
}

reverify_options reverify_options::from_env() {
  reverify_options o;
  if (const char* v = std::getenv("TRADER_STATE_VERIFY_INTERVAL_S"); v && *v) {  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
    char* end = nullptr;
    long s = std::strtol(v, &end, 10);
    if (end && *end == '\0' && s >= 0)
      o.interval = std::chrono::seconds{s};
  }
  return o;
}

store_reverifier::store_reverifier(std::string dir, reverify_options opts) : dir_(std::move(dir)), opts_(std::move(opts)) {
  if (opts_.helper.empty())
    opts_.helper = persistence::default_verify_helper();
}

reverify_step store_reverifier::step() {
  reverify_step out;
  auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(opts_.interval);
  if (!proc_) {
    if (opts_.helper.empty()) {
      out.cannot_run = "no verify helper: traderctl is not installed next to traderd";
      out.next = interval;
      return out;
    }
    auto p = persistence::verify_process::start(persistence::verify_helper_argv(opts_.helper, dir_), dir_);
    if (!p) {
      out.cannot_run = p.error().describe();
      out.next = interval;
      return out;
    }
    proc_.emplace(std::move(*p));
    started_ = std::chrono::steady_clock::now();
    out.next = poll_period;
    return out;
  }
  auto rep = proc_->poll();
  if (!rep) {
    out.next = poll_period;
    return out;
  }
  proc_.reset();
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  out.finished = std::move(*rep);
  out.next = interval;
  return out;
}

} // namespace trader::state

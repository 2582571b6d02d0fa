#include "runtime/config/mode_gate.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace trader::config {

env_lookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
    if (!v)
      return std::nullopt;
    return std::string(v);
  };
}

namespace {
bool is_yes(const std::optional<std::string>& v) {
  if (!v || v->size() != 3)
    return false;
  std::string lower;
  for (char ch : *v)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower == "yes";
}
} // namespace

mode_decision decide_mode(const app_section& app, bool confirm_live_flag, const env_lookup& env) {
  mode_decision d;
  d.mode = app.mode;
  if (app.mode != trading_mode::live) {
    d.allowed = true;
    d.read_only = true;
    d.message = std::string(to_string(app.mode)) + ": read_only forced on; no order will be sent";
    if (!app.read_only)
      d.message += " (app.read_only = false is ignored outside LIVE)";
    return d;
  }
  if (app.read_only) {
    d.allowed = false;
    d.read_only = true;
    d.message = "refusing to start: mode = \"LIVE\" with read_only = true is contradictory; set "
                "app.read_only = false to trade, or use mode = \"PAPER\" / \"DRY_RUN\"";
    return d;
  }
  bool env_yes = env && is_yes(env("TRADER_CONFIRM_LIVE"));
  if (!confirm_live_flag && !env_yes) {
    d.allowed = false;
    d.read_only = true;
    d.message = "refusing to start LIVE without explicit confirmation: pass --confirm-live or set "
                "TRADER_CONFIRM_LIVE=yes";
    return d;
  }
  d.allowed = true;
  d.read_only = false;
  d.message = std::string("LIVE: real orders enabled (confirmed by ") +
              (confirm_live_flag ? "--confirm-live" : "TRADER_CONFIRM_LIVE=yes") + ")";
  return d;
}

namespace {
std::string hours_text(std::chrono::seconds s) {
  auto total_min = (s.count() + 59) / 60;
  return std::to_string(total_min / 60) + "h" + (total_min % 60 < 10 ? "0" : "") +
         std::to_string(total_min % 60) + "m";
}
} // namespace

paper_time_decision check_paper_time(const trader_config& c, const std::string& hash,
                                     std::chrono::seconds paper_runtime) {
  paper_time_decision d;
  if (c.app.mode != trading_mode::live || c.live.min_paper_hours <= 0) {
    d.message = "PAPER-time policy off";
    return d;
  }
  auto needed = std::chrono::seconds(std::llround(c.live.min_paper_hours * 3600.0));
  if (paper_runtime < std::chrono::seconds(0))
    paper_runtime = std::chrono::seconds(0);
  if (paper_runtime >= needed) {
    d.message =
      "config " + hash + " ran " + hours_text(paper_runtime) + " in PAPER (>= " + hours_text(needed) + ")";
    return d;
  }
  d.allowed = false;
  d.remaining = needed - paper_runtime;
  d.message = "refusing LIVE: config " + hash + " has run " + hours_text(paper_runtime) +
              " in PAPER; live.min_paper_hours needs " + hours_text(needed) + ", " + hours_text(d.remaining) +
              " to go. Run this exact config in PAPER first.";
  return d;
}

} // namespace trader::config

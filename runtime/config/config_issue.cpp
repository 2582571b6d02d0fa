#include "runtime/config/config_issue.hpp"

#include "runtime/config/app_config.hpp"
#include "runtime/config/market_config.hpp"
#include "runtime/config/policy_config.hpp"

#include <algorithm>

namespace trader::config {

const char* to_string(severity s) {
  switch (s) {
    case severity::warning: return "warning";
    case severity::error: return "error";
  }
  return "?";
}

const char* to_string(trading_mode m) {
  switch (m) {
    case trading_mode::dry_run: return "DRY_RUN";
    case trading_mode::paper: return "PAPER";
    case trading_mode::live: return "LIVE";
  }
  return "?";
}

const char* to_string(order_type t) {
  switch (t) {
    case order_type::limit_post_only: return "limit_post_only";
    case order_type::limit: return "limit";
    case order_type::market: return "market";
  }
  return "?";
}

std::string render(const config_issue& issue) {
  std::string out = issue.file;
  if (issue.line > 0) {
    out += ":" + std::to_string(issue.line);
    if (issue.column > 0)
      out += ":" + std::to_string(issue.column);
  }
  out += ": ";
  out += to_string(issue.level);
  out += ": ";
  if (!issue.key.empty())
    out += issue.key + ": ";
  out += issue.message;
  out += " [" + issue.check + "]";
  return out;
}

std::size_t count(const std::vector<config_issue>& issues, severity s) {
  return static_cast<std::size_t>(
    std::count_if(issues.begin(), issues.end(), [s](const config_issue& i) { return i.level == s; }));
}

std::map<std::string, theme> default_themes() {
  return {
    {"large_caps", theme{{"BTC-USD", "ETH-USD"}, 10.0}},
    {"layer1", theme{{"SOL-USD", "AVAX-USD"}, 8.0}},
    {"memes", theme{{"DOGE-USD"}, 5.0}},
  };
}

std::map<std::string, strategy> default_strategies() {
  return {
    {"breakout", strategy{true, 15.0, 3, "breakout"}},
    {"momentum", strategy{false, 10.0, 2, "momentum"}},
    {"rsi_reversion", strategy{false, 10.0, 2, "rsi_reversion", "rsi_reversion"}},
  };
}

} // namespace trader::config

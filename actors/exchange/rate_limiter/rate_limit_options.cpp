#include "actors/exchange/rate_limiter/rate_limit_options.hpp"

#include <algorithm>

namespace trader::rate_limit {

group_options group_options::for_limit(double limit_per_s, double per_hour) {
  group_options g;
  g.burst = std::max(1.0, limit_per_s * 0.2);
  g.rate_per_s = std::max(0.001, limit_per_s - g.burst);
  g.per_hour = per_hour;
  return g;
}

const group_options& options::group(endpoint_group g) const {
  switch (g) {
    case endpoint_group::public_rest: return public_rest;
    case endpoint_group::private_rest: return private_rest;
    case endpoint_group::ws_connect: return ws_connect;
  }
  return private_rest;
}

group_options& options::group(endpoint_group g) {
  return const_cast<group_options&>(static_cast<const options&>(*this).group(g));
}

result<void, std::string> validate(const options& o) {
  std::string why;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok)
      why += what + "\n";
  };
  for (auto g : {endpoint_group::public_rest, endpoint_group::private_rest, endpoint_group::ws_connect}) {
    auto& x = o.group(g);
    auto name = std::string{to_string(g)};
    check(x.rate_per_s > 0, "rate_limit." + name + ".rate_per_s must be > 0");
    check(x.burst >= 1, "rate_limit." + name + ".burst must be >= 1 (a call takes one token)");
    check(x.per_hour >= 0, "rate_limit." + name + ".per_hour must be >= 0");
    check(x.per_hour == 0 || x.per_hour * x.hour_burst_fraction >= 1,
          "rate_limit." + name + ".per_hour * hour_burst_fraction must be >= 1");
    check(x.hour_burst_fraction > 0 && x.hour_burst_fraction < 1,
          "rate_limit." + name + ".hour_burst_fraction must be in (0, 1)");
  }
  check(o.cancel_reserve_fraction >= 0 && o.cancel_reserve_fraction <= 0.9,
        "rate_limit.cancel_reserve_fraction must be in [0, 0.9]");
  check(o.warn_at > 0 && o.warn_at <= 1, "rate_limit.warn_at must be in (0, 1]");
  check(o.hold_at > 0 && o.hold_at <= 1, "rate_limit.hold_at must be in (0, 1]");
  check(o.window_ns > 0, "rate_limit.window_ns must be > 0");
  check(o.default_retry_after_ms > 0, "rate_limit.default_retry_after_ms must be > 0");
  check(o.max_retry_after_ms >= o.default_retry_after_ms, "rate_limit.max_retry_after_ms must be >= the default");
  check(o.tighten_factor > 0 && o.tighten_factor < 1, "rate_limit.tighten_factor must be in (0, 1)");
  check(o.min_rate_factor > 0 && o.min_rate_factor <= 1, "rate_limit.min_rate_factor must be in (0, 1]");
  check(o.recover_after_ms > 0, "rate_limit.recover_after_ms must be > 0");
  check(o.recover_step > 0, "rate_limit.recover_step must be > 0");
  check(o.max_queue > 0, "rate_limit.max_queue must be > 0");
  check(o.max_endpoints > 0, "rate_limit.max_endpoints must be > 0");
  if (!why.empty())
    return fail(std::move(why));
  return {};
}

std::string_view to_string(endpoint_group g) {
  switch (g) {
    case endpoint_group::public_rest: return "public";
    case endpoint_group::private_rest: return "private";
    case endpoint_group::ws_connect: return "ws";
  }
  return "unknown";
}

std::string_view to_string(call_priority p) {
  switch (p) {
    case call_priority::cancel: return "cancel";
    case call_priority::order: return "order";
    case call_priority::data: return "data";
  }
  return "unknown";
}

} // namespace trader::rate_limit

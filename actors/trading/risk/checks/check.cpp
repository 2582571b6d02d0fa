#include "actors/trading/risk/checks/check.hpp"

#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/fixed_math.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <exception>

namespace trader::risk {

double regime_multiplier(const risk_policy& policy, const market_snapshot& market, const trade_proposal& p) {
  double m = market.regime_multiplier;  // the regime risk was told about; 1.0 when none
  if (!p.regime.empty()) {
    auto it = policy.regime_multipliers.find(p.regime);
    m = it == policy.regime_multipliers.end() ? 0.0 : it->second;  // an unknown regime adds no risk
  }
  if (p.size_multiplier > 0)
    m = std::min(1.0, m / p.size_multiplier);  // the strategy applied its own: never twice, never upwards
  return std::max(0.0, m);
}

check_context make_context(const trade_proposal& p, const portfolio_snapshot& book, const risk_policy& policy,
                           const market_snapshot& market, const pacing_state& pacing, ts_ns now) {
  check_context c{p, book, policy, market, pacing, now, nullptr, nullptr, {}, {}, {}, 1.0, true, false};
  c.entry = market.find(p.product);
  c.position = book.find(p.product);
  c.adds_risk = p.kind == proposal_kind::open || p.kind == proposal_kind::add;
  c.is_add = c.adds_risk && (p.kind == proposal_kind::add || c.position != nullptr);
  if (c.adds_risk) {
    c.exposure = summarize(book, policy, p.product, p.strategy);
    c.regime = p.regime.empty() ? std::string_view{market.regime} : std::string_view{p.regime};
    c.regime_multiplier = regime_multiplier(policy, market, p);
    c.desired = scale_down(p.target, ppm_from_ratio(c.regime_multiplier));
  } else {
    c.desired = p.target;
  }
  return c;
}

check_result run_check(const check_def& c, const check_context& ctx) noexcept {
  try {
    return c.fn(ctx);
  } catch (const std::exception& e) {
    return check_result::reject(check_id::check_failed, fmt("check=%.*s error=%s", static_cast<int>(c.id.size()),
                                                            c.id.data(), e.what()));
  } catch (...) {
    return check_result::reject(check_id::check_failed,
                                fmt("check=%.*s error=unknown", static_cast<int>(c.id.size()), c.id.data()));
  }
}

std::string fmt(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (n < 0)
    return {};
  if (static_cast<std::size_t>(n) < sizeof buf)
    return std::string(buf, static_cast<std::size_t>(n));
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  va_start(args, format);
  std::vsnprintf(out.data(), out.size(), format, args);
  va_end(args);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

} // namespace trader::risk

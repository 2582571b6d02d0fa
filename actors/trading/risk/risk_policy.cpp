#include "actors/trading/risk/risk_policy.hpp"

namespace trader::risk {

risk_policy default_risk_policy() {
  risk_policy p;
  p.strategies["breakout"] = strategy_limits{true, 15.0, 3};
  p.strategies["momentum"] = strategy_limits{false, 10.0, 2};
  p.themes.push_back(theme_limits{"large_caps", {"BTC", "ETH"}, 10.0});
  p.themes.push_back(theme_limits{"layer1", {"SOL", "AVAX"}, 8.0});
  p.themes.push_back(theme_limits{"memes", {"DOGE"}, 5.0});
  return p;
}

} // namespace trader::risk

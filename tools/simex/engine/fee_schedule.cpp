#include "tools/simex/engine/fee_schedule.hpp"

namespace trader::simex {

fee_schedule::fee_schedule(std::vector<fee_tier> tiers) : tiers_(std::move(tiers)) {
  if (tiers_.empty())
    tiers_.push_back({"Intro 1", notional{}, notional{}, rate{}, rate{}});
}

fee_schedule fee_schedule::coinbase_default() {
  auto r = [](const char* s) { return *parse_fixed<rate_tag>(s); };
  auto usd = [](std::int64_t v) { return notional::from_int(v); };
  return fee_schedule{{
    {"Intro 1", usd(0), usd(1'000), r("0.005"), r("0.009")},
    {"Advanced 1", usd(1'000), usd(10'000), r("0.0035"), r("0.0075")},
    {"Advanced 2", usd(10'000), usd(50'000), r("0.0025"), r("0.004")},
    {"Advanced 3", usd(50'000), usd(100'000), r("0.00125"), r("0.0025")},
    {"VIP 1", usd(100'000), usd(1'000'000), r("0.00075"), r("0.002")},
    {"VIP 2", usd(1'000'000), usd(15'000'000), r("0.0004"), r("0.0018")},
    {"VIP 3", usd(15'000'000), usd(75'000'000), r("0.0002"), r("0.0016")},
    {"VIP 4", usd(75'000'000), usd(250'000'000), r("0"), r("0.0012")},
    {"VIP 5", usd(250'000'000), usd(400'000'000), r("0"), r("0.0008")},
    {"VIP 6", usd(400'000'000), notional{}, r("0"), r("0.0005")},
  }};
}

const fee_tier& fee_schedule::tier_for(notional volume_30d) const {
  const fee_tier* best = &tiers_.front();
  for (const auto& t : tiers_)
    if (volume_30d >= t.usd_from)
      best = &t;
  return *best;
}

} // namespace trader::simex

#include "tools/traderd/universe_products.hpp"

#include "actors/exchange/coinbase/symbols.hpp"
#include "runtime/config/trader_config.hpp"

#include <algorithm>

namespace trader::daemon {

std::vector<product_id> streamed_products(const config::trader_config& cfg, std::vector<std::string>* problems) {
  std::vector<product_id> excluded;
  for (auto& s : cfg.red_flags.excluded_symbols)
    if (auto p = exchange::canonical_product(s))
      excluded.push_back(*p);
  std::vector<product_id> out;
  auto add = [&](const std::string& s) {
    auto p = exchange::canonical_product(s);
    if (!p) {
      if (problems)
        problems->push_back(p.error());
      return;
    }
    if (std::find(excluded.begin(), excluded.end(), *p) != excluded.end())
      return;
    if (std::find(out.begin(), out.end(), *p) == out.end())
      out.push_back(*p);
  };
  for (auto& s : cfg.tiers.core)
    add(s);
  for (auto& s : cfg.tiers.rotational)
    add(s);
  return out;
}

} // namespace trader::daemon

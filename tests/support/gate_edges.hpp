#pragma once
// Turns the level-triggered reports a gate source sends (gate_conditions: its whole current
// set) back into the edges a test asserts on: one gate_signal per condition raised or
// cleared since the source's previous report. Periodic re-asserts of an unchanged set yield
// nothing, so "raised once, cleared once" stays checkable. No CAF.

#include "messages/gate.hpp"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace trader::test {

class gate_edges {
public:
  std::vector<gate_signal> apply(const gate_conditions& c) {
    std::map<std::pair<gate_reason, std::string>, std::string> now;
    for (const auto& x : c.active)
      now[{x.reason, x.product}] = x.detail;
    auto& before = held_[c.source];
    std::vector<gate_signal> out;
    for (const auto& [key, detail] : before)
      if (!now.count(key))
        out.push_back(gate_signal{key.first, false, "", c.source, c.ts, key.second});
    for (const auto& [key, detail] : now)
      if (!before.count(key))
        out.push_back(gate_signal{key.first, true, detail, c.source, c.ts, key.second});
    before = std::move(now);
    return out;
  }

private:
  std::map<std::string, std::map<std::pair<gate_reason, std::string>, std::string>> held_;
};

} // namespace trader::test

#include "runtime/core/gate_reporter.hpp"

namespace trader::core {

bool gate_reporter::set(gate_reason r, std::string detail, std::string product) {
  auto [it, inserted] = active_.try_emplace({r, std::move(product)}, detail);
  if (!inserted)
    it->second = std::move(detail);
  return inserted;
}

bool gate_reporter::update(gate_reason r, bool active, std::string detail, std::string product) {
  return active ? set(r, std::move(detail), std::move(product)) : clear(r, product);
}

bool gate_reporter::clear(gate_reason r, const std::string& product) { return active_.erase({r, product}) != 0; }


gate_conditions gate_reporter::snapshot(ts_ns now) const {
  gate_conditions out{source_, {}, now};
  out.active.reserve(active_.size());
  for (const auto& [key, detail] : active_)
    out.active.push_back(gate_condition{key.first, key.second, detail});
  return out;
}

} // namespace trader::core

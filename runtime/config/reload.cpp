#include "runtime/config/reload.hpp"

#include "runtime/config/config_hash.hpp"
#include "runtime/config/schema.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace trader::config {

namespace {

/// The schema section and field a flattened key belongs to.
std::pair<const section_schema*, const field_schema*> owner(const std::string& key) {
  const section_schema* best = nullptr;
  for (const auto& s : schema())
    if (key.rfind(s.name + ".", 0) == 0 && (!best || s.name.size() > best->name.size()))
      best = &s;
  if (!best)
    return {nullptr, nullptr};
  return {best, find_field(*best, key.substr(key.rfind('.') + 1))};
}

} // namespace

reload_plan plan_reload(const trader_config& running, const trader_config& candidate) {
  reload_plan plan;
  plan.old_hash = config_hash(running);
  plan.new_hash = config_hash(candidate);
  std::map<std::string, config_value> before, after;
  for (auto& kv : flatten(running))
    before.insert(std::move(kv));
  for (auto& kv : flatten(candidate))
    after.insert(std::move(kv));
  std::set<std::string> keys, sections, actors;
  for (const auto& [k, v] : before)
    if (auto it = after.find(k); it == after.end() || !(it->second == v))
      keys.insert(k);
  for (const auto& [k, v] : after)
    if (!before.count(k))
      keys.insert(k);
  for (const auto& k : keys) {
    auto [s, f] = owner(k);
    if (!s)
      continue;
    sections.insert(s->name);
    actors.insert(s->actors.begin(), s->actors.end());
    if (f && !f->reloadable) {
      auto b = before.find(k);
      auto a = after.find(k);
      plan.refusals.push_back({k, k + " cannot change at runtime (running " +
                                    (b == before.end() ? "unset" : render_value(b->second)) +
                                    ", new config " + (a == after.end() ? "unset" : render_value(a->second)) +
                                    "); restart traderd"});
    }
  }
  plan.changed_keys.assign(keys.begin(), keys.end());
  plan.changed_sections.assign(sections.begin(), sections.end());
  plan.affected_actors.assign(actors.begin(), actors.end());
  plan.changed = !keys.empty();
  plan.accepted = plan.refusals.empty();
  return plan;
}

reload_outcome prepare_reload(const trader_config& running, const std::filesystem::path& dir) {
  reload_outcome out;
  out.loaded = load_config_dir(dir);
  if (!out.loaded.ok()) {
    out.summary = "reload rejected: " + std::to_string(out.loaded.errors()) + " error(s) in " + dir.string() +
                  "; running config " + config_hash(running) + " stays";
    return out;
  }
  out.plan = plan_reload(running, *out.loaded.config);
  if (!out.plan.accepted) {
    out.summary = "reload refused: ";
    for (std::size_t i = 0; i < out.plan.refusals.size(); ++i)
      out.summary += (i ? "; " : "") + out.plan.refusals[i].message;
    return out;
  }
  if (!out.plan.changed) {
    out.summary = "reload: no change (config " + out.plan.old_hash + ")";
    return out;
  }
  out.apply = true;
  out.summary = "reload: config " + out.plan.old_hash + " -> " + out.plan.new_hash + ", sections:";
  for (const auto& s : out.plan.changed_sections)
    out.summary += " " + s;
  return out;
}

} // namespace trader::config

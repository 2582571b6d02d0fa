#include "runtime/core/tree.hpp"

#include "runtime/core/supervisor.hpp"

namespace trader::core {

const std::vector<std::pair<std::string, std::vector<std::string>>>& design_layout() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> layout = {
    // audit and alerting first: they must be up before anything reports to them.
    {"infra", {"audit", "alerting", "state", "latency", "metrics"}},
    {"exchange",
     {"rate_limiter", "products", "accounts", "orders", "fills", "clock", "market_data", "user_stream"}},
    {"trading", {"universe", "triggers", "strategies", "risk", "order_lifecycle"}},
    {"", {"scheduler", "control", "probe"}},  // Leaves directly under root (probe: test hook only).
  };
  return layout;
}

namespace {

restart_strategy strategy_of(const std::string& group) {
  return group == "trading" ? restart_strategy::rest_for_one : restart_strategy::one_for_one;
}

child_spec leaf(const std::string& name, const actor_factory& f, const tree_options& opts) {
  child_spec c;
  c.name = name;
  c.start = f.start;
  c.restart = f.restart;
  c.shutdown = opts.child_shutdown;
  return c;
}

} // namespace

supervisor_spec build_tree(const tree_options& opts, const actor_factories& factories, const supervisor_env& env) {
  supervisor_spec root{"root", restart_strategy::rest_for_one, opts.intensity, escalation::safe_halt, {}};
  for (auto& [group, names] : design_layout()) {
    if (group.empty()) {
      for (auto& n : names)
        if (auto i = factories.find(n); i != factories.end())
          root.children.push_back(leaf(n, i->second, opts));
      continue;
    }
    supervisor_spec sub{group, strategy_of(group), opts.intensity, escalation::exit, {}};
    for (auto& n : names)
      if (auto i = factories.find(n); i != factories.end())
        sub.children.push_back(leaf(n, i->second, opts));
    auto sub_env = env;
    sub_env.parent = "root";
    root.children.push_back(supervisor_child(std::move(sub), std::move(sub_env)));
  }
  return root;
}

std::string render_spec(const tree_options& opts, const actor_factories& factories) {
  auto tail = [&](const std::string& n) {
    auto i = factories.find(n);
    if (i == factories.end())
      return std::string{"  (not built yet)"};
    return std::string{"  restart="} + std::string{to_string(i->second.restart)}
           + " shutdown=" + std::to_string(opts.child_shutdown.count()) + "ms";
  };
  std::string out = "root  strategy=rest_for_one on_exceeded=safe_halt intensity="
                    + std::to_string(opts.intensity.max_restarts) + "/"
                    + std::to_string(opts.intensity.period.count()) + "ms\n";
  for (auto& [group, names] : design_layout()) {
    if (group.empty()) {
      for (auto& n : names)
        out += "├── " + n + tail(n) + "\n";
      continue;
    }
    out += "├── " + group + "  strategy=" + std::string{to_string(strategy_of(group))} + "\n";
    for (auto& n : names)
      out += "│   ├── " + n + tail(n) + "\n";
  }
  return out;
}

} // namespace trader::core

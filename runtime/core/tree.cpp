#include "runtime/core/tree.hpp"

#include "runtime/core/names.hpp"
#include "runtime/core/supervisor.hpp"

namespace trader::core {

const std::vector<std::pair<std::string, std::vector<std::string>>>& design_layout() {
  namespace n = names;
  static const std::vector<std::pair<std::string, std::vector<std::string>>> layout = {
    // audit and alerting first: they must be up before anything reports to them.
    {n::infra, {n::audit, n::alerting, n::state, n::latency, n::metrics, n::recorder}},
    {n::exchange,
     {n::rate_limiter, n::products, n::accounts, n::orders, n::fills, n::clock, n::market_data, n::user_stream}},
    {n::trading, {n::universe, n::triggers, n::strategies, n::risk, n::order_lifecycle, n::drift}},
    // Leaves directly under root (probe: test hook only). kill_switch first: under rest_for_one a
    // crash of a later sibling does not restart it (a restart re-engages a file still present).
    {"", {n::kill_switch, n::scheduler, n::control, n::probe}},
  };
  return layout;
}

namespace {

restart_strategy strategy_of(const std::string& group) {
  return group == names::trading ? restart_strategy::rest_for_one : restart_strategy::one_for_one;
}

child_spec leaf(const std::string& name, const actor_factory& f, const tree_options& opts) {
  child_spec c;
  c.name = name;
  c.start = f.start;
  c.restart = f.restart;
  c.shutdown = opts.child_shutdown;
  c.owns_trading_state = f.owns_trading_state;
  return c;
}

} // namespace

supervisor_spec build_tree(const tree_options& opts, const actor_factories& factories, const supervisor_env& env) {
  supervisor_spec root{names::root, restart_strategy::rest_for_one, opts.intensity, escalation::safe_halt, {}};
  for (auto& [group, leaves] : design_layout()) {
    if (group.empty()) {
      for (auto& n : leaves)
        if (auto i = factories.find(n); i != factories.end())
          root.children.push_back(leaf(n, i->second, opts));
      continue;
    }
    supervisor_spec sub{group, strategy_of(group), opts.intensity, escalation::exit, {}};
    for (auto& n : leaves)
      if (auto i = factories.find(n); i != factories.end())
        sub.children.push_back(leaf(n, i->second, opts));
    auto sub_env = env;
    sub_env.parent = names::root;
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
           + " shutdown=" + std::to_string(opts.child_shutdown.count()) + "ms"
           + (i->second.owns_trading_state ? " owns_trading_state" : "");
  };
  std::string out = "root  strategy=rest_for_one on_exceeded=safe_halt intensity="
                    + std::to_string(opts.intensity.max_restarts) + "/"
                    + std::to_string(opts.intensity.period.count()) + "ms\n";
  for (auto& [group, leaves] : design_layout()) {
    if (group.empty()) {
      for (auto& n : leaves)
        out += "├── " + n + tail(n) + "\n";
      continue;
    }
    out += "├── " + group + "  strategy=" + std::string{to_string(strategy_of(group))} + "\n";
    for (auto& n : leaves)
      out += "│   ├── " + n + tail(n) + "\n";
  }
  return out;
}

} // namespace trader::core

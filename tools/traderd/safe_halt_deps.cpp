// The real safe-halt dependencies: nothing here goes through an actor of the supervision tree
// except the two optional notifications (risk, order_lifecycle) to actors that may still run.

#include "tools/traderd/safe_halt_deps.hpp"

#include "actors/infra/alerting/alerting_options.hpp"
#include "actors/infra/alerting/net_alert_transport.hpp"
#include "messages/orders.hpp"
#include "runtime/clock.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/traderd/actor_factories.hpp"
#include "tools/traderd/gate_store.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include <unistd.h>

namespace trader::daemon {

namespace {

using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

constexpr std::size_t cancel_chunk = 100;  // batch_cancel's limit is unconfirmed; nautilus chunks by 100
constexpr milliseconds cancel_budget{20000};
constexpr milliseconds sink_timeout{5000};

/// Every call of the emergency client: refused once the budget is spent; sleeps between
/// attempts never run past it.
class deadline_hooks final : public exchange::call_hooks {
public:
  explicit deadline_hooks(steady::time_point deadline) : deadline_(deadline) {}
  std::optional<exchange::exchange_error> acquire(const exchange::call_info& c) override {
    if (steady::now() < deadline_)
      return std::nullopt;
    return exchange::exchange_error{exchange::error_kind::timeout, std::string{c.endpoint}, 0, "",
                                    "the safe-halt cancel budget is spent", -1};
  }
  void sleep(milliseconds d) override {
    auto left = std::chrono::duration_cast<milliseconds>(deadline_ - steady::now());
    std::this_thread::sleep_for(std::clamp(d, milliseconds{0}, std::max(left, milliseconds{0})));
  }

private:
  steady::time_point deadline_;
};

std::string host_name() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string();
}

} // namespace

halt_step persist_safe_halt(persistence::state_store* store, const std::string& store_error, const std::string& why,
                            ts_ns at) {
  auto w = persist_gate_reason(store, store_error, gate_reason::safe_halt, why, at);
  return {w.ok, std::move(w.detail)};
}

exchange::rest_options emergency_rest_options(const config::trader_config& cfg,
                                              std::shared_ptr<const net::api_key> credentials) {
  exchange::rest_options o;
  // rest_base_url in app.toml runs up to /api/v3/brokerage; the client adds that prefix.
  std::string base = cfg.exchange.rest_base_url;
  const std::string prefix = "/api/v3/brokerage";
  if (base.size() >= prefix.size() && base.compare(base.size() - prefix.size(), prefix.size(), prefix) == 0)
    base.resize(base.size() - prefix.size());
  o.base_url = base;
  o.ca_file = cfg.exchange.ca_file;
  o.connect_timeout = milliseconds{3000};
  o.request_timeout = std::min(milliseconds{cfg.exchange.request_timeout_ms}, milliseconds{5000});
  o.credentials = std::move(credentials);
  o.retry = exchange::retry_policy{2, milliseconds{100}, milliseconds{500}};
  return o;
}

halt_cancel_outcome cancel_open_orders_over_rest(const exchange::rest_options& opts, milliseconds budget) {
  halt_cancel_outcome out;
  out.path = "rest";
  if (!opts.credentials) {
    out.path = "unavailable";
    out.detail = "no exchange API key: open orders could not be listed or cancelled";
    return out;
  }
  deadline_hooks hooks{steady::now() + budget};
  exchange::coinbase_rest rest{opts, &hooks};
  auto open = rest.open_orders();
  if (!open) {
    out.detail = "listing open orders over REST failed: " + open.error().describe();
    out.failures.push_back(out.detail);
    return out;
  }
  out.open_orders = static_cast<int>(open->size());
  std::vector<exchange_order_id> ids;
  for (auto& o : *open)
    if (!o.exchange_id.empty())
      ids.push_back(o.exchange_id);
  if (auto skipped = rest.last_skipped(); skipped > 0) {
    out.failed += static_cast<int>(skipped);
    out.failures.push_back(std::to_string(skipped) + " open order(s) the daemon cannot represent were not cancelled");
  }
  for (std::size_t i = 0; i < ids.size(); i += cancel_chunk) {
    std::vector<exchange_order_id> chunk(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                         ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + cancel_chunk)));
    auto r = rest.cancel(chunk);
    if (!r) {
      out.failed += static_cast<int>(chunk.size());
      out.failures.push_back("batch_cancel of " + std::to_string(chunk.size()) + " order(s): " + r.error().describe());
      continue;
    }
    std::size_t answered = 0;
    for (auto& c : r->results) {
      ++answered;
      if (c.success) {
        ++out.cancelled;
      } else {
        ++out.failed;
        out.failures.push_back(c.id.value + ": " + c.failure_reason);
      }
    }
    if (answered < chunk.size()) {
      out.failed += static_cast<int>(chunk.size() - answered);
      out.failures.push_back(std::to_string(chunk.size() - answered) + " order(s) missing from the batch_cancel answer");
    }
  }
  out.ok = out.failed == 0;
  out.detail = "LIVE: " + std::to_string(out.open_orders) + " open order(s) listed over REST, " +
               std::to_string(out.cancelled) + " cancelled, " + std::to_string(out.failed) + " not";
  return out;
}

halt_alert_outcome alert_sinks_directly(const alert& a, const std::vector<alerting::sink_config>& sinks,
                                        alerting::alert_transport& transport) {
  halt_alert_outcome out;
  for (const auto& s : sinks) {
    ++out.sinks;
    alerting::notification n;
    n.sink = s.name;
    n.kind = alerting::notification_kind::trigger;
    n.a = a;
    auto req = alerting::request_for(s, n);
    if (!req) {  // the log sink
      spdlog::critical("ALERT {}", alerting::format_text(n, s.environment));
      ++out.delivered;
      continue;
    }
    auto r = transport.post(*req, s.timeout.count() > 0 ? std::min(s.timeout, sink_timeout) : sink_timeout);
    if (alerting::classify(r) == alerting::delivery_outcome::delivered) {
      ++out.delivered;
    } else {
      auto why = r.sent ? "HTTP " + std::to_string(r.status) : r.error;
      out.failures.push_back(s.name + " (" + req->display_url + "): " + why);
      spdlog::error("SAFE HALT: alert to sink {} ({}) failed: {}", s.name, req->display_url, why);
    }
  }
  out.ok = out.delivered > 0;
  return out;
}

safe_halt_deps make_safe_halt_deps(const safe_halt_wiring& w) {
  safe_halt_deps d;
  d.now = [] { return system_time_source::instance().wall_now(); };
  d.persist = [ctx = w.ctx](const std::string& why, ts_ns at) {
    return persist_safe_halt(ctx->store.get(), ctx->store_error, why, at);
  };
  d.notify_risk = [reg = w.reg](const gate_signal& s) {
    auto risk = reg->get(names::risk);
    if (risk)
      caf::anon_send(risk, s);
    return static_cast<bool>(risk);
  };
  d.notify_order_lifecycle = [reg = w.reg](const std::string& why) {
    auto orders = reg->get(names::order_lifecycle);
    if (orders)
      caf::anon_send(orders, cancel_all{why});
    return static_cast<bool>(orders);
  };
  d.cancel_open_orders = [ctx = w.ctx, mode = w.mode, credentials = w.credentials](const std::string&) {
    if (mode != config::trading_mode::live) {
      halt_cancel_outcome none;
      none.ok = true;
      none.path = "none";
      none.detail = std::string{config::to_string(mode)}
                    + ": no order reaches the exchange in this mode (read-only), so there is none to cancel there";
      return none;
    }
    return cancel_open_orders_over_rest(emergency_rest_options(ctx->config->get()->config, credentials), cancel_budget);
  };
  d.alert = [ctx = w.ctx](const alert& a) {
    auto snap = ctx->config->get();
    auto opts = alerting::options_from(snap->config, config::process_env(),
                                       alerting::environment_of(snap->config, host_name()));
    alerting::net_alert_transport transport;
    return alert_sinks_directly(a, opts.sinks, transport);
  };
  d.record = [ctx = w.ctx](const safe_halt_report& r) {
    if (!ctx->audit)
      return;
    if (auto a = ctx->audit->append("daemon", "traderd", nlohmann::json{{"event", "safe_halt"}, {"report", r.to_json()}}); !a)
      spdlog::error("SAFE HALT: audit log: {}", a.error().describe());
  };
  return d;
}

} // namespace trader::daemon

// The exchange subtree: the REST endpoint actors, the rate limiter and the two WebSocket
// feeds, with their options derived from the configuration.

#include "tools/traderd/actor_factories.hpp"
#include "tools/traderd/exchange_factories.hpp"

#include "actors/exchange/accounts/accounts_actor.hpp"
#include "actors/exchange/clock/clock_actor.hpp"
#include "actors/exchange/coinbase/credentials.hpp"
#include "actors/exchange/coinbase/endpoint_options.hpp"
#include "actors/exchange/feed/feed_options.hpp"
#include "actors/exchange/fills/fills_actor.hpp"
#include "actors/exchange/market_data/market_data_actor.hpp"
#include "actors/exchange/orders/orders_actor.hpp"
#include "actors/exchange/products/products_actor.hpp"
#include "actors/exchange/rate_limiter/rate_limit_options.hpp"
#include "actors/exchange/rate_limiter/rate_limiter_actor.hpp"
#include "actors/exchange/user_stream/user_stream_actor.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/core/names.hpp"
#include "tools/traderd/universe_products.hpp"

#include <caf/actor.hpp>

namespace trader::daemon {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

rate_limit::options limiter_options(const config::trader_config& cfg) {
  auto& l = cfg.exchange_limits;
  rate_limit::options o;
  o.private_rest = rate_limit::group_options::for_limit(l.private_rest_per_s, static_cast<double>(l.private_rest_per_hour));
  o.public_rest = rate_limit::group_options::for_limit(l.public_rest_per_s);
  o.ws_connect = rate_limit::group_options::for_limit(l.ws_per_s);
  o.cancel_reserve_fraction = l.cancel_reserve_pct / 100.0;
  o.warn_at = l.warn_at_pct / 100.0;
  o.hold_at = l.hold_at_pct / 100.0;
  o.max_api_errors = static_cast<int>(cfg.circuit_breakers.max_api_errors);
  o.api_error_window_ns = cfg.circuit_breakers.api_error_window_s * 1'000'000'000;
  return o;
}

exchange::endpoint_options endpoint_options_of(const config::trader_config& cfg,
                                               std::shared_ptr<const net::api_key> credentials,
                                               prometheus::Registry* metrics) {
  exchange::endpoint_options o;
  // Only a LIVE start with read_only = false (both enforced by decide_mode) may place orders.
  o.read_only = cfg.app.mode != config::trading_mode::live || cfg.app.read_only;
  // rest_base_url in app.toml runs up to /api/v3/brokerage; the client adds that prefix.
  std::string base = cfg.exchange.rest_base_url;
  const std::string prefix = "/api/v3/brokerage";
  if (base.size() >= prefix.size() && base.compare(base.size() - prefix.size(), prefix.size(), prefix) == 0)
    base.resize(base.size() - prefix.size());
  o.rest_base_url = base;
  o.ca_file = cfg.exchange.ca_file;
  o.request_timeout = milliseconds{cfg.exchange.request_timeout_ms};
  o.credentials = std::move(credentials);
  o.metrics = metrics;
  o.products_refresh = seconds{cfg.market_data.products_refresh_s};
  o.products_recovery = exchange::retry_policy{1 << 30, milliseconds{cfg.market_data.recovery_retry_base_ms},
                                               milliseconds{cfg.market_data.recovery_retry_max_ms}};
  o.products_recovery = exchange::retry_policy{1 << 30, milliseconds{cfg.market_data.recovery_retry_base_ms},
                                               milliseconds{cfg.market_data.recovery_retry_max_ms}};
  o.clock_probe_interval = seconds{cfg.market_data.clock_check_s};
  o.max_skew_ms = cfg.circuit_breakers.max_clock_skew_ms;
  return o;
}

feed::market_data_options market_data_options_of(const config::trader_config& cfg, prometheus::Registry* metrics) {
  feed::market_data_options o;
  o.ws_url = cfg.exchange.ws_market_url;
  o.ca_file = cfg.exchange.ca_file;
  o.products = streamed_products(cfg);
  o.channels = cfg.market_data.channels;
  o.max_age = seconds{cfg.circuit_breakers.max_data_age_s};
  o.snapshot_timeout = milliseconds{cfg.market_data.snapshot_timeout_ms};
  o.resubscribes_before_reconnect = static_cast<int>(cfg.market_data.resubscribes_before_reconnect);
  o.retry_base = milliseconds{cfg.market_data.recovery_retry_base_ms};
  o.retry_cap = milliseconds{cfg.market_data.recovery_retry_max_ms};
  o.snapshot_timeout = milliseconds{cfg.market_data.snapshot_timeout_ms};
  o.resubscribes_before_reconnect = static_cast<int>(cfg.market_data.resubscribes_before_reconnect);
  o.retry_base = milliseconds{cfg.market_data.recovery_retry_base_ms};
  o.retry_cap = milliseconds{cfg.market_data.recovery_retry_max_ms};
  o.backoff_base = milliseconds{cfg.market_data.reconnect_base_ms};
  o.backoff_cap = milliseconds{cfg.market_data.reconnect_max_ms};
  o.metrics = metrics;
  return o;
}

feed::user_stream_options user_stream_options_of(const config::trader_config& cfg,
                                                 std::shared_ptr<const net::api_key> credentials,
                                                 prometheus::Registry* metrics) {
  feed::user_stream_options o;
  o.retry_base = milliseconds{cfg.market_data.recovery_retry_base_ms};
  o.retry_cap = milliseconds{cfg.market_data.recovery_retry_max_ms};
  o.retry_base = milliseconds{cfg.market_data.recovery_retry_base_ms};
  o.retry_cap = milliseconds{cfg.market_data.recovery_retry_max_ms};
  o.ws_url = cfg.exchange.ws_user_url;
  o.ca_file = cfg.exchange.ca_file;
  o.credentials = std::move(credentials);
  o.backoff_base = milliseconds{cfg.market_data.reconnect_base_ms};
  o.backoff_cap = milliseconds{cfg.market_data.reconnect_max_ms};
  o.metrics = metrics;
  return o;
}

} // namespace

std::shared_ptr<const net::api_key> exchange_credentials(std::string* why) {
  auto c = exchange::load_credentials(config::process_env());
  if (!c.key && why)
    *why = c.error;
  return c.key;
}

void add_exchange_factories(core::actor_factories& f, const daemon_context& ctx,
                            const std::shared_ptr<const net::api_key>& credentials) {
  // Options are computed at every (re)start from the config then current, like the others.
  auto cfg = [holder = ctx.config] { return holder->get(); };
  auto* metrics = ctx.metrics;
  f[names::rate_limiter] = {[ctx, cfg](caf::actor_system& sys) {
    return rate_limiter::spawn_rate_limiter(sys, *ctx.reg, limiter_options(cfg()->config), *ctx.metrics);
  }};
  auto endpoint = [cfg, credentials, metrics] { return endpoint_options_of(cfg()->config, credentials, metrics); };
  f[names::products] = {[ctx, endpoint](caf::actor_system& sys) { return products::spawn_products(sys, *ctx.reg, endpoint()); }};
  f[names::accounts] = {[ctx, endpoint](caf::actor_system& sys) { return accounts::spawn_accounts(sys, *ctx.reg, endpoint()); }};
  f[names::orders] = {[ctx, endpoint](caf::actor_system& sys) { return orders::spawn_orders(sys, *ctx.reg, endpoint()); }};
  f[names::fills] = {[ctx, endpoint](caf::actor_system& sys) { return fills::spawn_fills(sys, *ctx.reg, endpoint()); }};
  f[names::clock] = {[ctx, endpoint](caf::actor_system& sys) { return clock::spawn_clock(sys, *ctx.reg, endpoint()); }};
  f[names::market_data] = {[ctx, cfg, metrics](caf::actor_system& sys) {
    return market_data::spawn_market_data(sys, *ctx.reg, market_data_options_of(cfg()->config, metrics));
  }};
  if (credentials) {
    f[names::user_stream] = {[ctx, cfg, credentials, metrics](caf::actor_system& sys) {
      return user_stream::spawn_user_stream(sys, *ctx.reg, user_stream_options_of(cfg()->config, credentials, metrics));
    }};
  }
  // They hold orders and fills in flight: an abnormal death calls the supervisor's
  // on_child_lost hook (gate reason actor_lost_state, docs/architecture.md#supervision).
  for (auto* n : {names::orders, names::fills, names::user_stream})
    if (auto i = f.find(n); i != f.end())
      i->second.owns_trading_state = true;
}

} // namespace trader::daemon

// Schema of app.toml.

#include "runtime/config/schema_builder.hpp"

namespace trader::config::detail {

namespace {
const char* app_file = "app.toml";
field_opts fixed(field_opts o = {}) {
  o.reloadable = false;
  return o;
}
field_opts url_of(const std::vector<std::string>& schemes, bool allow_empty, bool reloadable = true) {
  field_opts o;
  o.reloadable = reloadable;
  o.check = [schemes, allow_empty](const config_value& v) { return check_url(v, schemes, allow_empty); };
  return o;
}
field_opts timeout_ms() { return in(100, 60000, "ms"); }
} // namespace

void add_app_sections(std::vector<section_schema>& out) {
  fields_of<app_section>(add_section<app_section>(out, app_file, "app", &member<&trader_config::app>,
                                                  "What the daemon may do and where it keeps its files.", {}))
    .add_enum(
      "mode", &app_section::mode, {"DRY_RUN", "PAPER", "LIVE"},
      "DRY_RUN: decide and audit, send nothing. PAPER: real data, simulated fills. LIVE: real orders.",
      {.required = true, .reloadable = false})
    .add("read_only", &app_section::read_only,
         "Refuse every order. Forced true unless mode is LIVE; LIVE refuses to start with true.",
         {.required = true, .reloadable = false})
    .add("state_dir", &app_section::state_dir,
         "LMDB state store directory; relative paths are against the working directory.",
         fixed({.check = check_not_empty}))
    .add("runtime_dir", &app_section::runtime_dir, "Directory of the control socket and kill-switch file.",
         fixed({.check = check_not_empty}))
    .add("log_dir", &app_section::log_dir, "Directory of logs and the JSONL audit log.",
         fixed({.check = check_not_empty}));

  fields_of<live_section>(add_section<live_section>(out, app_file, "live", &member<&trader_config::live>,
                                                    "Extra conditions before LIVE may start.", {}))
    .add("min_paper_hours", &live_section::min_paper_hours,
         "LIVE starts only if this trading hash already ran this long in PAPER; 0 = off.",
         fixed(in(0, 8760, "h")));

  fields_of<runtime_section>(add_section<runtime_section>(out, app_file, "runtime",
                                                          &member<&trader_config::runtime>,
                                                          "Actor system sizing and supervision.", {}))
    .add("scheduler_threads", &runtime_section::scheduler_threads, "CAF scheduler worker threads.",
         fixed(in(1, 64)))
    .add("supervisor_max_restarts", &runtime_section::supervisor_max_restarts,
         "Restarts a supervisor allows within supervisor_period_s before escalating to its parent.",
         fixed(in(0, 100)))
    .add("supervisor_period_s", &runtime_section::supervisor_period_s, "Restart-intensity window.",
         fixed(in(1, 3600, "s")))
    .add("shutdown_timeout_ms", &runtime_section::shutdown_timeout_ms,
         "How long each child may take to stop during an ordered shutdown.", fixed(in(100, 600000, "ms")))
    .add("wedge_limit_s", &runtime_section::wedge_limit_s,
         "An actor that leaves a liveness probe unanswered this long is wedged: systemd watchdog pings stop "
         "(keep it above the longest blocking call, exchange.request_timeout_ms with retries).",
         fixed(in(2, 3600, "s")));

  fields_of<exchange_section>(
    add_section<exchange_section>(out, app_file, "exchange", &member<&trader_config::exchange>,
                                  "Coinbase Advanced Trade endpoints; defaults point at simex on loopback.",
                                  {}))
    .add("rest_base_url", &exchange_section::rest_base_url,
         "REST base URL up to /api/v3/brokerage. Coinbase: https://api.coinbase.com/api/v3/brokerage.",
         url_of({"http", "https"}, false, false))
    .add("ws_market_url", &exchange_section::ws_market_url,
         "Market-data WebSocket. Coinbase: wss://advanced-trade-ws.coinbase.com.",
         url_of({"ws", "wss"}, false, false))
    .add("ws_user_url", &exchange_section::ws_user_url,
         "User-order WebSocket. Coinbase: wss://advanced-trade-ws-user.coinbase.com.",
         url_of({"ws", "wss"}, false, false))
    .add("ca_file", &exchange_section::ca_file,
         "PEM CA bundle for TLS verification; empty = the system trust store.", fixed())
    .add("request_timeout_ms", &exchange_section::request_timeout_ms, "REST request timeout.",
         fixed(in(100, 120000, "ms")));

  fields_of<exchange_limits_section>(
    add_section<exchange_limits_section>(
      out, app_file, "exchange.limits", &member<&trader_config::exchange_limits>,
      "Request budgets of the rate limiter. Sources disagree; defaults take the stricter reading, and a 429 "
      "tightens them further until the exchange calms down.",
      {"rate_limiter"}))
    .add("private_rest_per_s", &exchange_limits_section::private_rest_per_s,
         "Authenticated REST requests per second (per key).", fixed(in(0.1, 1000, "1/s")))
    .add("private_rest_per_hour", &exchange_limits_section::private_rest_per_hour,
         "Authenticated REST requests per hour (per key); Coinbase App policy 10000.", fixed(in(1, 1000000, "1/h")))
    .add("public_rest_per_s", &exchange_limits_section::public_rest_per_s, "Public REST requests per second (per IP).",
         fixed(in(0.1, 1000, "1/s")))
    .add("ws_per_s", &exchange_limits_section::ws_per_s,
         "WebSocket connection attempts and subscribe messages per second.", fixed(in(0.1, 1000, "1/s")))
    .add("cancel_reserve_pct", &exchange_limits_section::cancel_reserve_pct,
         "Share of every budget only cancels may use, so a kill switch is never starved.", fixed(in(0, 90, "%")))
    .add("warn_at_pct", &exchange_limits_section::warn_at_pct, "Window use that raises an api_rate_limit warning.",
         fixed(in(1, 100, "%")))
    .add("hold_at_pct", &exchange_limits_section::hold_at_pct,
         "Window use above which data calls are held back (orders and cancels still go).", fixed(in(1, 100, "%")));

  fields_of<market_data_section>(
    add_section<market_data_section>(out, app_file, "market_data", &member<&trader_config::market_data>,
                                     "WebSocket feeds (products = universe tiers) and periodic exchange checks.",
                                     {"market_data", "user_stream", "products", "clock"}))
    .add("channels", &market_data_section::channels,
         "Market-data channels subscribed for every universe product.",
         fixed({.choices = {"heartbeats", "ticker", "ticker_batch", "level2", "market_trades", "candles", "status"}}))
    .add("reconnect_base_ms", &market_data_section::reconnect_base_ms,
         "First reconnect delay; later ones double (full jitter) up to reconnect_max_ms.", fixed(in(10, 60000, "ms")))
    .add("reconnect_max_ms", &market_data_section::reconnect_max_ms, "Reconnect delay cap.",
         fixed(in(100, 600000, "ms")))
    .add("products_refresh_s", &market_data_section::products_refresh_s,
         "Product metadata and status refresh period.", fixed(in(10, 86400, "s")))
    .add("clock_check_s", &market_data_section::clock_check_s,
         "Server-time probe period of the clock-sync check.", fixed(in(1, 86400, "s")))
    .add("snapshot_timeout_ms", &market_data_section::snapshot_timeout_ms,
         "A level2 snapshot that has not arrived this long after its (re)subscription is asked for again "
         "(that product resubscribed, after a backoff).",
         fixed(in(100, 600000, "ms")))
    .add("resubscribes_before_reconnect", &market_data_section::resubscribes_before_reconnect,
         "Snapshot requests of one product before the next miss reconnects the market-data WebSocket instead "
         "(then as many again); 0 = every miss reconnects.",
         fixed(in(0, 100)))
    .add("recovery_retry_base_ms", &market_data_section::recovery_retry_base_ms,
         "First retry window of a recovery step that failed or did not answer (a missing snapshot, the user "
         "stream's REST re-read, the products refresh after a status change); later windows double (full "
         "jitter) up to recovery_retry_max_ms.",
         fixed(in(10, 60000, "ms")))
    .add("recovery_retry_max_ms", &market_data_section::recovery_retry_max_ms,
         "Largest retry window of a recovery step.", fixed(in(100, 600000, "ms")));

  fields_of<metrics_section>(add_section<metrics_section>(out, app_file, "metrics",
                                                          &member<&trader_config::metrics>,
                                                          "Prometheus text exporter.", {"metrics"}))
    .add("enabled", &metrics_section::enabled, "Serve GET /metrics.", fixed())
    .add("listen", &metrics_section::listen, "host:port to bind; keep it on loopback.",
         fixed({.check = check_host_port}));

  fields_of<control_section>(
    add_section<control_section>(out, app_file, "control", &member<&trader_config::control>,
                                 "Local control socket and kill switch.", {"control"}))
    .add("socket", &control_section::socket,
         "Unix socket traderctl talks to (mode 0600); relative = under app.runtime_dir.",
         fixed({.check = check_not_empty}))
    .add("kill_switch_file", &control_section::kill_switch_file,
         "Creating this file engages the kill switch; relative = under app.runtime_dir.",
         {.check = check_not_empty});

  const std::vector<std::string> sinks = {"log", "webhook", "pagerduty", "telegram", "json"};
  fields_of<alerts_section>(
    add_section<alerts_section>(out, app_file, "alerts", &member<&trader_config::alerts>,
                                "Alert routing, deduplication and escalation.", {"alerting"}))
    .add("sinks", &alerts_section::sinks, "Enabled sinks. Secrets come from the environment (see Secrets).",
         {.choices = sinks})
    .add("min_severity", &alerts_section::min_severity,
         "Lowest severity sent to non-log sinks (log gets everything).",
         {.choices = {"INFO", "WARNING", "CRITICAL"}})
    .add("dedupe_window_s", &alerts_section::dedupe_window_s,
         "An alert with the same key is suppressed for this long.", in(0, 86400, "s"))
    .add("escalate_after_s", &alerts_section::escalate_after_s,
         "An unacknowledged CRITICAL alert is re-sent with boosted severity (and to the escalation sink) after this long; 0 = never.", in(0, 86400, "s"))
    .add("escalation_sink", &alerts_section::escalation_sink,
         "Second sink for escalations (and their acknowledge/resolve) only; none = escalations go to the sinks above only.",
         {.choices = {"none", "webhook", "pagerduty", "telegram", "json"}});

  fields_of<http_sink>(add_section<http_sink>(out, app_file, "alerts.webhook",
                                              [](trader_config& c) -> http_sink& { return c.alerts.webhook; },
                                              "Slack-style webhook sink.", {"alerting"}))
    .add("url", &http_sink::url, "Webhook URL; empty = secret alert_webhook_url.",
         url_of({"http", "https"}, true))
    .add("timeout_ms", &http_sink::timeout_ms, "POST timeout.", timeout_ms());
  fields_of<pagerduty_sink>(
    add_section<pagerduty_sink>(out, app_file, "alerts.pagerduty",
                                [](trader_config& c) -> pagerduty_sink& { return c.alerts.pagerduty; },
                                "PagerDuty Events v2; routing key = secret pagerduty_routing_key.",
                                {"alerting"}))
    .add("url", &pagerduty_sink::url, "Events v2 enqueue endpoint.", url_of({"http", "https"}, false))
    .add("timeout_ms", &pagerduty_sink::timeout_ms, "POST timeout.", timeout_ms());
  fields_of<telegram_sink>(
    add_section<telegram_sink>(out, app_file, "alerts.telegram",
                               [](trader_config& c) -> telegram_sink& { return c.alerts.telegram; },
                               "Telegram Bot API; bot token = secret telegram_bot_token.", {"alerting"}))
    .add("api_url", &telegram_sink::api_url, "Bot API base URL.", url_of({"http", "https"}, false))
    .add("chat_id", &telegram_sink::chat_id, "Chat to post to; required when the sink is enabled.")
    .add("timeout_ms", &telegram_sink::timeout_ms, "POST timeout.", timeout_ms());
  fields_of<http_sink>(add_section<http_sink>(out, app_file, "alerts.json",
                                              [](trader_config& c) -> http_sink& { return c.alerts.json; },
                                              "Generic JSON POST sink.", {"alerting"}))
    .add("url", &http_sink::url, "Endpoint; empty = secret alert_json_url.", url_of({"http", "https"}, true))
    .add("timeout_ms", &http_sink::timeout_ms, "POST timeout.", timeout_ms());
}

} // namespace trader::config::detail

#pragma once
// The sections of app.toml: mode, directories, runtime sizing, exchange endpoints, metrics,
// control socket and alert sinks. Defaults here are the conservative profile; the shipped
// config/app.toml repeats them with comments (a test keeps the two equal).

#include <cstdint>
#include <string>
#include <vector>

namespace trader::config {

/// DRY_RUN: decide and audit, send nothing. PAPER: real data, simulated fills. LIVE: real orders.
enum class trading_mode { dry_run, paper, live };

/// "DRY_RUN", "PAPER" or "LIVE".
const char* to_string(trading_mode m);

/// [app]: what the daemon is allowed to do and where it keeps its files.
struct app_section {
  trading_mode mode = trading_mode::dry_run; ///< DRY_RUN | PAPER | LIVE; required.
  bool read_only = true;               ///< Forced true in every non-LIVE mode; LIVE needs false. Required.
  std::string state_dir = "var/state"; ///< LMDB store; relative paths are against the working dir.
  std::string runtime_dir = "var/run"; ///< Control socket and kill-switch file live here.
  std::string log_dir = "var/log";     ///< Logs and the JSONL audit log.
};

/// [live]: extra conditions before LIVE may start.
struct live_section {
  double min_paper_hours =
    0.0; ///< Hours this config hash must have run in PAPER before LIVE; 0 = off; 0..8760.
};

/// [runtime]: actor system sizing and supervision.
struct runtime_section {
  std::int64_t scheduler_threads = 2;       ///< CAF worker threads; 1..64.
  std::int64_t supervisor_max_restarts = 1; ///< Restarts allowed per period before escalation; 0..100.
  std::int64_t supervisor_period_s = 5;     ///< Restart-intensity window, seconds; 1..3600.
  std::int64_t shutdown_timeout_ms = 5000;  ///< Per-child ordered-shutdown timeout, ms; 100..600000.
  std::int64_t wedge_limit_s = 90;          ///< An actor silent to liveness probes this long stops the watchdog.
};

/// [exchange]: Coinbase Advanced Trade endpoints (default: embedded simex on loopback).
struct exchange_section {
  std::string rest_base_url = "http://127.0.0.1:8790/api/v3/brokerage"; ///< REST base, http(s)://.
  std::string ws_market_url = "ws://127.0.0.1:8790/ws";                 ///< Market-data WebSocket, ws(s)://.
  std::string ws_user_url = "ws://127.0.0.1:8790/ws/user";              ///< User-order WebSocket, ws(s)://.
  std::string ca_file;                     ///< PEM bundle for TLS; empty = system store.
  std::int64_t request_timeout_ms = 10000; ///< REST request timeout, ms; 100..120000.
};

/// [exchange.limits]: request budgets. The sources disagree (shared/reference/coinbase-api.md
/// §5): the defaults take the stricter reading of each and the limiter tightens on 429.
struct exchange_limits_section {
  double private_rest_per_s = 30;          ///< Authenticated REST, per key, per second.
  std::int64_t private_rest_per_hour = 10000; ///< Authenticated REST, per key, per hour (Coinbase App policy).
  double public_rest_per_s = 10;           ///< Public REST, per IP, per second.
  double ws_per_s = 8;                     ///< WebSocket connects and subscribe messages, per second.
  double cancel_reserve_pct = 20;          ///< Share of each budget only cancels may use.
  double warn_at_pct = 80;                 ///< Window use that raises a warning.
  double hold_at_pct = 90;                 ///< Window use above which data calls are held back.
};

/// [market_data]: WebSocket feeds and the exchange actors' periodic checks.
struct market_data_section {
  std::vector<std::string> channels = {"heartbeats", "ticker", "level2", "market_trades", "candles", "status"};
  std::int64_t reconnect_base_ms = 250;     ///< First reconnect delay (full jitter).
  std::int64_t reconnect_max_ms = 30000;    ///< Reconnect delay cap.
  std::int64_t products_refresh_s = 300;    ///< Product metadata/status refresh.
  std::int64_t clock_check_s = 60;          ///< Server-time probe period (clock-sync gate).
  std::int64_t snapshot_timeout_ms = 5000;  ///< A level2 snapshot this late after its request is asked for again.
  std::int64_t resubscribes_before_reconnect = 3;  ///< Snapshot requests of a product before a miss reconnects.
  std::int64_t recovery_retry_base_ms = 1000;  ///< First retry window of a recovery step (full jitter).
  std::int64_t recovery_retry_max_ms = 30000;  ///< Largest retry window of a recovery step.
};

/// [metrics]: Prometheus text exporter.
struct metrics_section {
  bool enabled = true;                   ///< Serve /metrics.
  std::string listen = "127.0.0.1:9100"; ///< host:port to bind; loopback by default.
};

/// [control]: local control socket and kill switch.
struct control_section {
  std::string socket = "traderd.sock"; ///< Unix socket; relative = under app.runtime_dir.
  std::string kill_switch_file =
    "KILL_SWITCH"; ///< Its existence engages the kill switch; relative = under runtime_dir.
};

/// [alerts.webhook], [alerts.json]: an HTTP POST sink. URLs may carry tokens: prefer the secret.
struct http_sink {
  std::string url;                ///< Endpoint; empty = taken from the sink's secret (see docs).
  std::int64_t timeout_ms = 5000; ///< POST timeout, ms; 100..60000.
};

/// [alerts.pagerduty]: PagerDuty Events v2; routing key from secret pagerduty_routing_key.
struct pagerduty_sink {
  std::string url = "https://events.pagerduty.com/v2/enqueue"; ///< Events v2 endpoint.
  std::int64_t timeout_ms = 5000;                              ///< POST timeout, ms; 100..60000.
};

/// [alerts.telegram]: Telegram Bot API; bot token from secret telegram_bot_token.
struct telegram_sink {
  std::string api_url = "https://api.telegram.org"; ///< Bot API base URL.
  std::string chat_id;                              ///< Chat to post to; required when the sink is enabled.
  std::int64_t timeout_ms = 5000;                   ///< POST timeout, ms; 100..60000.
};

/// [alerts]: where alerts go, deduplication and escalation.
struct alerts_section {
  std::vector<std::string> sinks = {"log"}; ///< Subset of log, webhook, pagerduty, telegram, json.
  std::string min_severity = "WARNING"; ///< INFO | WARNING | CRITICAL: lowest level sent to non-log sinks.
  std::int64_t dedupe_window_s = 60;    ///< Same alert key suppressed this long, s; 0..86400.
  std::int64_t escalate_after_s = 120; ///< Unacknowledged CRITICAL re-sent, severity boosted, after, s; 0 = never; 0..86400.
  std::string escalation_sink = "none"; ///< none | webhook | pagerduty | telegram | json: gets escalations only.
  http_sink webhook;                   ///< Slack-style webhook sink.
  pagerduty_sink pagerduty;            ///< PagerDuty sink.
  telegram_sink telegram;              ///< Telegram sink.
  http_sink json;                      ///< Generic JSON POST sink.
};

} // namespace trader::config

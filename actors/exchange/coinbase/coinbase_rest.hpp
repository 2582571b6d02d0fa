#pragma once
// A blocking, typed Coinbase Advanced Trade REST client (coinbase-api.md §2-§3, §6) over
// net::https_client. Every HTTP attempt goes through call_hooks (permit before, outcome and
// latency after) and carries a fresh ES256 JWT when the call is private. Idempotent calls
// are retried on 429/5xx/timeouts/resets with full-jitter backoff; create_order is never
// blindly retried: when its reply is lost it is resolved by looking the client order id up.
//
// Threading: blocking; run it on a detached actor's thread or a worker thread, never on a
// CAF scheduler thread. One instance per thread. No CAF.

#include "messages/exchange.hpp"
#include "actors/exchange/coinbase/backoff.hpp"
#include "actors/exchange/coinbase/rest_parse.hpp"
#include "actors/exchange/coinbase/rest_result.hpp"
#include "runtime/net/api_key.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace trader::exchange {

/// One HTTP call as the rate limiter and metrics see it.
struct call_info {
  endpoint_group group = endpoint_group::private_rest;
  call_priority priority = call_priority::data;
  std::string_view endpoint;  ///< label, e.g. "POST /orders"
};

/// What happened on one HTTP attempt.
struct call_record {
  int http_status = 0;             ///< 0 = no answer
  std::int64_t retry_after_ms = -1;
  std::int64_t latency_ns = 0;
  ts_ns ts = 0;                    ///< wall time when the attempt ended
  bool ok = false;                 ///< 2xx
};

/// The outside world of one client: permits, outcome reporting and sleeping. The default
/// grants everything, reports nothing and really sleeps.
class call_hooks {
public:
  virtual ~call_hooks() = default;
  /// Before every attempt; an error means "do not call" (e.g. the permit was refused).
  virtual std::optional<exchange_error> acquire(const call_info&) { return std::nullopt; }
  /// After every attempt (also failed ones).
  virtual void record(const call_info&, const call_record&) {}
  /// For each list element an answer held that the daemon cannot represent (skipped; the
  /// client has logged it with endpoint and field).
  virtual void skipped(const call_info&, const skipped_element&) {}
  /// Between attempts.
  virtual void sleep(std::chrono::milliseconds d);
};

/// Client settings (the endpoint actors' endpoint_options carry these).
struct rest_options {
  std::string base_url = "https://api.coinbase.com";
  std::string ca_file;                                 ///< "" = system CA store
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{10000};
  std::shared_ptr<const net::api_key> credentials;     ///< null = public endpoints only
  retry_policy retry;
  int create_lookups = 3;           ///< lookups of a create whose reply was lost
  std::string prefix = "/api/v3/brokerage";
  std::function<ts_ns()> wall_clock;  ///< JWT nbf/exp and timestamps; default system clock
  backoff::uniform_fn uniform;        ///< jitter source; default random
};

/// A server time measurement (for the clock-sync check).
struct time_probe_result {
  ts_ns local_send = 0;
  ts_ns server = 0;
  ts_ns local_recv = 0;
};

class coinbase_rest {
public:
  /// hooks may be null (standalone use); it must outlive the client otherwise.
  explicit coinbase_rest(rest_options opts, call_hooks* hooks = nullptr);
  ~coinbase_rest();
  coinbase_rest(const coinbase_rest&) = delete;
  coinbase_rest& operator=(const coinbase_rest&) = delete;

  /// GET /time (public): one attempt, timed around the request.
  rest_result<time_probe_result> server_time();
  /// GET /products (or /market/products without credentials): every SPOT product the
  /// daemon can represent (the rest skipped: logged, reported to hooks, counted in
  /// last_skipped()).
  rest_result<std::vector<product_info>> products();
  /// GET /products/{id} (canonical id).
  rest_result<product_info> product(const product_id& id);
  /// The `count` candles of granularity_s (60, 300, 900, 1800, 3600, 7200, 21600, 86400)
  /// ending at end_s (UNIX seconds; 0 = now), oldest first; count ≤ 300 (the exchange's
  /// limit is 350 buckets): start = end_s − count × granularity_s. Older history is paged by
  /// lowering end_s.
  rest_result<std::vector<candle>> candles(const product_id& id, std::int32_t granularity_s, std::int32_t count,
                                           std::int64_t end_s = 0);
  /// GET /accounts, every page.
  rest_result<std::vector<balance>> balances();
  /// GET /transaction_summary.
  rest_result<fee_tier> fee_tier_now();
  /// POST /orders, sent once: the ack when answered; when the reply is lost, the order looked
  /// up by client order id (accepted / refused / not_placed), or error_kind::unresolved
  /// when the lookups cannot tell (see docs/exchange.md "Create-order resolution").
  /// on_written runs (this thread) once the POST is on the socket, before its answer.
  rest_result<order_ack> create(const create_order& o, std::function<void()> on_written = {});
  /// POST /orders/preview.
  rest_result<order_preview> preview(const create_order& o);
  /// POST /orders/batch_cancel (priority cancel).
  rest_result<cancel_results> cancel(const std::vector<exchange_order_id>& ids);
  /// GET /orders/historical/{id}.
  rest_result<order_update> order_by_exchange_id(const exchange_order_id& id);
  /// GET /orders/historical/{cid}?client_order_id={cid}; not_found when unknown.
  rest_result<order_update> order_by_client_id(const client_order_id& id, call_priority prio = call_priority::data);
  /// GET /orders/historical/batch?order_status=OPEN&order_status=PENDING&order_status=QUEUED,
  /// every page (unrepresentable orders skipped, as for products): Coinbase's OPEN filter
  /// alone leaves out orders not yet on the book.
  rest_result<std::vector<order_update>> open_orders(const product_id& product = {},
                                                     call_priority prio = call_priority::data);
  /// GET /orders/historical/batch?start_date=…, every page, any status: the recent orders
  /// with their client_order_id (the cross-check of order_by_client_id; docs/orders.md).
  rest_result<std::vector<order_update>> recent_orders(ts_ns since, const product_id& product = {});
  /// GET /orders/historical/fills, every page (cursor), deduplicated by trade id
  /// (unrepresentable fills skipped, as for products).
  rest_result<std::vector<fill>> fills(ts_ns since, const exchange_order_id& order = {}, const product_id& product = {});

  /// Elements skipped by the last products(), open_orders() or fills(): when > 0 that list
  /// is incomplete.
  std::size_t last_skipped() const { return last_skipped_; }
  ts_ns now() const;

private:
  struct call_spec;
  /// Every page of GET /orders/historical/batch?{filter}.
  rest_result<std::vector<order_update>> order_pages(const std::string& filter, const product_id& product,
                                                     call_priority prio = call_priority::data);
  rest_result<std::string> call(const call_spec& spec);
  rest_result<std::string> attempt(const call_spec& spec, call_record& rec);
  /// Logs and reports the elements a page skipped.
  void report_skipped(const call_spec& spec, const std::vector<skipped_element>& skipped);
  /// A lost create reply: the order looked up by client order id (never re-sent).
  rest_result<order_ack> resolve_lost_create(const create_order& o, const exchange_error& lost);

  rest_options opts_;
  call_hooks* hooks_;
  call_hooks default_hooks_;
  backoff backoff_;
  std::size_t last_skipped_ = 0;
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace trader::exchange

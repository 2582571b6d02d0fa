#include "tools/traderd/smoke_command.hpp"

#include "messages/exchange.hpp"
#include "runtime/clock.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "tools/traderd/universe_products.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>

#include <chrono>

namespace trader::daemon {

namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

/// Runs the checks one after another inside a blocking actor (its own thread; the actor
/// system waits for it at shutdown, unlike a loose std::thread).
class smoke_run {
public:
  smoke_run(const control_context& ctx, caf::blocking_actor* self) : ctx_(ctx), self_(self) {}

  std::vector<smoke_check> run() {
    auto snap = ctx_.config->get();
    auto& cfg = snap->config;
    auto timeout = std::chrono::milliseconds{cfg.exchange.request_timeout_ms * 4 + 5000};

    ask<clock_sample>("server_time", names::clock, timeout, measure_clock{}, [&](const clock_sample& c, smoke_check& r) {
      r.ok = c.within_limit;
      r.detail = fmt::format("offset {:.1f} ms (limit {} ms), rtt {:.1f} ms", static_cast<double>(c.offset_ns) / 1e6,
                             cfg.circuit_breakers.max_clock_skew_ms, static_cast<double>(c.rtt_ns) / 1e6);
      if (!c.within_limit && !c.reason.empty())
        r.detail += ": " + c.reason;
    });

    auto products = streamed_products(cfg);
    ask<product_list>("products", names::products, timeout, get_products{true}, [&](const product_list& l, smoke_check& r) {
      std::vector<std::string> missing, degraded;
      for (auto& p : products) {
        auto it = std::find_if(l.products.begin(), l.products.end(), [&](auto& x) { return x.product == p; });
        if (it == l.products.end())
          missing.push_back(p.value);
        else if (it->state != product_state::online)
          degraded.push_back(p.value + "=" + it->raw_status);
      }
      r.ok = !l.products.empty() && missing.empty() && degraded.empty();
      r.detail = fmt::format("{} products listed", l.products.size());
      if (!missing.empty())
        r.detail += fmt::format("; not listed: {}", fmt::join(missing, ","));
      if (!degraded.empty())
        r.detail += fmt::format("; not online: {}", fmt::join(degraded, ","));
    });

    ask<balance_list>("auth_balances", names::accounts, timeout, get_balances{}, [&](const balance_list& b, smoke_check& r) {
      r.ok = true;
      r.detail = fmt::format("authenticated; {} balances", b.balances.size());
      for (auto& x : b.balances)
        if (x.currency == cfg.universe.quote_currency)
          r.detail += fmt::format("; {} available {}", x.currency, to_string(x.available));
    });

    ask<fee_tier>("fee_tier", names::accounts, timeout, get_fee_tier{}, [&](const fee_tier& t, smoke_check& r) {
      r.ok = true;
      r.detail = fmt::format("tier {}: maker {:.3f} %, taker {:.3f} %", t.tier, t.maker_rate * 100, t.taker_rate * 100);
    });

    ask<order_list>("open_orders", names::orders, timeout, list_open_orders{}, [&](const order_list& l, smoke_check& r) {
      r.ok = true;
      r.detail = fmt::format("{} open orders", l.orders.size());
    });

    auto max_age_ns = static_cast<std::int64_t>(cfg.risk.max_quote_age_s * 1e9);
    for (auto& p : products) {
      ask<book_snapshot>("quote:" + p.value, names::market_data, std::chrono::seconds(5), get_book{p, 10},
                         [&](const book_snapshot& b, smoke_check& r) {
                           auto age = system_time_source::instance().wall_now() - b.ts_recv;
                           r.ok = b.ts_recv > 0 && !b.stale && age <= max_age_ns && !b.bids.empty() && !b.asks.empty();
                           if (b.ts_recv == 0)
                             r.detail = "no data received yet";
                           else
                             r.detail = fmt::format("age {:.1f} s (limit {} s){}; depth {} bids / {} asks; best {} / {}",
                                                    static_cast<double>(age) / 1e9, cfg.risk.max_quote_age_s,
                                                    b.stale ? ", STALE" : "", b.bids.size(), b.asks.size(),
                                                    b.bids.empty() ? "-" : to_string(b.bids.front().px),
                                                    b.asks.empty() ? "-" : to_string(b.asks.front().px));
                         });
      ask<candle_list>("candles:" + p.value, names::products, timeout, get_candles{p, 300, 12},
                       [&](const candle_list& l, smoke_check& r) {
                         r.ok = !l.candles.empty();
                         r.detail = l.candles.empty() ? "no candles returned"
                                                      : fmt::format("{} five-minute candles, last close {}",
                                                                    l.candles.size(), to_string(l.candles.back().close));
                       });
    }
    return std::move(checks_);
  }

private:
  template <class Reply, class Request, class OnReply>
  void ask(std::string name, const std::string& actor, std::chrono::milliseconds timeout, Request req, OnReply on_reply) {
    smoke_check r;
    r.name = std::move(name);
    auto started = clock_type::now();
    auto dest = ctx_.reg->get(actor);
    if (!dest) {
      r.detail = "actor " + actor + " is not running";
    } else {
      // cppcheck-suppress accessMoved ; false positive: req is moved once, here, and not read after
      self_->request(dest, timeout, std::move(req))
        .receive([&](const Reply& x) { on_reply(x, r); },
                 [&](const caf::error& e) {
                   r.ok = false;
                   r.detail = describe(e);
                 });
    }
    r.ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
    checks_.push_back(std::move(r));
  }

  const control_context& ctx_;
  caf::blocking_actor* self_;
  std::vector<smoke_check> checks_;
};

} // namespace

nlohmann::json smoke_json(const std::vector<smoke_check>& checks) {
  json rows = json::array();
  bool all = !checks.empty();
  for (auto& c : checks) {
    rows.push_back(json{{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}, {"ms", c.ms}});
    all = all && c.ok;
  }
  return json{{"ok", all}, {"checks", rows}};
}

void register_smoke_command(control::control_server& server, const control_context& ctx) {
  server.register_command(
    "smoke", "read-only exchange check: server time, products, auth, balances, fee tier, orders, quotes, depth, candles",
    [ctx](const control::request&, const control::reply_fn& reply) {
      // The checks block on the actors' answers: never on the control server's thread.
      ctx.sys->spawn([ctx, reply](caf::blocking_actor* self) {
        smoke_run run{ctx, self};
        reply(control::reply::success(smoke_json(run.run())));
      });
    },
    std::chrono::seconds(120));
}

} // namespace trader::daemon

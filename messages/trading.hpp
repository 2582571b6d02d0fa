#pragma once
// Decisions flowing one way: strategies ─trade_proposal→ risk ─order_intent→ order_lifecycle.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

/// What a proposal does to the position.
enum class proposal_kind : std::uint8_t { open, add, reduce, close };

/// A strategy's wish to trade; risk decides.
struct trade_proposal {
  std::string proposal_id;  ///< Unique per proposal; carried into the verdict and intent.
  std::string strategy;
  product_id product;
  side dir = side::buy;
  proposal_kind kind = proposal_kind::open;
  notional target;          ///< Quote-currency amount wanted.
  price limit_px;           ///< Zero = strategy leaves pricing to execution.
  std::string rationale;    ///< Human-readable trigger summary, for the audit log.
  std::int64_t cycle = 0;   ///< Decision cycle that produced it.
  ts_ns ts = 0;
};

/// One failed pre-trade check: stable id plus a rendered detail.
struct rejection {
  std::string check;   ///< e.g. "PER_ASSET_CAP".
  std::string detail;  ///< e.g. "asset=BTC at_risk_pct=5.4 limit_pct=5.0".
};

/// An instruction to place one order. Written to the state store before it is sent.
struct order_intent {
  client_order_id id;       ///< Ours, generated once; never re-sent under another id.
  std::string proposal_id;
  product_id product;
  side dir = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  price limit_px;
  size base_size;           ///< Either base_size or quote_size is set.
  notional quote_size;
  bool post_only = true;
  bool reduce_only = false;  ///< Exits: allowed while the gate is closed (not under kill switch).
  ts_ns expire_at = 0;       ///< For GTD.
  ts_ns ts_created = 0;
};

/// Risk's answer to a proposal; keeps every failed check.
struct risk_verdict {
  std::string proposal_id;
  bool approved = false;
  std::vector<rejection> rejections;
  order_intent intent;       ///< Meaningful only when approved.
  ts_ns ts = 0;
};

/// The scheduler's jittered decision-cycle tick.
struct decision_tick {
  std::int64_t cycle = 0;
  std::int64_t interval_ms = 0;  ///< Interval actually used, jitter included.
  ts_ns ts = 0;
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade_proposal& x) {
  return f(caf::meta::type_name("trade_proposal"), x.proposal_id, x.strategy, x.product, x.dir, x.kind, x.target,
           x.limit_px, x.rationale, x.cycle, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rejection& x) {
  return f(caf::meta::type_name("rejection"), x.check, x.detail);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_intent& x) {
  return f(caf::meta::type_name("order_intent"), x.id, x.proposal_id, x.product, x.dir, x.type, x.tif, x.limit_px,
           x.base_size, x.quote_size, x.post_only, x.reduce_only, x.expire_at, x.ts_created);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_verdict& x) {
  return f(caf::meta::type_name("risk_verdict"), x.proposal_id, x.approved, x.rejections, x.intent, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decision_tick& x) {
  return f(caf::meta::type_name("decision_tick"), x.cycle, x.interval_ms, x.ts);
}

} // namespace trader

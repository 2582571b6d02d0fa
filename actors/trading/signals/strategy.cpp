#include "actors/trading/signals/strategy.hpp"

#include "actors/trading/signals/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace trader::signals {

namespace {

std::string fmt2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

exit_plan exits_of(const strategy_params& p, price atr) {
  return exit_plan{p.stop_loss_pct, p.take_profit_pct, p.stop_loss_atr, p.take_profit_atr, atr};
}

/// Trigger-driven entries: the configured trigger fired on the newest closed bar.
class rules_strategy final : public strategy {
public:
  std::vector<candidate> propose(const strategy_context& ctx) const override {
    std::vector<candidate> out;
    for (const auto& ps : ctx.signals.products) {
      if (ps.blocked)
        continue;
      for (const auto& f : ps.fired) {
        if (f.id != ctx.params.trigger || f.confidence < ctx.params.min_confidence)
          continue;
        out.push_back({ps.product, f.confidence, ps.last_close, exits_of(ctx.params, ps.atr), {f.id},
                       "strategy=" + ctx.params.name + " " + f.detail});
        break;
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const candidate& a, const candidate& b) {
      return a.confidence > b.confidence;
    });
    return out;
  }
};

/// Mean reversion: RSI of the base timeframe at or below rsi_oversold.
class rsi_reversion_strategy final : public strategy {
public:
  std::vector<candidate> propose(const strategy_context& ctx) const override {
    std::vector<candidate> out;
    const double os = ctx.params.rsi_oversold;
    for (const auto& ps : ctx.signals.products) {
      if (ps.blocked || ps.rsi <= 0 || ps.rsi > os)
        continue;
      const double conf = std::min(0.99, 0.5 + 0.5 * (os - ps.rsi) / os);
      if (conf < ctx.params.min_confidence)
        continue;
      out.push_back({ps.product, conf, ps.last_close, exits_of(ctx.params, ps.atr), {"rsi_reversion"},
                     "strategy=" + ctx.params.name + " rsi=" + fmt2(ps.rsi) + " <= oversold=" + fmt2(os)});
    }
    std::stable_sort(out.begin(), out.end(), [](const candidate& a, const candidate& b) {
      return a.confidence > b.confidence;
    });
    return out;
  }
};

bool holds(std::span<const position_state> ps, const product_id& p) {
  return std::any_of(ps.begin(), ps.end(), [&](const position_state& x) { return x.product == p; });
}

struct pick {
  const strategy_params* params = nullptr;
  candidate c;
};

} // namespace

std::string strategy_registry::correlated(const signal_batch& b, std::span<const position_state> positions,
                                          const product_id& candidate) const {
  if (!correlation_.enabled)
    return {};
  auto closes_of = [&](const product_id& p) -> const std::vector<double>* {
    for (const auto& ps : b.products)
      if (ps.product == p)
        return &ps.closes;
    return nullptr;
  };
  const auto* mine = closes_of(candidate);
  if (!mine)
    return {};
  for (const auto& h : positions) {
    const auto* theirs = closes_of(h.product);
    if (!theirs)
      continue;  // not in this cycle's universe: its returns are unknown here
    const double rho = return_correlation(*mine, *theirs, correlation_.lookback);
    if (!std::isnan(rho) && rho > correlation_.max_correlation)
      return "correlated: " + candidate.value + " vs held " + h.product.value + " rho=" + fmt2(rho) + " > " +
             fmt2(correlation_.max_correlation);
  }
  return {};
}

std::unique_ptr<strategy> make_strategy(const strategy_params& params) {
  if (params.kind == "rules")
    return std::make_unique<rules_strategy>();
  if (params.kind == "rsi_reversion")
    return std::make_unique<rsi_reversion_strategy>();
  return nullptr;
}

strategy_registry::strategy_registry(std::vector<strategy_params> strategies, const ensemble_params& ensemble,
                                     const correlation_params& correlation)
  : params_(std::move(strategies)), ensemble_(ensemble), correlation_(correlation) {
  std::sort(params_.begin(), params_.end(),
            [](const strategy_params& a, const strategy_params& b) { return a.name < b.name; });
  for (const auto& p : params_)
    impl_.push_back(p.enabled ? make_strategy(p) : nullptr);
}

std::vector<std::string> strategy_registry::enabled() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (impl_[i])
      out.push_back(params_[i].name);
  return out;
}

cycle_result strategy_registry::run(const signal_batch& batch, std::span<const position_state> positions, ts_ns now,
                                    const std::string& id_prefix) const {
  cycle_result r;
  if (enabled().empty()) {
    r.no_trade_reason = "no_strategy_enabled";
    return r;
  }
  if (batch.products.empty()) {
    r.no_trade_reason = "empty_universe";
    return r;
  }
  // Look-ahead guard: a signal may only rest on a bar that had closed at the cycle's clock.
  signal_batch closed = batch;
  const ts_ns len = static_cast<ts_ns>(batch.granularity_s) * ns_per_s;
  std::erase_if(closed.products, [&](const product_signals& ps) {
    if (ps.blocked || ps.bar_start + len <= now)
      return false;
    ++r.look_ahead;
    r.notes.push_back("look_ahead: " + ps.product.value + " bar " + std::to_string(ps.bar_start / ns_per_s) +
                      " had not closed at " + std::to_string(now / ns_per_s));
    return true;
  });
  if (std::all_of(closed.products.begin(), closed.products.end(), [](const auto& ps) { return ps.blocked; })) {
    r.no_trade_reason = r.look_ahead > 0 ? "look_ahead" : "all_blocked";
    return r;
  }
  if (batch.size_multiplier <= 0) {
    r.no_trade_reason = batch.regime == "crash" ? "crash_regime" : "regime_multiplier_zero";
    return r;
  }
  std::map<std::string, std::size_t> dropped;  // reason id → count
  std::map<std::string, std::vector<pick>> by_product;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (!impl_[i])
      continue;
    const auto& sp = params_[i];
    std::vector<position_state> own;
    for (const auto& p : positions)
      if (p.strategy == sp.name)
        own.push_back(p);
    strategy_context ctx{batch.cycle, now, closed, own, positions, sp};
    std::int64_t taken = 0;
    for (auto& c : impl_[i]->propose(ctx)) {
      std::string why;
      if (holds(positions, c.product))
        why = "position_open";
      else if (auto corr = correlated(closed, positions, c.product); !corr.empty()) {
        why = "correlated";
        r.notes.push_back(corr);
      }
      else if (static_cast<std::int64_t>(own.size()) + taken >= sp.max_positions || taken >= sp.max_trades_per_cycle)
        why = "budget_exhausted";
      if (!why.empty()) {
        ++dropped[why];
        r.notes.push_back(why + ": " + sp.name + " " + c.product.value);
        continue;
      }
      ++taken;
      auto& picks = by_product[c.product.value];  // the key before c is moved from
      picks.push_back({&sp, std::move(c)});
    }
  }
  std::int64_t n = 0;
  for (auto& [product, picks] : by_product) {
    trade_proposal p;
    if (ensemble_.enabled) {
      double conf = 0, ref = 0;
      std::string names;
      for (const auto& k : picks) {
        conf += k.c.confidence;
        ref += k.c.reference.to_double();
        names += (names.empty() ? "" : "+") + k.params->name;
      }
      conf /= static_cast<double>(picks.size());
      ref /= static_cast<double>(picks.size());
      if (static_cast<std::int64_t>(picks.size()) < ensemble_.min_agreeing || conf < ensemble_.min_confidence) {
        ++dropped["ensemble_disagree"];
        r.notes.push_back("ensemble_disagree: " + product + " " + std::to_string(picks.size()) + " of " +
                          std::to_string(ensemble_.min_agreeing) + " strategies, confidence " + fmt2(conf));
        continue;
      }
      p.strategy = "ensemble:" + names;
      p.confidence = conf;
      p.limit_px = price::from_double(ref * (1.0 + ensemble_.entry_zone_pct / 100.0));
      p.exits = picks.front().c.exits;
      p.target = notional::from_double(picks.front().params->notional_usd * batch.size_multiplier);
      for (const auto& k : picks)
        p.rationale += (p.rationale.empty() ? "" : " | ") + k.c.rationale;
    } else {
      auto best = std::max_element(picks.begin(), picks.end(), [](const pick& a, const pick& b) {
        return a.c.confidence < b.c.confidence;  // first of equals wins (strategy name order)
      });
      p.strategy = best->params->name;
      p.confidence = best->c.confidence;
      p.exits = best->c.exits;
      p.target = notional::from_double(best->params->notional_usd * batch.size_multiplier);
      p.rationale = best->c.rationale;
      for (const auto& k : picks)
        if (&k != &*best)
          r.notes.push_back("deduped: " + k.params->name + " " + product + " (confidence " + fmt2(k.c.confidence) +
                            " < " + fmt2(best->c.confidence) + ")");
    }
    p.proposal_id = id_prefix + "-" + std::to_string(batch.cycle) + "-" + std::to_string(++n);
    p.product = product_id{product};
    for (const auto& ps : batch.products)  // the frame behind its signals: tick_to_order
      if (ps.product == p.product)
        p.origin_mono = ps.origin_mono;
    p.dir = side::buy;
    p.kind = proposal_kind::open;
    p.cycle = batch.cycle;
    p.ts = now;
    p.regime = batch.regime;
    p.size_multiplier = batch.size_multiplier;  // already in target: risk does not apply it twice
    auto& ids = p.trigger_ids;  // every agreeing strategy's, each once, in order
    for (const auto& k : picks)
      for (const auto& t : k.c.trigger_ids)
        if (std::find(ids.begin(), ids.end(), t) == ids.end())
          ids.push_back(t);
    std::string listed;
    for (const auto& t : ids)
      listed += (listed.empty() ? "" : ",") + t;
    p.rationale += " [triggers=" + listed + " regime=" + batch.regime + " x" + fmt2(batch.size_multiplier) + "]";
    r.proposals.push_back(std::move(p));
  }
  std::sort(r.proposals.begin(), r.proposals.end(),
            [](const trade_proposal& a, const trade_proposal& b) { return a.confidence > b.confidence; });
  if (r.proposals.empty()) {
    bool any_fired = std::any_of(closed.products.begin(), closed.products.end(),
                                 [](const auto& ps) { return !ps.blocked && !ps.fired.empty(); });
    for (const char* why : {"ensemble_disagree", "position_open", "correlated", "budget_exhausted"})
      if (dropped.count(why)) {
        r.no_trade_reason = why;
        return r;
      }
    // A fired trigger some enabled rules strategy consumes, yet no proposal: its confidence
    // was too low; fired triggers nobody consumes: no matching signal.
    bool consumed = false;
    for (std::size_t i = 0; i < params_.size(); ++i)
      for (const auto& ps : closed.products)
        for (const auto& f : ps.fired)
          consumed = consumed || (impl_[i] && !ps.blocked && params_[i].kind == "rules" && f.id == params_[i].trigger);
    r.no_trade_reason = consumed ? "below_confidence" : any_fired ? "no_matching_signal" : "no_signal";
  }
  return r;
}

} // namespace trader::signals

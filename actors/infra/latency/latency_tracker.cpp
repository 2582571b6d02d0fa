#include "actors/infra/latency/latency_tracker.hpp"

#include <cstdio>

namespace trader::latency {

namespace {

constexpr const char* overflow_key = "other";

std::string quantile_name(double q) {
  if (q >= 1.0)
    return "max";
  char buf[16];
  std::snprintf(buf, sizeof buf, "p%g", q * 100);
  return buf;
}

} // namespace

std::string format_ms(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ns) / 1e6);
  return buf;
}

latency_tracker::latency_tracker(tracker_config cfg) : cfg_(cfg) {
  if (cfg_.slots == 0)
    cfg_.slots = 1;
  if (cfg_.slot_ns <= 0)
    cfg_.slot_ns = 60'000'000'000;
}

void latency_tracker::set_budget(const std::string& key, latency_budget b) { budgets_[key] = b; }

latency_tracker::series& latency_tracker::series_for(const std::string& key) {
  auto it = series_.find(key);
  if (it == series_.end()) {
    const std::string& k = series_.size() >= cfg_.max_keys ? std::string(overflow_key) : key;
    it = series_.find(k);
    if (it == series_.end()) {
      series s;
      s.slots.resize(cfg_.slots);
      s.slot_epoch.assign(cfg_.slots, -1);
      it = series_.emplace(k, std::move(s)).first;
    }
  }
  return it->second;
}

void latency_tracker::record(const std::string& key, std::int64_t duration_ns, std::int64_t now_ns) {
  auto& s = series_for(key);
  auto epoch = now_ns / cfg_.slot_ns;
  auto idx = static_cast<std::size_t>(epoch % static_cast<std::int64_t>(cfg_.slots));
  if (s.slot_epoch[idx] != epoch) {
    s.slots[idx].clear();
    s.slot_epoch[idx] = epoch;
  }
  s.slots[idx].record(duration_ns);
  s.lifetime.record(duration_ns);
}

latency_histogram latency_tracker::window_of(const series& s, std::int64_t now_ns) const {
  latency_histogram h;
  auto epoch = now_ns / cfg_.slot_ns;
  auto oldest = epoch - static_cast<std::int64_t>(cfg_.slots) + 1;
  for (std::size_t i = 0; i < s.slots.size(); ++i)
    if (s.slot_epoch[i] >= oldest && s.slot_epoch[i] <= epoch)
      h.merge(s.slots[i]);
  return h;
}

std::optional<latency_budget> latency_tracker::budget_for(const std::string& key) const {
  if (auto it = budgets_.find(key); it != budgets_.end())
    return it->second;
  std::optional<latency_budget> best;
  std::size_t best_len = 0;
  for (const auto& [k, b] : budgets_) {
    if (k.empty() || k.back() != '*')
      continue;
    auto prefix = std::string_view(k).substr(0, k.size() - 1);
    if (key.compare(0, prefix.size(), prefix) == 0 && prefix.size() >= best_len) {
      best = b;
      best_len = prefix.size();
    }
  }
  return best;
}

check_result latency_tracker::check(std::int64_t now_ns) {
  check_result out;
  for (const auto& [key, s] : series_) {
    auto b = budget_for(key);
    if (!b)
      continue;
    auto w = window_of(s, now_ns);
    bool over = false;
    if (w.count() >= b->min_samples && w.count() > 0) {
      auto observed = w.quantile(b->quantile);
      if (observed > b->max_ns) {
        over = true;
        violation v{key, b->quantile, observed, b->max_ns, w.count(), {}};
        v.reason = "LATENCY_BUDGET: key=" + key + " " + quantile_name(b->quantile) + "_ms=" + format_ms(observed)
                   + " budget_ms=" + format_ms(b->max_ns) + " samples=" + std::to_string(w.count());
        out.violations.push_back(std::move(v));
      }
    }
    auto& was = violating_[key];
    if (was && !over)
      out.recovered.push_back(key);
    was = over;
  }
  return out;
}

std::vector<latency_summary> latency_tracker::summaries(std::int64_t now_ns) const {
  std::vector<latency_summary> out;
  for (const auto& [key, s] : series_) {
    auto w = window_of(s, now_ns);
    latency_summary r;
    r.key = key;
    r.window_count = w.count();
    r.p50_ns = w.quantile(0.50);
    r.p95_ns = w.quantile(0.95);
    r.p99_ns = w.quantile(0.99);
    r.max_ns = w.max();
    r.lifetime_count = s.lifetime.count();
    r.lifetime_p50_ns = s.lifetime.quantile(0.5);
    r.lifetime_p99_ns = s.lifetime.quantile(0.99);
    r.budget = budget_for(key);
    out.push_back(std::move(r));
  }
  return out;
}

latency_histogram latency_tracker::window(const std::string& key, std::int64_t now_ns) const {
  auto it = series_.find(key);
  return it == series_.end() ? latency_histogram{} : window_of(it->second, now_ns);
}

const latency_histogram* latency_tracker::lifetime(const std::string& key) const {
  auto it = series_.find(key);
  return it == series_.end() ? nullptr : &it->second.lifetime;
}

void latency_tracker::restore_baseline(const std::string& key, const latency_histogram& h) {
  series_for(key).lifetime = h;
}

} // namespace trader::latency

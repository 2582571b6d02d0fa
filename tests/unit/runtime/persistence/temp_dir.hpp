#pragma once
// A fresh directory under $TMPDIR removed at scope exit; and record builders for tests.

#include "runtime/persistence/records.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

namespace trader::persistence::testing {

/// mkdtemp'd directory, removed recursively on destruction.
class temp_dir {
public:
  temp_dir() {
    auto base = std::filesystem::temp_directory_path() / "trader-state-XXXXXX";
    std::string tmpl = base.string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  /// The directory itself.
  const std::string& path() const { return path_; }
  /// A path inside it.
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

/// A deterministic order intent numbered i.
inline order_record make_order(int i) {
  order_record o;
  o.id = client_order_id{"coid-" + std::to_string(i)};
  o.product = product_id{i % 2 ? "BTC-USD" : "ETH-USD"};
  o.side = i % 3 ? order_side::buy : order_side::sell;
  o.kind = order_kind::limit;
  o.limit_px = price::from_units(6'712'345'000'000 + i);
  o.qty = size::from_units(1'000'000 + i);
  o.status = order_status::created;
  o.created_at = 1'700'000'000'000'000'000 + i;
  o.updated_at = o.created_at;
  return o;
}

/// A deterministic fill numbered i (belongs to order i).
inline fill_record make_fill(int i) {
  fill_record f;
  f.trade = trade_id{"trade-" + std::to_string(i)};
  f.order = client_order_id{"coid-" + std::to_string(i)};
  f.exchange_order = exchange_order_id{"ex-" + std::to_string(i)};
  f.product = product_id{i % 2 ? "BTC-USD" : "ETH-USD"};
  f.side = order_side::buy;
  f.px = price::from_units(6'712'345'000'000 + i);
  f.qty = size::from_units(500'000 + i);
  f.fee = notional::from_units(12'345 + i);
  f.liquidity = fill_liquidity::maker;
  f.ts_event = 1'700'000'000'000'000'000 + i;
  f.ts_recv = f.ts_event + 1000;
  return f;
}

} // namespace trader::persistence::testing

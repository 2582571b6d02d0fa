#include "actors/infra/recorder/market_recorder.hpp"

#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace trader::recorder {

market_recorder::market_recorder(const recorder_options& o)
  : log_(rotating_log_options{o.dir, "market", o.max_file_bytes, o.keep_files, o.flush_every}) {}

std::string market_recorder::line_of(const market_trade& t) {
  nlohmann::json trade{{"trade_id", t.trade.value},
                       {"product_id", t.product.value},
                       {"price", to_string(t.px)},
                       {"size", to_string(t.qty)},
                       {"side", t.taker_side == side::buy ? "SELL" : "BUY"},  // the maker's
                       {"time", format_rfc3339(t.ts_event)}};
  nlohmann::json msg{{"channel", "market_trades"}, {"events", {{{"type", "update"}, {"trades", {trade}}}}}};
  char ts[32];
  std::snprintf(ts, sizeof ts, "%.6f", static_cast<double>(t.ts_recv) / 1e9);
  return std::string{"{\"t\":\"recv\",\"ts\":"} + ts + ",\"data\":" + nlohmann::json(msg.dump()).dump() + "}\n";
}

void market_recorder::on_trade(const market_trade& t) {
  const auto files = log_.files_opened();
  const auto line = line_of(t);
  const bool ok = log_.append(line, t.ts_recv);
  counts_.files += log_.files_opened() - files;
  if (!ok) {
    ++counts_.write_errors;
    return;
  }
  ++counts_.trades;
  counts_.bytes += line.size();
}

} // namespace trader::recorder

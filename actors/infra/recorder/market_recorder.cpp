#include "actors/infra/recorder/market_recorder.hpp"

#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace trader::recorder {

namespace fs = std::filesystem;

market_recorder::market_recorder(recorder_options o) : o_(std::move(o)) {
  std::error_code ec;
  fs::create_directories(o_.dir, ec);
}

market_recorder::~market_recorder() { flush(); }

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

namespace {

std::string file_name(const std::string& day, int part) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "market-%s-%03d.jsonl", day.c_str(), part);
  return buf;
}

} // namespace

void market_recorder::open_for(ts_ns t) {
  const std::string day = format_rfc3339(t).substr(0, 10);
  if (out_.is_open() && day == day_ && file_bytes_ < o_.max_file_bytes)
    return;
  flush();
  out_.close();
  if (day == day_) {
    ++part_;  // full
  } else {
    day_ = day;
    part_ = 0;  // a new day, or a (re)start: go on from the day's newest part
    std::error_code ec;
    while (fs::exists(fs::path(o_.dir) / file_name(day, part_ + 1), ec))
      ++part_;
  }
  path_ = (fs::path(o_.dir) / file_name(day, part_)).string();
  out_.open(path_, std::ios::app | std::ios::binary);
  std::error_code ec;
  file_bytes_ = fs::exists(path_, ec) ? fs::file_size(path_, ec) : 0;
  ++counts_.files;
  prune();
}

void market_recorder::prune() {
  if (o_.keep_files == 0)
    return;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(o_.dir, ec))
    if (e.is_regular_file() && e.path().filename().string().rfind("market-", 0) == 0)
      files.push_back(e.path());
  if (files.size() <= o_.keep_files)
    return;
  std::sort(files.begin(), files.end());  // market-DAY-PART: names sort by time
  for (std::size_t i = 0; i + o_.keep_files < files.size(); ++i)
    if (files[i] != path_)
      fs::remove(files[i], ec);
}

void market_recorder::on_trade(const market_trade& t) {
  open_for(t.ts_recv);
  const auto line = line_of(t);
  out_ << line;
  if (!out_) {
    ++counts_.write_errors;
    out_.clear();
    return;
  }
  ++counts_.trades;
  counts_.bytes += line.size();
  file_bytes_ += line.size();
  if (++since_flush_ >= o_.flush_every)
    flush();
}

void market_recorder::flush() {
  if (out_.is_open())
    out_.flush();
  since_flush_ = 0;
}

} // namespace trader::recorder

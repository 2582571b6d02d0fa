// risk_tape: the writer (over rotating_log) and the reader (a directory of tape files).
#include "actors/infra/recorder/risk_tape.hpp"

#include "actors/infra/audit/decision_stream.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace trader::recorder {

namespace fs = std::filesystem;

namespace {

rotating_log_options risk_prefix(rotating_log_options o) {
  o.prefix = "risk";
  return o;
}

} // namespace

risk_tape::risk_tape(rotating_log_options o) : log_(risk_prefix(std::move(o))) {}

void risk_tape::set_config(std::string dir, std::string hash) {
  std::lock_guard guard{mtx_};
  config_dir_ = std::move(dir);
  config_hash_ = std::move(hash);
}

void risk_tape::record(ts_ns t, tape_payload what) {
  std::lock_guard guard{mtx_};
  if (auto* s = std::get_if<tape_start>(&what)) {
    s->config_dir = config_dir_;
    s->config_hash = config_hash_;
  }
  ++counts_.inputs;
  const bool tick = std::holds_alternative<tape_tick>(what);
  write(tape_event{t, std::move(what)});
  if (tick)
    log_.flush();  // at most a second of inputs lost to a crash
}

void risk_tape::decision(std::string_view kind, const nlohmann::json& payload, ts_ns t) {
  auto line = audit::decision_line(kind, payload);
  if (!line)
    return;
  std::lock_guard guard{mtx_};
  ++counts_.decisions;
  write(tape_event{t, tape_decision{std::move(*line)}});
  log_.flush();  // out of our buffer before its intent is sent
}

void risk_tape::write(const tape_event& e) {
  const auto line = encode(e);
  if (!log_.append(line, e.t)) {
    ++counts_.write_errors;
    return;
  }
  counts_.bytes += line.size();
}

void risk_tape::flush() {
  std::lock_guard guard{mtx_};
  log_.flush();
}

tape_counts risk_tape::counts() const {
  std::lock_guard guard{mtx_};
  return counts_;
}

std::string risk_tape::current_file() const {
  std::lock_guard guard{mtx_};
  return log_.current_file();
}

// -- reading ----------------------------------------------------------------------------------

tape_read read_tape(const std::string& path) {
  tape_read r;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const auto name = e.path().filename().string();
      if (e.is_regular_file() && name.rfind("risk-", 0) == 0 && name.size() > 6 &&
          name.substr(name.size() - 6) == ".jsonl")
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());  // risk-DAY-PART: names sort by time
    if (files.empty()) {
      r.error = path + ": no risk-*.jsonl files (was traderd started with --record-market " + path + "?)";
      return r;
    }
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    r.error = path + ": not a file or directory";
    return r;
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      r.error = f + ": unreadable";
      return r;
    }
    // A line that does not parse is a torn write when it is the file's last line or the next
    // line is a start (traderd died mid-line and started again); anywhere else it is damage.
    std::string pending_bad;
    std::string text;
    for (std::size_t n = 1; std::getline(in, text); ++n) {
      if (text.empty())
        continue;
      std::string why;
      auto ev = decode(text, why);
      const std::string where = f + ":" + std::to_string(n);
      if (!pending_bad.empty()) {
        if (!ev || !std::holds_alternative<tape_start>(ev->what)) {
          r.error = pending_bad;
          return r;
        }
        r.torn.push_back(pending_bad);
        pending_bad.clear();
      }
      if (!ev) {
        pending_bad = where + ": " + why;
        continue;
      }
      r.events.push_back(std::move(*ev));
      r.where.push_back(where);
    }
    if (!pending_bad.empty())
      r.torn.push_back(pending_bad);
  }
  return r;
}

} // namespace trader::recorder

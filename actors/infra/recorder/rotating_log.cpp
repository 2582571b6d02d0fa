#include "actors/infra/recorder/rotating_log.hpp"

#include "runtime/clock.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace trader::recorder {

namespace fs = std::filesystem;

rotating_log::rotating_log(rotating_log_options o) : o_(std::move(o)) {
  std::error_code ec;
  fs::create_directories(o_.dir, ec);
}

rotating_log::~rotating_log() { flush(); }

std::string rotating_log::file_name(const std::string& prefix, const std::string& day, int part) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%s-%03d.jsonl", day.c_str(), part);
  return prefix + buf;
}

namespace {

/// Whether the file's last byte is something other than a newline (a line torn by a crash).
bool ends_torn(const std::string& path, std::uint64_t size) {
  if (size == 0)
    return false;
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(size - 1));
  char last = '\n';
  in.get(last);
  return in && last != '\n';
}

} // namespace

void rotating_log::open_for(ts_ns t) {
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
    while (fs::exists(fs::path(o_.dir) / file_name(o_.prefix, day, part_ + 1), ec))
      ++part_;
  }
  path_ = (fs::path(o_.dir) / file_name(o_.prefix, day, part_)).string();
  std::error_code ec;
  file_bytes_ = fs::exists(path_, ec) ? fs::file_size(path_, ec) : 0;
  const bool torn = ends_torn(path_, file_bytes_);
  out_.open(path_, std::ios::app | std::ios::binary);
  if (torn) {
    out_ << '\n';  // the torn line stays alone; ours starts on a line of its own
    ++file_bytes_;
  }
  ++files_;
  prune();
}

void rotating_log::prune() {
  if (o_.keep_files == 0)
    return;
  std::vector<fs::path> files;
  std::error_code ec;
  const std::string start = o_.prefix + "-";
  for (const auto& e : fs::directory_iterator(o_.dir, ec))
    if (e.is_regular_file() && e.path().filename().string().rfind(start, 0) == 0)
      files.push_back(e.path());
  if (files.size() <= o_.keep_files)
    return;
  std::sort(files.begin(), files.end());  // PREFIX-DAY-PART: names sort by time
  for (std::size_t i = 0; i + o_.keep_files < files.size(); ++i)
    if (files[i] != path_)
      fs::remove(files[i], ec);
}

bool rotating_log::append(const std::string& line, ts_ns t) {
  open_for(t);
  out_ << line;
  if (!out_) {
    out_.clear();
    return false;
  }
  file_bytes_ += line.size();
  if (++since_flush_ >= o_.flush_every)
    flush();
  return true;
}

void rotating_log::flush() {
  if (out_.is_open())
    out_.flush();
  since_flush_ = 0;
}

} // namespace trader::recorder

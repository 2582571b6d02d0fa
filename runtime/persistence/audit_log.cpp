#include "runtime/persistence/audit_log.hpp"

#include "runtime/errno_text.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace trader::persistence {

namespace fs = std::filesystem;

namespace {

store_error io_error(const std::string& what) {
  return make_error(store_errc::write_failed, what + ": " + trader::errno_text(errno), "audit", {}, errno);
}

/// The UTC date in an audit file name, or false.
bool file_date(const std::string& name, ts_ns& out) {
  if (name.size() != 22 || name.rfind("audit-", 0) != 0 || name.substr(16) != ".jsonl")
    return false;
  return parse_rfc3339(name.substr(6, 10) + "T00:00:00Z", out);
}

std::optional<audit_event> parse_line(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return std::nullopt;
  if (auto it = j.find("prev_hash"); it != j.end() && !it->is_string())
    return std::nullopt;
  audit_event e;
  try {
    auto ts = j.at("ts").get<std::string>();
    if (!parse_rfc3339(ts, e.ts))
      return std::nullopt;
    // An unsigned integer only: get<uint64_t>() of a float (1e21) or a negative number
    // converts out of range (UB; found by tests/fuzz).
    if (!j.at("seq").is_number_unsigned())
      return std::nullopt;
    e.seq = j.at("seq").get<std::uint64_t>();
    e.kind = j.at("kind").get<std::string>();
    e.actor = j.at("actor").get<std::string>();
    e.config_hash = j.at("config_hash").get<std::string>();
    e.payload = j.at("payload").dump();
    e.prev_hash = j.value("prev_hash", std::string{});
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  e.hash = sha256_hex(line);
  return e;
}

} // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1)
    return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * static_cast<std::size_t>(len));
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 0xF]);
  }
  return out;
}

std::string audit_file_name(ts_ns t) { return "audit-" + utc_date(t) + ".jsonl"; }

std::vector<std::string> list_audit_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    ts_ns d;
    if (e.is_regular_file() && file_date(e.path().filename().string(), d))
      out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());  // the date in the name sorts chronologically
  return out;
}

audit_read read_audit_file(const std::string& path) {
  audit_read out;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.torn_tail = true;  // a crash mid-write: never trust an unterminated line
      break;
    }
    auto line = text.substr(start, nl - start);
    start = nl + 1;
    if (line.empty())
      continue;
    if (auto e = parse_line(line))
      out.events.push_back(std::move(*e));
    else
      ++out.skipped_lines;
  }
  return out;
}

// -- audit_log ---------------------------------------------------------------------------

result<std::unique_ptr<audit_log>> audit_log::open(audit_options opts, const time_source& clock) {
  std::error_code ec;
  fs::create_directories(opts.dir, ec);
  if (ec)
    return make_error(store_errc::open_failed, "cannot create " + opts.dir + ": " + ec.message(), "audit");
  if (opts.retention_days < 1)
    return make_error(store_errc::invalid_argument, "retention_days must be >= 1", "audit");
  std::unique_ptr<audit_log> log(new audit_log(std::move(opts), clock));
  log->apply_retention();
  // seq and the chain continue from the last good event of the newest file that has one.
  auto files = list_audit_files(log->opts_.dir);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    auto r = read_audit_file(*it);
    if (!r.events.empty()) {
      for (const auto& e : r.events)
        log->seq_ = std::max(log->seq_, e.seq);
      log->last_hash_ = r.events.back().hash;
      break;
    }
  }
  std::lock_guard lk(log->mu_);
  if (auto r = log->open_for(clock.wall_now()); !r)
    return r.error();
  return log;
}

audit_log::~audit_log() {
  std::lock_guard lk(mu_);
  if (fd_ >= 0) {
    if (dirty_ && opts_.fsync != audit_fsync::never)
      ::fdatasync(fd_);
    ::close(fd_);
  }
}

result<void> audit_log::open_for(ts_ns now) {
  auto date = utc_date(now);
  if (fd_ >= 0 && date == date_)
    return ok_result();
  if (fd_ >= 0) {
    if (dirty_ && opts_.fsync != audit_fsync::never)
      ::fdatasync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  auto path = (fs::path(opts_.dir) / audit_file_name(now)).string();
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return io_error("open " + path);
  fd_ = fd;
  date_ = date;
  // A torn tail (crash mid-line): end it so the next event starts on a fresh line.
  auto size = ::lseek(fd, 0, SEEK_END);
  if (size > 0) {
    char last = 0;
    int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd >= 0) {
      if (::pread(rfd, &last, 1, size - 1) != 1)
        last = '\n';
      ::close(rfd);
    }
    if (last != '\n')
      if (auto r = write_all("\n"); !r)
        return r;
  }
  apply_retention();
  return ok_result();
}

result<void> audit_log::write_all(std::string_view bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::write(fd_, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      torn_ = off > 0 || torn_;
      return io_error("write " + date_);
    }
    off += static_cast<std::size_t>(n);
  }
  dirty_ = true;
  return ok_result();
}

result<std::uint64_t> audit_log::append(std::string_view kind, std::string_view actor, const nlohmann::json& payload,
                                        std::string_view config_hash) {
  std::lock_guard lk(mu_);
  auto now = clock_.wall_now();
  if (auto r = open_for(now); !r) {
    ++failed_;
    return r.error();
  }
  nlohmann::ordered_json line;
  line["ts"] = format_rfc3339(now);
  line["seq"] = seq_ + 1;
  line["kind"] = kind;
  line["actor"] = actor;
  line["config_hash"] = config_hash.empty() ? std::string_view{opts_.config_hash} : config_hash;
  line["payload"] = payload;
  line["prev_hash"] = last_hash_;
  auto body = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto text = body + "\n";
  if (torn_)
    text.insert(0, "\n");  // end the fragment an earlier failed write left
  torn_ = false;
  if (auto r = write_all(text); !r) {
    ++failed_;
    return r.error();
  }
  // The line is in the file: it is the chain's new end even if the fdatasync below fails.
  ++seq_;
  ++appended_;
  last_hash_ = sha256_hex(body);
  bool sync = opts_.fsync == audit_fsync::always;
  if (opts_.fsync == audit_fsync::interval) {
    auto mono = clock_.mono_now();
    sync = mono - last_sync_ >= std::chrono::duration_cast<std::chrono::nanoseconds>(opts_.fsync_interval).count();
  }
  if (sync) {
    if (::fdatasync(fd_) != 0) {
      ++failed_;
      return io_error("fdatasync");
    }
    last_sync_ = clock_.mono_now();
    dirty_ = false;
  }
  return seq_;
}

result<void> audit_log::flush() {
  std::lock_guard lk(mu_);
  if (fd_ >= 0 && ::fdatasync(fd_) != 0)
    return io_error("fdatasync");
  dirty_ = false;
  last_sync_ = clock_.mono_now();
  return ok_result();
}

void audit_log::set_config_hash(std::string hash) {
  std::lock_guard lk(mu_);
  opts_.config_hash = std::move(hash);
}

std::uint64_t audit_log::last_seq() const {
  std::lock_guard lk(mu_);
  return seq_;
}

std::string audit_log::current_file() const {
  std::lock_guard lk(mu_);
  return (fs::path(opts_.dir) / ("audit-" + date_ + ".jsonl")).string();
}

audit_stats audit_log::stats() const {
  std::lock_guard lk(mu_);
  return audit_stats{appended_, failed_, seq_};
}

int audit_log::apply_retention() {
  auto today = utc_day(clock_.wall_now());
  int removed = 0;
  auto files = list_audit_files(opts_.dir);  // oldest first
  auto keep = static_cast<std::size_t>(opts_.retention_days);
  if (files.size() <= keep)
    return 0;
  files.resize(files.size() - keep);  // the newest retention_days files are never deleted
  for (const auto& path : files) {
    ts_ns d = 0;
    if (!file_date(fs::path(path).filename().string(), d))
      continue;
    if (today - utc_day(d) > opts_.retention_days) {
      std::error_code ec;
      if (fs::remove(path, ec))
        ++removed;
    }
  }
  return removed;
}

audit_verify_report verify_audit_dir(const std::string& dir) {
  audit_verify_report rep;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    rep.problems.push_back("no audit directory " + dir);
    return rep;
  }
  std::optional<audit_event> prev;
  std::string prev_file;
  for (const auto& path : list_audit_files(dir)) {
    ++rep.files;
    auto name = fs::path(path).filename().string();
    auto r = read_audit_file(path);
    rep.skipped_lines += r.skipped_lines + (r.torn_tail ? 1 : 0);
    for (const auto& e : r.events) {
      auto where = name + " seq " + std::to_string(e.seq);
      if (!prev) {
        rep.first_seq = e.seq;
        rep.chain_from_genesis = e.seq == 1 && (e.prev_hash.empty() || e.prev_hash == audit_genesis_hash);
        if (e.seq == 1 && !e.prev_hash.empty() && e.prev_hash != audit_genesis_hash)
          rep.problems.push_back(where + ": the first event does not start the chain (prev_hash " + e.prev_hash + ")");
      } else {
        if (e.seq != prev->seq + 1)
          rep.problems.push_back(where + ": follows seq " + std::to_string(prev->seq) + " (" + prev_file + "): "
                                 + (e.seq <= prev->seq ? "seq went back" : "events are missing"));
        if (!e.prev_hash.empty() && e.prev_hash != prev->hash)
          rep.problems.push_back(where + ": prev_hash does not match the line before it (seq "
                                 + std::to_string(prev->seq) + "): a line was changed, removed or inserted");
      }
      if (e.prev_hash.empty())
        ++rep.unchained;
      ++rep.events;
      rep.last_seq = e.seq;
      prev = e;
      prev_file = name;
    }
  }
  return rep;
}

} // namespace trader::persistence

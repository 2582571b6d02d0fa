#include "runtime/persistence/state_commands.hpp"

#include "runtime/errno_text.hpp"
#include "runtime/persistence/inspect.hpp"
#include "runtime/persistence/instance_lock.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <ostream>
#include <unistd.h>

namespace trader::persistence {

namespace {

result<std::unique_ptr<state_store>> open_read_only(const std::string& dir) {
  store_options opts;
  opts.read_only = true;
  opts.create_if_missing = false;
  opts.verify_first = true;
  return open_store(dir, opts);
}

/// Copies from → to (created exclusively), fsynced.
bool copy_durably(const std::string& from, const std::string& to, std::string& why) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    why = "open " + from + ": " + trader::errno_text(errno);
    return false;
  }
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    why = "create " + to + ": " + trader::errno_text(errno);
    ::close(in);
    return false;
  }
  char buf[1 << 16];
  bool ok = true;
  for (;;) {
    auto n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      why = "read " + from + ": " + trader::errno_text(errno);
      ok = false;
      break;
    }
    if (n == 0)
      break;
    for (ssize_t off = 0; off < n;) {
      auto w = ::write(out, buf + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0) {
        why = "write " + to + ": " + trader::errno_text(errno);
        ok = false;
        break;
      }
      off += w;
    }
    if (!ok)
      break;
  }
  if (ok && ::fsync(out) != 0) {
    why = "fsync " + to + ": " + trader::errno_text(errno);
    ok = false;
  }
  ::close(out);
  ::close(in);
  return ok;
}

} // namespace

int run_state_inspect(const std::string& dir, bool json, std::ostream& out, std::ostream& err) {
  if (dir.empty()) {
    err << "state inspect: no state directory given\n";
    return 2;
  }
  auto store = open_read_only(dir);
  if (!store) {
    err << "state inspect: cannot open " << dir << ": " << store.error().describe() << "\n";
    return 1;
  }
  auto x = inspect(**store);
  if (!x) {
    err << "state inspect: " << x.error().describe() << "\n";
    return 1;
  }
  out << (json ? to_json_text(*x) + "\n" : to_text(*x));
  return 0;
}

int run_state_verify(const std::string& dir, bool json, std::ostream& out, std::ostream& err) {
  if (dir.empty()) {
    err << "state verify: no state directory given\n";
    return 2;
  }
  auto rep = verify_in_child(dir);
  if (json) {
    nlohmann::ordered_json j;
    j["dir"] = dir;
    j["ok"] = rep.ok();
    j["schema_version"] = rep.schema_version;
    j["commit_seq"] = rep.commit_seq;
    j["counts"] = rep.counts;
    j["crashed"] = rep.crashed;
    j["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : rep.problems)
      j["problems"].push_back({{"code", to_string(p.code)}, {"db", p.db}, {"key", p.key}, {"message", p.message}});
    out << j.dump(2) << "\n";
  } else if (rep.ok()) {
    out << "ok: " << dir << " (schema " << rep.schema_version << ", commit #" << rep.commit_seq << ")";
    for (const auto& [db, n] : rep.counts)
      out << " " << db << "=" << n;
    out << "\n";
  } else {
    err << "FAILED: " << dir << ": " << rep.problems.size() << " problem(s)\n";
    for (const auto& p : rep.problems)
      err << "  " << p.describe() << "\n";
  }
  return rep.ok() ? 0 : 1;
}

int run_state_backup(const std::string& dir, const std::string& dest, std::ostream& out, std::ostream& err) {
  if (dir.empty() || dest.empty()) {
    err << "state backup: usage: state backup DEST (with the state directory configured)\n";
    return 2;
  }
  auto store = open_read_only(dir);  // verified in a child first: never copy a store that crashes readers
  if (!store) {
    err << "state backup: refusing to back up " << dir << ": " << store.error().describe() << "\n";
    return 1;
  }
  if (auto r = (*store)->backup(dest); !r) {
    err << "state backup: " << r.error().describe() << "\n";
    return 1;
  }
  auto rep = verify_in_child(dest);
  if (!rep.ok()) {
    err << "state backup: the copy in " << dest << " does not verify: " << rep.to_error().describe() << "\n";
    return 1;
  }
  out << "backup written to " << dest << "/data.mdb (compacted, verified)";
  for (const auto& [db, n] : rep.counts)
    out << " " << db << "=" << n;
  out << "\n";
  return 0;
}

int run_state_init(const std::string& dir, bool force, std::ostream& out, std::ostream& err) {
  if (dir.empty()) {
    err << "state init: no state directory given\n";
    return 2;
  }
  std::string note;
  auto r = init_store(dir, force, &note);
  if (!r) {
    err << "state init: " << r.error().describe() << "\n";
    return 1;
  }
  if (*r == init_outcome::already_exists) {
    out << "state store already exists in " << dir << "; nothing done\n";
    return 0;
  }
  out << "created a new state store in " << dir << "\n";
  if (!note.empty())
    err << "state init: " << note << "\n";
  return 0;
}

int run_state_restore(const std::string& backup_dir, const std::string& dir, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  if (backup_dir.empty() || dir.empty()) {
    err << "state restore: usage: state restore BACKUP_DIR (with the state directory configured)\n";
    return 2;
  }
  auto rep = verify_in_child(backup_dir);
  if (!rep.ok()) {
    err << "state restore: the backup in " << backup_dir << " does not verify: " << rep.to_error().describe() << "\n";
    return 1;
  }
  auto lock = instance_lock::acquire(dir);  // refuses while traderd runs on dir
  if (!lock) {
    err << "state restore: " << lock.error().describe() << "\n";
    return 1;
  }
  auto target = fs::path(dir) / "data.mdb";
  if (fs::exists(target)) {
    err << "state restore: " << target.string()
        << " exists; move the damaged state directory aside first (nothing is overwritten)\n";
    return 1;
  }
  auto tmp = fs::path(dir) / "data.mdb.restoring";
  std::error_code ec;
  fs::remove(tmp, ec);
  std::string why;
  if (!copy_durably((fs::path(backup_dir) / "data.mdb").string(), tmp.string(), why)) {
    err << "state restore: " << why << "\n";
    fs::remove(tmp, ec);
    return 1;
  }
  fs::remove(fs::path(dir) / "lock.mdb", ec);  // a stale reader table of the old store; nobody has it open
  // The high-water mark first: a lost store's mark is newer than any backup, and a crash
  // between the two steps must not leave a restored store that refuses to open.
  auto now = system_time_source::instance().wall_now();
  if (auto hw = reset_high_water(dir, rep.commit_seq, now); !hw) {
    err << "state restore: " << hw.error().describe() << "\n";
    fs::remove(tmp, ec);
    return 1;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    err << "state restore: rename: " << trader::errno_text(errno) << "\n";
    return 1;
  }
  if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);  // the rename itself is durable
    ::close(d);
  }
  if (std::string why; !write_store_marker(dir, now, why))
    err << "state restore: warning: " << why << "\n";
  auto after = verify_in_child(dir);
  if (!after.ok()) {
    err << "state restore: the restored store does not verify: " << after.to_error().describe() << "\n";
    return 1;
  }
  out << "restored " << target.string() << " from " << backup_dir << " (verified)";
  for (const auto& [db, n] : after.counts)
    out << " " << db << "=" << n;
  out << "\n";
  return 0;
}

} // namespace trader::persistence

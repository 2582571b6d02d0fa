#include "runtime/persistence/state_commands.hpp"

#include "runtime/persistence/inspect.hpp"
#include "runtime/persistence/state_store.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace trader::persistence {

namespace {

result<std::unique_ptr<state_store>> open_read_only(const std::string& dir) {
  store_options opts;
  opts.read_only = true;
  opts.create_if_missing = false;
  opts.verify_first = true;
  return open_store(dir, opts);
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
    j["counts"] = rep.counts;
    j["crashed"] = rep.crashed;
    j["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : rep.problems)
      j["problems"].push_back({{"code", to_string(p.code)}, {"db", p.db}, {"key", p.key}, {"message", p.message}});
    out << j.dump(2) << "\n";
  } else if (rep.ok()) {
    out << "ok: " << dir << " (schema " << rep.schema_version << ")";
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

} // namespace trader::persistence

#include "runtime/persistence/store_init.hpp"

#include "runtime/clock.hpp"
#include "runtime/errno_text.hpp"
#include "runtime/persistence/high_water.hpp"
#include "runtime/persistence/instance_lock.hpp"
#include "runtime/persistence/state_store.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace trader::persistence {

namespace fs = std::filesystem;

namespace {

store_error lost(const std::string& dir, const std::string& had) {
  return make_error(store_errc::missing,
                    dir + " had a state store (" + had + ") and its data.mdb is gone: refusing to create an empty "
                      "one in its place. Restore a backup (`traderctl state restore BACKUP`); to start over on "
                      "purpose, losing the kill switch, positions and order history: `traderctl state init --force`");
}

} // namespace

result<init_outcome> init_store(const std::string& dir, bool force, std::string* note) {
  std::error_code ec;
  auto data = fs::path(dir) / "data.mdb";
  if (fs::exists(data, ec))
    return init_outcome::already_exists;
  auto had = store_history(dir);
  if (had && !force)
    return lost(dir, *had);
  auto lock = instance_lock::acquire(dir);  // creates dir; refused while traderd runs
  if (!lock)
    return lock.error();
  if (fs::exists(data, ec))  // created meanwhile
    return init_outcome::already_exists;
  if (force) {
    auto hwm = fs::path(dir) / high_water_file_name;
    if (fs::exists(hwm, ec) && ::rename(hwm.c_str(), (hwm.string() + ".replaced").c_str()) != 0)
      return make_error(store_errc::write_failed, "rename " + hwm.string() + ": " + trader::errno_text(errno));
    fs::remove(store_marker_path(dir), ec);
  }
  store_options opts;
  opts.create_if_missing = true;
  opts.written_by = "traderctl state init";
  {
    auto store = open_store(dir, opts);
    if (!store)
      return store.error();
  }
  if (int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);  // the new data.mdb's directory entry is durable too
    ::close(d);
  }
  std::string why;
  if (!write_store_marker(dir, system_time_source::instance().wall_now(), why) && note)
    *note = "warning: " + why + " (store.hwm inside the directory still marks it)";
  return init_outcome::created;
}

} // namespace trader::persistence

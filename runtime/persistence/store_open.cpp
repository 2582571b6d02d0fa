// open_store: the fail-closed way in.

#include "runtime/persistence/state_store.hpp"

#include <filesystem>
#include <unistd.h>

namespace trader::persistence {

result<std::unique_ptr<state_store>> open_store(const std::string& dir, const store_options& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto st = fs::status(dir, ec);
  if (!fs::exists(st)) {
    if (opts.read_only || !opts.create_if_missing)
      return make_error(store_errc::open_failed, "state directory " + dir + " does not exist");
    fs::create_directories(dir, ec);
    if (ec)
      return make_error(store_errc::open_failed, "cannot create " + dir + ": " + ec.message());
  } else if (!fs::is_directory(st)) {
    return make_error(store_errc::open_failed, dir + " is not a directory");
  }

  auto data = fs::path(dir) / "data.mdb";
  bool fresh = !fs::exists(data, ec);
  if (ec)
    return make_error(store_errc::open_failed, "cannot stat " + data.string() + ": " + ec.message());
  if (fresh && (opts.read_only || !opts.create_if_missing))
    return make_error(store_errc::open_failed, "no state store in " + dir + " (data.mdb missing)");
  if (!fresh) {
    auto bytes = fs::file_size(data, ec);
    if (ec)
      return make_error(store_errc::open_failed, "cannot stat " + data.string() + ": " + ec.message());
    auto page = static_cast<std::uintmax_t>(sysconf(_SC_PAGESIZE));
    if (bytes < 2 * page)  // an empty file would make LMDB initialise a new store over it
      return make_error(store_errc::truncated, data.string() + " is " + std::to_string(bytes)
                                                   + " bytes, shorter than its two meta pages");
    if (opts.verify_first) {
      auto report = verify_in_child(dir, opts.verify_timeout);
      if (!report.ok())
        return report.to_error();
    }
  }

  env_options eo;
  eo.map_size = opts.read_only ? 0 : opts.map_size;
  eo.max_readers = opts.max_readers;
  eo.read_only = opts.read_only;
  eo.no_sync = opts.no_sync;
  auto env = lmdb_env::open(dir, eo);
  if (!env)
    return env.error();
  std::unique_ptr<state_store> store(new state_store(std::move(*env), opts));
  if (auto readers = store->check_readers(); !readers)
    return readers.error();
  if (auto r = store->open_dbs(fresh); !r)
    return r.error();
  return store;
}

} // namespace trader::persistence

#include "runtime/persistence/lmdb_env.hpp"

#include <cerrno>
#include <cstring>

namespace trader::persistence {

store_error lmdb_error(int rc, std::string_view what, store_errc fallback, std::string db, std::string key) {
  store_errc code = fallback;
  switch (rc) {
    case MDB_MAP_FULL: code = store_errc::map_full; break;
    case MDB_PANIC: code = store_errc::panic; break;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_BAD_DBI:
    case MDB_INCOMPATIBLE: code = store_errc::corrupted; break;
    case MDB_VERSION_MISMATCH: code = store_errc::version_unknown; break;
    default: break;
  }
  std::string msg(what);
  msg += ": ";
  msg += mdb_strerror(rc);
  return make_error(code, std::move(msg), std::move(db), std::move(key), rc);
}

// -- lmdb_env ------------------------------------------------------------------------

result<std::unique_ptr<lmdb_env>> lmdb_env::open(const std::string& dir, const env_options& opts) {
  MDB_env* env = nullptr;
  if (int rc = mdb_env_create(&env); rc != 0)
    return lmdb_error(rc, "mdb_env_create", store_errc::open_failed);
  auto fail = [&](int rc, const char* what) {
    mdb_env_close(env);
    return lmdb_error(rc, std::string(what) + " " + dir, store_errc::open_failed);
  };
  if (int rc = mdb_env_set_maxdbs(env, opts.max_dbs); rc != 0)
    return fail(rc, "mdb_env_set_maxdbs");
  if (int rc = mdb_env_set_maxreaders(env, opts.max_readers); rc != 0)
    return fail(rc, "mdb_env_set_maxreaders");
  if (opts.map_size != 0)
    if (int rc = mdb_env_set_mapsize(env, opts.map_size); rc != 0)
      return fail(rc, "mdb_env_set_mapsize");
  unsigned flags = MDB_NOTLS;
  if (opts.read_only)
    flags |= MDB_RDONLY;
  if (opts.no_sync)
    flags |= MDB_NOSYNC;
  if (int rc = mdb_env_open(env, dir.c_str(), flags, 0600); rc != 0)
    return fail(rc, "mdb_env_open");
  return std::unique_ptr<lmdb_env>(new lmdb_env(env, dir, opts));
}

lmdb_env::~lmdb_env() { mdb_env_close(env_); }

std::size_t lmdb_env::map_size() const {
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

result<void> lmdb_env::set_map_size(std::size_t bytes) {
  if (int rc = mdb_env_set_mapsize(env_, bytes); rc != 0)
    return lmdb_error(rc, "mdb_env_set_mapsize", store_errc::map_full);
  return ok_result();
}

result<void> lmdb_env::adopt_map_size() { return set_map_size(0); }

result<int> lmdb_env::reader_check() {
  int dead = 0;
  if (int rc = mdb_reader_check(env_, &dead); rc != 0)
    return lmdb_error(rc, "mdb_reader_check", store_errc::read_failed);
  return dead;
}

result<void> lmdb_env::copy_compact(const std::string& dest) const {
  if (int rc = mdb_env_copy2(env_, dest.c_str(), MDB_CP_COMPACT); rc != 0)
    return lmdb_error(rc, "mdb_env_copy2 " + dest, store_errc::backup_failed);
  return ok_result();
}

// -- lmdb_txn ------------------------------------------------------------------------

result<lmdb_txn> lmdb_txn::begin(const lmdb_env& env, bool rdonly) {
  MDB_txn* t = nullptr;
  if (int rc = mdb_txn_begin(env.raw(), nullptr, rdonly ? MDB_RDONLY : 0u, &t); rc != 0)
    return lmdb_error(rc, "mdb_txn_begin", rdonly ? store_errc::read_failed : store_errc::write_failed);
  return lmdb_txn(t);
}

int lmdb_txn::commit() {
  if (txn_ == nullptr)
    return EINVAL;
  int rc = mdb_txn_commit(txn_);  // frees the txn even on failure
  txn_ = nullptr;
  return rc;
}

void lmdb_txn::abort() {
  if (txn_ != nullptr)
    mdb_txn_abort(txn_);
  txn_ = nullptr;
}

result<std::optional<MDB_dbi>> lmdb_txn::open_db(const char* name, bool create) const {
  MDB_dbi dbi = 0;
  int rc = mdb_dbi_open(txn_, name, create ? MDB_CREATE : 0u, &dbi);
  if (rc == MDB_NOTFOUND && !create)
    return std::optional<MDB_dbi>{};
  if (rc != 0)
    return lmdb_error(rc, std::string("mdb_dbi_open ") + name, store_errc::open_failed, name);
  return std::optional<MDB_dbi>{dbi};
}

result<std::optional<std::string_view>> lmdb_txn::get(MDB_dbi dbi, const char* db, std::string_view key) const {
  MDB_val k = to_val(key);
  MDB_val v{};
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND)
    return std::optional<std::string_view>{};
  if (rc != 0)
    return lmdb_error(rc, "mdb_get", store_errc::read_failed, db, std::string(key));
  return std::optional<std::string_view>{from_val(v)};
}

int lmdb_txn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = to_val(key);
  MDB_val v = to_val(value);
  return mdb_put(txn_, dbi, &k, &v, flags);
}

int lmdb_txn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = to_val(key);
  return mdb_del(txn_, dbi, &k, nullptr);
}

result<void> lmdb_txn::for_each(MDB_dbi dbi, const char* db,
                                const std::function<bool(std::string_view, std::string_view)>& fn) const {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn_, dbi, &c); rc != 0)
    return lmdb_error(rc, "mdb_cursor_open", store_errc::read_failed, db);
  MDB_val k{}, v{};
  int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
  while (rc == 0) {
    if (!fn(from_val(k), from_val(v)))
      break;
    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
  }
  mdb_cursor_close(c);
  if (rc != 0 && rc != MDB_NOTFOUND)
    return lmdb_error(rc, "mdb_cursor_get", store_errc::read_failed, db);
  return ok_result();
}

} // namespace trader::persistence

// open_store: the fail-closed way in; and the store's first transaction (open_dbs).

#include "runtime/persistence/state_store.hpp"

#include "runtime/clock.hpp"
#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/record_codec.hpp"

#include <filesystem>
#include <unistd.h>

namespace trader::persistence {

namespace {

/// Why there is no store in dir, and what the operator does about it.
store_error missing_store(const std::string& dir) {
  if (auto had = store_history(dir))
    return make_error(store_errc::missing,
                      "no state store in " + dir + " (data.mdb missing), but this directory had one: " + *had
                        + ". The store was lost or moved; restore it (`traderctl state restore BACKUP`). To start "
                          "over with an empty store on purpose (the kill switch, positions and order history are "
                          "gone): `traderctl state init --force`");
  return make_error(store_errc::missing,
                    "no state store in " + dir + " (data.mdb missing); create the first one with `traderctl state "
                    "init`");
}

/// The commit counter of the store in env (0 when there is none yet), read-only.
result<std::uint64_t> stored_commit_seq(const lmdb_env& env) {
  auto txn = lmdb_txn::begin(env, true);
  if (!txn)
    return txn.error();
  auto meta = txn->open_db("meta", false);
  if (!meta)
    return meta.error();
  if (!*meta)
    return std::uint64_t{0};
  auto raw = txn->get(**meta, "meta", commit_key);
  if (!raw)
    return raw.error();
  if (!*raw)
    return std::uint64_t{0};
  auto mark = decode_as<commit_mark>(commit_key, **raw);
  if (!mark)
    return mark.error();
  return mark->seq;
}

} // namespace

// -- opening -------------------------------------------------------------------------

result<void> state_store::open_dbs(bool fresh) {
  auto check_schema = [&](std::optional<std::string_view> raw) -> result<std::optional<schema_record>> {
    if (!raw)
      return std::optional<schema_record>{};
    auto rec = decode_as<schema_record>(schema_key, *raw);
    if (!rec)
      return rec.error();
    if (rec->version > current_schema_version)
      return make_error(store_errc::version_newer,
                        "state store schema version " + std::to_string(rec->version) + " (written by "
                          + rec->written_by + ") is newer than this binary supports ("
                          + std::to_string(current_schema_version)
                          + "); run the newer traderd or restore a backup made by this version",
                        "meta", schema_key);
    if (rec->version == 0)
      return make_error(store_errc::version_unknown, "schema version 0", "meta", schema_key);
    return std::optional<schema_record>{*rec};
  };
  auto missing_schema = [] {
    return make_error(store_errc::version_unknown,
                      "existing store has no schema record; refusing to initialise it", "meta", schema_key);
  };

  if (opts_.read_only) {
    auto txn = lmdb_txn::begin(*env_, true);
    if (!txn)
      return txn.error();
    for (const char* name : all_dbs) {
      auto d = txn->open_db(name, false);
      if (!d)
        return d.error();
      if (*d)
        dbis_[name] = **d;
    }
    if (!has_db("meta"))
      return missing_schema();
    auto raw = txn->get(dbi("meta"), "meta", schema_key);
    if (!raw)
      return raw.error();
    auto schema = check_schema(*raw);
    if (!schema)
      return schema.error();
    if (!*schema)
      return missing_schema();
    schema_version_ = (*schema)->version;
    if (int rc = txn->commit(); rc != 0)  // keeps the dbi handles
      return lmdb_error(rc, "open read txn", store_errc::read_failed);
    return ok_result();
  }

  bool changed = false;  // an up-to-date store's open writes nothing (and syncs nothing)
  return write([&](lmdb_txn& txn) -> result<void> {
    changed = false;
    auto had_index = txn.open_db("open_orders", false);
    if (!had_index)
      return had_index.error();
    for (const char* name : all_dbs) {
      auto missing = txn.open_db(name, false);
      if (!missing)
        return missing.error();
      changed = changed || !*missing;  // creating a db is a change
      auto d = txn.open_db(name, true);
      if (!d)
        return d.error();
      dbis_[name] = **d;
    }
    auto raw = txn.get(dbi("meta"), "meta", schema_key);
    if (!raw)
      return raw.error();
    auto schema = check_schema(*raw);
    if (!schema)
      return schema.error();
    if (!*schema && !fresh)
      return missing_schema();
    if (!*schema || (*schema)->version < current_schema_version) {
      // Fresh store, or an upgrade: older records stay as they are (decoders read them).
      schema_record rec;
      rec.version = current_schema_version;
      rec.created_at = *schema ? (*schema)->created_at : system_time_source::instance().wall_now();
      rec.written_by = opts_.written_by;
      if (int rc = txn.put(dbi("meta"), schema_key, encode(schema_key, rec), 0); rc != 0)
        return lmdb_error(rc, "write schema", store_errc::write_failed, "meta", schema_key);
      changed = true;
    }
    if (!*had_index || !*schema || (*schema)->version < current_schema_version) {
      if (auto r = rebuild_order_index(txn); !r)
        return r;
      changed = true;
    }
    schema_version_ = current_schema_version;
    return ok_result();
  }, &changed);
}

result<void> state_store::rebuild_order_index(lmdb_txn& txn) {
  std::vector<std::pair<std::string, order_status>> open;
  store_error err;
  bool bad = false;
  auto r = txn.for_each(dbi("orders"), "orders", [&](std::string_view k, std::string_view v) {
    auto o = decode_as<order_record>(k, v);
    if (!o) {
      err = o.error();
      bad = true;
      return false;
    }
    if (is_open(o->status))
      open.emplace_back(std::string(k), o->status);
    return true;
  });
  if (!r)
    return r;
  if (bad)
    return err;
  if (int rc = mdb_drop(txn.raw(), dbi("open_orders"), 0); rc != 0)
    return lmdb_error(rc, "mdb_drop open_orders", store_errc::write_failed, "open_orders");
  for (const auto& [key, status] : open)
    if (int rc = txn.put(dbi("open_orders"), key, encode(key, open_order_ref{status}), 0); rc != 0)
      return lmdb_error(rc, "mdb_put", store_errc::write_failed, "open_orders", printable_key(key));
  return ok_result();
}

// -- open_store ----------------------------------------------------------------------

result<std::unique_ptr<state_store>> open_store(const std::string& dir, const store_options& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool may_create = opts.create_if_missing && !opts.read_only;
  auto st = fs::status(dir, ec);
  if (!fs::exists(st)) {
    if (!may_create || store_history(dir))
      return missing_store(dir);
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
  if (fresh && (!may_create || store_history(dir)))
    return missing_store(dir);
  if (!fresh) {
    auto bytes = fs::file_size(data, ec);
    if (ec)
      return make_error(store_errc::open_failed, "cannot stat " + data.string() + ": " + ec.message());
    auto page = static_cast<std::uintmax_t>(sysconf(_SC_PAGESIZE));
    if (bytes < 2 * page)  // an empty file would make LMDB initialise a new store over it
      return make_error(store_errc::truncated, data.string() + " is " + std::to_string(bytes)
                                                   + " bytes, shorter than its two meta pages");
    if (opts.verify_first) {
      auto timeout = opts.verify_timeout.count() > 0 ? opts.verify_timeout : verify_timeout_for(bytes);
      auto report = verify_in_child(dir, timeout);
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
  if (!fresh) {
    // Before anything is written (a write would raise the counter and hide the loss). The
    // mark first, then the counter: a read-only open beside a live daemon (traderctl,
    // soak_probe) must not take a commit landing in between for a rollback.
    auto mark = read_high_water(dir);
    if (!mark)
      return mark.error();
    auto seq = stored_commit_seq(**env);
    if (!seq)
      return seq.error();
    if (auto hw = check_high_water(*mark, *seq); !hw)
      return hw.error();
  }
  std::unique_ptr<state_store> store(new state_store(std::move(*env), opts));
  if (!opts.read_only) {
    auto hwm = high_water_writer::open(dir, !opts.no_sync);
    if (!hwm)
      return hwm.error();
    store->hwm_ = std::move(*hwm);
  }
  if (auto readers = store->check_readers(); !readers)
    return readers.error();
  if (auto r = store->open_dbs(fresh); !r)
    return r.error();
  return store;
}

} // namespace trader::persistence

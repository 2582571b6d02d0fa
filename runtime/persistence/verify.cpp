#include "runtime/persistence/verify.hpp"

#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/lmdb_env.hpp"
#include "runtime/persistence/record_codec.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

namespace trader::persistence {

namespace {

constexpr std::size_t max_problems = 1000;

void add(verify_report& rep, store_errc code, std::string db, std::string key, std::string msg) {
  if (rep.problems.size() < max_problems)
    rep.problems.push_back({code, std::move(db), std::move(key), std::move(msg)});
}

/// LMDB's default key order: memcmp, then the shorter key first.
bool key_less(std::string_view a, std::string_view b) { return a < b; }

/// The free list: each entry is an IDL [n, pgno…] of pages below the last used page.
void check_free_list(const lmdb_txn& txn, std::size_t last_pgno, verify_report& rep) {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn.raw(), 0 /* FREE_DBI */, &c); rc != 0) {
    add(rep, store_errc::corrupted, "(freelist)", "", mdb_strerror(rc));
    return;
  }
  MDB_val k{}, v{};
  int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
  for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
    if (k.mv_size != sizeof(std::size_t) || v.mv_size % sizeof(std::size_t) != 0 || v.mv_size == 0) {
      add(rep, store_errc::corrupted, "(freelist)", "", "malformed free-list entry");
      continue;
    }
    std::size_t n = 0;
    std::memcpy(&n, v.mv_data, sizeof n);
    if ((n + 1) * sizeof(std::size_t) != v.mv_size) {
      add(rep, store_errc::corrupted, "(freelist)", "", "free-list entry length mismatch");
      continue;
    }
    for (std::size_t i = 1; i <= n; ++i) {
      std::size_t pg = 0;
      std::memcpy(&pg, static_cast<const char*>(v.mv_data) + i * sizeof pg, sizeof pg);
      if (pg < 2 || pg > last_pgno) {
        add(rep, store_errc::corrupted, "(freelist)", "", "free page " + std::to_string(pg) + " out of range");
        break;
      }
    }
  }
  mdb_cursor_close(c);
  if (rc != MDB_NOTFOUND)
    add(rep, store_errc::corrupted, "(freelist)", "", mdb_strerror(rc));
}

/// Decodes every record of one named db and looks each one up again by key.
void check_db(const lmdb_txn& txn, MDB_dbi dbi, const char* db, verify_report& rep) {
  std::string prev;
  bool first = true;
  std::size_t n = 0;
  auto r = txn.for_each(dbi, db, [&](std::string_view k, std::string_view v) {
    ++n;
    if (!first && !key_less(prev, k))
      add(rep, store_errc::corrupted, db, printable_key(k), "keys out of order");
    first = false;
    prev.assign(k);
    if (auto c = check_record(db, k, v); !c)
      add(rep, c.error().code, c.error().db.empty() ? db : c.error().db, printable_key(k), c.error().message);
    auto again = txn.get(dbi, db, k);
    if (!again)
      add(rep, again.error().code, db, printable_key(k), "lookup failed: " + again.error().message);
    else if (!*again || **again != v)
      add(rep, store_errc::corrupted, db, printable_key(k), "record not found again by its key");
    return rep.problems.size() < max_problems;
  });
  if (!r)
    add(rep, r.error().code == store_errc::read_failed ? store_errc::corrupted : r.error().code, db, "",
        r.error().message);
  rep.counts[db] = n;
}

/// Every open order is in the open_orders index and the index names only open orders.
void check_open_order_index(const lmdb_txn& txn, verify_report& rep) {
  auto orders = txn.open_db("orders", false);
  auto index = txn.open_db("open_orders", false);
  if (!orders || !*orders || !index || !*index)
    return;
  std::set<std::string> open, indexed;
  txn.for_each(**orders, "orders", [&](std::string_view k, std::string_view v) {
    order_record o;
    if (decode(k, v, o) && is_open(o.status))
      open.emplace(k);
    return true;
  });
  txn.for_each(**index, "open_orders", [&](std::string_view k, std::string_view) {
    indexed.emplace(k);
    return true;
  });
  for (const auto& k : open)
    if (!indexed.count(k))
      add(rep, store_errc::corrupted, "open_orders", printable_key(k), "open order missing from the index");
  for (const auto& k : indexed)
    if (!open.count(k))
      add(rep, store_errc::corrupted, "open_orders", printable_key(k), "index names an order that is not open");
}

} // namespace

std::string verify_problem::describe() const {
  std::string out = to_string(code);
  if (!db.empty())
    out += " db=" + db;
  if (!key.empty())
    out += " key=" + key;
  return out + ": " + message;
}

store_error verify_report::to_error() const {
  if (crashed)
    return make_error(store_errc::verify_crashed,
                      problems.empty() ? "verify crashed with signal " + std::to_string(signal)
                                       : problems.front().message);
  if (problems.empty())
    return {};
  auto it = std::find_if(problems.begin(), problems.end(),
                         [](const verify_problem& p) { return p.code == store_errc::version_newer; });
  const auto& p = it != problems.end() ? *it : problems.front();
  auto msg = p.message;
  if (problems.size() > 1)
    msg += " (and " + std::to_string(problems.size() - 1) + " more problems; see `traderctl state verify`)";
  return make_error(p.code, std::move(msg), p.db, p.key);
}

namespace {
verify_report verify_env_unguarded(const lmdb_env& env) {
  verify_report rep;
  auto txn = lmdb_txn::begin(env, true);
  if (!txn) {
    add(rep, txn.error().code, "", "", txn.error().message);
    return rep;
  }
  MDB_envinfo info{};
  MDB_stat st{};
  mdb_env_info(env.raw(), &info);
  mdb_env_stat(env.raw(), &st);
  std::error_code ec;
  auto bytes = std::filesystem::file_size(std::filesystem::path(env.dir()) / "data.mdb", ec);
  auto needed = (static_cast<std::uintmax_t>(info.me_last_pgno) + 1) * st.ms_psize;
  if (ec || bytes < needed) {
    add(rep, store_errc::truncated, "", "",
        "data.mdb is " + std::to_string(bytes) + " bytes but its last page ends at " + std::to_string(needed));
    return rep;
  }
  check_free_list(*txn, info.me_last_pgno, rep);

  // The main db lists the named dbs; anything unknown is a problem.
  auto main = txn->open_db(nullptr, false);
  if (!main || !*main) {
    add(rep, store_errc::corrupted, "(main)", "", main ? "no main db" : main.error().message);
    return rep;
  }
  std::set<std::string> present;
  auto listed = txn->for_each(**main, "(main)", [&](std::string_view k, std::string_view) {
    present.emplace(k);
    return present.size() < 1000;
  });
  if (!listed)
    add(rep, store_errc::corrupted, "(main)", "", listed.error().message);
  for (const auto& name : present)
    if (std::find_if(all_dbs.begin(), all_dbs.end(), [&](const char* d) { return name == d; }) == all_dbs.end())
      add(rep, store_errc::version_unknown, printable_key(name), "", "unknown database");

  // The schema first: a newer store cannot be judged record by record.
  auto meta = txn->open_db("meta", false);
  if (!meta || !*meta) {
    add(rep, meta ? store_errc::version_unknown : meta.error().code, "meta", schema_key,
        meta ? "no meta database (not a 247trader store?)" : meta.error().message);
    return rep;
  }
  auto raw = txn->get(**meta, "meta", schema_key);
  if (!raw || !*raw) {
    add(rep, raw ? store_errc::version_unknown : raw.error().code, "meta", schema_key,
        raw ? "no schema record" : raw.error().message);
    return rep;
  }
  auto schema = decode_as<schema_record>(schema_key, **raw);
  if (!schema) {
    add(rep, schema.error().code, "meta", schema_key, schema.error().message);
    return rep;
  }
  rep.schema_version = schema->version;
  if (schema->version > current_schema_version) {
    add(rep, store_errc::version_newer, "meta", schema_key,
        "state store schema version " + std::to_string(schema->version) + " (written by " + schema->written_by
          + ") is newer than this binary supports (" + std::to_string(current_schema_version)
          + "); run the newer traderd or restore a backup made by this version");
    return rep;
  }
  for (const char* name : all_dbs) {
    if (!present.count(name))
      continue;
    auto d = txn->open_db(name, false);
    if (!d || !*d) {
      add(rep, d ? store_errc::corrupted : d.error().code, name, "", d ? "listed but cannot be opened" : d.error().message);
      continue;
    }
    check_db(*txn, **d, name, rep);
  }
  if (present.count("orders") && present.count("open_orders"))
    check_open_order_index(*txn, rep);
  return rep;
}

} // namespace

verify_report verify_env(const lmdb_env& env) {
  try {
    return verify_env_unguarded(env);
  } catch (const std::exception& e) {  // e.g. a corrupted length making a copy impossible
    verify_report rep;
    add(rep, store_errc::corrupted, "", "", std::string("verify failed with an exception: ") + e.what());
    return rep;
  }
}

verify_report verify_dir(const std::string& dir) {
  verify_report rep;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(dir) / "data.mdb", ec)) {
    add(rep, store_errc::open_failed, "", "", "no data.mdb in " + dir);
    return rep;
  }
  env_options eo;
  eo.map_size = 0;
  eo.read_only = true;
  auto env = lmdb_env::open(dir, eo);
  if (!env) {
    add(rep, env.error().code, "", "", env.error().message);
    return rep;
  }
  return verify_env(**env);
}

} // namespace trader::persistence

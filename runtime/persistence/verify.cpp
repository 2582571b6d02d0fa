#include "runtime/persistence/verify.hpp"

#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/high_water.hpp"
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

/// LMDB keeps each database's entry count in its own header (mdb_stat's ms_entries); a
/// damaged page (a lowered pb_lower, a lost branch) drops records from iteration without
/// any error, so the count iterated must equal it.
void check_entries(const lmdb_txn& txn, MDB_dbi dbi, const char* db, std::size_t iterated, verify_report& rep) {
  MDB_stat st{};
  if (int rc = mdb_stat(txn.raw(), dbi, &st); rc != 0) {
    add(rep, store_errc::corrupted, db, "", std::string("mdb_stat: ") + mdb_strerror(rc));
    return;
  }
  if (st.ms_entries != iterated)
    add(rep, store_errc::corrupted, db, "",
        "LMDB counts " + std::to_string(st.ms_entries) + " entries but " + std::to_string(iterated)
          + " can be read: records were lost to a damaged page");
}

/// The free list: each entry is an IDL [n, pgno…] of pages below the last used page.
void check_free_list(const lmdb_txn& txn, std::size_t last_pgno, verify_report& rep) {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn.raw(), 0 /* FREE_DBI */, &c); rc != 0) {
    add(rep, store_errc::corrupted, "(freelist)", "", mdb_strerror(rc));
    return;
  }
  MDB_val k{}, v{};
  std::size_t entries = 0;
  int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
  for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
    ++entries;
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
  else
    check_entries(txn, 0 /* FREE_DBI */, "(freelist)", entries, rep);
}

/// Decodes every record of one named db and looks each one up again by key.
void check_db(const lmdb_txn& txn, MDB_dbi dbi, const char* db, verify_report& rep) {
  std::string prev;
  bool first = true;
  bool complete = true;
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
    complete = rep.problems.size() < max_problems;
    return complete;
  });
  if (!r)
    add(rep, r.error().code == store_errc::read_failed ? store_errc::corrupted : r.error().code, db, "",
        r.error().message);
  else if (complete)
    check_entries(txn, dbi, db, n, rep);
  rep.counts[db] = n;
}

/// Every open order is in the open_orders index and the index names only open orders.
void check_open_order_index(const lmdb_txn& txn, verify_report& rep) {
  auto orders = txn.open_db("orders", false);
  auto index = txn.open_db("open_orders", false);
  if (!orders || !*orders || !index || !*index)
    return;
  std::set<std::string> open, indexed;
  auto read_orders = txn.for_each(**orders, "orders", [&](std::string_view k, std::string_view v) {
    order_record o;
    if (decode(k, v, o) && is_open(o.status))
      open.emplace(k);
    return true;
  });
  auto read_index = txn.for_each(**index, "open_orders", [&](std::string_view k, std::string_view) {
    indexed.emplace(k);
    return true;
  });
  if (!read_orders || !read_index)
    return;  // already reported by check_db
  for (const auto& k : open)
    if (!indexed.count(k))
      add(rep, store_errc::corrupted, "open_orders", printable_key(k), "open order missing from the index");
  for (const auto& k : indexed)
    if (!open.count(k))
      add(rep, store_errc::corrupted, "open_orders", printable_key(k), "index names an order that is not open");
}

/// The ledger's invariants, all committed in one transaction per fill (record_fill with its
/// position and PnL): the day buckets and the week buckets each add up to the total; the
/// total counts exactly the stored fills; every product with fills has a position.
void check_ledger(const lmdb_txn& txn, verify_report& rep) {
  auto fills_db = txn.open_db("fills", false);
  auto pnl_db = txn.open_db("pnl", false);
  auto pos_db = txn.open_db("positions", false);
  if (!fills_db || !pnl_db || !pos_db)
    return;  // already reported by check_db
  std::size_t fills = 0;
  std::set<std::string> fill_products;
  if (*fills_db && !txn.for_each(**fills_db, "fills", [&](std::string_view k, std::string_view v) {
        ++fills;
        fill_record f;
        if (decode(k, v, f))
          fill_products.insert(f.product.value);
        return true;
      }))
    return;  // unreadable: already reported by check_db
  // Sums in unsigned arithmetic: wrap-around is the same whatever the order of the terms.
  struct sums {
    std::uint64_t fills = 0, realized = 0, fees = 0;
    bool operator==(const sums&) const = default;
  } days, weeks, total;
  bool have_total = false;
  auto add_to = [](sums& s, const pnl_bucket& b) {
    s.fills += static_cast<std::uint64_t>(b.fills);
    s.realized += static_cast<std::uint64_t>(b.realized.units);
    s.fees += static_cast<std::uint64_t>(b.fees.units);
  };
  if (*pnl_db && !txn.for_each(**pnl_db, "pnl", [&](std::string_view k, std::string_view v) {
        pnl_bucket b;
        if (k == pnl_hwm_key || !decode(k, v, b))
          return true;
        if (k.starts_with("day/"))
          add_to(days, b);
        else if (k.starts_with("week/"))
          add_to(weeks, b);
        else if (k == pnl_total_key) {
          add_to(total, b);
          have_total = true;
        }
        return true;
      }))
    return;
  auto text = [](const sums& s) {
    return std::to_string(static_cast<std::int64_t>(s.fills)) + " fills, realized "
           + std::to_string(static_cast<std::int64_t>(s.realized)) + ", fees "
           + std::to_string(static_cast<std::int64_t>(s.fees));
  };
  if (days != total)
    add(rep, store_errc::corrupted, "pnl", "day/*",
        "the day buckets add up to " + text(days) + " but the total is " + text(total));
  if (weeks != total)
    add(rep, store_errc::corrupted, "pnl", "week/*",
        "the week buckets add up to " + text(weeks) + " but the total is " + text(total));
  if ((have_total || fills > 0) && static_cast<std::uint64_t>(fills) != total.fills)
    add(rep, store_errc::corrupted, "pnl", pnl_total_key,
        "the PnL total counts " + std::to_string(static_cast<std::int64_t>(total.fills)) + " fills but the fills "
          "database holds " + std::to_string(fills) + " (each fill commits with its PnL: records were lost)");
  for (const auto& product : fill_products) {
    bool present = false;
    if (*pos_db)
      if (auto has = txn.get(**pos_db, "positions", product); has && *has)
        present = true;
    if (!present)
      add(rep, store_errc::corrupted, "positions", printable_key(product),
          "fills exist for this product but its position record is missing");
  }
}

/// The store's commit counter (into the report) against the high-water mark read before
/// the snapshot (seq 0 when there is none).
void check_commit(const lmdb_txn& txn, MDB_dbi meta, const high_water& high, verify_report& rep) {
  std::uint64_t seq = 0;
  auto raw = txn.get(meta, "meta", commit_key);
  if (raw && *raw)
    if (auto mark = decode_as<commit_mark>(commit_key, **raw))
      seq = mark->seq;
  rep.commit_seq = seq;
  if (seq < high.seq)
    add(rep, store_errc::rolled_back, "meta", commit_key,
        "the store's last commit is #" + std::to_string(seq) + " but " + high_water_file_name + " records commit #"
          + std::to_string(high.seq) + " as durable: " + std::to_string(high.seq - seq)
          + " committed transaction(s) are missing (LMDB fell back to an older meta page, or an older data.mdb "
            "was put in place); restore a backup with `traderctl state restore`");
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
  // The high-water mark first: a writer records it after its commit, so a snapshot taken
  // after this read is never older than it.
  auto high = read_high_water(env.dir());
  if (!high)
    add(rep, high.error().code, high_water_file_name, "", high.error().message);
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
  else if (present.size() < 1000)
    check_entries(*txn, **main, "(main)", present.size(), rep);
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
  check_ledger(*txn, rep);
  check_commit(*txn, **meta, high && *high ? **high : high_water{}, rep);
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
    add(rep, store_errc::missing, "", "", "no data.mdb in " + dir);
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

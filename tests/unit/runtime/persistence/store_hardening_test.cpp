// The store notices loss (review rows #6, #7, #18; experiments E3, E6, E7): byte-level damage
// to a real store file in a temp dir that LMDB itself does not notice, a lost or moved-aside
// data.mdb, the commit high-water mark, and the verify timeout scaled to the file size.

#include "runtime/persistence/high_water.hpp"
#include "runtime/persistence/state_commands.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;
namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::uint64_t le64(const std::string& b, std::size_t off) {
  std::uint64_t v = 0;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}

std::uint16_t le16(const std::string& b, std::size_t off) {
  std::uint16_t v = 0;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}

// LMDB 0.9 on-disk layout (lmdb.h/mdb.c): a 16-byte page header (pgno u64, pad u16, flags
// u16, lower u16, upper u16); a meta page's MDB_meta follows it, its txnid at offset 128.
const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
constexpr std::size_t page_header = 16;
constexpr std::size_t meta_txnid = page_header + 128;
constexpr std::size_t page_flags = 10;
constexpr std::size_t page_lower = 12;
constexpr std::uint16_t p_leaf = 0x02;

/// A fill with its position and PnL, committed as record_fill's contract asks.
void record_fill_with_ledger(state_store& s, int i) {
  auto f = make_fill(i);
  write_batch then;
  then.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
  then.add_realized_pnl(f.ts_event, notional::from_units(i), f.fee);
  auto r = s.record_fill(f, then);
  ASSERT_TRUE(r.ok()) << r.error().describe();
}

bool has_problem(const verify_report& rep, store_errc code, const std::string& db = {}) {
  for (const auto& p : rep.problems)
    if (p.code == code && (db.empty() || p.db == db))
      return true;
  return false;
}

std::string problems_text(const verify_report& rep) {
  std::string out;
  for (const auto& p : rep.problems)
    out += p.describe() + "\n";
  return out;
}

} // namespace

// Row #6 (E6): one byte of the newest meta page's txnid makes LMDB fall back to the older
// meta page, rolling back the last durable commit, and the store used to open "ok". The
// high-water mark outside the LMDB file now exposes it.
TEST(StoreHardening, OneByteInTheNewestMetaTxnidRollsBackAndIsRefused) {
  temp_dir dir;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok()) << s.error().describe();
    for (int i = 0; i < 10; ++i)
      ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
    record_fill_with_ledger(**s, 0);
  }
  auto path = dir.sub("data.mdb");
  auto bytes = read_file(path);
  auto t0 = le64(bytes, meta_txnid), t1 = le64(bytes, page + meta_txnid);
  ASSERT_EQ(t0 > t1 ? t0 - t1 : t1 - t0, 1u) << "meta txnids " << t0 << " " << t1;
  std::size_t newest = t0 > t1 ? meta_txnid : page + meta_txnid;
  ASSERT_LT(std::max(t0, t1), 256u);
  bytes[newest] = 0;  // the low byte: the newest meta now looks older than the other one
  write_file(path, bytes);

  auto rep = verify_in_child(dir.path());
  EXPECT_TRUE(has_problem(rep, store_errc::rolled_back)) << problems_text(rep);
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::rolled_back) << s.error().describe();
  EXPECT_NE(s.error().message.find("traderctl state restore"), std::string::npos) << s.error().message;
  EXPECT_EQ(read_file(path), bytes);  // nothing rewritten

  // Without the high-water mark this is exactly the review's E6: LMDB opens the older
  // state and the committed fill is gone.
  fs::remove(dir.sub(high_water_file_name));
  auto blind = open_store(dir.path());
  ASSERT_TRUE(blind.ok()) << blind.error().describe();
  EXPECT_FALSE((*blind)->get<fill_record>(key_of(make_fill(0)))->has_value());
}

// Row #6: an older copy of data.mdb put in place of the live one (a careless restore, a
// snapshot rollback of the volume) is refused the same way.
TEST(StoreHardening, AnOlderCopyOfTheDataFileIsRefused) {
  temp_dir dir;
  std::string older;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->record_order_intent(make_order(1)).ok());
    older = read_file(dir.sub("data.mdb"));
    ASSERT_TRUE((*s)->record_order_intent(make_order(2)).ok());
  }
  write_file(dir.sub("data.mdb"), older);
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::rolled_back) << s.error().describe();
}

// Row #6 (E7): lowering pb_lower of a fills leaf by 2 hides its last record from every
// cursor without any LMDB error; verify used to pass with 399 of 400 fills. LMDB's own
// entry count and the ledger's invariants now disagree with what can be read.
TEST(StoreHardening, ARecordHiddenByADamagedLeafHeaderFailsVerify) {
  temp_dir dir;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok());
    write_batch b;  // one commit: each fills leaf page exists exactly once in the file
    for (int i = 0; i < 400; ++i) {
      auto f = make_fill(i);
      b.insert_fill(f);
      b.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
      b.add_realized_pnl(f.ts_event, notional::from_units(i), f.fee);
    }
    ASSERT_TRUE((*s)->commit(b).ok());
    ASSERT_TRUE((*s)->verify().ok()) << problems_text((*s)->verify());
  }
  auto path = dir.sub("data.mdb");
  auto bytes = read_file(path);
  auto pos = bytes.find("trade-200");
  ASSERT_NE(pos, std::string::npos);
  auto pg = pos / page * page;
  ASSERT_TRUE(le16(bytes, pg + page_flags) & p_leaf);
  auto lower = le16(bytes, pg + page_lower);
  lower = static_cast<std::uint16_t>(lower - 2);  // one node pointer fewer
  std::memcpy(&bytes[pg + page_lower], &lower, 2);
  write_file(path, bytes);

  auto rep = verify_in_child(dir.path());
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.counts["fills"], 399u);
  EXPECT_TRUE(has_problem(rep, store_errc::corrupted, "fills")) << problems_text(rep);  // 400 counted, 399 read
  EXPECT_TRUE(has_problem(rep, store_errc::corrupted, "pnl")) << problems_text(rep);    // total counts 400
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::corrupted) << s.error().describe();
}

// Row #6: the ledger's invariants on a store whose records are each intact (a lost pnl
// bucket, a lost position) — what a page lost as a whole would leave behind.
TEST(StoreHardening, LedgerInvariantsCatchALostBucketAndALostPosition) {
  temp_dir dir;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 4; ++i)
      record_fill_with_ledger(**s, i);
    ASSERT_TRUE((*s)->verify().ok()) << problems_text((*s)->verify());
  }
  {  // Delete records behind the store's back, as a damaged page would.
    env_options eo;
    auto env = lmdb_env::open(dir.path(), eo);
    ASSERT_TRUE(env.ok());
    auto txn = lmdb_txn::begin(**env, false);
    ASSERT_TRUE(txn.ok());
    auto pnl = txn->open_db("pnl", false);
    auto pos = txn->open_db("positions", false);
    ASSERT_TRUE(pnl.ok() && *pnl && pos.ok() && *pos);
    ASSERT_EQ(txn->del(**pnl, pnl_day_key(make_fill(1).ts_event)), 0);
    ASSERT_EQ(txn->del(**pos, "ETH-USD"), 0);
    ASSERT_EQ(txn->commit(), 0);
  }
  auto rep = verify_dir(dir.path());
  EXPECT_TRUE(has_problem(rep, store_errc::corrupted, "pnl")) << problems_text(rep);
  EXPECT_TRUE(has_problem(rep, store_errc::corrupted, "positions")) << problems_text(rep);
}

// Row #6: the mark follows every durable commit, and a torn write of one slot falls back
// to the other (never above the truth); a file with no valid slot fails closed.
TEST(StoreHardening, HighWaterMarkFollowsEveryCommitAndSurvivesATornSlot) {
  temp_dir dir;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
      auto hw = read_high_water(dir.path());
      ASSERT_TRUE(hw.ok() && *hw);
      EXPECT_EQ((*hw)->seq, *(*s)->commit_seq());
    }
  }
  auto hwm = dir.sub(high_water_file_name);
  auto bytes = read_file(hwm);
  auto seq = (*read_high_water(dir.path()))->seq;
  bytes[(seq % 2) * 512 + 9] ^= 0x5A;  // tear the newest slot
  write_file(hwm, bytes);
  auto hw = read_high_water(dir.path());
  ASSERT_TRUE(hw.ok() && *hw);
  EXPECT_EQ((*hw)->seq, seq - 1);
  EXPECT_TRUE(open_store(dir.path()).ok());  // and the next commit repairs it

  write_file(hwm, std::string(1024, 'x'));
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::corrupted) << s.error().describe();
}

// Row #7 (E3): a state directory whose data.mdb is gone is refused, never silently given a
// new empty store (which would drop the persisted kill switch, positions and orders).
TEST(StoreHardening, ALostDataFileIsRefusedNotReplacedByAnEmptyStore) {
  temp_dir dir;
  auto state = dir.sub("state");
  ASSERT_EQ(*init_store(state, false), init_outcome::created);
  {
    auto s = open_store(state);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->put_gate(gate_record{false, {{"kill_switch", "drill", 1}}, 1}).ok());
  }
  fs::remove(state + "/data.mdb");
  for (bool create : {false, true}) {
    store_options o;
    o.create_if_missing = create;
    auto s = open_store(state, o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, store_errc::missing);
    EXPECT_NE(s.error().message.find("had one"), std::string::npos) << s.error().message;
    EXPECT_FALSE(fs::exists(state + "/data.mdb"));
  }
  auto again = init_store(state, false);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, store_errc::missing);
  EXPECT_FALSE(fs::exists(state + "/data.mdb"));
  // Starting over is possible, but only on purpose.
  ASSERT_EQ(*init_store(state, true), init_outcome::created);
  EXPECT_TRUE(fs::exists(state + "/store.hwm.replaced"));
  auto s = open_store(state);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_FALSE((*s)->get_gate()->has_value());
}

// Row #7: `mv state state.broken` (the documented first recovery step) followed by a start
// before the restore: the marker next to the directory still says a store lived there.
TEST(StoreHardening, AStateDirectoryMovedAsideIsStillKnownByItsMarker) {
  temp_dir dir;
  auto state = dir.sub("state");
  ASSERT_EQ(*init_store(state, false), init_outcome::created);
  EXPECT_TRUE(fs::exists(store_marker_path(state)));
  fs::rename(state, dir.sub("state.broken"));
  auto r = init_store(state, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::missing);
  auto s = open_store(state);  // create_if_missing: refused as well
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::missing);
  EXPECT_FALSE(fs::exists(state + "/data.mdb"));
}

// Row #7: `traderctl state init` creates the first store, leaves an existing one alone
// (so the unit's ExecStartPre can run it on every start), and a daemon-style open
// (create_if_missing = false) of a directory that never had a store says how to make one.
TEST(StoreHardening, InitCreatesTheFirstStoreAndIsANoOpAfterwards) {
  temp_dir dir;
  auto state = dir.sub("state");
  store_options daemon;
  daemon.create_if_missing = false;
  auto none = open_store(state, daemon);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, store_errc::missing);
  EXPECT_NE(none.error().message.find("traderctl state init"), std::string::npos);
  EXPECT_FALSE(fs::exists(state));

  std::ostringstream out, err;
  ASSERT_EQ(run_state_init(state, false, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("created"), std::string::npos);
  {
    auto s = open_store(state, daemon);
    ASSERT_TRUE(s.ok()) << s.error().describe();
    ASSERT_TRUE((*s)->record_order_intent(make_order(1)).ok());
  }
  auto before = read_file(state + "/data.mdb");
  std::ostringstream out2, err2;
  ASSERT_EQ(run_state_init(state, false, out2, err2), 0);
  EXPECT_NE(out2.str().find("already exists"), std::string::npos);
  EXPECT_EQ(read_file(state + "/data.mdb"), before);
  fs::remove(state + "/data.mdb");
  std::ostringstream out3, err3;
  EXPECT_EQ(run_state_init(state, false, out3, err3), 1);
  EXPECT_NE(err3.str().find("--force"), std::string::npos) << err3.str();
}

// Row #6/#7: restoring a backup is an explicit rollback — the high-water mark is reset to
// the backup's commit, so the restored store opens instead of being refused as rolled back.
// A read-only open beside a live daemon (traderctl, the soak's probe) reads the mark first,
// then the commit counter (store_open.cpp): the mark trails the durable commit, so a commit
// landing between the two reads leaves counter >= mark. The comparison on a mark read before.
TEST(StoreHardening, TheMarkReadBeforeTheCounterComparesAsTheWriterLeftIt) {
  high_water mark{7, 1'780'000'000 * ns_per_s};
  EXPECT_TRUE(check_high_water(std::optional<high_water>{mark}, 7).ok());
  EXPECT_TRUE(check_high_water(std::optional<high_water>{mark}, 8).ok());  // a commit after the mark was read
  EXPECT_TRUE(check_high_water(std::optional<high_water>{}, 0).ok());     // no mark yet
  auto behind = check_high_water(std::optional<high_water>{mark}, 6);
  ASSERT_FALSE(behind.ok());
  EXPECT_EQ(behind.error().code, store_errc::rolled_back) << behind.error().describe();
}

TEST(StoreHardening, RestoreResetsTheHighWaterMarkToTheBackup) {
  temp_dir dir;
  auto state = dir.sub("state");
  ASSERT_EQ(*init_store(state, false), init_outcome::created);
  std::ostringstream out, err;
  {
    auto s = open_store(state);
    ASSERT_TRUE((*s)->record_order_intent(make_order(1)).ok());
  }
  ASSERT_EQ(run_state_backup(state, dir.sub("bak"), out, err), 0) << err.str();
  {
    auto s = open_store(state);
    for (int i = 2; i < 6; ++i)
      ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
  }
  fs::remove(state + "/data.mdb");  // lost; store.hwm still holds the newer commit
  ASSERT_EQ(run_state_restore(dir.sub("bak"), state, out, err), 0) << err.str();
  auto s = open_store(state);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ((*s)->list<order_record>()->size(), 1u);
}

// Row #18: a large, healthy store is not killed as "crashed" for its size.
TEST(StoreHardening, VerifyTimeoutScalesWithTheFileSize) {
  EXPECT_EQ(verify_timeout_for(0), std::chrono::seconds{60});
  EXPECT_EQ(verify_timeout_for(std::uintmax_t{1} << 20), std::chrono::seconds{60});
  EXPECT_EQ(verify_timeout_for(std::uintmax_t{16} << 30), std::chrono::seconds{60 + 2048});
}

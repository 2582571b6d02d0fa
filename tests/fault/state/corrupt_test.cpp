// Random byte corruption and truncation of data.mdb: every case must end in a typed
// error or a clean verify, never in a crash of this process (verify runs in a child) and
// never in an overwrite of the damaged file. A store that opens "ok" must hold exactly the
// template's records (review E8: a silent rollback or a silently dropped record used to
// pass), and a refused one must be left byte for byte as it was.

#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/state_store.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

#ifndef TRADER_FAULT_ITERATIONS
#define TRADER_FAULT_ITERATIONS 20
#endif
// The long build appends "Long" so ctest names stay unique across both executables.
#ifndef TRADER_FAULT_SUITE_SUFFIX
#define TRADER_FAULT_SUITE_SUFFIX
#endif
#define TRADER_SUITE_CAT(a, b) a##b
#define TRADER_SUITE(a, b) TRADER_SUITE_CAT(a, b)

namespace fs = std::filesystem;

namespace {

/// A store with every database populated, some pages freed by updates.
void build_template(const std::string& dir) {
  store_options opts;
  opts.map_size = std::size_t{16} << 20;
  opts.no_sync = true;  // fixture only
  auto s = open_store(dir, opts);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  auto& store = **s;
  write_batch b;
  for (int i = 0; i < 300; ++i) {
    b.insert_order_intent(make_order(i));
    b.insert_fill(make_fill(i));
    b.add_realized_pnl(make_fill(i).ts_event + i * 3'600 * ns_per_s, notional::from_units(i), make_fill(i).fee);
  }
  for (const auto* p : {"BTC-USD", "ETH-USD"})  // the fills' products: a fill commits with its position
    b.put(position_record{product_id{p}, size::from_int(3), price::from_int(50), {}, {}, 1});
  for (int i = 0; i < 20; ++i) {
    auto p = product_id{"P" + std::to_string(i) + "-USD"};
    b.put(position_record{p, size::from_int(i), price::from_int(100 + i), {}, {}, i});
    b.put(cooldown_record{p, i, "cooldown"});
    b.put(ban_record{p, "ban", i, i + 1});
    b.put(latency_baseline_record{"/e" + std::to_string(i), 1, 2, 3, 4, 5});
  }
  b.put(config_hash_record{"h", 1, 2, 3, 4});
  b.put(secret_rotation_record{"k", 1});
  b.put_gate(gate_record{false, {{"startup", "boot", 1}}, 1});
  b.update_nav(notional::from_int(1000), 1);
  ASSERT_TRUE(store.commit(b).ok());
  for (int i = 0; i < 300; i += 3) {  // updates free old pages: the free list is non-empty
    auto o = make_order(i);
    o.status = order_status::filled;
    ASSERT_TRUE(store.update_order(o).ok());
  }
}

void copy_data(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (const char* f : {"data.mdb", high_water_file_name})  // the high-water mark travels with it
    fs::copy_file(fs::path(from) / f, fs::path(to) / f, fs::copy_options::overwrite_existing);
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every record of every database, raw (db → key → value). Only for a store that verified
/// and is not open elsewhere in this process.
using store_dump = std::map<std::string, std::map<std::string, std::string>>;
store_dump dump(const std::string& dir) {
  store_dump out;
  env_options eo;
  eo.map_size = 0;
  eo.read_only = true;
  auto env = lmdb_env::open(dir, eo);
  EXPECT_TRUE(env.ok());
  if (!env)
    return out;
  auto txn = lmdb_txn::begin(**env, true);
  for (const char* name : all_dbs) {
    auto d = txn->open_db(name, false);
    if (!d || !*d)
      continue;
    auto& m = out[name];
    EXPECT_TRUE(txn->for_each(**d, name, [&](std::string_view k, std::string_view v) {
      m.emplace(std::string(k), std::string(v));
      return true;
    }).ok());
  }
  return out;
}

std::uint64_t commit_of(const store_dump& d) {
  auto meta = d.find("meta");
  if (meta == d.end() || !meta->second.count(commit_key))
    return 0;
  auto mark = decode_as<commit_mark>(commit_key, meta->second.at(commit_key));
  return mark ? mark->seq : 0;
}

/// What differs between the template and a store that opened "ok" (opening an up-to-date
/// store commits nothing), or "" when nothing does.
std::string content_change(const store_dump& tmpl, store_dump got) {
  auto want_commit = commit_of(tmpl);
  if (commit_of(got) != want_commit)
    return "commit counter " + std::to_string(commit_of(got)) + ", expected " + std::to_string(want_commit)
           + " (a rollback)";
  auto expect = tmpl;
  for (const auto& [db, recs] : expect) {
    auto& other = got[db];
    if (recs.size() != other.size())
      return db + ": " + std::to_string(other.size()) + " records, the template has " + std::to_string(recs.size());
    for (const auto& [k, v] : recs) {
      auto it = other.find(k);
      if (it == other.end())
        return db + ": " + printable_key(k) + " missing";
      if (it->second != v)
        return db + ": " + printable_key(k) + " changed";
    }
  }
  return "";
}

/// Opens the damaged store. Refused: the file must be untouched. Opened: its records must
/// be the template's; then it reads everything and writes once. Returns the outcome name
/// ("ok" or the error code).
std::string exercise(const std::string& dir, const store_dump& tmpl) {
  auto damaged = read_bytes(dir + "/data.mdb");
  store_options opts;
  opts.verify_timeout = std::chrono::seconds(10);
  {
    auto s = open_store(dir, opts);
    if (!s) {
      EXPECT_NE(s.error().code, store_errc::none);
      EXPECT_FALSE(s.error().describe().empty());
      EXPECT_TRUE(read_bytes(dir + "/data.mdb") == damaged) << "a refused store was rewritten: " << s.error().describe();
      return to_string(s.error().code);
    }
  }
  // Verified in a child: reading in this process is now safe.
  auto change = content_change(tmpl, dump(dir));
  EXPECT_EQ(change, "") << "the store opened \"ok\" but its content is not the template's";
  if (!change.empty())
    return "ok-but-content-differs";
  auto s = open_store(dir, opts);
  if (!s) {
    ADD_FAILURE() << "a store that opened once does not open again: " << s.error().describe();
    return "ok-then-refused";
  }
  auto& store = **s;
  EXPECT_TRUE(store.list<order_record>().ok());
  EXPECT_TRUE(store.list<fill_record>().ok());
  EXPECT_TRUE(store.read_portfolio(0).ok());
  auto w = store.record_order_intent(make_order(100'000));
  if (!w)
    return std::string("ok-then-") + to_string(w.error().code);
  return "ok";
}

} // namespace

TEST(TRADER_SUITE(StateCorruption, TRADER_FAULT_SUITE_SUFFIX), RandomByteCorruptionGivesTypedErrorOrCleanVerify) {
  temp_dir dir;
  build_template(dir.sub("template"));
  auto tmpl = dir.sub("template") + "/data.mdb";
  auto bytes = fs::file_size(tmpl);
  auto content = dump(dir.sub("template"));
  ASSERT_EQ(content["fills"].size(), 300u);
  auto seed = static_cast<unsigned>(std::random_device{}());
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::map<std::string, int> outcomes;
  for (int iter = 0; iter < TRADER_FAULT_ITERATIONS; ++iter) {
    auto d = dir.sub("case" + std::to_string(iter));
    copy_data(dir.sub("template"), d);
    {
      std::fstream f(d + "/data.mdb", std::ios::in | std::ios::out | std::ios::binary);
      int flips = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int k = 0; k < flips; ++k) {
        // Half of the flips land in the first pages (meta, roots), the rest anywhere.
        auto range = std::uniform_int_distribution<int>(0, 1)(rng) ? bytes : std::min<std::uintmax_t>(bytes, 4 * 4096);
        auto off = std::uniform_int_distribution<std::uintmax_t>(0, range - 1)(rng);
        f.seekg(static_cast<std::streamoff>(off));
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ std::uniform_int_distribution<int>(1, 255)(rng));
        f.seekp(static_cast<std::streamoff>(off));
        f.write(&c, 1);
      }
    }
    outcomes[exercise(d, content)]++;
    fs::remove_all(d);
  }
  std::string summary;
  for (const auto& [k, n] : outcomes)
    summary += k + "=" + std::to_string(n) + " ";
  std::printf("corruption outcomes over %d cases: %s\n", TRADER_FAULT_ITERATIONS, summary.c_str());
  RecordProperty("outcomes", summary);
}

TEST(TRADER_SUITE(StateCorruption, TRADER_FAULT_SUITE_SUFFIX), TruncatedDataFileIsRefusedAndNotOverwritten) {
  temp_dir dir;
  build_template(dir.sub("template"));
  auto bytes = fs::file_size(dir.sub("template") + "/data.mdb");
  for (auto keep : {bytes / 2, bytes - 4096, std::uintmax_t{4096}, std::uintmax_t{0}}) {
    SCOPED_TRACE("truncated to " + std::to_string(keep));
    auto d = dir.sub("t" + std::to_string(keep));
    copy_data(dir.sub("template"), d);
    fs::resize_file(d + "/data.mdb", keep);
    auto s = open_store(d);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().code == store_errc::truncated || s.error().code == store_errc::verify_crashed
                || s.error().code == store_errc::corrupted)
      << s.error().describe();
    EXPECT_EQ(fs::file_size(d + "/data.mdb"), keep);
  }
}

TEST(TRADER_SUITE(StateCorruption, TRADER_FAULT_SUITE_SUFFIX), GarbageFileIsRefused) {
  temp_dir dir;
  fs::create_directories(dir.sub("g"));
  {
    std::ofstream f(dir.sub("g") + "/data.mdb", std::ios::binary);
    std::mt19937 rng(1);
    for (int i = 0; i < 64 * 1024; ++i)
      f.put(static_cast<char>(rng()));
  }
  auto s = open_store(dir.sub("g"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().code, store_errc::none);
  EXPECT_EQ(fs::file_size(dir.sub("g") + "/data.mdb"), 64u * 1024);
}

// A record whose LMDB node claims a 4 GiB value: reading it runs off the map and crashes
// the reader outright (LMDB 0.9 has no page checksums). The verify child dies on SIGSEGV;
// this process must survive and open_store must say so.
TEST(TRADER_SUITE(StateCorruption, TRADER_FAULT_SUITE_SUFFIX), ReaderCrashIsContainedInTheVerifyChild) {
  temp_dir dir;
  {
    auto s = open_store(dir.path());
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 100; ++i)
      ASSERT_TRUE((*s)->record_order_intent(make_order(i)).ok());
  }
  auto path = dir.sub("data.mdb");
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // A leaf node is [size lo u16][size hi u16][flags u16][key size u16][key][value].
  const std::string key = "coid-57";
  int patched = 0;
  for (auto pos = bytes.find(key); pos != std::string::npos; pos = bytes.find(key, pos + 1)) {
    std::uint16_t ksize = 0;
    std::memcpy(&ksize, &bytes[pos - 2], 2);
    if (ksize != key.size())
      continue;
    std::memset(&bytes[pos - 8], 0xFF, 4);
    ++patched;
  }
  ASSERT_GT(patched, 0);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto rep = verify_in_child(dir.path());
  EXPECT_TRUE(rep.crashed);
  EXPECT_TRUE(rep.signal == SIGSEGV || rep.signal == SIGBUS) << rep.signal;
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::verify_crashed);
  EXPECT_NE(s.error().message.find("verify crashed with signal"), std::string::npos) << s.error().message;
  EXPECT_EQ(std::filesystem::file_size(path), bytes.size());  // nothing rewritten
}

// The state store facade: write-ahead, dedupe, batches, snapshots, schema versions, map full.

#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/state_store.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <thread>
#include <fstream>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

std::unique_ptr<state_store> open_ok(const std::string& dir, store_options opts = {}) {
  opts.map_size = std::size_t{8} << 20;
  auto s = open_store(dir, opts);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? std::move(*s) : nullptr;
}

/// Writes raw framed values into named dbs, bypassing the store (fixtures of other versions).
void write_raw(const std::string& dir, const std::vector<std::tuple<std::string, std::string, std::string>>& recs) {
  env_options eo;
  eo.map_size = std::size_t{8} << 20;
  auto env = lmdb_env::open(dir, eo);
  ASSERT_TRUE(env.ok()) << env.error().describe();
  auto txn = lmdb_txn::begin(**env, false);
  ASSERT_TRUE(txn.ok());
  for (const auto& [db, key, value] : recs) {
    auto d = txn->open_db(db.c_str(), true);
    ASSERT_TRUE(d.ok());
    ASSERT_EQ(txn->put(**d, key, value, 0), 0);
  }
  ASSERT_EQ(txn->commit(), 0);
}

std::string order_v1(const order_record& x) {
  byte_writer w;
  w.str(x.id.value);
  w.str(x.product.value);
  w.u8(static_cast<std::uint8_t>(x.side));
  w.u8(static_cast<std::uint8_t>(x.kind));
  w.i64(x.limit_px.units);
  w.i64(x.qty.units);
  w.str(x.exchange_id.value);
  w.u8(static_cast<std::uint8_t>(x.status));
  w.i64(x.created_at);
  w.i64(x.updated_at);
  return frame(x.id.value, 1, w.bytes());
}

constexpr ts_ns day_ns = 86'400 * ns_per_s;

} // namespace

TEST(StateStore, OrderIntentIsDurableAcrossReopen) {
  temp_dir dir;
  {
    auto s = open_ok(dir.path());
    ASSERT_TRUE(s->record_order_intent(make_order(1)).ok());
  }
  auto s = open_ok(dir.path());
  auto o = s->get<order_record>("coid-1");
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(o->has_value());
  EXPECT_EQ(**o, make_order(1));
  EXPECT_EQ(s->schema_version(), current_schema_version);
}

TEST(StateStore, SecondIntentUnderTheSameIdIsRefusedNotOverwritten) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  ASSERT_TRUE(s->record_order_intent(make_order(1)).ok());
  auto other = make_order(1);
  other.qty = size::from_int(99);
  auto r = s->record_order_intent(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::duplicate);
  EXPECT_EQ((*s->get<order_record>("coid-1"))->qty, make_order(1).qty);
  EXPECT_FALSE(s->failure().has_value());  // a refusal does not poison the store
}

TEST(StateStore, UpdateOfAnUnrecordedOrderIsRefused) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  auto r = s->update_order(make_order(9));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::not_found);
  ASSERT_TRUE(s->record_order_intent(make_order(9)).ok());
  EXPECT_EQ(s->list_open_orders()->size(), 1u);
  EXPECT_EQ(s->read_portfolio(0)->open_orders.size(), 1u);
  auto o = make_order(9);
  o.status = order_status::filled;
  ASSERT_TRUE(s->update_order(o).ok());
  auto open = s->list_open_orders();
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
  EXPECT_TRUE(s->read_portfolio(0)->open_orders.empty());
  EXPECT_TRUE(s->verify().ok());
}

TEST(StateStore, DuplicateFillIsReportedAndNeverOverwrites) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  auto f = make_fill(1);
  write_batch then;
  then.add_realized_pnl(f.ts_event, notional::from_int(5), f.fee);
  ASSERT_EQ(*s->record_fill(f, then), fill_insert::inserted);
  auto again = f;
  again.qty = size::from_int(1000);
  ASSERT_EQ(*s->record_fill(again, then), fill_insert::duplicate);
  EXPECT_EQ((*s->get<fill_record>("trade-1"))->qty, f.qty);
  auto total = s->get_pnl(pnl_total_key);
  ASSERT_TRUE(total.ok() && total->has_value());
  EXPECT_EQ((*total)->realized, notional::from_int(5));  // `then` applied once only
  EXPECT_EQ((*total)->fills, 1);
}

TEST(StateStore, BatchIsAllOrNothing) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  ASSERT_TRUE(s->record_order_intent(make_order(1)).ok());
  write_batch b;
  b.put(position_record{product_id{"BTC-USD"}, size::from_int(1), price::from_int(2), {}, {}, 3});
  b.insert_order_intent(make_order(1));  // duplicate: the whole batch must fail
  auto r = s->commit(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::duplicate);
  EXPECT_FALSE(s->get<position_record>("BTC-USD")->has_value());
}

TEST(StateStore, PnlBucketsByDayWeekAndTotalAndHighWaterMark) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  ts_ns sat = 1'795'262'400 * ns_per_s;  // 2026-11-21T12:00:00Z (Saturday)
  ASSERT_TRUE(s->add_realized_pnl(sat, notional::from_int(10), notional::from_int(1)).ok());
  ASSERT_TRUE(s->add_realized_pnl(sat + day_ns, notional::from_int(-4), notional::from_int(1)).ok());  // Sunday
  ASSERT_TRUE(s->add_realized_pnl(sat + 2 * day_ns, notional::from_int(7), {}).ok());                 // Monday
  EXPECT_EQ((*s->get_pnl(pnl_day_key(sat)))->realized, notional::from_int(10));
  EXPECT_EQ((*s->get_pnl(pnl_week_key(sat)))->realized, notional::from_int(6));
  EXPECT_EQ((*s->get_pnl(pnl_week_key(sat + 2 * day_ns)))->realized, notional::from_int(7));
  EXPECT_EQ((*s->get_pnl(pnl_total_key))->realized, notional::from_int(13));
  ASSERT_TRUE(s->update_nav(notional::from_int(1000), 1).ok());
  ASSERT_TRUE(s->update_nav(notional::from_int(900), 2).ok());
  EXPECT_EQ(**s->get_nav_high_water(), (nav_mark{notional::from_int(1000), 1}));

  auto snap = s->read_portfolio(sat + day_ns);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->today.realized, notional::from_int(-4));
  EXPECT_EQ(snap->this_week.realized, notional::from_int(6));
  EXPECT_EQ(snap->total.realized, notional::from_int(13));
}

TEST(StateStore, PutGetListEveryKeyedDatabase) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  position_record p{product_id{"BTC-USD"}, size::from_int(1), price::from_int(2), notional::from_int(3), {}, 4};
  cooldown_record c{product_id{"ETH-USD"}, 5, "stop"};
  ban_record b{product_id{"DOGE-USD"}, "red flag", 6, 7};
  config_hash_record h{"h1", 1, 1, 0, 0};
  secret_rotation_record k{"api_key", 8};
  latency_baseline_record l{"/orders", 1, 2, 3, 4, 5};
  gate_record g{false, {{"startup", "", 1}}, 2};
  ASSERT_TRUE(s->put(p).ok() && s->put(c).ok() && s->put(b).ok() && s->put(h).ok() && s->put(k).ok()
              && s->put(l).ok() && s->put_gate(g).ok());
  EXPECT_EQ(**s->get<position_record>("BTC-USD"), p);
  EXPECT_EQ(**s->get<cooldown_record>("ETH-USD"), c);
  EXPECT_EQ(**s->get<ban_record>("DOGE-USD"), b);
  EXPECT_EQ(**s->get<config_hash_record>("h1"), h);
  EXPECT_EQ(**s->get<secret_rotation_record>("api_key"), k);
  EXPECT_EQ(**s->get<latency_baseline_record>("/orders"), l);
  EXPECT_EQ(**s->get_gate(), g);
  EXPECT_EQ(s->list<ban_record>()->size(), 1u);
  ASSERT_TRUE(s->add_config_runtime("h1", true, 60, 9).ok());
  ASSERT_TRUE(s->add_config_runtime("h1", false, 30, 10).ok());
  auto h2 = **s->get<config_hash_record>("h1");
  EXPECT_EQ(h2.live_seconds, 60);
  EXPECT_EQ(h2.paper_seconds, 30);
  EXPECT_EQ(h2.last_seen, 10);
  write_batch erase;
  erase.erase_cooldown(product_id{"ETH-USD"});
  erase.erase_ban(product_id{"DOGE-USD"});
  ASSERT_TRUE(s->commit(erase).ok());
  EXPECT_TRUE(s->list<cooldown_record>()->empty());
  auto counts = s->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at("positions"), 1u);
  EXPECT_TRUE(s->verify().ok());
}

TEST(StateStore, NewerBinaryReadsAndUpgradesAnOlderStore) {
  temp_dir dir;
  auto o = make_order(3);
  o.status = order_status::open;
  write_raw(dir.path(), {{"meta", schema_key, encode(schema_key, schema_record{1, 5, "traderd 0.0.1"})},
                         {"orders", key_of(o), order_v1(o)}});
  auto s = open_ok(dir.path());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schema_version(), current_schema_version);
  auto back = s->get<order_record>(key_of(o));
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(**back, o);
  auto open = s->list_open_orders();  // the open-order index was built during the upgrade
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front(), o);
  EXPECT_TRUE(s->verify().ok());
}

TEST(StateStore, OlderBinaryRefusesANewerStoreWithAClearMessage) {
  temp_dir dir;
  write_raw(dir.path(), {{"meta", schema_key,
                          encode(schema_key, schema_record{current_schema_version + 1, 5, "traderd 9.0"})}});
  auto before = std::filesystem::file_size(dir.sub("data.mdb"));
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::version_newer);
  EXPECT_NE(s.error().message.find("newer than this binary"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("traderd 9.0"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(dir.sub("data.mdb")), before);
  store_options no_verify;
  no_verify.verify_first = false;  // the in-process check refuses it too
  auto s2 = open_store(dir.path(), no_verify);
  ASSERT_FALSE(s2.ok());
  EXPECT_EQ(s2.error().code, store_errc::version_newer);
}

TEST(StateStore, RecordOfNewerVersionFailsVerifyNamingDbAndKey) {
  temp_dir dir;
  write_raw(dir.path(), {{"meta", schema_key, encode(schema_key, schema_record{2, 5, "t"})},
                         {"fills", "trade-9", frame("trade-9", 7, "future")}});
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::version_newer);
  EXPECT_EQ(s.error().db, "fills");
  EXPECT_EQ(s.error().key, "trade-9");
}

TEST(StateStore, ExistingStoreWithoutSchemaIsNotInitialised) {
  temp_dir dir;
  write_raw(dir.path(), {{"orders", "x", "y"}});
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::version_unknown);
}

TEST(StateStore, EmptyDataFileIsTruncatedAndLeftAlone) {
  temp_dir dir;
  std::ofstream(dir.sub("data.mdb")).flush();
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::truncated);
  EXPECT_EQ(std::filesystem::file_size(dir.sub("data.mdb")), 0u);
}

TEST(StateStore, MissingDirectoryIsAnErrorWhenCreationIsOff) {
  temp_dir dir;
  store_options opts;
  opts.create_if_missing = false;
  auto s = open_store(dir.sub("nope"), opts);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::missing);
  EXPECT_FALSE(std::filesystem::exists(dir.sub("nope")));
}

TEST(StateStore, ReadOnlyOpenRefusesWrites) {
  temp_dir dir;
  { ASSERT_TRUE(open_ok(dir.path())->record_order_intent(make_order(1)).ok()); }
  store_options ro;
  ro.read_only = true;
  auto s = open_store(dir.path(), ro);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ((*s)->list<order_record>()->size(), 1u);
  EXPECT_EQ((*s)->record_order_intent(make_order(2)).error().code, store_errc::invalid_argument);
}

TEST(StateStore, MapFullGrowsOnceThenFailsClosed) {
  temp_dir dir;
  store_options opts;
  opts.map_size = 64 * 1024;
  opts.max_map_size = 128 * 1024;  // one doubling allowed, then fail closed
  auto s = open_store(dir.path(), opts);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  auto& store = **s;
  int written = 0;
  store_error last;
  for (int i = 0; i < 5000; ++i) {
    auto o = make_order(i);
    o.last_error = std::string(200, 'x');
    auto r = store.record_order_intent(o);
    if (!r.ok()) {
      last = r.error();
      break;
    }
    ++written;
  }
  EXPECT_EQ(last.code, store_errc::map_full) << last.describe();
  EXPECT_EQ(store.map_size(), 128u * 1024);  // it grew once
  EXPECT_GT(written, 50);
  ASSERT_TRUE(store.failure().has_value());
  EXPECT_EQ(store.record_order_intent(make_order(99999)).error().code, store_errc::store_failed);
  auto all = store.list<order_record>();  // reads still work; nothing committed was lost
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(static_cast<int>(all->size()), written);
}

TEST(StateStore, MapFullAtSmallMapGrowsAndSucceeds) {
  temp_dir dir;
  store_options opts;
  opts.map_size = 64 * 1024;
  auto s = open_store(dir.path(), opts);
  ASSERT_TRUE(s.ok());
  for (int batch = 0; batch < 10; ++batch) {  // 10 commits of 200 intents: the map must grow
    write_batch b;
    for (int i = 0; i < 200; ++i)
      b.insert_order_intent(make_order(batch * 200 + i));
    auto r = (*s)->commit(b);
    ASSERT_TRUE(r.ok()) << r.error().describe();
  }
  EXPECT_EQ((*s)->list<order_record>()->size(), 2000u);
  EXPECT_GT((*s)->map_size(), 64u * 1024);
  EXPECT_FALSE((*s)->failure().has_value());
}

TEST(StateStore, BackupIsACompactVerifiableCopyAndNeverOverwrites) {
  temp_dir dir;
  auto s = open_ok(dir.sub("live"));
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(s->record_order_intent(make_order(i)).ok());
  ASSERT_TRUE(s->backup(dir.sub("bak")).ok());
  auto again = s->backup(dir.sub("bak"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, store_errc::backup_failed);
  auto rep = verify_in_child(dir.sub("bak"));
  EXPECT_TRUE(rep.ok());
  EXPECT_EQ(rep.counts["orders"], 50u);
  auto b = open_ok(dir.sub("bak"));
  EXPECT_EQ(b->list<order_record>()->size(), 50u);
}

TEST(StateStore, VerifyInChildReportsDecodeProblemsWithDbAndKey) {
  temp_dir dir;
  { ASSERT_TRUE(open_ok(dir.path())->record_order_intent(make_order(1)).ok()); }
  auto o = make_order(2);
  auto bad = encode(key_of(o), o);
  bad[5] ^= 0x40;
  write_raw(dir.path(), {{"orders", key_of(o), bad}});
  auto rep = verify_in_child(dir.path());
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_EQ(rep.problems[0].code, store_errc::decode_failed);
  EXPECT_EQ(rep.problems[0].db, "orders");
  EXPECT_EQ(rep.problems[0].key, "coid-2");
  auto s = open_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, store_errc::decode_failed);
}

TEST(StateStore, SnapshotReadDoesNotBlockTheWriter) {
  temp_dir dir;
  auto s = open_ok(dir.path());
  ASSERT_TRUE(s->put(position_record{product_id{"BTC-USD"}, size::from_int(1), {}, {}, {}, 1}).ok());
  auto before = s->read_portfolio(0);
  ASSERT_TRUE(s->put(position_record{product_id{"BTC-USD"}, size::from_int(2), {}, {}, {}, 2}).ok());
  auto after = s->read_portfolio(0);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->positions.at(0).qty, size::from_int(1));
  EXPECT_EQ(after->positions.at(0).qty, size::from_int(2));
  ASSERT_TRUE(s->check_readers().ok());
}

TEST(StateStore, ReadersRunConcurrentlyWithTheWriterWhileTheMapGrows) {
  temp_dir dir;
  store_options opts;
  opts.map_size = 64 * 1024;  // grows several times during the run
  opts.no_sync = true;
  auto s = open_store(dir.path(), opts);
  ASSERT_TRUE(s.ok());
  auto& store = **s;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0};
  std::thread reader([&] {
    std::int64_t last = 0;
    while (!done) {
      auto snap = store.read_portfolio(make_fill(0).ts_event);
      if (!snap || snap->total.fills < last)
        ++bad;
      else
        last = snap->total.fills;
      ++reads;
    }
  });
  // Start writing only once the reader is reading (on a loaded machine the thread may not
  // be scheduled before 400 no-sync commits are done).
  while (reads.load() == 0)
    std::this_thread::yield();
  for (int i = 0; i < 400; ++i) {
    auto f = make_fill(i);
    write_batch then;
    then.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
    then.add_realized_pnl(f.ts_event, notional::from_units(1), f.fee);
    auto r = store.record_fill(f, then);
    ASSERT_TRUE(r.ok()) << r.error().describe();
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(store.map_size(), 64u * 1024);
  EXPECT_EQ((*store.get_pnl(pnl_total_key))->fills, 400);
}

TEST(StateStore, VerifyInChildWorksWhenTheHostIgnoresSigchld) {
  temp_dir dir;
  { ASSERT_TRUE(open_ok(dir.path())->record_order_intent(make_order(1)).ok()); }
  auto old = std::signal(SIGCHLD, SIG_IGN);  // children are reaped by the kernel: no status
  auto rep = verify_in_child(dir.path());
  std::signal(SIGCHLD, old);
  EXPECT_TRUE(rep.ok()) << (rep.problems.empty() ? "" : rep.problems[0].describe());
  EXPECT_EQ(rep.counts["orders"], 1u);
}

// traderd and its state directory: one instance per directory, fail closed on a store it
// cannot trust (without touching it), sticky gate reasons across restarts, audit trail;
// a lost or rolled-back store, the periodic re-verify and a failing audit log (issue 12).

#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace trader;

namespace {

using TraderdStateTest = test::traderd_fixture;

std::string read_all(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST_F(TraderdStateTest, SecondInstanceOnTheSameStateDirIsRefusedWithThePid) {
  auto first = start();
  ASSERT_TRUE(wait_ready(*first)) << first->err();
  auto second = start();
  EXPECT_EQ(second->wait(30s), 69);
  EXPECT_NE(second->err().find(std::to_string(first->pid())), std::string::npos) << second->err();
  EXPECT_TRUE(first->running());
  first->signal(SIGTERM);
  EXPECT_EQ(first->wait(30s), 0);
}

TEST_F(TraderdStateTest, CorruptStoreStartsWithGateClosedAndIsNotOverwritten) {
  {  // Create a store, then stop.
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0);
  }
  auto data = dir / "state/data.mdb";
  ASSERT_TRUE(std::filesystem::exists(data));
  auto bytes = read_all(data);
  std::mt19937 rng{7};
  for (int i = 0; i < 64; ++i)  // Scribble over the meta and first data pages.
    bytes[rng() % std::min<std::size_t>(bytes.size(), 4 * 4096)] = static_cast<char>(rng());
  // And over both meta pages' magic (offset 16 of pages 0 and 1), so the damage cannot land
  // only on unused bytes whatever the layout of the store's databases.
  for (std::size_t page : {0u, 1u})
    for (std::size_t i = 0; i < 4; ++i)
      bytes.at(page * 4096 + 16 + i) = static_cast<char>(0x5a);
  { std::ofstream{data, std::ios::binary | std::ios::trunc} << bytes; }

  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto status = call("status");
  EXPECT_EQ(status["gate"]["open"], false);
  EXPECT_TRUE(has(reasons(status["gate"]), "state_unavailable")) << status.dump();
  EXPECT_NE(p->err().find("state store"), std::string::npos);
  EXPECT_TRUE(test::eventually([&] { return p->err().find("critical ALERT") != std::string::npos; }, 10s))
    << p->err();  // the CRITICAL state_unavailable alert went through alerting
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_EQ(read_all(data), bytes);  // Nothing stored was overwritten.
}

TEST_F(TraderdStateTest, TruncatedStoreFailsClosedToo) {
  test::write_file(dir / "state/data.mdb", "not an lmdb file");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(has(reasons(call("gate")), "state_unavailable"));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_EQ(read_all(dir / "state/data.mdb"), "not an lmdb file");
}

TEST_F(TraderdStateTest, KillSwitchSurvivesARestartUntilResumed) {
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    EXPECT_TRUE(has(reasons(call("kill", {{"reason", "drill"}})), "kill_switch"));
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0);
  }
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto g = call("gate");
  EXPECT_TRUE(has(reasons(g), "kill_switch")) << g.dump();
  EXPECT_TRUE(has(reasons(g), "startup"));
  auto after = call("resume", {{"reason", "kill_switch"}});
  EXPECT_FALSE(has(reasons(after), "kill_switch"));
  EXPECT_TRUE(has(reasons(after), "startup"));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

TEST_F(TraderdStateTest, OperatorCommandsAndGateChangesAreAudited) {
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  call("kill", {{"reason", "audit drill"}});
  call("resume", {{"reason", "kill_switch"}});
  p->signal(SIGTERM);
  ASSERT_EQ(p->wait(30s), 0);
  std::string all;
  for (auto& f : std::filesystem::directory_iterator(dir / "log/audit"))
    all += read_all(f.path().string());
  EXPECT_NE(all.find("\"kind\":\"operator\""), std::string::npos);
  EXPECT_NE(all.find("\"cmd\":\"kill\""), std::string::npos);
  EXPECT_NE(all.find("audit drill"), std::string::npos);
  EXPECT_NE(all.find("\"kind\":\"gate\""), std::string::npos);
  EXPECT_NE(all.find("\"event\":\"stop\""), std::string::npos);
}

} // namespace

// -- hardening (issue 12; label hardening) -----------------------------------------------------

namespace {

/// Lowers the newest LMDB meta page's txnid below the other one's (one byte): LMDB then
/// uses the older meta page and the last durable commit silently disappears (E6).
void roll_back_last_commit(const std::string& data) {
  auto bytes = read_all(data);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), txnid = 16 + 128;
  std::uint64_t t0 = 0, t1 = 0;
  std::memcpy(&t0, bytes.data() + txnid, 8);
  std::memcpy(&t1, bytes.data() + page + txnid, 8);
  ASSERT_LT(std::max(t0, t1), 256u);  // a young store: its low byte is the whole txnid
  bytes[t0 > t1 ? txnid : page + txnid] = 0;
  std::ofstream{data, std::ios::binary | std::ios::trunc} << bytes;
}

std::string utc_today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

} // namespace

// Row #7 (E3): kill switch engaged, traderd stopped, data.mdb gone. traderd used to create an
// empty store in its place (gate without kill_switch, store "ok"). Now it refuses to create
// one: state_unavailable, status naming the lost store, and still no data.mdb.
TEST_F(TraderdStateTest, ALostDataFileIsRefusedNotReplacedByAnEmptyStore) {
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    EXPECT_TRUE(has(reasons(call("kill", {{"reason", "drill"}})), "kill_switch"));
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0);
  }
  std::filesystem::rename(dir / "state/data.mdb", dir / "data.mdb.moved");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto status = call("status");
  EXPECT_TRUE(has(reasons(status["gate"]), "state_unavailable")) << status.dump();
  EXPECT_EQ(status["state_store"].value("ok", true), false);
  EXPECT_NE(status["state_store"].value("detail", "").find("had one"), std::string::npos) << status.dump();
  EXPECT_TRUE(test::eventually([&] { return p->err().find("critical ALERT") != std::string::npos; }, 10s)) << p->err();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "state/data.mdb"));
}

// Row #7: a directory that never had a store is not given one by traderd either (the first
// store comes from `traderctl state init`); the gate says how to make it.
TEST_F(TraderdStateTest, WithoutAStoreTraderdStartsClosedAndCreatesNothing) {
  std::filesystem::remove_all(dir / "state");
  std::filesystem::remove(dir / "state.store-created");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto status = call("status");
  EXPECT_TRUE(has(reasons(status["gate"]), "state_unavailable")) << status.dump();
  EXPECT_NE(status["state_store"].value("detail", "").find("traderctl state init"), std::string::npos)
    << status.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "state/data.mdb"));
}

// Row #6 (E6): one byte in the newest meta page rolls back the last durable commit (the kill
// switch); traderd used to open that store "ok". The high-water mark refuses it.
TEST_F(TraderdStateTest, ASilentRollbackOfTheLastCommitIsRefused) {
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    call("kill", {{"reason", "drill"}});
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0);
  }
  roll_back_last_commit(dir / "state/data.mdb");
  auto bytes = read_all(dir / "state/data.mdb");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto status = call("status");
  EXPECT_TRUE(has(reasons(status["gate"]), "state_unavailable")) << status.dump();
  EXPECT_NE(status["state_store"].value("detail", "").find("rolled_back"), std::string::npos) << status.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_EQ(read_all(dir / "state/data.mdb"), bytes);  // nothing rewritten
}

// Row #18: the store is re-verified while traderd runs (a spawned helper, not a fork of the
// threaded daemon); damage found then closes the gate and poisons the store.
TEST_F(TraderdStateTest, PeriodicVerifyClosesTheGateWhenTheStoreIsDamagedWhileRunning) {
  auto p = start({}, {"TRADER_STATE_VERIFY_INTERVAL_S=1"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually([&] { return p->err().find("periodic verify ok") != std::string::npos; }, 30s))
    << p->err();
  EXPECT_FALSE(has(reasons(call("gate")), "state_unavailable"));
  {  // Damage the schema record (never rewritten while running) in place: its checksum fails.
    auto path = dir / "state/data.mdb";
    auto bytes = read_all(path);
    std::fstream f{path, std::ios::in | std::ios::out | std::ios::binary};
    int changed = 0;
    for (auto pos = bytes.find("traderctl state init"); pos != std::string::npos;
         pos = bytes.find("traderctl state init", pos + 1), ++changed) {
      f.seekp(static_cast<std::streamoff>(pos));
      f.put('T');
    }
    ASSERT_GT(changed, 0);
  }
  ASSERT_TRUE(test::eventually([&] { return has(reasons(call("gate")), "state_unavailable"); }, 30s)) << p->err();
  auto status = call("status");
  EXPECT_EQ(status["state_store"].value("ok", true), false) << status.dump();
  EXPECT_NE(p->err().find("periodic verify FAILED"), std::string::npos);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

// Row #15: an audit append that fails (here: the day's file is /dev/full, ENOSPC) used to be
// logged only. It closes the gate with audit_unavailable and raises a CRITICAL alert.
TEST_F(TraderdStateTest, AFailedAuditAppendClosesTheGate) {
  std::filesystem::create_directories(dir / "log/audit");
  std::filesystem::create_symlink("/dev/full", dir / ("log/audit/audit-" + utc_today() + ".jsonl"));
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  call("kill", {{"reason", "an audited decision"}});  // the gate change is audited: the append fails
  ASSERT_TRUE(test::eventually([&] { return has(reasons(call("gate")), "audit_unavailable"); }, 20s)) << p->err();
  EXPECT_NE(p->err().find("audit append failed"), std::string::npos);
  EXPECT_TRUE(test::eventually([&] { return p->err().find("audit_unavailable") != std::string::npos; }, 10s));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

namespace {

// Review rows #11 and #1 (E4): with a store it cannot trust, an operator resume of
// state_unavailable is refused and says why (the state actor still reports it), the gate
// stays closed, `resume startup` needs --force, and a restarted risk still has the reason.
TEST_F(TraderdStateTest, AResumeWhoseCauseStillHoldsIsRefusedAndSaysWhy) {
  test::write_file(dir / "state/data.mdb", "not an lmdb file");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually(
    [&] {
      for (auto& r : call("gate").value("reasons", nlohmann::json::array()))
        if (r.value("reason", "") == "state_unavailable" && r.value("source", "") == "state")
          return true;
      return false;
    },
    15s))
    << call("gate").dump();
  for (int i = 0; i < 3; ++i) {  // E4 resumed three times and found the gate open
    auto r = call_full("resume", {{"reason", "state_unavailable"}});
    ASSERT_EQ(r.status, control::client_status::ok) << r.message;
    EXPECT_FALSE(r.resp.body.ok);
    EXPECT_EQ(r.resp.body.err.code, control::error_code::refused);
    EXPECT_NE(r.resp.body.err.message.find("state reports"), std::string::npos) << r.resp.body.err.message;
  }
  auto startup = call_full("resume", {{"reason", "startup"}});
  EXPECT_EQ(startup.resp.body.err.code, control::error_code::refused);
  EXPECT_NE(startup.resp.body.err.message.find("--force"), std::string::npos);
  auto forced = call_full("resume", {{"reason", "startup"}, {"force", true}});
  ASSERT_TRUE(forced.ok()) << forced.resp.body.err.message;
  EXPECT_FALSE(has(reasons(forced.resp.body.result), "startup"));
  EXPECT_TRUE(has(reasons(forced.resp.body.result), "state_unavailable"));
  EXPECT_EQ(forced.resp.body.result["open"], false);

  auto restarted = call_full("restart", {{"actor", "risk"}});
  ASSERT_TRUE(restarted.ok()) << restarted.resp.body.err.message;
  auto g = call("gate");
  EXPECT_TRUE(has(reasons(g), "state_unavailable")) << g.dump();
  EXPECT_EQ(g["open"], false);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace

namespace {

// Review row #13: an actor that owns orders, fills or positions dying abnormally raises
// actor_lost_state through the supervisor's hook; it is persisted (it survives a restart of
// traderd) and only an operator's resume (or, later, a reconcile) clears it.
TEST_F(TraderdStateTest, AnActorOwningTradingStateThatDiesClosesTheGateDurably) {
  {
    auto p = start({}, {"TRADER_TEST_HOOKS=1"});
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    EXPECT_FALSE(has(reasons(call("gate")), "actor_lost_state"));
    auto crashed = call_full("debug.crash", {{"actor", "orders"}});
    ASSERT_TRUE(crashed.ok()) << crashed.message << crashed.resp.body.err.message;
    ASSERT_TRUE(test::eventually(
      [&] {
        for (auto& r : call("gate").value("reasons", nlohmann::json::array()))
          if (r.value("reason", "") == "actor_lost_state" && r.value("source", "") == "supervisor" &&
              r.value("detail", "").find("orders") != std::string::npos)
            return true;
        return false;
      },
      15s))
      << call("gate").dump();
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0);
  }
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(has(reasons(call("gate")), "actor_lost_state")) << call("gate").dump();
  auto resumed = call_full("resume", {{"reason", "actor_lost_state"}});
  ASSERT_TRUE(resumed.ok()) << resumed.resp.body.err.message;
  EXPECT_FALSE(has(reasons(resumed.resp.body.result), "actor_lost_state"));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace

// traderd and its state directory: one instance per directory, fail closed on a store it
// cannot trust (without touching it), sticky gate reasons across restarts, audit trail.

#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

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

// Verifies the control socket server: file mode, stale sockets, commands, async replies,
// timeouts, malformed input, many clients, auditing and the peer-uid refusal.

#include "runtime/control/control_client.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/control/unix_socket.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace trader::control;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

class ControlServerTest : public ::testing::Test {
protected:
  test_support::temp_dir dir;
  std::string sock = dir / "run/control.sock";
  std::mutex audit_mtx;
  std::vector<audit_record> audits;

  server_options options() {
    server_options o;
    o.socket_path = sock;
    o.request_timeout = 2s;
    o.on_audit = [this](const audit_record& r) {
      std::lock_guard<std::mutex> lock(audit_mtx);
      audits.push_back(r);
    };
    return o;
  }

  std::unique_ptr<control_server> start(server_options o) {
    auto s = std::make_unique<control_server>(std::move(o));
    s->register_command("echo", "Returns its arguments.", [](const request& r, reply_fn done) { done(reply::success(r.args)); });
    auto started = s->start();
    EXPECT_TRUE(started) << started.error();
    return s;
  }
  std::unique_ptr<control_server> start() { return start(options()); }

  std::vector<audit_record> audit_copy() {
    std::lock_guard<std::mutex> lock(audit_mtx);
    return audits;
  }
};

/// Sends raw bytes on one connection and reads n response lines.
std::vector<json> exchange_lines(const std::string& path, const std::string& bytes, std::size_t n) {
  int fd = connect_unix(path);
  EXPECT_GE(fd, 0);
  std::vector<json> out;
  if (fd < 0)
    return out;
  EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string in;
  char buf[4096];
  while (out.size() < n) {
    auto nl = in.find('\n');
    if (nl != std::string::npos) {
      out.push_back(json::parse(in.substr(0, nl)));
      in.erase(0, nl + 1);
      continue;
    }
    auto r = ::recv(fd, buf, sizeof buf, 0);
    if (r <= 0)
      break;
    in.append(buf, static_cast<std::size_t>(r));
  }
  ::close(fd);
  return out;
}

/// Keeps a reply_fn handed over by the server thread (thread-safe).
class kept_reply {
public:
  void keep(reply_fn f) {
    std::lock_guard<std::mutex> lock(mtx_);
    fn_ = std::move(f);
    cv_.notify_all();
  }
  /// Waits until a reply_fn was kept, then returns it.
  reply_fn wait() {
    std::unique_lock<std::mutex> lock(mtx_);
    cv_.wait(lock, [this] { return static_cast<bool>(fn_); });
    return fn_;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  reply_fn fn_;
};

} // namespace

TEST_F(ControlServerTest, SocketFileIsMode0600InA0700Directory) {
  auto s = start();
  struct stat st{};
  ASSERT_EQ(::lstat(sock.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_uid, ::geteuid());
  ASSERT_EQ(::stat((dir / "run").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST_F(ControlServerTest, AnswersARegisteredCommand) {
  auto s = start();
  control_client c(sock);
  auto r = c.call("echo", {{"x", 1}});
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.resp.body.result["x"], 1);
}

TEST_F(ControlServerTest, HelpListsCommandsWithDescriptions) {
  auto s = start();
  s->register_command("status", "Mode, uptime, health.", [](const request&, reply_fn done) { done(reply::success()); });
  auto r = control_client(sock).call("help");
  ASSERT_TRUE(r.ok());
  auto cmds = r.resp.body.result["commands"];
  ASSERT_EQ(cmds.size(), 3u);
  EXPECT_EQ(cmds[0]["name"], "echo");
  EXPECT_EQ(cmds[1]["name"], "help");
  EXPECT_EQ(cmds[2]["name"], "status");
  EXPECT_EQ(cmds[2]["description"], "Mode, uptime, health.");
}

TEST_F(ControlServerTest, RefusesToRegisterInvalidNamesOrHelp) {
  control_server s(options());
  auto h = [](const request&, reply_fn done) { done(reply::success()); };
  EXPECT_FALSE(s.register_command("help", "", h));
  EXPECT_FALSE(s.register_command("Bad Name", "", h));
  EXPECT_FALSE(s.register_command("ok", "", nullptr));
  EXPECT_TRUE(s.register_command("alert.ack", "", h));
}

TEST_F(ControlServerTest, UnknownCommandGetsTypedError) {
  auto s = start();
  auto r = control_client(sock).call("frobnicate");
  ASSERT_EQ(r.status, client_status::ok);
  EXPECT_FALSE(r.resp.body.ok);
  EXPECT_EQ(r.resp.body.err.code, error_code::unknown_command);
}

TEST_F(ControlServerTest, UnregisteredCommandBecomesUnknown) {
  auto s = start();
  s->unregister_command("echo");
  EXPECT_EQ(control_client(sock).call("echo").resp.body.err.code, error_code::unknown_command);
}

TEST_F(ControlServerTest, MalformedLinesGetErrorsAndTheConnectionKeepsServing) {
  auto s = start();
  auto lines = exchange_lines(sock, "not json\n{\"v\":9,\"id\":4,\"cmd\":\"echo\"}\n{\"v\":1,\"id\":5,\"cmd\":\"echo\",\"args\":{\"k\":2}}\n", 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["error"]["code"], "bad_request");
  EXPECT_TRUE(lines[0]["id"].is_null());
  EXPECT_EQ(lines[1]["error"]["code"], "unsupported_version");
  EXPECT_EQ(lines[1]["id"], 4);
  EXPECT_EQ(lines[2]["id"], 5);
  EXPECT_EQ(lines[2]["result"]["k"], 2);
}

TEST_F(ControlServerTest, OverlongLineGetsBadRequestAndClose) {
  auto s = start();
  auto lines = exchange_lines(sock, std::string(max_line_bytes + 100, 'x'), 2);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["error"]["code"], "bad_request");
}

TEST_F(ControlServerTest, HandlerMayAnswerLaterFromAnotherThread) {
  auto s = start();
  std::vector<std::thread> workers;
  std::mutex m;
  s->register_command("slow", "Answers after 50 ms.", [&](const request& r, reply_fn done) {
    std::lock_guard<std::mutex> lock(m);
    workers.emplace_back([done, id = r.id] {
      std::this_thread::sleep_for(50ms);
      done(reply::success({{"id", id}}));
    });
  });
  auto r = control_client(sock).call("slow");
  EXPECT_TRUE(r.ok()) << r.message;
  for (auto& w : workers)
    w.join();
}

TEST_F(ControlServerTest, CommandThatNeverAnswersTimesOut) {
  auto o = options();
  o.request_timeout = 100ms;
  auto s = start(o);
  kept_reply kept;
  s->register_command("wedged", "Never answers.", [&](const request&, reply_fn done) { kept.keep(done); });
  auto r = control_client(sock).call("wedged", json::object(), 5s);
  ASSERT_EQ(r.status, client_status::ok);
  EXPECT_EQ(r.resp.body.err.code, error_code::timeout);
  kept.wait()(reply::success());  // a late answer is dropped without harm
  EXPECT_TRUE(control_client(sock).call("echo").ok());
}

TEST_F(ControlServerTest, PerCommandTimeoutOverridesTheDefault) {
  auto s = start();
  s->register_command("wedged", "Never answers.", [](const request&, reply_fn) {}, 50ms);
  auto t0 = std::chrono::steady_clock::now();
  auto r = control_client(sock).call("wedged");
  EXPECT_EQ(r.resp.body.err.code, error_code::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST_F(ControlServerTest, ThrowingHandlerGetsInternalError) {
  auto s = start();
  s->register_command("boom", "Throws.", [](const request&, reply_fn) { throw std::runtime_error("kaput"); });
  auto r = control_client(sock).call("boom");
  EXPECT_EQ(r.resp.body.err.code, error_code::internal);
  EXPECT_NE(r.resp.body.err.message.find("kaput"), std::string::npos);
}

TEST_F(ControlServerTest, ServesManyClientsAtOnce) {
  auto s = start();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t)
    clients.emplace_back([&, t] {
      control_client c(sock);
      for (int i = 0; i < 25; ++i)
        if (auto r = c.call("echo", {{"t", t}, {"i", i}}); r.ok() && r.resp.body.result["i"] == i)
          ++ok;
    });
  for (auto& c : clients)
    c.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST_F(ControlServerTest, PipelinedRequestsOnOneConnectionAllGetAnswers) {
  auto s = start();
  std::string bytes;
  for (int i = 1; i <= 5; ++i)
    bytes += R"({"v":1,"id":)" + std::to_string(i) + R"(,"cmd":"echo"})" + "\n";
  EXPECT_EQ(exchange_lines(sock, bytes, 5).size(), 5u);
}

TEST_F(ControlServerTest, AuditsEveryCommandWithCallerUidAndPid) {
  auto s = start();
  control_client c(sock);
  c.call("echo");
  c.call("nope");
  auto a = audit_copy();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].cmd, "echo");
  EXPECT_TRUE(a[0].ok);
  EXPECT_EQ(a[0].peer.uid, ::geteuid());
  EXPECT_EQ(a[0].peer.pid, ::getpid());
  EXPECT_EQ(a[1].error, error_code::unknown_command);
}

TEST_F(ControlServerTest, RemovesAStaleSocketNobodyListensOn) {
  ::mkdir((dir / "run").c_str(), 0700);
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);  // the file stays: a crashed daemon's leftover
  auto s = start();
  EXPECT_TRUE(control_client(sock).call("echo").ok());
}

TEST_F(ControlServerTest, RefusesToStartWhileAnotherServerListens) {
  auto first = start();
  control_server second(options());
  auto refused = second.start();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("already listening"), std::string::npos) << refused.error();
  EXPECT_TRUE(control_client(sock).call("echo").ok());
}

TEST_F(ControlServerTest, RefusesToReplaceARegularFile) {
  ::mkdir((dir / "run").c_str(), 0700);
  ::close(::open(sock.c_str(), O_CREAT | O_WRONLY, 0600));
  control_server s(options());
  EXPECT_FALSE(s.start());
  struct stat st{};
  EXPECT_EQ(::lstat(sock.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(ControlServerTest, StopRemovesTheSocketAndClientsSeeNotRunning) {
  auto s = start();
  s->stop();
  EXPECT_FALSE(s->running());
  EXPECT_NE(::access(sock.c_str(), F_OK), 0);
  auto r = control_client(sock).call("echo");
  EXPECT_EQ(r.status, client_status::not_running);
  s->stop();  // idempotent
}

TEST_F(ControlServerTest, StopsWithARequestStillPending) {
  auto s = start();
  kept_reply kept;
  s->register_command("wedged", "Never answers.", [&](const request&, reply_fn done) { kept.keep(done); });
  std::thread client([&] { control_client(sock).call("wedged", json::object(), 3s); });
  auto late = kept.wait();
  s->stop();
  client.join();
  s.reset();
  late(reply::success());  // the server is gone: ignored
}

// Verifies that a uid other than the daemon's (or root) is refused and audited even when
// the socket mode would let it connect. Runs the client as nobody with setpriv.
TEST_F(ControlServerTest, RefusesAnotherUidAndAuditsIt) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to run a client as another uid";
  if (::access("/usr/bin/setpriv", X_OK) != 0)
    GTEST_SKIP() << "setpriv (util-linux) not installed";
  ::chmod(dir.path().c_str(), 0755);
  ::mkdir((dir / "run").c_str(), 0755);
  auto s = start();
  std::string probe = dir / "control_probe";
  ASSERT_EQ(std::system(("cp " + std::string(TRADER_CONTROL_PROBE) + " " + probe).c_str()), 0);
  auto run_as_nobody = [&] {
    std::string cmd = "setpriv --reuid=65534 --regid=65534 --clear-groups " + probe + " " + sock + " echo";
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
      std::array<char, 512> buf{};
      while (std::fgets(buf.data(), buf.size(), f))
        out += buf.data();
      ::pclose(f);
    }
    return out;
  };
  // Mode 0600 already keeps nobody out at connect().
  EXPECT_EQ(run_as_nobody().rfind("permission_denied", 0), 0u);
  // Widened by mistake: SO_PEERCRED still refuses, and the refusal is audited.
  ::chmod(sock.c_str(), 0666);
  auto out = run_as_nobody();
  EXPECT_EQ(out.rfind("ok ", 0), 0u) << out;
  EXPECT_NE(out.find("\"unauthorized\""), std::string::npos) << out;
  auto a = audit_copy();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].peer.uid, 65534u);
  EXPECT_GT(a[0].peer.pid, 0);
  EXPECT_EQ(a[0].error, error_code::unauthorized);
}

// Review row #21: an existing socket directory that other users can write to is refused (they
// could replace the socket); a sticky one (like /tmp) and a private one are accepted.
TEST_F(ControlServerTest, RefusesASocketDirectoryOtherUsersCanWrite) {
  ::mkdir((dir / "run").c_str(), 0700);
  ::chmod((dir / "run").c_str(), 0777);
  control_server s(options());
  auto refused = s.start();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("other users can write"), std::string::npos) << refused.error();
  ::chmod((dir / "run").c_str(), 01777);
  auto sticky = start();
  EXPECT_TRUE(control_client(sock).call("echo").ok());
}

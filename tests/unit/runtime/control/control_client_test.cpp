// Verifies the client's typed transport errors.

#include "runtime/control/control_client.hpp"
#include "runtime/control/unix_socket.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <poll.h>
#include <csignal>
#include <cstring>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace trader::control;
using namespace std::chrono_literals;

namespace {

/// A listening socket that accepts and then does what `serve` says.
struct fake_daemon {
  int fd = -1;
  socket_file_id id;
  std::thread t;
  explicit fake_daemon(const std::string& path, std::function<void(int)> serve) {
    auto listening = listen_unix(path, 4, id);
    EXPECT_TRUE(listening) << listening.error();
    fd = listening.value_or(-1);
    t = std::thread([this, serve] {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0)
        return;
      int c = ::accept(fd, nullptr, nullptr);
      if (c >= 0) {
        serve(c);
        ::close(c);
      }
    });
  }
  ~fake_daemon() {
    t.join();
    ::close(fd);
  }
};

std::string read_line(int fd) {
  std::string in;
  char ch;
  while (::recv(fd, &ch, 1, 0) == 1 && ch != '\n')
    in.push_back(ch);
  return in;
}

} // namespace

TEST(ControlClient, MissingSocketMeansNotRunning) {
  test_support::temp_dir dir;
  auto r = control_client(dir / "none.sock").call("status");
  EXPECT_EQ(r.status, client_status::not_running);
  EXPECT_NE(r.message.find("not running"), std::string::npos);
}

TEST(ControlClient, StaleSocketMeansNotRunning) {
  test_support::temp_dir dir;
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", (dir / "c.sock").c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
  EXPECT_EQ(control_client(dir / "c.sock").call("status").status, client_status::not_running);
}

TEST(ControlClient, SilentDaemonTimesOut) {
  test_support::temp_dir dir;
  fake_daemon d(dir / "c.sock", [](int c) {
    read_line(c);
    std::this_thread::sleep_for(300ms);
  });
  auto r = control_client(dir / "c.sock").call("status", {}, 100ms);
  EXPECT_EQ(r.status, client_status::timeout);
}

TEST(ControlClient, HangUpWithoutAnswerIsConnectionLost) {
  test_support::temp_dir dir;
  fake_daemon d(dir / "c.sock", [](int c) { read_line(c); });
  EXPECT_EQ(control_client(dir / "c.sock").call("status").status, client_status::connection_lost);
}

TEST(ControlClient, GarbageAnswerIsBadResponse) {
  test_support::temp_dir dir;
  fake_daemon d(dir / "c.sock", [](int c) {
    read_line(c);
    ::send(c, "hello\n", 6, MSG_NOSIGNAL);
  });
  EXPECT_EQ(control_client(dir / "c.sock").call("status").status, client_status::bad_response);
}

TEST(ControlClient, MismatchedIdIsBadResponse) {
  test_support::temp_dir dir;
  fake_daemon d(dir / "c.sock", [](int c) {
    read_line(c);
    std::string line = serialize(response{999, reply::success()}) + "\n";
    ::send(c, line.data(), line.size(), MSG_NOSIGNAL);
  });
  EXPECT_EQ(control_client(dir / "c.sock").call("status").status, client_status::bad_response);
}

// Review row #21: the client checks who the server is. A socket served by another uid (here
// nobody, 65534) gets no command: permission_denied naming the uid.
TEST(ControlClient, RefusesAServerRunningAsAnotherUid) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to run a server as another uid";
  test_support::temp_dir dir;
  ::chmod(dir.path().c_str(), 0777);
  std::string path = dir / "foreign.sock";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // only async-signal-safe calls until _exit
    if (::setgid(65534) != 0 || ::setuid(65534) != 0)
      ::_exit(2);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0)
      ::_exit(3);
    ::fchmod(fd, 0666);
    ::chmod(path.c_str(), 0666);
    char ok = 1;
    (void)!::write(ready[1], &ok, 1);
    for (int i = 0; i < 100; ++i) {
      int c = ::accept(fd, nullptr, nullptr);
      if (c >= 0) {
        const char line[] = "{\"id\":1,\"ok\":true,\"result\":{}}\n";
        (void)!::write(c, line, sizeof line - 1);
        ::close(c);
      }
    }
    ::_exit(0);
  }
  ::close(ready[1]);
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ::close(ready[0]);
  auto r = control_client(path).call("status", nlohmann::json::object(), 2s);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(r.status, client_status::permission_denied) << r.message;
  EXPECT_NE(r.message.find("uid 65534"), std::string::npos) << r.message;
}

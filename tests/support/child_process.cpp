#include "tests/support/child_process.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace trader::test {

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in{path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
int decode(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}
} // namespace

child_process::child_process(std::vector<std::string> argv, std::string log_prefix, std::vector<std::string> extra_env)
  : out_path_(log_prefix + ".out"), err_path_(log_prefix + ".err") {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e)
    env_store.emplace_back(*e);
  for (auto& e : extra_env)
    env_store.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_store)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), envp.data()) != 0)
    pid_ = -1;
  posix_spawn_file_actions_destroy(&fa);
}

child_process::~child_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

bool child_process::running() {
  if (pid_ <= 0 || status_)
    return false;
  int st = 0;
  auto r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = decode(st);
    return false;
  }
  return true;
}

void child_process::signal(int sig) {
  if (running())
    ::kill(pid_, sig);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  eventually([this] { return !running(); }, timeout);
  return status_;
}

std::string child_process::out() const { return slurp(out_path_); }
std::string child_process::err() const { return slurp(err_path_); }

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

temp_dir::temp_dir(const std::string& tag) {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string{base ? base : "/tmp"} + "/247trader-" + tag + "-XXXXXX";
  if (char* p = mkdtemp(tmpl.data()))
    path_ = p;
}

temp_dir::~temp_dir() {
  if (path_.empty())
    return;
  if (const char* keep = std::getenv("TRADER_TEST_KEEP_DIRS"); keep && *keep && std::string_view{keep} != "0") {
    std::fprintf(stderr, "TRADER_TEST_KEEP_DIRS: kept %s\n", path_.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path{path}.parent_path());
  std::ofstream out{path, std::ios::trunc};
  out << text;
}

} // namespace trader::test

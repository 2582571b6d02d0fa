#include "runtime/persistence/instance_lock.hpp"

#include "runtime/errno_text.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace trader::persistence {

pid_t read_lock_holder(const std::string& lock_path) {
  int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char buf[32] = {};
  auto n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0)
    return 0;
  long pid = std::strtol(buf, nullptr, 10);
  return pid > 0 ? static_cast<pid_t>(pid) : 0;
}

result<instance_lock> instance_lock::acquire(const std::string& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec)
    return make_error(store_errc::open_failed, "cannot create " + state_dir + ": " + ec.message());
  auto path = state_dir + "/traderd.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return make_error(store_errc::open_failed, "cannot open " + path + ": " + trader::errno_text(errno), {}, {}, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      auto holder = read_lock_holder(path);
      return make_error(store_errc::lock_held,
                        "state directory " + state_dir + " is in use by another traderd"
                          + (holder > 0 ? " (PID " + std::to_string(holder) + ")" : std::string(" (PID unknown)"))
                          + "; stop it first",
                        {}, {}, err);
    }
    return make_error(store_errc::open_failed, "flock " + path + ": " + trader::errno_text(err), {}, {}, err);
  }
  auto pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    int err = errno;
    ::close(fd);
    return make_error(store_errc::write_failed, "cannot write PID to " + path + ": " + trader::errno_text(err), {}, {},
                      err);
  }
  ::fdatasync(fd);
  return instance_lock(fd, path);
}

instance_lock::~instance_lock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

} // namespace trader::persistence

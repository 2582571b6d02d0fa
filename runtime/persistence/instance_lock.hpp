#pragma once
// One traderd per state directory: flock(LOCK_EX|LOCK_NB) on <state_dir>/traderd.lock,
// which also holds the holder's PID for the refusal message. The kernel drops the lock
// when the process exits or crashes, so a stale file never blocks a restart.

#include "runtime/persistence/result.hpp"

#include <string>
#include <sys/types.h>

namespace trader::persistence {

/// The held lock; released by the destructor (or by the kernel on exit/crash).
class instance_lock {
public:
  /// Takes the lock (creating state_dir if needed) or fails with lock_held
  /// ("… in use by another traderd (PID 1234)") / open_failed.
  static result<instance_lock> acquire(const std::string& state_dir);
  instance_lock(instance_lock&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  instance_lock& operator=(instance_lock&&) = delete;
  ~instance_lock();

  /// The lock file.
  const std::string& path() const { return path_; }

private:
  instance_lock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

/// The PID written in a lock file, or 0 if none is readable.
pid_t read_lock_holder(const std::string& lock_path);

} // namespace trader::persistence

#include "actors/control/kill_switch/file_watch.hpp"

#include "runtime/errno_text.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace trader::kill_switch {

namespace {

constexpr std::uint32_t watch_mask = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_CLOSE_WRITE
                                     | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

std::string errno_text(const char* what, int err) { return std::string{what} + ": " + trader::errno_text(err); }

} // namespace

presence stat_presence(const std::string& path, std::string* why) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0)
    return presence::present;
  int err = errno;
  if (err == ENOENT || err == ENOTDIR)
    return presence::absent;
  if (why)
    *why = errno_text("lstat", err);
  return presence::unknown;
}

file_watch::file_watch(std::string path) : path_(std::move(path)) {
  std::filesystem::path p{path_};
  auto parent = p.parent_path();
  dir_ = (parent.empty() ? std::filesystem::path{"."} : parent).string();
  name_ = p.filename().string();
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    error_ = errno_text("inotify_init1", errno);
    return;
  }
  rearm();
}

file_watch::~file_watch() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool file_watch::rearm() {
  if (fd_ < 0)
    return false;
  if (wd_ >= 0)
    return true;
  int wd = ::inotify_add_watch(fd_, dir_.c_str(), watch_mask);
  if (wd < 0) {
    error_ = errno_text("inotify_add_watch", errno);
    return false;
  }
  wd_ = wd;
  error_.clear();
  return true;
}

bool file_watch::poll() {
  if (fd_ < 0)
    return false;
  bool relevant = false;
  alignas(struct inotify_event) char buf[4096];
  for (;;) {
    auto n = ::read(fd_, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        break;
      error_ = errno_text("read(inotify)", errno);
      return true;  // cannot tell what happened: look
    }
    if (n == 0)
      break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<struct inotify_event*>(p);
      p += sizeof(struct inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        relevant = true;
        continue;
      }
      if (ev->wd != wd_ || wd_ < 0)
        continue;  // a watch we dropped already
      if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
        // The directory is gone or elsewhere: this watch no longer covers the path.
        if (!(ev->mask & IN_IGNORED))
          ::inotify_rm_watch(fd_, wd_);
        wd_ = -1;
        relevant = true;
        continue;
      }
      if (ev->len > 0 && name_ == ev->name)
        relevant = true;
    }
  }
  return relevant;
}

} // namespace trader::kill_switch

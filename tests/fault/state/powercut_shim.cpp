// LD_PRELOAD power-cut simulator for the durability test (review E10).
//
// SIGKILL keeps the page cache, so a writer that never fsyncs survives every kill test. A
// power cut does not: only what reached the disk through fsync/fdatasync (or a write on an
// O_DSYNC/O_SYNC descriptor) is left. This shim keeps that disk's view of each tracked file
// in an image file next to it ("<file>.powercut"): writes to a tracked file are held back,
// and applied to the image, in order, only when the file is fsynced/fdatasynced; writes on
// an O_DSYNC/O_SYNC descriptor reach the image at once. After a SIGKILL the images are
// exactly what a power cut at that moment could leave (the case where none of the unsynced
// writes made it). The test then puts the images in place of the files and opens the store.
//
//   TRADER_POWERCUT_FILES=/dir/data.mdb:/dir/store.hwm   files to track (must match by inode)
//
// The images must start as copies of the files (the test makes them). Intercepts open,
// openat (and their 64 names), close, write, writev, pwrite, pwrite64, fsync, fdatasync —
// the calls LMDB 0.9 and the store's high-water file use.

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {
/// Keeps the caller's errno across the shim's bookkeeping.
struct errno_guard {
  int saved = errno;
  ~errno_guard() { errno = saved; }
};

using open_fn = int (*)(const char*, int, ...);
using openat_fn = int (*)(int, const char*, int, ...);
using close_fn = int (*)(int);
using write_fn = ssize_t (*)(int, const void*, size_t);
using writev_fn = ssize_t (*)(int, const struct iovec*, int);
using pwrite_fn = ssize_t (*)(int, const void*, size_t, off_t);
using sync_fn = int (*)(int);

struct real_calls {
  open_fn open = nullptr, open64 = nullptr;
  openat_fn openat = nullptr, openat64 = nullptr;
  close_fn close = nullptr;
  write_fn write = nullptr;
  writev_fn writev = nullptr;
  pwrite_fn pwrite = nullptr, pwrite64 = nullptr;
  sync_fn fsync = nullptr, fdatasync = nullptr;
};

real_calls& real() {
  static real_calls r = [] {
    real_calls c;
    c.open = reinterpret_cast<open_fn>(dlsym(RTLD_NEXT, "open"));
    c.open64 = reinterpret_cast<open_fn>(dlsym(RTLD_NEXT, "open64"));
    c.openat = reinterpret_cast<openat_fn>(dlsym(RTLD_NEXT, "openat"));
    c.openat64 = reinterpret_cast<openat_fn>(dlsym(RTLD_NEXT, "openat64"));
    c.close = reinterpret_cast<close_fn>(dlsym(RTLD_NEXT, "close"));
    c.write = reinterpret_cast<write_fn>(dlsym(RTLD_NEXT, "write"));
    c.writev = reinterpret_cast<writev_fn>(dlsym(RTLD_NEXT, "writev"));
    c.pwrite = reinterpret_cast<pwrite_fn>(dlsym(RTLD_NEXT, "pwrite"));
    c.pwrite64 = reinterpret_cast<pwrite_fn>(dlsym(RTLD_NEXT, "pwrite64"));
    c.fsync = reinterpret_cast<sync_fn>(dlsym(RTLD_NEXT, "fsync"));
    c.fdatasync = reinterpret_cast<sync_fn>(dlsym(RTLD_NEXT, "fdatasync"));
    return c;
  }();
  return r;
}

struct pending_write {
  off_t off;
  std::string bytes;
};

struct tracked_file {
  std::string path;
  std::string image;
  std::vector<pending_write> pending;  ///< In the page cache only.
};

struct tracked_fd {
  std::size_t file;
  bool dsync;
};

struct shim_state {
  std::mutex mu;
  std::vector<tracked_file> files;
  std::map<int, tracked_fd> fds;
};

shim_state& state() {
  static shim_state* s = [] {
    auto* st = new shim_state;  // never destroyed: hooks may run during exit
    if (const char* env = std::getenv("TRADER_POWERCUT_FILES")) {
      std::string list = env;
      std::size_t start = 0;
      while (start <= list.size()) {
        auto colon = list.find(':', start);
        auto item = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!item.empty())
          st->files.push_back(tracked_file{item, item + ".powercut", {}});
        if (colon == std::string::npos)
          break;
        start = colon + 1;
      }
    }
    return st;
  }();
  return *s;
}

/// Applies bytes to the image of file f (the "disk").
void to_image(const tracked_file& f, off_t off, const std::string& bytes) {
  int fd = real().open(f.image.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    std::abort();  // a broken simulation must not pass as a durable store
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = real().pwrite(fd, bytes.data() + done, bytes.size() - done, off + static_cast<off_t>(done));
    if (n <= 0)
      std::abort();
    done += static_cast<std::size_t>(n);
  }
  real().close(fd);
}

/// After a successful open of fd: track it when it is one of the files.
void on_open(int fd) {
  if (fd < 0)
    return;
  errno_guard keep;
  auto& st = state();
  if (st.files.empty())
    return;
  struct stat a {};
  if (::fstat(fd, &a) != 0 || !S_ISREG(a.st_mode))
    return;
  std::lock_guard lk(st.mu);
  for (std::size_t i = 0; i < st.files.size(); ++i) {
    struct stat b {};
    if (::stat(st.files[i].path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
      int fl = ::fcntl(fd, F_GETFL);
      st.fds[fd] = tracked_fd{i, (fl & (O_DSYNC | O_SYNC)) != 0};
      return;
    }
  }
  st.fds.erase(fd);
}

/// After a successful write of n bytes at off through fd.
void on_write(int fd, off_t off, const void* data, ssize_t n) {
  if (n <= 0)
    return;
  errno_guard keep;
  auto& st = state();
  std::lock_guard lk(st.mu);
  auto it = st.fds.find(fd);
  if (it == st.fds.end())
    return;
  auto& f = st.files[it->second.file];
  std::string bytes(static_cast<const char*>(data), static_cast<std::size_t>(n));
  if (it->second.dsync)
    to_image(f, off, bytes);
  else
    f.pending.push_back(pending_write{off, std::move(bytes)});
}

/// After a successful fsync/fdatasync of fd: everything written to its file is on disk.
void on_sync(int fd) {
  errno_guard keep;
  auto& st = state();
  std::lock_guard lk(st.mu);
  auto it = st.fds.find(fd);
  if (it == st.fds.end())
    return;
  auto& f = st.files[it->second.file];
  for (const auto& w : f.pending)
    to_image(f, w.off, w.bytes);
  f.pending.clear();
}

mode_t mode_arg(int flags, va_list ap) {
  bool needs_mode = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;  // as glibc's __OPEN_NEEDS_MODE
  return needs_mode ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}

bool is_tracked(int fd) {
  auto& st = state();
  std::lock_guard lk(st.mu);
  return st.fds.count(fd) != 0;
}


} // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  auto mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = real().open(path, flags, mode);
  on_open(fd);
  return fd;
}

int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  auto mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = (real().open64 ? real().open64 : real().open)(path, flags, mode);
  on_open(fd);
  return fd;
}

int openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  auto mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = real().openat(dirfd, path, flags, mode);
  on_open(fd);
  return fd;
}

int openat64(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  auto mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = (real().openat64 ? real().openat64 : real().openat)(dirfd, path, flags, mode);
  on_open(fd);
  return fd;
}

int close(int fd) {
  {
    auto& st = state();
    std::lock_guard lk(st.mu);
    st.fds.erase(fd);
  }
  return real().close(fd);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  auto w = real().pwrite(fd, buf, n, off);
  on_write(fd, off, buf, w);
  return w;
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
  auto w = (real().pwrite64 ? real().pwrite64 : real().pwrite)(fd, buf, n, off);
  on_write(fd, off, buf, w);
  return w;
}

ssize_t write(int fd, const void* buf, size_t n) {
  if (!is_tracked(fd))
    return real().write(fd, buf, n);
  off_t off = ::lseek(fd, 0, SEEK_CUR);
  auto w = real().write(fd, buf, n);
  if (off >= 0)
    on_write(fd, off, buf, w);
  return w;
}

ssize_t writev(int fd, const struct iovec* iov, int cnt) {
  if (!is_tracked(fd))
    return real().writev(fd, iov, cnt);
  off_t off = ::lseek(fd, 0, SEEK_CUR);
  auto w = real().writev(fd, iov, cnt);
  if (off >= 0 && w > 0) {
    errno_guard keep;
    std::string bytes;
    for (int i = 0; i < cnt && bytes.size() < static_cast<std::size_t>(w); ++i)
      bytes.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
    bytes.resize(static_cast<std::size_t>(w));
    on_write(fd, off, bytes.data(), w);
  }
  return w;
}

int fsync(int fd) {
  int rc = real().fsync(fd);
  if (rc == 0)
    on_sync(fd);
  return rc;
}

int fdatasync(int fd) {
  int rc = real().fdatasync(fd);
  if (rc == 0)
    on_sync(fd);
  return rc;
}

} // extern "C"

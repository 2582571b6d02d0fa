#pragma once
// Watching one file's presence: an inotify descriptor on the file's parent directory, read
// without blocking, and stat() for the answer itself. No CAF.
//
// inotify only says "look again": every event naming the file (IN_CREATE, IN_MOVED_TO,
// IN_DELETE, IN_MOVED_FROM, IN_CLOSE_WRITE), a queue overflow, or the loss of the directory
// watch (the directory was removed, moved or unmounted) makes poll() return true, and the
// caller stats the path. A directory that does not exist yet cannot be watched; rearm()
// tries again (the kill_switch actor calls it with its 1 s stat backstop), and the backstop
// stat covers every case inotify misses (no inotify at all, a watch limit reached, network
// file systems).

#include <cstdint>
#include <string>

namespace trader::kill_switch {

/// What a stat of the path says.
enum class presence : std::uint8_t {
  absent,   ///< ENOENT / ENOTDIR: no such file.
  present,  ///< Any directory entry by that name (lstat: a dangling symlink counts).
  unknown,  ///< Cannot tell (EACCES, EIO, ...): the caller keeps what it knew.
};

/// lstat(path); on `unknown`, *why (if given) says why.
presence stat_presence(const std::string& path, std::string* why = nullptr);

class file_watch {
public:
  /// Opens a non-blocking inotify descriptor and tries to watch the parent directory of path.
  explicit file_watch(std::string path);
  ~file_watch();
  file_watch(const file_watch&) = delete;
  file_watch& operator=(const file_watch&) = delete;

  /// Drains every pending event without blocking. True when the file may have changed: an
  /// event naming it, a queue overflow, a lost directory watch or a read error.
  bool poll();
  /// Watches the parent directory again when it is not watched (it did not exist, or was
  /// removed or moved). True if it is watched afterwards. Callers stat after a successful
  /// re-arm: the file may have appeared while nothing watched.
  bool rearm();
  /// The parent directory is watched now.
  bool watching() const { return wd_ >= 0; }
  /// inotify could be initialised (false: stat only).
  bool available() const { return fd_ >= 0; }

  const std::string& path() const { return path_; }
  const std::string& directory() const { return dir_; }
  /// Why the last inotify call failed ("" if it did not).
  const std::string& error() const { return error_; }
  /// The inotify descriptor (-1 if unavailable); for tests.
  int fd() const { return fd_; }

private:
  std::string path_;
  std::string dir_;
  std::string name_;
  std::string error_;
  int fd_ = -1;
  int wd_ = -1;
};

} // namespace trader::kill_switch

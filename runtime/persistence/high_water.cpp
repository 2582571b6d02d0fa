#include "runtime/persistence/high_water.hpp"

#include "runtime/clock.hpp"
#include "runtime/errno_text.hpp"
#include "runtime/persistence/crc32c.hpp"
#include "runtime/persistence/record_codec.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace trader::persistence {

namespace fs = std::filesystem;

namespace {

constexpr char magic[8] = {'2', '4', '7', 'H', 'W', 'M', '1', '\0'};
constexpr std::size_t slot_size = 32;
constexpr off_t slot_stride = 512;  // each slot in its own sector

struct slot_bytes {
  unsigned char b[slot_size] = {};
};

void put_le(unsigned char* p, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t get_le(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

slot_bytes encode_slot(std::uint64_t seq, ts_ns at) {
  slot_bytes s;
  std::memcpy(s.b, magic, sizeof magic);
  put_le(s.b + 8, seq, 8);
  put_le(s.b + 16, static_cast<std::uint64_t>(at), 8);
  put_le(s.b + 24, crc32c(0, s.b, 24), 4);
  return s;
}

std::optional<high_water> decode_slot(const unsigned char* p) {
  if (std::memcmp(p, magic, sizeof magic) != 0)
    return std::nullopt;
  if (get_le(p + 24, 4) != crc32c(0, p, 24))
    return std::nullopt;
  return high_water{get_le(p + 8, 8), static_cast<ts_ns>(get_le(p + 16, 8))};
}

store_error io_error(const std::string& what, const std::string& path) {
  int err = errno;
  return make_error(store_errc::write_failed, what + " " + path + ": " + trader::errno_text(err), high_water_file_name,
                    {}, err);
}

bool write_at(int fd, const void* data, std::size_t n, off_t off) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    auto w = ::pwrite(fd, p, n, off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= static_cast<std::size_t>(w);
    off += w;
  }
  return true;
}

bool fsync_dir(const fs::path& dir) {
  int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d < 0)
    return false;
  bool ok = ::fsync(d) == 0;
  ::close(d);
  return ok;
}

/// Writes both slots of a new file at path (created exclusively or truncated).
result<void> write_fresh(const std::string& path, int flags, std::uint64_t seq, ts_ns at, bool sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | flags, 0600);
  if (fd < 0)
    return io_error("create", path);
  auto s = encode_slot(seq, at);
  bool ok = write_at(fd, s.b, slot_size, 0) && write_at(fd, s.b, slot_size, slot_stride)
            && ::ftruncate(fd, 2 * slot_stride) == 0 && (!sync || ::fdatasync(fd) == 0);
  auto err = ok ? store_error{} : io_error("write", path);
  ::close(fd);
  if (!ok)
    return err;
  return ok_result();
}

} // namespace

result<std::optional<high_water>> read_high_water(const std::string& dir) {
  auto path = (fs::path(dir) / high_water_file_name).string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return std::optional<high_water>{};
    return make_error(store_errc::open_failed, "open " + path + ": " + trader::errno_text(errno), high_water_file_name);
  }
  unsigned char buf[2 * slot_stride] = {};
  std::size_t got = 0;
  while (got < sizeof buf) {
    auto n = ::pread(fd, buf + got, sizeof buf - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::optional<high_water> best;
  for (std::size_t off : {std::size_t{0}, static_cast<std::size_t>(slot_stride)}) {
    if (off + slot_size > got)
      continue;
    if (auto h = decode_slot(buf + off); h && (!best || h->seq > best->seq))
      best = h;
  }
  if (!best)
    return make_error(store_errc::corrupted,
                      path + " is damaged (no valid slot): the commit high-water mark is unknown; check the store "
                        "with `traderctl state verify` and, once it is trusted, remove the file",
                      high_water_file_name);
  return std::optional<high_water>{best};
}

result<void> check_high_water(const std::optional<high_water>& hw, std::uint64_t store_seq) {
  if (!hw || store_seq >= hw->seq)
    return ok_result();
  return make_error(store_errc::rolled_back,
                    "the store's last commit is #" + std::to_string(store_seq) + " but " + high_water_file_name
                      + " records commit #" + std::to_string(hw->seq) + " (" + format_rfc3339(hw->at)
                      + ") as durable: " + std::to_string(hw->seq - store_seq)
                      + " committed transaction(s) are missing (LMDB fell back to an older meta page, or an older "
                        "data.mdb was put in place); restore a backup with `traderctl state restore`",
                    "meta", commit_key);
}

result<void> reset_high_water(const std::string& dir, std::uint64_t seq, ts_ns at) {
  auto path = (fs::path(dir) / high_water_file_name).string();
  auto tmp = path + ".tmp";
  if (auto r = write_fresh(tmp, O_CREAT | O_TRUNC, seq, at, true); !r)
    return r;
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return io_error("rename to", path);
  if (!fsync_dir(dir))
    return io_error("fsync", dir);
  return ok_result();
}

result<std::unique_ptr<high_water_writer>> high_water_writer::open(const std::string& dir, bool sync) {
  auto path = (fs::path(dir) / high_water_file_name).string();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    // A new file starts at 0 in both slots; the first commit raises it.
    if (auto r = write_fresh(path, O_CREAT | O_EXCL, 0, 0, sync); !r)
      return r.error();
    if (sync && !fsync_dir(dir))
      return io_error("fsync", dir);
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return io_error("open", path);
  return std::unique_ptr<high_water_writer>(new high_water_writer(fd, path, sync));
}

high_water_writer::~high_water_writer() {
  if (fd_ >= 0)
    ::close(fd_);
}

result<void> high_water_writer::record(std::uint64_t seq, ts_ns at) {
  auto s = encode_slot(seq, at);
  if (!write_at(fd_, s.b, slot_size, static_cast<off_t>(seq % 2) * slot_stride))
    return io_error("write", path_);
  if (sync_ && ::fdatasync(fd_) != 0)
    return io_error("fdatasync", path_);
  return ok_result();
}

std::string store_marker_path(const std::string& dir) {
  auto p = fs::path(dir).lexically_normal();
  if (p.filename().empty())
    p = p.parent_path();
  return p.string() + ".store-created";
}

std::optional<std::string> store_history(const std::string& dir) {
  std::error_code ec;
  auto hwm = fs::path(dir) / high_water_file_name;
  if (fs::exists(hwm, ec)) {
    auto hw = read_high_water(dir);
    std::string what = hwm.string();
    if (hw && *hw)
      what += " (last durable commit #" + std::to_string((*hw)->seq) + ", " + format_rfc3339((*hw)->at) + ")";
    return what;
  }
  auto marker = store_marker_path(dir);
  if (fs::exists(marker, ec))
    return "the marker " + marker + " written when the store was created";
  return std::nullopt;
}

bool write_store_marker(const std::string& dir, ts_ns at, std::string& why) {
  auto marker = store_marker_path(dir);
  auto text = "247trader state store created " + format_rfc3339(at) + " in "
              + fs::absolute(fs::path(dir)).lexically_normal().string()
              + "\nWhile this file exists, `traderctl state init` will not create a new store there.\n";
  int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    why = "create " + marker + ": " + trader::errno_text(errno);
    return false;
  }
  bool ok = write_at(fd, text.data(), text.size(), 0) && ::fsync(fd) == 0;
  if (!ok)
    why = "write " + marker + ": " + trader::errno_text(errno);
  ::close(fd);
  if (ok && !fsync_dir(fs::path(marker).parent_path())) {
    why = "fsync the directory of " + marker + ": " + trader::errno_text(errno);
    ok = false;
  }
  return ok;
}

} // namespace trader::persistence
